import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ImportChoices, ImportReport } from './importJobs.js';
import { incomingValues } from './evaluateRows.js';
import type { MatchContext } from './matchRecords.js';

/** The import writes this many statements; progress counts them. */
type Step = (trx: Transaction<Database>, context: CommitContext) => Promise<void>;

export interface CommitContext extends MatchContext {
  choices: ImportChoices;
  /** The source, created on the first commit of its name. */
  importSourceId: string;
}

/** The fields of a change a commit writes: those an editor did not change, and those the person chose to overwrite. */
const appliedValues = sql`(select coalesce(jsonb_object_agg(ch ->> 'field', ch -> 'incoming'), '{}'::jsonb)
  from jsonb_array_elements(coalesce(r.changes, '[]')) ch
  where not (ch ->> 'editedLocally')::boolean or (ch ->> 'field') = any(r.overwrite))`;

const columns = {
  organization: ['name', 'alternate_name', 'description', 'website', 'email', 'contact_phone', 'legal_status'],
  service: [
    'name',
    'alternate_name',
    'description',
    'url',
    'email',
    'phone',
    'status',
    'category',
    'topics',
    'audiences',
    'languages',
    'free',
    'fees_description',
    'eligibility_description',
    'application_process',
    'area_scope',
    'capacity',
    'capacity_unit',
  ],
  location: ['name', 'description', 'address_1', 'city', 'postal_code', 'country', 'accessibility'],
} as const;

type Kind = keyof typeof columns;

const refs = (names: readonly string[], alias: string) => sql.join(names.map((name) => sql.ref(`${alias}.${name}`)));
const names = (list: readonly string[]) => sql.join(list.map((name) => sql.ref(name)));

async function insertOrganizations(trx: Transaction<Database>, { jobId, allianceId, importSourceId }: CommitContext) {
  await sql`
    insert into organization (id, alliance_id, ${names(columns.organization)}, identifiers,
      import_source_id, source_record_id, source_updated_at, imported_at, imported_values)
    select r.new_id, ${allianceId}::uuid, ${refs(columns.organization, 'v')}, coalesce(r.record -> 'identifiers', '[]'),
      ${importSourceId}::uuid, r.source_id, (r.record ->> 'sourceUpdatedAt')::timestamptz, now(), ${incomingValues}
    from import_row r cross join lateral jsonb_populate_record(null::organization, r.incoming) v
    where r.job_id = ${jobId} and r.kind = 'organization' and r.outcome = 'new'
    order by r.key`.execute(trx);
}

async function insertLocations(trx: Transaction<Database>, { jobId, importSourceId }: CommitContext) {
  await sql`
    insert into location (id, organization_id, ${names(columns.location)}, geog, precision, needs_place,
      import_source_id, source_record_id, source_updated_at, imported_at, imported_values)
    select r.new_id, r.parent_id, ${refs(columns.location, 'v')},
      ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326)::geography, coalesce(r.precision, 'exact'), r.needs_place,
      ${importSourceId}::uuid, r.source_id, (r.record ->> 'sourceUpdatedAt')::timestamptz, now(), ${incomingValues}
    from import_row r cross join lateral jsonb_populate_record(null::location, r.incoming) v
    where r.job_id = ${jobId} and r.kind = 'location' and r.outcome = 'new'
    order by r.key`.execute(trx);
}

async function insertServices(trx: Transaction<Database>, { jobId, importSourceId }: CommitContext) {
  await sql`
    insert into service (id, organization_id, ${names(columns.service)},
      import_source_id, source_record_id, source_updated_at, imported_at, imported_values, verified_at, verified_via)
    select r.new_id, r.parent_id, ${refs(columns.service, 'v')},
      ${importSourceId}::uuid, r.source_id, (r.record ->> 'sourceUpdatedAt')::timestamptz, now(), ${incomingValues},
      (r.record ->> 'sourceUpdatedAt')::timestamptz,
      case when r.record ->> 'sourceUpdatedAt' is not null then 'import' end
    from import_row r cross join lateral jsonb_populate_record(null::service, r.incoming) v
    where r.job_id = ${jobId} and r.kind = 'service' and r.outcome = 'new'
    order by r.key`.execute(trx);
}

/** Records already there: the applied fields, the imported values and the provenance; nothing else is touched. */
function updateRecords(kind: Kind): Step {
  return async (trx, { jobId, importSourceId }) => {
    const spatial =
      kind === 'location'
        ? sql`, geog = case when a.applied ? 'lat' then ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326)::geography
                 else t.geog end,
               precision = case when a.applied ? 'lat' then coalesce(r.precision, t.precision) else t.precision end`
        : sql``;
    // The source's own date counts as a check of the service, unless somebody checked it later.
    const sourceDate = sql`(r.record ->> 'sourceUpdatedAt')::timestamptz`;
    const newerCheck = sql`(${sourceDate} is not null and (t.verified_at is null or ${sourceDate} > t.verified_at))`;
    const verified =
      kind === 'service'
        ? sql`, verified_at = case when ${newerCheck} then ${sourceDate} else t.verified_at end,
               verified_via = case when ${newerCheck} then 'import' else t.verified_via end,
               verified_by = case when ${newerCheck} then null else t.verified_by end`
        : sql``;
    const identifiers =
      kind === 'organization'
        ? sql`, identifiers = (select coalesce(jsonb_agg(distinct e), '[]') from jsonb_array_elements(
                 t.identifiers || coalesce(r.record -> 'identifiers', '[]')) e)`
        : sql``;
    await sql`
      update ${sql.table(kind)} as t set
        (${names(columns[kind])}) = (select ${refs(columns[kind], 'p')} from jsonb_populate_record(t, a.applied) p)
        ${spatial} ${identifiers} ${verified},
        import_source_id = ${importSourceId}::uuid, source_record_id = r.source_id,
        source_updated_at = coalesce((r.record ->> 'sourceUpdatedAt')::timestamptz, t.source_updated_at),
        imported_at = now(), imported_values = ${incomingValues}
      from import_row r cross join lateral (select ${appliedValues} as applied) a
      where r.job_id = ${jobId} and r.kind = ${kind} and t.id = r.record_id
        and (r.outcome = 'updated' or (r.outcome = 'unchanged' and (r.changes is not null or t.imported_values is null)))`.execute(
      trx,
    );
  };
}

/** Links of services to their locations in the file; a local service naming none stands at its organisation's. */
async function linkServices(trx: Transaction<Database>, { jobId }: CommitContext) {
  await sql`
    insert into service_at_location (service_id, location_id)
    select distinct s.record_id, l.record_id
    from import_row s
    cross join lateral jsonb_array_elements_text(s.record -> 'locationSourceIds') lid
    join import_row l on l.job_id = ${jobId} and l.kind = 'location' and l.source_id = lid
    where s.job_id = ${jobId} and s.kind = 'service' and s.record_id is not null and l.record_id is not null
    on conflict (service_id, location_id) do nothing`.execute(trx);
  await sql`
    insert into service_at_location (service_id, location_id)
    select distinct s.record_id, l.record_id
    from import_row s
    join import_row l on l.job_id = ${jobId} and l.kind = 'location'
      and l.record ->> 'organizationSourceId' = s.record ->> 'organizationSourceId'
    where s.job_id = ${jobId} and s.kind = 'service' and s.outcome = 'new' and l.record_id is not null
      and jsonb_array_length(coalesce(s.record -> 'locationSourceIds', '[]')) = 0
      and s.record ->> 'areaScope' = 'local'
    on conflict (service_id, location_id) do nothing`.execute(trx);
}

/** Opening hours of new services, and of services whose opening hours the commit changes. */
async function writeSchedules(trx: Transaction<Database>, { jobId }: CommitContext) {
  const written = sql`(r.outcome = 'new' or (r.outcome = 'updated' and ${appliedValues} ? 'schedules'))`;
  await sql`
    delete from schedule sc using import_row r
    where r.job_id = ${jobId} and r.kind = 'service' and r.outcome = 'updated' and sc.service_id = r.record_id
      and ${written}`.execute(trx);
  await sql`
    insert into schedule (service_id, opening_hours, description)
    select r.record_id, e ->> 'openingHours', e ->> 'description'
    from import_row r cross join lateral jsonb_array_elements(r.incoming -> 'schedules') e
    where r.job_id = ${jobId} and r.kind = 'service' and r.record_id is not null and ${written}`.execute(trx);
}

/** Services gone from the source, archived as the person said: all, none, or those named. */
async function archiveGone(trx: Transaction<Database>, { jobId, choices }: CommitContext) {
  const chosen = choices.archiveGone ?? 'none';
  if (chosen === 'none' || (Array.isArray(chosen) && chosen.length === 0)) return;
  const named = chosen === 'all' ? sql`true` : sql`r.existing_id = any(${chosen}::uuid[])`;
  await sql`
    update service s set status = 'inactive'
    from import_row r
    where r.job_id = ${jobId} and r.outcome = 'gone' and s.id = r.existing_id and ${named}`.execute(trx);
}

/** The steps of a commit, in order: parents before the records that hang on them. */
export const commitSteps: Step[] = [
  insertOrganizations,
  updateRecords('organization'),
  insertLocations,
  updateRecords('location'),
  insertServices,
  updateRecords('service'),
  linkServices,
  writeSchedules,
  archiveGone,
];

/** The source of the alliance by its name, created on its first commit, with the choices to read it by next time. */
export async function rememberSource(
  trx: Transaction<Database>,
  allianceId: string,
  name: string,
  format: string,
  choices: ImportChoices,
): Promise<string> {
  const row = await trx
    .insertInto('import_source')
    .values({
      alliance_id: allianceId,
      name,
      format,
      column_mapping: JSON.stringify(choices.columnMapping ?? {}),
      vocabulary_mapping: JSON.stringify(choices.vocabularyMapping ?? {}),
    })
    .onConflict((conflict) =>
      conflict.columns(['alliance_id', 'name']).doUpdateSet({
        format,
        column_mapping: JSON.stringify(choices.columnMapping ?? {}),
        vocabulary_mapping: JSON.stringify(choices.vocabularyMapping ?? {}),
        updated_at: sql<Date>`now()`,
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** What the commit did, counted from the staged rows and the choices; the change set is the transaction's. */
export async function commitReport(
  trx: Transaction<Database>,
  { jobId, choices }: CommitContext,
): Promise<ImportReport> {
  const chosen = choices.archiveGone ?? 'none';
  const archived =
    chosen === 'all'
      ? sql`count(*) filter (where outcome = 'gone')`
      : Array.isArray(chosen) && chosen.length > 0
        ? sql`count(*) filter (where outcome = 'gone' and existing_id = any(${chosen}::uuid[]))`
        : sql`0`;
  const { rows } = await sql<ImportReport>`
    select count(*) filter (where outcome = 'new')::int as created,
      count(*) filter (where outcome = 'updated')::int as updated,
      (${archived})::int as archived,
      count(*) filter (where outcome = 'skipped')::int as skipped,
      count(*) filter (where outcome = 'error')::int as errors,
      txid_current()::text as "changeSet"
    from import_row where job_id = ${jobId}`.execute(trx);
  return rows[0]!;
}
