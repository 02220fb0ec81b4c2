import { type Kysely, sql } from 'kysely';
import type { Database } from '../../../server/src/db/schema.js';

/**
 * Synthetic road networks written straight into road_network / road_node / road_edge (set-based SQL, both database
 * modes), for the travel-time tests and benchmark.
 */

/** A network row of an alliance (status `active` unless said), costs to be written by the caller. */
export async function insertRoadNetwork(
  db: Kysely<Database>,
  allianceId: string,
  {
    status = 'active',
    sourceName = 'synthetic.osm.pbf',
    importedAt = new Date(),
  }: { status?: 'active' | 'replaced'; sourceName?: string; importedAt?: Date | string } = {},
): Promise<string> {
  const row = await db
    .insertInto('road_network')
    .values({
      alliance_id: allianceId,
      source_name: sourceName,
      status,
      speeds: JSON.stringify({}),
      imported_at: importedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface RandomGrid {
  columns: number;
  rows: number;
  /** Degrees between neighbouring nodes. */
  spacing: number;
  origin: { lon: number; lat: number };
  seed: number;
  /** Percent of edges one-way for driving (forward only). */
  oneWayPercent: number;
  /** Percent of edges closed to driving both ways (walking still allowed). */
  closedPercent: number;
}

export const defaultGrid: Omit<RandomGrid, 'columns' | 'rows'> = {
  spacing: 0.002,
  origin: { lon: 2.0, lat: 45.0 },
  seed: 1,
  oneWayPercent: 10,
  closedPercent: 5,
};

/** The node of grid column x, row y (from 0), numbered as the grid writes them. */
export function gridNode(grid: Pick<RandomGrid, 'columns'>, x: number, y: number): number {
  return y * grid.columns + x + 1;
}

/** Its coordinates. */
export function gridPoint(grid: Pick<RandomGrid, 'spacing' | 'origin'>, x: number, y: number) {
  return { lon: grid.origin.lon + x * grid.spacing, lat: grid.origin.lat + y * grid.spacing };
}

/** How many edges a grid has: (columns − 1) × rows across, columns × (rows − 1) up. */
export function gridEdgeCount(grid: Pick<RandomGrid, 'columns' | 'rows'>): number {
  return (grid.columns - 1) * grid.rows + grid.columns * (grid.rows - 1);
}

/**
 * A grid of columns × rows nodes with an edge between neighbours: driving costs of 10–120 s (with fractions),
 * cycling 2.5× and walking 6× as long, a seeded share one-way or closed to driving. Pseudo-random from md5 of the seed
 * and the edge id, so that both modes and every run write the same network.
 */
export async function writeRandomGrid(db: Kysely<Database>, networkId: string, grid: RandomGrid): Promise<void> {
  const { columns, rows, spacing, origin, seed } = grid;
  await sql`
    insert into road_node (network_id, id, geom)
    select ${networkId}, y * ${columns} + x + 1,
      ST_SetSRID(ST_MakePoint(${origin.lon}::float8 + x * ${spacing}::float8, ${origin.lat}::float8 + y * ${spacing}::float8), 4326)
    from generate_series(0, ${rows - 1}) y, generate_series(0, ${columns - 1}) x`.execute(db);
  const across = (columns - 1) * rows;
  await sql`
    with pairs as (
      select y * ${columns - 1} + x + 1 as id, y * ${columns} + x + 1 as source, y * ${columns} + x + 2 as target
      from generate_series(0, ${rows - 1}) y, generate_series(0, ${columns - 2}) x
      union all
      select ${across} + y * ${columns} + x + 1, y * ${columns} + x + 1, (y + 1) * ${columns} + x + 1
      from generate_series(0, ${rows - 2}) y, generate_series(0, ${columns - 1}) x
    ), drawn as (
      select p.*,
        ('x' || substr(md5(${seed}::text || ':' || p.id), 1, 8))::bit(32)::int8 & 2147483647 as r1,
        ('x' || substr(md5(${seed}::text || ':' || p.id), 9, 8))::bit(32)::int8 & 2147483647 as r2
      from pairs p
    ), costed as (
      select d.*, 10 + (r1 % 110000) / 1000.0::float8 as base,
        (r2 % 100) < ${grid.oneWayPercent} as one_way,
        (r2 / 100 % 100) < ${grid.closedPercent} as closed
      from drawn d
    )
    insert into road_edge (network_id, id, source, target, highway, length_m, maxspeed_kmh, duration_s,
      walk_forward, walk_backward, bike_forward, bike_backward, drive_forward, drive_backward,
      walk_cost, walk_reverse_cost, bike_cost, bike_reverse_cost, drive_cost, drive_reverse_cost, geom)
    select ${networkId}, c.id, c.source, c.target, 'residential', base * 10, null, null,
      true, true, true, true, not closed, not closed and not one_way,
      base * 6, base * 6, base * 2.5, base * 2.5,
      case when closed then -1 else base end,
      case when closed or one_way then -1 else base end,
      ST_MakeLine(a.geom, b.geom)
    from costed c
    join road_node a on a.network_id = ${networkId} and a.id = c.source
    join road_node b on b.network_id = ${networkId} and b.id = c.target`.execute(db);
  await db
    .updateTable('road_network')
    .set({ node_count: columns * rows, edge_count: gridEdgeCount(grid) })
    .where('id', '=', networkId)
    .execute();
}
