import { type Kysely, sql } from 'kysely';

/**
 * Road and path networks an alliance imports from OpenStreetMap, for travel times in minutes (issue 15).
 *
 * - `road_network`: one imported extract: its file name, who imported it and when, what was read and kept, its
 *   status (importing → active, then replaced or removed; or failed) with the progress of an import (its stage and
 *   failure as codes with parameters, as for population surfaces), and the speeds
 *   its costs were computed with (`speeds`: km/h per profile and road class, see `domain/road-network/`). At most one
 *   is active, and one importing, per alliance (unique indexes), as for population surfaces.
 * - `road_node`: the network's junctions and ends, numbered 1…n within the network (pgRouting wants integer
 *   vertices; the TypeScript engine indexes arrays with them).
 * - `road_edge`: a way between two nodes, numbered 1…m: its road class (`highway`, or `ferry`), length, the
 *   directions each profile may take it (`*_forward` from source to target, `*_backward` the other way: one-way
 *   streets, barriers, paths closed to cars), and its costs in seconds per profile and direction, pgRouting's
 *   `cost` / `reverse_cost` convention: negative where the profile may not go. The costs are kept so that a route
 *   query is a plain select; changing the speeds recomputes them from the class, the length, `maxspeed_kmh` and a
 *   ferry's `duration_s`.
 *
 * Frozen in time: it imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table road_network (
      id uuid primary key default gen_random_uuid(),
      alliance_id uuid not null references alliance (id) on delete cascade,
      account_id uuid references account (id) on delete set null,
      source_name text not null check (length(source_name) between 1 and 300),
      status text not null default 'importing'
        check (status in ('importing', 'active', 'replaced', 'removed', 'failed')),
      progress float8 not null default 0,
      stage_code text,
      stage_params jsonb,
      error text,
      error_code text,
      error_params jsonb,
      speeds jsonb not null,
      ways_read bigint not null default 0,
      node_count bigint not null default 0,
      edge_count bigint not null default 0,
      clip_area geometry(Geometry, 4326),
      started_at timestamptz not null default now(),
      imported_at timestamptz
    )`.execute(db);
  await sql`create index road_network_alliance_idx on road_network (alliance_id, started_at desc)`.execute(db);
  await sql`create unique index road_network_one_active_idx on road_network (alliance_id)
    where status = 'active'`.execute(db);
  await sql`create unique index road_network_one_import_idx on road_network (alliance_id)
    where status = 'importing'`.execute(db);

  await sql`
    create table road_node (
      network_id uuid not null references road_network (id) on delete cascade,
      id bigint not null check (id > 0),
      geom geometry(Point, 4326) not null,
      primary key (network_id, id)
    )`.execute(db);
  await sql`create index road_node_geom_idx on road_node using gist (geom)`.execute(db);

  await sql`
    create table road_edge (
      network_id uuid not null references road_network (id) on delete cascade,
      id bigint not null check (id > 0),
      source bigint not null,
      target bigint not null,
      highway text not null,
      length_m float8 not null check (length_m >= 0),
      maxspeed_kmh float8 check (maxspeed_kmh > 0),
      duration_s float8 check (duration_s > 0),
      walk_forward boolean not null,
      walk_backward boolean not null,
      bike_forward boolean not null,
      bike_backward boolean not null,
      drive_forward boolean not null,
      drive_backward boolean not null,
      walk_cost float8 not null,
      walk_reverse_cost float8 not null,
      bike_cost float8 not null,
      bike_reverse_cost float8 not null,
      drive_cost float8 not null,
      drive_reverse_cost float8 not null,
      geom geometry(LineString, 4326) not null,
      primary key (network_id, id)
    )`.execute(db);
  await sql`create index road_edge_geom_idx on road_edge using gist (geom)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table road_edge`.execute(db);
  await sql`drop table road_node`.execute(db);
  await sql`drop table road_network`.execute(db);
}
