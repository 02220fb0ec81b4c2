import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { GapAnalysisParameters } from './gapParameters.js';

/** A service location a what-if may remove: a `service_at_location` of the subjects a run measured. */
export interface ScenarioLocation {
  locationId: string;
  serviceName: string;
  organizationName: string;
  category: string;
  lon: number;
  lat: number;
  distanceM: number;
}

/**
 * The alliance's placed service locations of the run's categories or topics nearest a point (the open area's
 * centre, or where a person clicked on the map), nearest first: what a scenario's `remove` names.
 */
export async function scenarioLocationsNear(
  db: Kysely<Database>,
  run: { allianceId: string; parameters: Pick<GapAnalysisParameters, 'categories' | 'topics'> },
  near: { lon: number; lat: number; limit: number },
): Promise<ScenarioLocation[]> {
  const result = await sql<ScenarioLocation>`
    with here as (select ST_SetSRID(ST_MakePoint(${near.lon}, ${near.lat}), 4326)::geography as geog)
    select sal.id as "locationId", s.name as "serviceName", o.name as "organizationName", sal.category,
           ST_X(sal.geog::geometry) as lon, ST_Y(sal.geog::geometry) as lat,
           ST_Distance(sal.geog, here.geog) as "distanceM"
    from service_at_location sal
    join service s on s.id = sal.service_id
    join organization o on o.id = s.organization_id
    cross join here
    where o.alliance_id = ${run.allianceId} and s.status = 'active' and sal.geog is not null
      and (sal.category = any(${run.parameters.categories}::text[]) or s.topics && ${run.parameters.topics}::text[])
    order by sal.geog <-> here.geog, sal.id
    limit ${near.limit}`.execute(db);
  return result.rows;
}
