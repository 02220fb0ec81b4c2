import { type Kysely, sql } from 'kysely';

/**
 * The people beyond the boundary of an H3 grid, those whom no area counts, grouped once per grid by 0.01° square
 * at their population-weighted mean position (a square of one point keeps its exact position), so that a run pairs
 * the services near the edge with these few rows instead of every raw point. `outer_demand_ready` says they were
 * listed: the grids made before this migration have them listed at their next run.
 *
 * Frozen in time: it imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table analysis_outer_demand (
      id uuid primary key default gen_random_uuid(),
      set_id uuid not null references analysis_unit_set (id) on delete cascade,
      population float8 not null,
      centroid geography(Point, 4326) not null
    )`.execute(db);
  await sql`create index analysis_outer_demand_set_idx on analysis_outer_demand (set_id)`.execute(db);
  await sql`create index analysis_outer_demand_centroid_idx on analysis_outer_demand using gist (centroid)`.execute(db);
  await sql`alter table analysis_unit_set add column outer_demand_ready boolean not null default false`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table analysis_unit_set drop column outer_demand_ready`.execute(db);
  await sql`drop table analysis_outer_demand`.execute(db);
}
