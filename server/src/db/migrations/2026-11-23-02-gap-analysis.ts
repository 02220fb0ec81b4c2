import { type Kysely, sql } from 'kysely';

/**
 * Gap analysis: analysis units (H3 cells or imported areas) grouped in sets,
 * populated places used as demand, and saved analysis runs with their results
 * per unit × category or topic. Frozen in time: it imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table analysis_unit_set (
      id uuid primary key default gen_random_uuid(),
      alliance_id uuid not null references alliance (id) on delete cascade,
      kind text not null check (kind in ('h3', 'imported')),
      h3_resolution integer check (h3_resolution between 0 and 15),
      name text not null check (length(name) between 1 and 300),
      population_source text not null,
      created_at timestamptz not null default now(),
      check ((kind = 'h3') = (h3_resolution is not null))
    )`.execute(db);
  await sql`create index analysis_unit_set_alliance_idx on analysis_unit_set (alliance_id, kind, h3_resolution)`.execute(
    db,
  );

  await sql`
    create table analysis_unit (
      id uuid primary key default gen_random_uuid(),
      set_id uuid not null references analysis_unit_set (id) on delete cascade,
      code text not null,
      name text,
      geom geometry(MultiPolygon, 4326) not null,
      centroid geography(Point, 4326) not null,
      population double precision not null check (population >= 0),
      unique (set_id, code)
    )`.execute(db);
  await sql`create index analysis_unit_geom_idx on analysis_unit using gist (geom)`.execute(db);
  await sql`create index analysis_unit_centroid_idx on analysis_unit using gist (centroid)`.execute(db);

  await sql`
    create table demand_point (
      id uuid primary key default gen_random_uuid(),
      source_key text not null unique,
      region_code text not null,
      country char(2) not null,
      name text not null,
      population double precision not null check (population >= 0),
      geog geography(Point, 4326) not null,
      source text not null
    )`.execute(db);
  await sql`create index demand_point_geog_idx on demand_point using gist (geog)`.execute(db);

  await sql`
    create table gap_analysis_run (
      id uuid primary key default gen_random_uuid(),
      alliance_id uuid not null references alliance (id) on delete cascade,
      unit_set_id uuid references analysis_unit_set (id) on delete cascade,
      parameters jsonb not null,
      status text not null default 'running' check (status in ('running', 'done', 'failed')),
      progress double precision not null default 0 check (progress between 0 and 1),
      stage text,
      error text,
      summary jsonb,
      started_at timestamptz not null default now(),
      finished_at timestamptz
    )`.execute(db);
  await sql`create index gap_analysis_run_alliance_idx on gap_analysis_run (alliance_id, started_at desc)`.execute(db);

  await sql`
    create table gap_analysis_result (
      run_id uuid not null references gap_analysis_run (id) on delete cascade,
      unit_id uuid not null references analysis_unit (id) on delete cascade,
      subject_kind text not null check (subject_kind in ('category', 'topic')),
      subject text not null,
      population double precision not null,
      nearest_distance_m double precision,
      count_within integer not null,
      supply_count integer not null,
      supply_per_10k double precision,
      score_2sfca double precision not null,
      score_e2sfca double precision not null,
      flags text[] not null default '{}',
      reason text,
      primary key (run_id, subject, unit_id)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'gap_analysis_result',
    'gap_analysis_run',
    'demand_point',
    'analysis_unit',
    'analysis_unit_set',
  ]) {
    await sql`drop table if exists ${sql.table(table)} cascade`.execute(db);
  }
}
