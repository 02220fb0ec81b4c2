import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';

/**
 * The comparison of staged records with the alliance's, in set-based SQL over `import_row`: each step is a few
 * statements over the whole import, never one per record.
 */
export interface MatchContext {
  jobId: string;
  allianceId: string;
  /** The source's id when it was imported before: its records are found again by their ids in the source. */
  sourceId: string | null;
}

/** How far apart two records with the same name may stand and still be offered as one (metres). */
export const nearbyDuplicateM = 300;

/** A problem as a JSON array of one, with its English sentence, its code and its parameters (a jsonb object). */
const problem = (
  severity: 'error' | 'warning',
  field: string,
  message: ReturnType<typeof sql>,
  code: string,
  params: ReturnType<typeof sql> = sql`'{}'::jsonb`,
) =>
  sql`jsonb_build_array(jsonb_build_object('field', ${field}::text, 'severity', ${severity}::text, 'message', ${message},
    'code', ${code}::text, 'params', ${params}))`;

const noun = sql`case r.kind when 'organization' then 'organisation' else r.kind end`;

/** Problems the reader gave apart from their record are joined to it by file and row (and id when given). */
export async function attachReaderProblems(db: Kysely<Database>, jobId: string): Promise<void> {
  await sql`
    with attached as (
      select p.key, t.key as target, p.problems
      from import_row p
      join lateral (
        select r.key from import_row r
        where r.job_id = p.job_id and r.kind is not null and r.row = p.row and r.file is not distinct from p.file
          and (p.source_id is null or r.source_id = p.source_id)
        order by r.key limit 1) t on true
      where p.job_id = ${jobId} and p.kind is null
    ), merged as (
      update import_row r set problems = r.problems || a.problems
      from (select target, jsonb_agg(e) as problems
            from attached cross join lateral jsonb_array_elements(attached.problems) e group by target) a
      where r.job_id = ${jobId} and r.key = a.target
    )
    delete from import_row p using attached where p.job_id = ${jobId} and p.key = attached.key`.execute(db);
}

/** The second record with an id already seen in the file is an error: which of the two is right is not known. */
export async function markDuplicateIds(db: Kysely<Database>, jobId: string): Promise<void> {
  await sql`
    update import_row r
    set problems = r.problems || ${problem(
      'error',
      'id',
      sql`format('The id “%s” appears twice: this %s is also at row %s%s.', r.source_id, ${noun}, f.row,
          coalesce(' of ' || f.file, ''))`,
      'import.duplicate-id',
      sql`jsonb_build_object('sourceId', r.source_id, 'kind', r.kind, 'noun', ${noun}, 'row', f.row,
          'file', coalesce(f.file, ''), 'inFile', coalesce(' of ' || f.file, ''))`,
    )}
    from (select kind, source_id, min(key) as first_key from import_row
          where job_id = ${jobId} and kind is not null group by kind, source_id having count(*) > 1) d
    join import_row f on f.job_id = ${jobId} and f.key = d.first_key
    where r.job_id = ${jobId} and r.kind = d.kind and r.source_id = d.source_id and r.key <> d.first_key`.execute(db);
}

/**
 * Coordinates against the alliance's region: inside (or within 3 km of its coast) they are kept; outside, swapped
 * latitude and longitude that fall inside are taken as such with a warning; otherwise the point is kept with a
 * warning and the "needs a place" mark. Impossible coordinates are an error.
 */
export async function checkCoordinates(db: Kysely<Database>, { jobId, allianceId }: MatchContext): Promise<void> {
  await sql`
    with checked as (
      select r.key,
        abs(r.lat) <= 90 and abs(r.lon) <= 180 as valid,
        a.boundary is null or ST_Covers(a.boundary, ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326)) as inside,
        a.boundary is not null and abs(r.lon) <= 90 and abs(r.lat) <= 180
          and ST_Covers(a.boundary, ST_SetSRID(ST_MakePoint(r.lat, r.lon), 4326)) as swapped
      from import_row r join alliance a on a.id = ${allianceId}
      where r.job_id = ${jobId} and r.kind = 'location' and r.lat is not null
    ), judged as (
      select c.key, c.valid, c.swapped,
        c.inside or (c.valid and not c.swapped and ST_DWithin(a.boundary::geography,
          ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326)::geography, 3000)) as inside
      from checked c join import_row r on r.job_id = ${jobId} and r.key = c.key join alliance a on a.id = ${allianceId}
    )
    update import_row r set
      lat = case when not j.inside and j.swapped then r.lon else r.lat end,
      lon = case when not j.inside and j.swapped then r.lat else r.lon end,
      precision = 'exact',
      needs_place = not j.inside and not j.swapped,
      problems = r.problems || case
        when j.inside then '[]'::jsonb
        when j.swapped then ${problem(
          'warning',
          'latitude',
          sql`format('The latitude %s and longitude %s look swapped: the place is taken at latitude %s, longitude %s, which is in the region.', r.lat, r.lon, r.lon, r.lat)`,
          'import.coordinates-swapped',
          sql`jsonb_build_object('lat', r.lat, 'lon', r.lon)`,
        )}
        when j.valid then ${problem(
          'warning',
          'latitude',
          sql`format('The place (latitude %s, longitude %s) is outside the alliance’s region: it is kept and marked as needing a place.', r.lat, r.lon)`,
          'import.outside-region',
          sql`jsonb_build_object('lat', r.lat, 'lon', r.lon)`,
        )}
        else ${problem(
          'error',
          'latitude',
          sql`format('The coordinates (latitude %s, longitude %s) are impossible: a latitude is between -90 and 90, a longitude between -180 and 180.', r.lat, r.lon)`,
          'import.impossible-coordinates',
          sql`jsonb_build_object('lat', r.lat, 'lon', r.lon)`,
        )}
      end
    from judged j where r.job_id = ${jobId} and r.key = j.key`.execute(db);
  // An impossible point cannot be stored: the record is an error, so the point is dropped.
  await sql`update import_row set lat = null, lon = null
    where job_id = ${jobId} and kind = 'location' and (abs(lat) > 90 or abs(lon) > 180)`.execute(db);
}

/** Records of this source imported before, found again by their id in the source. */
export async function findBySourceId(db: Kysely<Database>, { jobId, allianceId, sourceId }: MatchContext) {
  if (!sourceId) return;
  await sql`
    update import_row r set existing_id = o.id
    from organization o
    where r.job_id = ${jobId} and r.kind = 'organization' and o.import_source_id = ${sourceId}
      and o.source_record_id = r.source_id and o.alliance_id = ${allianceId}`.execute(db);
  await sql`
    update import_row r set existing_id = s.id
    from service s join organization o on o.id = s.organization_id
    where r.job_id = ${jobId} and r.kind = 'service' and s.import_source_id = ${sourceId}
      and s.source_record_id = r.source_id and o.alliance_id = ${allianceId}`.execute(db);
  await sql`
    update import_row r set existing_id = l.id
    from location l join organization o on o.id = l.organization_id
    where r.job_id = ${jobId} and r.kind = 'location' and l.import_source_id = ${sourceId}
      and l.source_record_id = r.source_id and o.alliance_id = ${allianceId}`.execute(db);
}

/**
 * References between records: a service's organisation must be in the file or imported from this source before;
 * a location named by a service but absent is a warning (the link is left out); a local service with no location
 * of its own stands at its organisation's locations in the file (one serving the whole region may have none).
 */
export async function checkReferences(db: Kysely<Database>, { jobId, allianceId, sourceId }: MatchContext) {
  await sql`
    update import_row r set problems = r.problems || ${problem(
      'error',
      'organization',
      sql`format('The organisation “%s” this service belongs to is not in the file.', r.record ->> 'organizationSourceId')`,
      'import.organization-missing',
      sql`jsonb_build_object('sourceId', r.record ->> 'organizationSourceId')`,
    )}
    where r.job_id = ${jobId} and r.kind = 'service'
      and not exists (select 1 from import_row o where o.job_id = ${jobId} and o.kind = 'organization'
                      and o.source_id = r.record ->> 'organizationSourceId')
      and not exists (select 1 from organization o where o.alliance_id = ${allianceId}
                      and o.import_source_id = ${sourceId} and o.source_record_id = r.record ->> 'organizationSourceId')`.execute(
    db,
  );
  await sql`
    update import_row r set problems = r.problems || ${problem(
      'error',
      'organization',
      sql`format('Its organisation “%s” cannot be imported (see the organisation’s problems).', o.name)`,
      'import.organization-refused',
      sql`jsonb_build_object('name', o.name)`,
    )}
    from import_row o
    where r.job_id = ${jobId} and r.kind = 'service' and o.job_id = ${jobId} and o.kind = 'organization'
      and o.source_id = r.record ->> 'organizationSourceId'
      and jsonb_path_exists(o.problems, '$[*] ? (@.severity == "error")')`.execute(db);
  await sql`
    update import_row r set problems = r.problems || m.problems
    from (select r2.key, jsonb_agg(jsonb_build_object('field', 'locations', 'severity', 'warning', 'message',
            format('The location “%s” this service names is not in the file: the service is imported without it.', lid)))
            as problems
          from import_row r2 cross join lateral jsonb_array_elements_text(r2.record -> 'locationSourceIds') lid
          where r2.job_id = ${jobId} and r2.kind = 'service'
            and not exists (select 1 from import_row l where l.job_id = ${jobId} and l.kind = 'location'
                            and l.source_id = lid)
          group by r2.key) m
    where r.job_id = ${jobId} and r.key = m.key`.execute(db);
  await sql`
    update import_row r set problems = r.problems || ${problem(
      'warning',
      'locations',
      sql`'This service has no place, nor has its organisation in the file: it will not be on the map until one is added.'::text`,
      'import.no-place',
    )}
    where r.job_id = ${jobId} and r.kind = 'service' and r.record ->> 'areaScope' = 'local'
      and not exists (select 1 from jsonb_array_elements_text(r.record -> 'locationSourceIds') lid
                      join import_row l on l.job_id = ${jobId} and l.kind = 'location' and l.source_id = lid)
      and not exists (select 1 from import_row l where l.job_id = ${jobId} and l.kind = 'location'
                      and l.record ->> 'organizationSourceId' = r.record ->> 'organizationSourceId')`.execute(db);
}

/**
 * Possible duplicates of records typed in or imported from another source: an organisation with one of the same
 * identifiers (a SIRET), or of the same name with a location within 300 m of one of the file's; a service of the
 * same name within 300 m. Organisations are merged by default (the same SIRET, or the same name at the same
 * place, is the same organisation; its services then hang on it); services are skipped by default (a person
 * chooses between merging and creating).
 */
export async function findDuplicates(db: Kysely<Database>, { jobId, allianceId, sourceId }: MatchContext) {
  const otherSource = sql`(${sourceId}::uuid is null or t.import_source_id is distinct from ${sourceId}::uuid)`;
  await sql`
    with found as (
      select r.key, t.id, t.name, 'identifier' as reason, null::float8 as distance
      from import_row r
      cross join lateral jsonb_array_elements(r.record -> 'identifiers') i
      join organization t on t.alliance_id = ${allianceId}
        and t.identifiers @> jsonb_build_array(jsonb_build_object('identifier', i ->> 'identifier'))
      where r.job_id = ${jobId} and r.kind = 'organization' and r.existing_id is null and ${otherSource}
      union all
      select r.key, t.id, t.name, 'name-nearby', min(ST_Distance(l.geog,
               ST_SetSRID(ST_MakePoint(sl.lon, sl.lat), 4326)::geography))
      from import_row r
      join import_row sl on sl.job_id = ${jobId} and sl.kind = 'location'
        and sl.record ->> 'organizationSourceId' = r.source_id and sl.lat is not null and not sl.needs_place
      join location l on ST_DWithin(l.geog, ST_SetSRID(ST_MakePoint(sl.lon, sl.lat), 4326)::geography, ${nearbyDuplicateM})
      join organization t on t.id = l.organization_id and t.alliance_id = ${allianceId}
        and import_name_key(t.name) = import_name_key(r.name)
      where r.job_id = ${jobId} and r.kind = 'organization' and r.existing_id is null and ${otherSource}
      group by r.key, t.id, t.name
    ), ranked as (
      select key, id, name, min(distance) as distance,
        (array_agg(reason order by reason = 'identifier' desc))[1] as reason
      from found group by key, id, name
    )
    update import_row r set
      candidates = c.list, decision = 'merge', target_id = c.best
    from (select key,
            jsonb_agg(jsonb_build_object('id', id, 'name', name, 'reason', reason, 'distanceM', round(distance))
                      order by reason = 'identifier' desc, distance nulls first) as list,
            (array_agg(id order by reason = 'identifier' desc, distance nulls first))[1] as best
          from ranked group by key) c
    where r.job_id = ${jobId} and r.key = c.key`.execute(db);

  await sql`
    with found as (
      select r.key, t.id, t.name, min(ST_Distance(sal.geog,
               ST_SetSRID(ST_MakePoint(sl.lon, sl.lat), 4326)::geography)) as distance
      from import_row r
      cross join lateral jsonb_array_elements_text(r.record -> 'locationSourceIds') lid
      join import_row sl on sl.job_id = ${jobId} and sl.kind = 'location' and sl.source_id = lid
        and sl.lat is not null and not sl.needs_place
      join service_at_location sal
        on ST_DWithin(sal.geog, ST_SetSRID(ST_MakePoint(sl.lon, sl.lat), 4326)::geography, ${nearbyDuplicateM})
      join service t on t.id = sal.service_id and import_name_key(t.name) = import_name_key(r.name)
      join organization o on o.id = t.organization_id and o.alliance_id = ${allianceId}
      where r.job_id = ${jobId} and r.kind = 'service' and r.existing_id is null and ${otherSource}
      group by r.key, t.id, t.name
    )
    update import_row r set candidates = c.list, decision = 'skip', target_id = c.best
    from (select key,
            jsonb_agg(jsonb_build_object('id', id, 'name', name, 'reason', 'name-nearby', 'distanceM', round(distance))
                      order by distance) as list,
            (array_agg(id order by distance))[1] as best
          from found group by key) c
    where r.job_id = ${jobId} and r.key = c.key`.execute(db);
}

/** Services of this source the file no longer has: proposed for archiving, never deleted. */
export async function findGone(db: Kysely<Database>, { jobId, allianceId, sourceId }: MatchContext) {
  if (!sourceId) return;
  await sql`
    insert into import_row (job_id, key, kind, source_id, name, outcome, existing_id)
    select ${jobId}, m.last + row_number() over (order by s.name, s.id), 'service', s.source_record_id, s.name,
           'gone', s.id
    from service s
    join organization o on o.id = s.organization_id and o.alliance_id = ${allianceId}
    cross join (select coalesce(max(key), 0) as last from import_row where job_id = ${jobId}) m
    where s.import_source_id = ${sourceId} and s.status <> 'inactive'
      and not exists (select 1 from import_row r where r.job_id = ${jobId} and r.kind = 'service'
                      and r.source_id = s.source_record_id)`.execute(db);
}
