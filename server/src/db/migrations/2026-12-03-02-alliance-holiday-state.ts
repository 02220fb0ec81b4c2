import { type Kysely, sql } from 'kysely';

/**
 * The state or region whose public holidays the alliance's opening hours follow, where they differ within its
 * country (a German Land, a British nation, a Spanish community, Alsace-Moselle), as the opening_hours library
 * names it; null where the country's holidays apply everywhere.
 *
 * Frozen in time: it imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table alliance add column holiday_state text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table alliance drop column holiday_state`.execute(db);
}
