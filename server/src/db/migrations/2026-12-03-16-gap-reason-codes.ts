import { type Kysely, sql } from 'kysely';

/**
 * Gap reasons as codes with parameters instead of English sentences, so that a page says them in its reader's
 * language: `reason_code` (no-service-within, below-regional-mean) and `reason_params` (subject kind and id, the
 * threshold or the method and percentage, the population, numbers raw). Existing rows get them from their flags,
 * their own columns and their run's parameters; the percentage, found nowhere else, is read back from the sentence
 * ("… is 42% of the regional mean …"). The sentence column goes: the API writes it from the code.
 *
 * Also the language an account reads the workspace and its mails in (`account.language`, a BCP-47 primary tag, or
 * null to follow the alliance's).
 *
 * Frozen in time: it imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table gap_analysis_result
      add column reason_code text check (reason_code in ('no-service-within', 'below-regional-mean')),
      add column reason_params jsonb`.execute(db);
  await sql`
    update gap_analysis_result r set
      reason_code = 'no-service-within',
      reason_params = jsonb_build_object('subjectKind', r.subject_kind, 'subject', r.subject,
        'thresholdM', (run.parameters ->> 'thresholdM')::float8, 'population', r.population)
    from gap_analysis_run run
    where run.id = r.run_id and r.reason is not null and 'no_service_within_reach' = any(r.flags)`.execute(db);
  await sql`
    update gap_analysis_result r set
      reason_code = 'below-regional-mean',
      reason_params = jsonb_build_object('subjectKind', r.subject_kind, 'subject', r.subject,
        'method', run.parameters ->> 'method',
        'percent', coalesce(substring(r.reason from ' is (-?[0-9]+)% of the regional mean')::int, 0),
        'population', r.population)
    from gap_analysis_run run
    where run.id = r.run_id and r.reason is not null and r.reason_code is null
      and 'below_regional_mean' = any(r.flags)`.execute(db);
  await sql`alter table gap_analysis_result drop column reason`.execute(db);
  await sql`
    alter table account add column language text check (language ~ '^[a-z]{2,3}$')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table account drop column language`.execute(db);
  await sql`alter table gap_analysis_result add column reason text`.execute(db);
  await sql`
    update gap_analysis_result set reason = case reason_code
      when 'no-service-within' then format('No %s service within %s m for ~%s inhabitants', subject,
        reason_params ->> 'thresholdM', round(population))
      else format('Access to %s services (%s) is %s%% of the regional mean for ~%s inhabitants', subject,
        upper(reason_params ->> 'method'), reason_params ->> 'percent', round(population)) end
    where reason_code is not null`.execute(db);
  await sql`alter table gap_analysis_result drop column reason_code, drop column reason_params`.execute(db);
}
