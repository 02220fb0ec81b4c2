import { type Kysely, sql } from 'kysely';

/**
 * Remembers which region boundary each H3 grid was cut from (an md5 of the boundary's EWKB), so that a grid is
 * reused only while the alliance keeps that boundary. Grids made before this have none and are not reused: which
 * boundary they were cut from is not known. Frozen in time: it imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table analysis_unit_set add column boundary_md5 text`.execute(db);
  await sql`alter table analysis_unit_set add constraint analysis_unit_set_boundary_md5_h3
            check (boundary_md5 is null or kind = 'h3')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table analysis_unit_set drop column if exists boundary_md5`.execute(db);
}
