import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';

/** The kinds of record the change log follows (the tables with a record_change trigger). */
export const loggedEntityTypes = [
  'alliance',
  'organization',
  'service',
  'location',
  'service_at_location',
  'schedule',
  'plan_action',
  'swot_item',
  'charter_signature',
  'translation',
  'service_closure',
  'service_report',
] as const;
export type LoggedEntityType = (typeof loggedEntityTypes)[number];

/** The records a person deletes on their own; the rows deleted with them come back with them. */
const deletableEntityTypes: LoggedEntityType[] = [
  'organization',
  'service',
  'location',
  'plan_action',
  'swot_item',
  'charter_signature',
  'translation',
];

/** One recorded change of a record, as the API answers it (docs/workspace-api.md, History). */
export interface Change {
  id: string;
  changeSet: string;
  entityType: string;
  entityId: string;
  /** The record's name or title when it has one. */
  entityLabel: string | null;
  action: 'create' | 'update' | 'delete';
  changedAt: string;
  author: { accountId: string; displayName: string } | null;
  /** An author that is not an account: "the contact of <organisation>, through its link". */
  authorLabel: string | null;
  /** The fields whose values differ between old and new, ignoring id, version and the timestamps. */
  changedFields: string[];
  old: Record<string, unknown> | null;
  new: Record<string, unknown> | null;
}

/** Book-keeping columns: every update changes some of them, none of them says what changed. */
const bookkeeping = new Set(['id', 'version', 'created_at', 'updated_at']);

const camelCase = (name: string) => name.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());

function camelKeys(values: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!values) return null;
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [camelCase(key), value]));
}

/** The fields whose values differ; jsonb keeps its keys in one order, so equal values serialise equally. */
export function changedFields(
  oldValues: Record<string, unknown> | null,
  newValues: Record<string, unknown> | null,
): string[] {
  const keys = new Set([...Object.keys(newValues ?? {}), ...Object.keys(oldValues ?? {})]);
  return [...keys].filter(
    (key) =>
      !bookkeeping.has(key) && JSON.stringify(oldValues?.[key] ?? null) !== JSON.stringify(newValues?.[key] ?? null),
  );
}

/** A stored row for reading: a location's point (hex EWKB in the log) as GeoJSON. */
const readable = (column: 'c.old_values' | 'c.new_values') =>
  sql<Record<string, unknown> | null>`case
    when jsonb_typeof(${sql.ref(column)} -> 'geog') = 'string'
      then jsonb_set(${sql.ref(column)}, '{geog}', ST_AsGeoJSON((${sql.ref(column)} ->> 'geog')::geography, 6)::jsonb)
    else ${sql.ref(column)} end`;

/**
 * The record's name or title; a link between a service and a location, or opening hours, take the service's
 * name (from the service, or from the log when the service is gone).
 */
const entityLabel = sql<string | null>`(
  select coalesce(
    r.v ->> 'name', r.v ->> 'title', r.v ->> 'signer_name', left(r.v ->> 'text', 120), r.v ->> 'address_1',
    r.v ->> 'city',
    case when c.entity_type in ('service_at_location', 'schedule', 'service_closure', 'service_report') then coalesce(
      (select s.name from service s where s.id = (r.v ->> 'service_id')::uuid),
      (select coalesce(l.new_values, l.old_values) ->> 'name' from change_log l
        where l.entity_type = 'service' and l.entity_id = (r.v ->> 'service_id')::uuid
        order by l.id desc limit 1))
    end)
  from (select coalesce(c.new_values, c.old_values) as v) as r)`;

function changeRows(db: Kysely<Database>) {
  return db
    .selectFrom('change_log as c')
    .leftJoin('account as a', 'a.id', 'c.account_id')
    .select([
      sql<string>`c.id::text`.as('id'),
      sql<string>`c.change_set::text`.as('changeSet'),
      'c.entity_type',
      'c.entity_id',
      'c.action',
      'c.changed_at',
      'c.account_id',
      'c.author_label',
      'a.display_name',
      'c.old_values as raw_old',
      'c.new_values as raw_new',
      readable('c.old_values').as('old'),
      readable('c.new_values').as('new'),
      entityLabel.as('label'),
    ]);
}

type ChangeRow = Awaited<ReturnType<ReturnType<typeof changeRows>['execute']>>[number];

function toChange(row: ChangeRow): Change {
  return {
    id: row.id,
    changeSet: row.changeSet,
    entityType: row.entity_type,
    entityId: row.entity_id,
    entityLabel: row.label,
    action: row.action,
    changedAt: row.changed_at.toISOString(),
    author: row.account_id ? { accountId: row.account_id, displayName: row.display_name ?? '' } : null,
    authorLabel: row.author_label,
    changedFields: changedFields(row.raw_old, row.raw_new).map(camelCase),
    old: camelKeys(row.old),
    new: camelKeys(row.new),
  };
}

export interface ChangePage {
  /** A change id: only older changes. */
  before?: string;
  limit: number;
}

/** The alliance's changes, newest first. */
export async function listAllianceChanges(
  db: Kysely<Database>,
  allianceId: string,
  page: ChangePage,
): Promise<Change[]> {
  let query = changeRows(db).where('c.alliance_id', '=', allianceId);
  if (page.before) query = query.where(sql<boolean>`c.id < ${page.before}::bigint`);
  const rows = await query.orderBy('c.id', 'desc').limit(page.limit).execute();
  return rows.map(toChange);
}

/**
 * The changes of one record, newest first. A service's include its links to locations and its opening hours,
 * which are rows of their own but which people see as part of the service.
 */
export async function listRecordChanges(
  db: Kysely<Database>,
  record: { entityType: LoggedEntityType; entityId: string; allianceId: string },
  page: ChangePage,
): Promise<Change[]> {
  let query = changeRows(db).where((eb) =>
    eb.or([
      eb.and([eb('c.entity_type', '=', record.entityType), eb('c.entity_id', '=', record.entityId)]),
      ...(record.entityType === 'service'
        ? [
            eb.and([
              eb('c.alliance_id', '=', record.allianceId),
              eb('c.entity_type', 'in', ['service_at_location', 'schedule']),
              eb(sql`coalesce(c.new_values, c.old_values) ->> 'service_id'`, '=', record.entityId),
            ]),
          ]
        : []),
    ]),
  );
  if (page.before) query = query.where(sql<boolean>`c.id < ${page.before}::bigint`);
  const rows = await query.orderBy('c.id', 'desc').limit(page.limit).execute();
  return rows.map(toChange);
}

/**
 * The deletions that can be undone, newest first: the last change of a record that does not exist now, and not
 * a row deleted together with its organisation (restoring the organisation brings it back).
 */
export async function listRestorableDeletions(
  db: Kysely<Database>,
  allianceId: string,
  page: ChangePage,
): Promise<Change[]> {
  let query = changeRows(db)
    .where('c.alliance_id', '=', allianceId)
    .where('c.action', '=', 'delete')
    .where('c.entity_type', 'in', deletableEntityTypes)
    .where(
      sql<boolean>`not exists (
        select 1 from change_log later
        where later.entity_type = c.entity_type and later.entity_id = c.entity_id and later.id > c.id)`,
    )
    .where(
      sql<boolean>`not exists (
        select 1 from change_log parent
        where parent.change_set = c.change_set and parent.action = 'delete' and parent.entity_type = 'organization'
          and c.entity_type in ('service', 'location')
          and parent.entity_id = (c.old_values ->> 'organization_id')::uuid)`,
    )
    .where(
      sql<boolean>`not case c.entity_type
        when 'organization' then exists (select 1 from organization r where r.id = c.entity_id)
        when 'service' then exists (select 1 from service r where r.id = c.entity_id)
        when 'location' then exists (select 1 from location r where r.id = c.entity_id)
        when 'plan_action' then exists (select 1 from plan_action r where r.id = c.entity_id)
        when 'swot_item' then exists (select 1 from swot_item r where r.id = c.entity_id)
        when 'charter_signature' then exists (select 1 from charter_signature r where r.id = c.entity_id)
        when 'translation' then exists (select 1 from translation r where r.id = c.entity_id)
        else false end`,
    );
  if (page.before) query = query.where(sql<boolean>`c.id < ${page.before}::bigint`);
  const rows = await query.orderBy('c.id', 'desc').limit(page.limit).execute();
  return rows.map(toChange);
}

/** The alliance and kind of a change; undefined when there is no such change (or it belongs to no alliance). */
export async function findChangeTarget(
  db: Kysely<Database>,
  changeId: string,
): Promise<{ allianceId: string; entityType: string } | undefined> {
  const row = await db
    .selectFrom('change_log')
    .select(['alliance_id', 'entity_type'])
    .where(sql<boolean>`id = ${changeId}::bigint`)
    .executeTakeFirst();
  if (!row?.alliance_id) return undefined;
  return { allianceId: row.alliance_id, entityType: row.entity_type };
}

/** The alliance whose history a record belongs to, read from its last logged change. */
export async function allianceOfLoggedRecord(
  db: Kysely<Database>,
  entityType: LoggedEntityType,
  entityId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('change_log')
    .select('alliance_id')
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .where('alliance_id', 'is not', null)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.alliance_id ?? undefined;
}
