import { type Kysely, sql } from 'kysely';

/**
 * Indexes for the HSDS read API (issue 10):
 *
 * - `service_active_id_idx`: the public pages through active services in id order and counts them. The partial
 *   index holds only the active ones, so a page skips the earlier pages and the count runs in the index alone
 *   (index-only scans), without reading the services' rows.
 * - `schedule_location_idx`: the opening hours of a page's locations are looked up by location.
 *
 * Frozen in time: it imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index service_active_id_idx on service (id) where status = 'active'`.execute(db);
  await sql`create index schedule_location_idx on schedule (location_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists schedule_location_idx`.execute(db);
  await sql`drop index if exists service_active_id_idx`.execute(db);
}
