import { type Kysely, sql } from 'kysely';

/**
 * Where a set of areas' people come from as parts with codes and figures beside the English sentence
 * (`population_source`), so that a page says it in its reader's language. Existing sets keep null: pages show their
 * English sentence as it is.
 *
 * Frozen in time: it imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table analysis_unit_set add column population_source_parts jsonb`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table analysis_unit_set drop column population_source_parts`.execute(db);
}
