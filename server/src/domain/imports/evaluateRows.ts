import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ImportCounts } from './importJobs.js';
import type { MatchContext } from './matchRecords.js';

const hasError = sql<boolean>`jsonb_path_exists(r.problems, '$[*] ? (@.severity == "error")')`;

/**
 * The values of a record as the comparison sees them: its columns, and for a service its opening hours, for a
 * location its point (rounded as the import's are).
 */
const currentValues = {
  organization: sql`to_jsonb(t)`,
  service: sql`to_jsonb(t) || jsonb_build_object('schedules', (
      select coalesce(jsonb_agg(jsonb_build_object('openingHours', sc.opening_hours, 'description', sc.description)
                                order by concat(sc.opening_hours, chr(1), sc.description)), '[]'::jsonb)
      from schedule sc where sc.service_id = t.id))`,
  location: sql`to_jsonb(t) || jsonb_build_object('lat', round(ST_Y(t.geog::geometry)::numeric, 6),
      'lon', round(ST_X(t.geog::geometry)::numeric, 6))`,
} as const;

/**
 * What the file says of a record: a location's point only when the source gave one (a point found from its town
 * never moves a place someone set).
 */
export const incomingValues = sql`case when r.kind = 'location' and not r.needs_place and r.lat is not null
  then r.incoming || jsonb_build_object('lat', round(r.lat::numeric, 6), 'lon', round(r.lon::numeric, 6))
  else r.incoming end`;

/**
 * Outcomes after the person's decisions: errors stay out; a record found by its source id, or merged into a
 * duplicate, is compared field by field; a duplicate skipped is left out (an organisation skipped lends its
 * candidate to its services); everything else is new. Then each service and location gets its organisation.
 * Run again after every decision: it reads only the staged rows and the alliance's records.
 */
export async function evaluateRows(db: Kysely<Database>, { jobId, allianceId, sourceId }: MatchContext) {
  await sql`
    update import_row r set
      outcome = case
        when ${hasError} then 'error'
        when r.kind is null then 'skipped'
        when r.existing_id is not null then 'unchanged'
        when r.candidates is not null and r.decision = 'skip' then 'skipped'
        when r.candidates is not null and r.decision = 'merge' then 'unchanged'
        else 'new' end,
      record_id = case
        when ${hasError} or r.kind is null then null
        when r.existing_id is not null then r.existing_id
        when r.candidates is not null and r.decision = 'merge' then r.target_id
        when r.candidates is not null and r.decision = 'skip' and r.kind = 'organization' then r.target_id
        when r.candidates is not null and r.decision = 'skip' then null
        else r.new_id end,
      changes = null, parent_id = null
    where r.job_id = ${jobId} and r.outcome is distinct from 'gone'`.execute(db);

  await sql`
    update import_row r set parent_id = coalesce(o.record_id, e.id)
    from import_row r2
    left join import_row o on o.job_id = ${jobId} and o.kind = 'organization'
      and o.source_id = r2.record ->> 'organizationSourceId'
    left join organization e on e.alliance_id = ${allianceId} and e.import_source_id = ${sourceId}::uuid
      and e.source_record_id = r2.record ->> 'organizationSourceId'
    where r.job_id = ${jobId} and r2.job_id = ${jobId} and r2.key = r.key and r.kind in ('service', 'location')
      and r.record_id is not null`.execute(db);
  // A location the file names no organisation for belongs to the organisation of a service standing there.
  await sql`
    update import_row r set parent_id = s.parent_id
    from (select distinct on (lid) lid, s.parent_id from import_row s
          cross join lateral jsonb_array_elements_text(s.record -> 'locationSourceIds') lid
          where s.job_id = ${jobId} and s.kind = 'service' and s.parent_id is not null order by lid, s.key) s
    where r.job_id = ${jobId} and r.kind = 'location' and r.parent_id is null and r.record_id is not null
      and s.lid = r.source_id`.execute(db);
  await sql`
    update import_row r set outcome = 'error', record_id = null,
      problems = r.problems || jsonb_build_array(jsonb_build_object('field', 'organization', 'severity', 'error',
        'message', 'No organisation of the file or of the alliance can hold it.', 'code', 'import.no-organization',
        'params', '{}'::jsonb))
    where r.job_id = ${jobId} and r.kind in ('service', 'location') and r.record_id is not null
      and r.parent_id is null`.execute(db);

  for (const kind of ['organization', 'service', 'location'] as const) await compareFields(db, jobId, kind);
}

/**
 * Field by field, for records already in the alliance: a field the source changed since the last import (or
 * that differs, for a record merged for the first time) is a change; when an editor has changed it in
 * Passerelle since (its value is no longer the one imported — for a merge, the record's own value), the change
 * is a conflict, and the editor's value is kept unless `overwrite` names the field.
 */
async function compareFields(db: Kysely<Database>, jobId: string, kind: 'organization' | 'service' | 'location') {
  await sql`
    update import_row r set changes = c.changes,
      outcome = case when c.applied then 'updated' else 'unchanged' end
    from (
      select r.key,
        jsonb_agg(jsonb_build_object('field', f.field, 'current', f.current, 'incoming', f.incoming,
                                     'editedLocally', f.edited) order by f.field) as changes,
        bool_or(not f.edited or f.field = any(r.overwrite)) as applied
      from import_row r
      join ${sql.table(kind)} t on t.id = r.record_id
      cross join lateral (select ${currentValues[kind]} as values) cur
      cross join lateral (
        select e.key as field, coalesce(cur.values -> e.key, 'null') as current, e.value as incoming,
          case when t.imported_values is null then coalesce(cur.values -> e.key, 'null') <> 'null'
               else coalesce(t.imported_values -> e.key, 'null') <> coalesce(cur.values -> e.key, 'null') end as edited
        from jsonb_each(${incomingValues}) e
        where coalesce(cur.values -> e.key, 'null') <> e.value
          and (t.imported_values is null or coalesce(t.imported_values -> e.key, 'null') <> e.value)
      ) f
      where r.job_id = ${jobId} and r.kind = ${kind} and r.outcome in ('updated', 'unchanged')
      group by r.key
    ) c
    where r.job_id = ${jobId} and r.key = c.key`.execute(db);
}

/** The preview's counts. */
export async function countRows(db: Kysely<Database>, jobId: string): Promise<ImportCounts> {
  const { rows } = await sql<ImportCounts>`
    select
      count(*) filter (where kind = 'organization' and outcome <> 'gone')::int as organizations,
      count(*) filter (where kind = 'service' and outcome <> 'gone')::int as services,
      count(*) filter (where kind = 'location' and outcome <> 'gone')::int as locations,
      count(*) filter (where outcome = 'new')::int as new,
      count(*) filter (where outcome = 'updated')::int as updated,
      count(*) filter (where outcome = 'unchanged')::int as unchanged,
      count(*) filter (where outcome = 'gone')::int as gone,
      count(*) filter (where outcome = 'error')::int as errors,
      count(*) filter (where jsonb_path_exists(problems, '$[*] ? (@.severity == "warning")'))::int as warnings,
      count(*) filter (where candidates is not null)::int as duplicates,
      count(*) filter (where needs_place and outcome in ('new', 'updated', 'unchanged'))::int as "needsPlace",
      count(*) filter (where jsonb_path_exists(changes, '$[*] ? (@.editedLocally == true)')
        and exists (select 1 from jsonb_array_elements(changes) ch
                    where (ch ->> 'editedLocally')::boolean and not (ch ->> 'field') = any(overwrite)))::int as conflicts
    from import_row where job_id = ${jobId}`.execute(db);
  return rows[0]!;
}
