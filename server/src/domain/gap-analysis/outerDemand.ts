import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { BatchSizer, type Slicing } from './batchSizer.js';
import { countedByGrid } from './demandPoints.js';
import { gridDemandRelation } from './demandSource.js';
import { maxThresholdM } from './gapParameters.js';

/**
 * How far beyond the boundary people are listed: a service counts people within d0 of it, and only when an area's
 * centre is within d0 of it too, so nobody farther than twice the largest d0 from the boundary is ever counted.
 */
const outerReachM = 2 * maxThresholdM;

/** The side of the squares the people beyond the boundary are grouped by, in degrees (ST_SnapToGrid). */
const outerSquareDeg = 0.01;

/**
 * The people beyond the boundary of an H3 grid as a relation `(id, population, geog)`, one row per group
 * (ensureOuterDemand), to be read `from ${outerDemandRelation(setId)} o`.
 */
export function outerDemandRelation(setId: string): RawBuilder<unknown> {
  return sql`(select id, population, centroid as geog from analysis_outer_demand where set_id = ${setId})`;
}

/**
 * The box of `boundary` (geometry) expanded by outerReachM: in degrees of latitude, and of longitude at its highest
 * latitude (where a degree is shortest), so that it holds every point within that distance.
 */
function reachBox(boundary: RawBuilder<unknown>): RawBuilder<string> {
  const dy = (outerReachM * 1.01) / 110574;
  return sql<string>`ST_Expand(${boundary},
    least(180, ${outerReachM * 1.01}::float8 / (111319 * cos(radians(least(
      greatest(abs(ST_YMin(${boundary})), abs(ST_YMax(${boundary}))) + ${dy}::float8, 89.99))))),
    ${dy}::float8)`;
}

interface OuterGroup {
  population: number;
  x: number;
  y: number;
  points: number;
}

/**
 * Lists once per H3 grid the people beyond its boundary, whom no area counts (countedByGrid, evaluated once per
 * point): the points of the grid's demand within outerReachM of the boundary (its box), grouped by 0.01° square
 * (ST_SnapToGrid) at their population-weighted mean position, a square of one point at its exact position. The
 * points are measured a batch per statement (see Slicing); the groups are then stored with the set's
 * `outer_demand_ready` in one short transaction, which a second caller waits for and then leaves alone. Nothing
 * happens when they are listed already (a grid made before they were kept has them listed at its next run).
 */
export async function ensureOuterDemand(db: Kysely<Database>, setId: string, slicing: Slicing): Promise<void> {
  const set = await db
    .selectFrom('analysis_unit_set')
    .select(['alliance_id', 'population_surface_id', 'outer_demand_ready'])
    .where('id', '=', setId)
    .executeTakeFirst();
  if (!set || set.outer_demand_ready) return;
  const demand = gridDemandRelation(set.population_surface_id);
  const candidates = await sql<{ id: string }>`
    select dp.id from ${demand} dp join alliance a on a.id = ${set.alliance_id}
    where dp.population > 0 and ST_Intersects(${reachBox(sql`a.boundary`)}, dp.geog::geometry)
    order by dp.id`.execute(db);
  const pointIds = candidates.rows.map((row) => row.id);
  const groups = new Map<string, OuterGroup>();
  const sizer = new BatchSizer(slicing, { first: 100, max: 5000 });
  for (let start = 0; start < pointIds.length;) {
    const batch = pointIds.slice(start, start + sizer.size);
    const beyond = await sizer.run(db, batch.length, (connection) =>
      sql<{ population: number; x: number; y: number; square: string }>`
        with a as materialized (
          select boundary, boundary::geography as area from alliance where id = ${set.alliance_id})
        select dp.population, ST_X(dp.geog::geometry) as x, ST_Y(dp.geog::geometry) as y,
               ST_AsText(ST_SnapToGrid(dp.geog::geometry, ${outerSquareDeg}::float8)) as square
        from ${demand} dp cross join a
        where dp.id = any(${batch}::uuid[])
          and not ${countedByGrid(sql`dp.geog`, sql`a.boundary`, sql`a.area`)}`.execute(connection),
    );
    start += batch.length;
    for (const point of beyond.rows) {
      const group = groups.get(point.square) ?? { population: 0, x: 0, y: 0, points: 0 };
      if (group.points === 0) {
        Object.assign(group, { x: point.x, y: point.y });
      } else {
        if (group.points === 1) Object.assign(group, { x: group.x * group.population, y: group.y * group.population });
        group.x += point.x * point.population;
        group.y += point.y * point.population;
      }
      group.population += point.population;
      group.points += 1;
      groups.set(point.square, group);
    }
  }
  const rows = [...groups.values()].map((group) =>
    group.points === 1 ? group : { ...group, x: group.x / group.population, y: group.y / group.population },
  );
  await db.transaction().execute(async (trx) => {
    const now = await trx
      .selectFrom('analysis_unit_set')
      .select('outer_demand_ready')
      .where('id', '=', setId)
      .forUpdate()
      .executeTakeFirst();
    if (!now || now.outer_demand_ready) return;
    await trx.deleteFrom('analysis_outer_demand').where('set_id', '=', setId).execute();
    if (rows.length > 0) {
      await sql`
        insert into analysis_outer_demand (set_id, population, centroid)
        select ${setId}, population, ST_SetSRID(ST_MakePoint(x, y), 4326)::geography
        from unnest(${rows.map((row) => row.population)}::float8[], ${rows.map((row) => row.x)}::float8[],
                    ${rows.map((row) => row.y)}::float8[]) as g(population, x, y)`.execute(trx);
    }
    await trx.updateTable('analysis_unit_set').set({ outer_demand_ready: true }).where('id', '=', setId).execute();
  });
}
