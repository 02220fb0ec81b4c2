import { type Kysely, sql } from 'kysely';

/**
 * What a service can take at each of its locations — places, staff hours a week —, the supply S_j of the 2SFCA and
 * E2SFCA scores; null counts as 1, as every service did before. The unit is a free label ("places").
 *
 * Frozen in time: it imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table service
      add column capacity double precision check (capacity > 0 and capacity < 'infinity'),
      add column capacity_unit text check (length(capacity_unit) between 1 and 100)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table service drop column capacity, drop column capacity_unit`.execute(db);
}
