import { CompiledQuery, type Kysely, sql } from 'kysely';
import type { Database } from '../../../server/src/db/schema.js';
import type { NearbyQuery } from '../../../server/src/domain/services/serviceRepository.js';

/**
 * The floor the near-me API is measured against: the best raw query we could write for the same answer, over a
 * table of its own built for it alone, outside the application. One row per active service at a placed location
 * with only the columns the answer needs, written once in spatial order (geohash) so that neighbours share pages,
 * one GiST index on (geog, category), no primary key or other index to keep, `VACUUM ANALYZE`d. It is built from
 * the base tables (not from the application's `service_search`), after the data is loaded and outside any timing.
 */
export async function createFloorTable(db: Kysely<Database>): Promise<void> {
  await sql`drop table if exists near_me_floor`.execute(db);
  await sql`
    create table near_me_floor as
    select sal.service_id, sal.location_id, public_point(l.geog, l.hide_address) as geog, s.category, s.name,
           s.topics, s.languages, o.id as organization_id, o.name as organization_name, a.slug as alliance_slug,
           l.city as town, case when l.hide_address then 'town' else l.precision end as precision
    from service_at_location sal
    join service s on s.id = sal.service_id
    join location l on l.id = sal.location_id
    join organization o on o.id = s.organization_id
    join alliance a on a.id = o.alliance_id
    where s.status = 'active' and l.geog is not null
    order by ST_GeoHash(public_point(l.geog, l.hide_address)::geometry, 12)`.execute(db);
  await sql`create index near_me_floor_geog_category on near_me_floor using gist (geog, category)`.execute(db);
  await sql`vacuum analyze near_me_floor`.execute(db);
}

/**
 * The floor's SQL for one question, with the same answer as the API's (same rows, fields, order: the nearest walked
 * in the index's order, then places at the same distance by service and location id), numbered parameters as a
 * client would send them.
 */
export function compileFloorQuery(query: NearbyQuery): CompiledQuery {
  if (query.language || query.need) throw new Error('The floor query covers the benchmark’s questions only.');
  const parameters: unknown[] = [query.lon, query.lat, query.radiusM];
  const here = 'ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography';
  let category = '';
  if (query.category) {
    parameters.push(query.category);
    category = ` and category = $${parameters.length}`;
  }
  parameters.push(query.limit);
  const text =
    `select * from (select service_id as id, location_id, name, category, topics, languages, organization_id, ` +
    `organization_name, alliance_slug, ST_Y(geog::geometry) as lat, ST_X(geog::geometry) as lon, town, precision, ` +
    `ST_Distance(geog, ${here}) as distance_m, geog <-> ${here} as nearness from near_me_floor ` +
    `where ST_DWithin(geog, ${here}, $3)${category} ` +
    `order by geog <-> ${here} limit $${parameters.length}) as nearest order by nearness, id, location_id`;
  return CompiledQuery.raw(text, parameters);
}
