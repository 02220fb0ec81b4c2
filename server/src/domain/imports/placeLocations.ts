import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { GeocodedPlace } from '../geocoding/geocoderAnswer.js';
import type { BoundingBox } from '../geocoding/geocoderUrl.js';
import { allianceBoundingBox } from '../geocoding/geocodingArea.js';
import { worldTowns } from '../towns/worldTowns.js';
import type { MatchContext } from './matchRecords.js';

/** Finds places from addresses (a PoliteGeocoder: one request at a time, at its pace, answers remembered). */
export type FindPlaces = (query: string, bbox: BoundingBox | null) => Promise<GeocodedPlace[]>;

/** How many addresses are read from the staged rows at a time, so that memory stays bounded. */
const addressBatch = 200;

/** The address a location gives, as one line for a geocoder; null when it names nothing to look for. */
const addressLine = sql<string | null>`nullif(concat_ws(', ',
  nullif(trim(r.record ->> 'address1'), ''),
  nullif(trim(concat_ws(' ', r.record ->> 'postalCode', r.record ->> 'city')), '')), '')`;

/**
 * Locations without coordinates, through the geocoder: each distinct address once, the first place it finds in
 * the region's box taken at the precision the geocoder gives. The ones it does not find are left to
 * {@link placeAtTowns}. `onProgress` is told after each address.
 */
export async function geocodeLocations(
  db: Kysely<Database>,
  { jobId }: MatchContext,
  findPlaces: FindPlaces,
  bbox: BoundingBox | null,
  onProgress: (done: number, total: number) => void,
): Promise<{ done: number; total: number }> {
  const { rows: counted } = await sql<{ total: number }>`
    select count(distinct ${addressLine})::int as total from import_row r
    where r.job_id = ${jobId} and r.kind = 'location' and r.lat is null and r.precision is null`.execute(db);
  const total = counted[0]?.total ?? 0;
  let done = 0;
  onProgress(done, total);
  for (;;) {
    const { rows } = await sql<{ address: string | null }>`
      select distinct ${addressLine} as address from import_row r
      where r.job_id = ${jobId} and r.kind = 'location' and r.lat is null and r.precision is null
      limit ${addressBatch}`.execute(db);
    if (rows.length === 0) break;
    for (const { address } of rows) {
      let place: GeocodedPlace | undefined;
      if (address !== null) {
        try {
          [place] = await findPlaces(address, bbox);
        } catch {
          // A geocoder that fails leaves the place to the town, like one that finds nothing.
          place = undefined;
        }
      }
      // `precision` 'town' with no point: tried, not found; placeAtTowns takes it from here.
      await sql`
        update import_row r set lat = ${place?.lat ?? null}, lon = ${place?.lon ?? null},
          precision = ${place?.precision ?? 'town'}
        where r.job_id = ${jobId} and r.kind = 'location' and r.lat is null and r.precision is null
          and ${addressLine} is not distinct from ${address}`.execute(db);
      done += 1;
      onProgress(done, total);
    }
  }
  return { done, total };
}

/** How far beyond the region a town a record names is still taken as its town (a service just over the border). */
export const townMarginM = 20_000;
/** Within this of the boundary a town counts as inside it: generalised coastlines put some harbour towns at sea. */
const coastToleranceM = 3000;

/** A town of the worldwide list whose name is one the import's places give, keyed by that name as the file has it. */
interface TownCandidate {
  city: string;
  lat: number;
  lon: number;
  population: number;
}

/**
 * The worldwide list's towns named as the places still without a point name their town (accents and case aside),
 * within the box of the region and its margin. The database then keeps those within the margin of the boundary.
 */
async function worldTownsNamed(db: Kysely<Database>, { jobId, allianceId }: MatchContext): Promise<TownCandidate[]> {
  const box = await allianceBoundingBox(db, allianceId);
  if (!box) return [];
  const { rows } = await sql<{ city: string }>`
    select distinct r.record ->> 'city' as city from import_row r
    where r.job_id = ${jobId} and r.kind = 'location' and r.lat is null
      and nullif(trim(r.record ->> 'city'), '') is not null`.execute(db);
  if (rows.length === 0) return [];
  const [west, south, east, north] = box;
  const marginLat = townMarginM / 111_000;
  const marginLon = marginLat / Math.max(0.01, Math.cos((Math.max(Math.abs(south), Math.abs(north)) * Math.PI) / 180));
  const towns = await worldTowns();
  return rows.flatMap(({ city }) =>
    towns
      .named(city)
      .filter(
        (town) =>
          town.lat >= south - marginLat &&
          town.lat <= north + marginLat &&
          town.lon >= west - marginLon &&
          town.lon <= east + marginLon,
      )
      .map(({ lat, lon, population }) => ({ city, lat, lon, population })),
  );
}

/**
 * Locations still without a point stand at their town, marked as needing a place: a town of the worldwide list
 * (GeoNames) in the region or within {@link townMarginM} of it — when two bear the name, the one in the region, then
 * the bigger —, else a populated place of the demand data, else a town the alliance's locations already name. Without
 * a known town they are imported not placed yet (no point), so that no answer takes a made-up point for theirs.
 */
export async function placeAtTowns(db: Kysely<Database>, context: MatchContext): Promise<void> {
  const { jobId, allianceId } = context;
  const towns = await worldTownsNamed(db, context);
  await sql`
    with known as (
      select import_name_key(t.city) as town_key, t.lat, t.lon,
        case when ST_DWithin(a.boundary::geography, p.point::geography, ${coastToleranceM}) then 0 else 3 end as rank,
        t.population
      from json_to_recordset(${JSON.stringify(towns)}::json) as t(city text, lat float8, lon float8, population float8)
      cross join lateral (select ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326) as point) as p
      join alliance a on a.id = ${allianceId}
      where ST_DWithin(a.boundary::geography, p.point::geography, ${townMarginM})
      union all
      select import_name_key(d.name), ST_Y(d.geog::geometry), ST_X(d.geog::geometry), 1, null
      from demand_point d join alliance a on a.id = ${allianceId}
      where a.boundary is not null and ST_Intersects(a.boundary, d.geog::geometry)
      union all
      select import_name_key(l.city), avg(ST_Y(public_point(l.geog, true)::geometry)),
             avg(ST_X(public_point(l.geog, true)::geometry)), 2, null
      from location l join organization o on o.id = l.organization_id and o.alliance_id = ${allianceId}
      where l.city is not null and not l.needs_place
      group by import_name_key(l.city)
    ), best as (
      select distinct on (town_key) town_key, lat, lon from known
      order by town_key, rank, population desc nulls last
    )
    update import_row r set lat = b.lat, lon = b.lon, precision = 'town', needs_place = true,
      problems = r.problems || jsonb_build_array(jsonb_build_object('field', 'latitude', 'severity', 'warning',
        'message', format('No coordinates: placed at the town of %s until someone places it on the map.', r.record ->> 'city')))
    from best b
    where r.job_id = ${jobId} and r.kind = 'location' and r.lat is null
      and b.town_key = import_name_key(r.record ->> 'city') and b.town_key <> ''`.execute(db);
  // Anywhere else would be a made-up place (the middle of the region was one): it is imported not placed yet.
  await sql`
    update import_row r set precision = 'town', needs_place = true,
      problems = r.problems || jsonb_build_array(jsonb_build_object('field', 'latitude', 'severity', 'warning',
        'message', 'No coordinates and no known town: imported without a place until someone places it on the map.'))
    where r.job_id = ${jobId} and r.kind = 'location' and r.lat is null`.execute(db);
}
