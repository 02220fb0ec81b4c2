import { type Kysely, sql } from 'kysely';

/**
 * Population surfaces an alliance brings as the demand of its gap analyses (issue 11).
 *
 * - `population_surface`: one imported file: its source, format, coordinate system, cell size, who imported it and
 *   when, what was read and kept, and its status (importing → active, then replaced or removed; or failed). At most
 *   one is active, and one importing, per alliance (unique indexes). `clip_area`: the boundary and the margin around
 *   it (`margin_m`) that the cells were clipped to.
 * - `population_cell`: the people of a surface as points (a cell's centre, or an area's point on its surface) with
 *   their population, clipped to the alliance's boundary and a margin around it.
 * - `analysis_unit_set.population_surface_id`: the surface an H3 grid took its population from (null for populated
 *   places), so that a grid is reused only with the demand it was built from. Not a foreign key: a grid outlives the
 *   surface it was built from, with the runs made on it.
 *
 * Frozen in time: it imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table population_surface (
      id uuid primary key default gen_random_uuid(),
      alliance_id uuid not null references alliance (id) on delete cascade,
      account_id uuid references account (id) on delete set null,
      source_name text not null check (length(source_name) between 1 and 300),
      format text not null check (format in ('geotiff', 'kontur_h3', 'insee_grid', 'census_areas')),
      crs text not null,
      cell_size_m float8,
      population_field text,
      status text not null default 'importing'
        check (status in ('importing', 'active', 'replaced', 'removed', 'failed')),
      progress float8 not null default 0,
      stage text,
      error text,
      cells_read bigint not null default 0,
      cells_kept bigint not null default 0,
      total_population float8 not null default 0,
      margin_m float8 not null,
      clip_area geometry(Geometry, 4326),
      started_at timestamptz not null default now(),
      imported_at timestamptz
    )`.execute(db);
  await sql`create index population_surface_alliance_idx on population_surface (alliance_id, started_at desc)`.execute(
    db,
  );
  await sql`create unique index population_surface_one_active_idx on population_surface (alliance_id)
    where status = 'active'`.execute(db);
  await sql`create unique index population_surface_one_import_idx on population_surface (alliance_id)
    where status = 'importing'`.execute(db);

  await sql`
    create table population_cell (
      id uuid primary key default gen_random_uuid(),
      surface_id uuid not null references population_surface (id) on delete cascade,
      geog geography(Point, 4326) not null,
      population float8 not null check (population > 0)
    )`.execute(db);
  await sql`create index population_cell_surface_idx on population_cell (surface_id)`.execute(db);
  await sql`create index population_cell_geog_idx on population_cell using gist (geog)`.execute(db);

  await sql`alter table analysis_unit_set add column population_surface_id uuid`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table analysis_unit_set drop column population_surface_id`.execute(db);
  await sql`drop table population_cell`.execute(db);
  await sql`drop table population_surface`.execute(db);
}
