import { type Kysely, sql } from 'kysely';

/**
 * The stage and the failure of a gap analysis run and of a population import as codes with parameters beside the
 * English sentences, so that a page says them in its reader's language: `stage_code`/`stage_params` (a stage of
 * runStages.ts) and `error_code`/`error_params` (a code of errorMessages.ts). Existing rows get the codes of the
 * sentences the server wrote for every run (waiting, done, the interrupted or unexpected failure); a failure whose
 * sentence has no such code keeps only its English sentence, which pages show as it is.
 *
 * Frozen in time: it imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['gap_analysis_run', 'population_surface']) {
    await sql`
      alter table ${sql.table(table)}
        add column stage_code text, add column stage_params jsonb,
        add column error_code text, add column error_params jsonb`.execute(db);
    await sql`
      update ${sql.table(table)} set stage_code = case stage
          when 'Waiting to start' then 'waiting' when 'Done' then 'done' when 'Saving the results' then 'saving' end,
        stage_params = '{}'::jsonb
      where stage in ('Waiting to start', 'Done', 'Saving the results')`.execute(db);
  }
  await sql`
    update gap_analysis_run set error_params = '{}'::jsonb, error_code = case error
        when 'The server stopped while this analysis was running. Start it again.' then 'gap.run-interrupted'
        else 'gap.run-unexpected' end
    where error in ('The server stopped while this analysis was running. Start it again.',
      'The analysis could not be completed because of an error on our side; no result was kept. Run it again, or report the run id.')`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['gap_analysis_run', 'population_surface']) {
    await sql`
      alter table ${sql.table(table)}
        drop column stage_code, drop column stage_params, drop column error_code, drop column error_params`.execute(db);
  }
}
