import { coastToleranceM } from '../../../server/src/domain/gap-analysis/demandPoints.js';
import type { RawSql } from '../gap-analysis/rawBaseline.js';
import { elapsedMs } from '../lib/stats.js';

/** The margin of a box around a point, in degrees of latitude: metresAround in db/postgis.ts. */
const dy = (coastToleranceM * 1.01) / 110574;

/**
 * The people of a population surface given to the areas of an H3 grid, hand-written as one statement: what
 * ensureH3UnitSet does a batch at a time (assignDemandPoints in h3Grid.ts). The cells in the boundary or within
 * coastToleranceM of it, each to the area containing it (the lowest code on a shared edge), else the nearest within
 * coastToleranceM on the spheroid, else the nearest in degrees; per area the sum and the population-weighted centre
 * (Bordeaux is far from the antimeridian: plain means of longitudes), summed in the order of the cells' ids as the
 * application sums them, so that the populations are equal to the last bit and the runs' totals compare exactly. Parameters: $1 unit set, $2 alliance, $3 surface.
 */
export const rawDemandAssignmentSql = `
  with candidate as (
    select dp.id, dp.population, dp.geog from population_cell dp join alliance a on a.id = $2::uuid
    where dp.surface_id = $3::uuid
      and ST_Intersects(ST_Expand(a.boundary, 0.1), dp.geog::geometry)
      and ST_DWithin(dp.geog, a.boundary::geography, ${coastToleranceM})
  ),
  assigned as (
    select nearest.id as unit_id, c.id, c.population, ST_X(c.geog::geometry) as x, ST_Y(c.geog::geometry) as y
    from candidate c
    cross join lateral (
      select coalesce(
        (select u.id from analysis_unit u
         where u.set_id = $1::uuid and ST_Intersects(u.geom, c.geog::geometry) order by u.code limit 1),
        (select u.id from analysis_unit u
         where u.set_id = $1::uuid
           and u.geom && ST_Expand(c.geog::geometry,
                 least(180, ${coastToleranceM * 1.01}::float8
                            / (111319 * cos(radians(least(abs(ST_Y(c.geog::geometry)) + ${dy}::float8, 89.99))))),
                 ${dy}::float8)
         order by ST_Distance(u.geom::geography, c.geog), u.code limit 1),
        (select u.id from analysis_unit u where u.set_id = $1::uuid order by u.geom <-> c.geog::geometry limit 1)
      ) as id
    ) nearest
  ),
  per_unit as (
    select unit_id, sum(population order by id) as population, sum(x * population order by id) as x,
           sum(y * population order by id) as y
    from assigned group by unit_id
  )
  update analysis_unit u set
    population = p.population,
    centroid = case when p.population > 0
      then ST_SetSRID(ST_MakePoint(p.x / p.population, p.y / p.population), 4326)::geography
      else u.centroid end
  from per_unit p
  where u.id = p.unit_id and u.set_id = $1::uuid`;

/** Puts a grid's areas back as ensureH3UnitSet stores them before their people come: nobody, centred on their surface. */
export async function clearGridDemand(client: RawSql, unitSetId: string): Promise<void> {
  await client.query(
    `update analysis_unit set population = 0, centroid = ST_PointOnSurface(geom)::geography where set_id = $1::uuid`,
    [unitSetId],
  );
}

/** The statement above in a transaction of its own, timed. */
export async function runRawDemandAssignment(
  client: RawSql,
  values: { unitSetId: string; allianceId: string; surfaceId: string },
): Promise<number> {
  const start = performance.now();
  await client.query('begin');
  try {
    await client.query('set local jit = off');
    await client.query(rawDemandAssignmentSql, [values.unitSetId, values.allianceId, values.surfaceId]);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
  return elapsedMs(start);
}
