import { type Kysely, sql } from 'kysely';

/**
 * An H3 grid is now built in many short statements, so that the embedded database can answer other requests in
 * between: `complete` stays false until its last area is stored, and a set that is not complete is neither listed
 * nor reused (sets made before were built in one transaction: complete). Deleting a half-built grid deletes its
 * areas, and each of those looks for results naming it: the index on `unit_id` keeps that from reading every result.
 * Frozen in time: it imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table analysis_unit_set add column complete boolean not null default true`.execute(db);
  await sql`create index gap_analysis_result_unit_idx on gap_analysis_result (unit_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists gap_analysis_result_unit_idx`.execute(db);
  await sql`alter table analysis_unit_set drop column if exists complete`.execute(db);
}
