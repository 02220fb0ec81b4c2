import fs from 'node:fs/promises';
import path from 'node:path';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { DescribedSource } from './demandSource.js';
import { worldTownsPopulationSource, worldTownsRegionCode } from './townDemandPoints.js';

/** One file of data/demand/ (made by scripts/extract-demand-points.ts). */
export interface DemandFile {
  region: string;
  country: string;
  populationSource: string;
  points: { key: string; name: string; population: number; lat: number; lon: number; source: string }[];
}

export async function readDemandFiles(dataDir: string): Promise<DemandFile[]> {
  const dir = path.join(dataDir, 'demand');
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return [];
    throw error;
  }
  return Promise.all(
    names.map(async (name) => JSON.parse(await fs.readFile(path.join(dir, name), 'utf8')) as DemandFile),
  );
}

/**
 * Loads the demand points of the data folder once per database: nothing happens when
 * some are there already (towns taken from the worldwide list do not count). Concurrent
 * callers are harmless (keys are unique).
 */
export async function ensureDemandPoints(db: Kysely<Database>, dataDir: string): Promise<void> {
  const existing = await db
    .selectFrom('demand_point')
    .select('id')
    .where('region_code', '<>', worldTownsRegionCode)
    .limit(1)
    .executeTakeFirst();
  if (existing) return;
  const files = await readDemandFiles(dataDir);
  await db.transaction().execute(async (trx) => {
    for (const file of files) {
      if (file.points.length === 0) continue;
      const column = <K extends keyof DemandFile['points'][number]>(key: K) => file.points.map((point) => point[key]);
      await sql`
        insert into demand_point (source_key, region_code, country, name, population, geog, source)
        select key, ${file.region}, ${file.country}, name, population,
               ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography, source
        from unnest(${column('key')}::text[], ${column('name')}::text[], ${column('population')}::float8[],
                    ${column('lon')}::float8[], ${column('lat')}::float8[], ${column('source')}::text[])
             as p(key, name, population, lon, lat, source)
        on conflict (source_key) do nothing`.execute(trx);
    }
  });
}

/** How the population of an H3 grid over an alliance was obtained, in words, from the points it uses. */
export async function describeDemandSources(
  db: Kysely<Database>,
  allianceId: string,
  dataDir: string,
): Promise<DescribedSource> {
  const regions = await sql<{ region_code: string }>`
    select distinct dp.region_code from demand_point dp join alliance a on a.id = ${allianceId}
    where ${countedByGrid(sql`dp.geog`, sql`a.boundary`)} order by 1`.execute(db);
  if (regions.rows.length === 0) {
    return {
      text: 'No population data for this region: every area has population 0, so only distances and counts are meaningful.',
      parts: [{ code: 'places-none', params: {} }],
    };
  }
  const files = await readDemandFiles(dataDir);
  const codes = regions.rows.map((row) => row.region_code);
  const sources = [
    ...new Set(files.filter((file) => codes.includes(file.region)).map((file) => file.populationSource)),
    ...(codes.includes(worldTownsRegionCode) ? [worldTownsPopulationSource] : []),
  ];
  return {
    text: `Approximate: populated places summed per area (${sources.join('; ')}).`,
    parts: [{ code: 'places-sources', params: { sources: sources.join('; ') } }],
  };
}

/** Demand points this close outside the boundary (coastal towns put at sea by a generalised coastline) still count. */
export const coastToleranceM = 3000;

/**
 * Whether a demand point at `point` (geography) adds its people to an area of a grid over `boundary` (geometry): when
 * within coastToleranceM of it. The box first, so that an index on the points can be used and most points far
 * away are left at once: the geodesic distance to the outline is the slow part, so a point inside the boundary (a
 * planar test, on a boundary PostGIS prepares once for all the rows) is not measured. The people it leaves out live
 * beyond the boundary; they count as demand on the services in their reach (measures.ts), never as an area.
 */
export function countedByGrid(
  point: RawBuilder<unknown>,
  boundary: RawBuilder<unknown>,
  /** The boundary as geography, when the query has it already. */
  boundaryGeography: RawBuilder<unknown> = sql`${boundary}::geography`,
): RawBuilder<boolean> {
  return sql<boolean>`(ST_Intersects(ST_Expand(${boundary}, 0.1), ${point}::geometry)
    and (ST_Intersects(${boundary}, ${point}::geometry)
         or ST_DWithin(${point}, ${boundaryGeography}, ${coastToleranceM})))`;
}
