import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { LoggedEntityType } from './changeLog.js';
import { type CodedMessage, said, UserError } from '../messages/userError.js';

/** Why a change cannot be undone, as a code for the person who asked (`entityType` names the kind of record). */
export class RestoreConflict extends UserError {
  constructor(message: CodedMessage) {
    super(409, message);
  }
}

export interface RestoreResult {
  entityType: string;
  entityId: string;
  /** The record's version after the restore; null when it has none or no longer exists. */
  version: number | null;
}

/** What each logged table is called in a message; also the allow-list of tables a restore may write. */
const nouns: Record<LoggedEntityType, string> = {
  alliance: 'alliance',
  organization: 'organisation',
  service: 'service',
  location: 'location',
  service_at_location: 'link between a service and a location',
  schedule: 'opening hours',
  plan_action: 'action',
  swot_item: 'SWOT item',
  charter_signature: 'charter signature',
  translation: 'translation',
  service_closure: 'closure',
  service_report: 'report',
};

const isLogged = (entityType: string): entityType is LoggedEntityType => entityType in nouns;

/** Parents first, so that every re-inserted row finds the rows it refers to. */
const insertOrder: Partial<Record<LoggedEntityType, number>> = {
  organization: 0,
  location: 1,
  service: 2,
  service_at_location: 3,
  schedule: 3,
  service_closure: 3,
  service_report: 3,
};

/** The columns through which a deleted row hangs on another row that may be deleted in the same change. */
const parentColumns: Record<string, LoggedEntityType> = {
  organization_id: 'organization',
  service_id: 'service',
  location_id: 'location',
};

/** Filled by triggers from the service and the location: a restored link names only its two ends. */
const linkColumns = new Set(['id', 'service_id', 'location_id']);

/** Never written back: the row keeps its identity and history, and the triggers keep version and time. */
const keptColumns = new Set(['id', 'version', 'created_at', 'updated_at']);

interface LoggedRow {
  id: string;
  entity_type: string;
  entity_id: string;
  action: 'create' | 'update' | 'delete';
  change_set: string;
  old_values: Record<string, unknown> | null;
  new_values: Record<string, unknown> | null;
}

type Values = Record<string, unknown>;

/** A table's columns and their types, from the catalogue: the allow-list for column names read from the log. */
async function columnsOf(trx: Transaction<Database>, table: LoggedEntityType): Promise<Map<string, string>> {
  const { rows } = await sql<{ name: string; type: string }>`
    select a.attname as name, t.typname as type
    from pg_attribute a join pg_type t on t.oid = a.atttypid
    where a.attrelid = ${table}::regclass and a.attnum > 0 and not a.attisdropped`.execute(trx);
  return new Map(rows.map((row) => [row.name, row.type]));
}

const isSpatial = (type: string | undefined): type is 'geometry' | 'geography' =>
  type === 'geometry' || type === 'geography';

/**
 * A column's value from the logged row `j.v`. to_jsonb writes a geography as hex EWKB (text) and a geometry as
 * GeoJSON with its CRS (an object), in both database modes; everything else goes through jsonb_populate_record,
 * which reads each value as its column's type.
 */
function columnValue(column: string, type: string | undefined) {
  if (!isSpatial(type)) return sql`r.${sql.ref(column)}`;
  const spatialType = sql.raw(type);
  return sql`case jsonb_typeof(j.v -> ${column})
    when 'object' then ST_GeomFromGeoJSON(j.v -> ${column})::${spatialType}
    when 'string' then (j.v ->> ${column})::${spatialType} end`;
}

async function recordExists(trx: Transaction<Database>, table: LoggedEntityType, id: string): Promise<boolean> {
  const { rows } = await sql`select 1 from ${sql.table(table)} where id = ${id}`.execute(trx);
  return rows.length > 0;
}

async function versionOf(trx: Transaction<Database>, table: LoggedEntityType, id: string): Promise<number | null> {
  const columns = await columnsOf(trx, table);
  if (!columns.has('version')) return null;
  const { rows } = await sql<{ version: number }>`select version from ${sql.table(table)} where id = ${id}`.execute(
    trx,
  );
  return rows[0]?.version ?? null;
}

/** Inserts a logged row again with its id; false when a row with its id or unique values exists already. */
async function insertLogged(trx: Transaction<Database>, table: LoggedEntityType, values: Values): Promise<boolean> {
  const columns = await columnsOf(trx, table);
  const names = Object.keys(values).filter(
    (name) => columns.has(name) && name !== 'updated_at' && (table !== 'service_at_location' || linkColumns.has(name)),
  );
  // A version past the deleted one: a page still holding the deleted record cannot overwrite the restored one.
  const row = typeof values.version === 'number' ? { ...values, version: values.version + 1 } : values;
  const spatial = names.filter((name) => isSpatial(columns.get(name)));
  const { rows } = await sql`
    with j as (select ${JSON.stringify(row)}::jsonb as v)
    insert into ${sql.table(table)} (${sql.join(names.map((name) => sql.ref(name)))})
    select ${sql.join(names.map((name) => columnValue(name, columns.get(name))))}
    from j cross join lateral jsonb_populate_record(null::${sql.table(table)}, j.v - ${spatial}::text[]) as r
    on conflict do nothing
    returning id`.execute(trx);
  return rows.length > 0;
}

/** Sets every column of a record back to its logged values, except its identity, version and timestamps. */
async function updateToLogged(trx: Transaction<Database>, table: LoggedEntityType, id: string, values: Values) {
  const columns = await columnsOf(trx, table);
  const names = Object.keys(values).filter((name) => columns.has(name) && !keptColumns.has(name));
  if (names.length === 0) return;
  const spatial = names.filter((name) => isSpatial(columns.get(name)));
  await sql`
    with j as (select ${JSON.stringify(values)}::jsonb as v)
    update ${sql.table(table)} as t
    set ${sql.join(names.map((name) => sql`${sql.ref(name)} = ${columnValue(name, columns.get(name))}`))}
    from j cross join lateral jsonb_populate_record(null::${sql.table(table)}, j.v - ${spatial}::text[]) as r
    where t.id = ${id}`.execute(trx);
}

/** What a record was last called, for a message about it once it is gone. */
async function lastKnownName(trx: Transaction<Database>, table: LoggedEntityType, id: string): Promise<string | null> {
  const row = await trx
    .selectFrom('change_log')
    .select(sql<string | null>`coalesce(new_values, old_values) ->> 'name'`.as('name'))
    .where('entity_type', '=', table)
    .where('entity_id', '=', id)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.name ?? null;
}

/** The kinds of record a translation translates, named by its `entity_type`. */
const translatedTables = new Set<string>(['organization', 'service']);

/**
 * The rows a logged row of `table` refers to, as [table, id]: through parentColumns, and a translation the record it
 * translates (which no foreign key names, so that the translation would outlive it unseen).
 */
function parentsOf(table: string, values: Values): [LoggedEntityType, string][] {
  const parents = Object.entries(parentColumns).flatMap(([column, parent]) =>
    typeof values[column] === 'string' ? [[parent, values[column]] as [LoggedEntityType, string]] : [],
  );
  const translated = values.entity_type;
  if (table === 'translation' && typeof translated === 'string' && translatedTables.has(translated)) {
    parents.push([translated as LoggedEntityType, String(values.entity_id)]);
  }
  return parents;
}

/**
 * The deleted row and every row deleted in the same change that hangs on it, directly or not (an organisation's
 * locations and services, their links and opening hours), parents first.
 */
async function deletedTogether(trx: Transaction<Database>, change: LoggedRow): Promise<LoggedRow[]> {
  const candidates = (await trx
    .selectFrom('change_log')
    .select([
      sql<string>`id::text`.as('id'),
      'entity_type',
      'entity_id',
      'action',
      sql<string>`change_set::text`.as('change_set'),
      'old_values',
      'new_values',
    ])
    .where(sql<boolean>`change_set = ${change.change_set}::bigint`)
    .where('action', '=', 'delete')
    .where(sql<boolean>`id <> ${change.id}::bigint`)
    .orderBy('id')
    .execute()) as LoggedRow[];
  const chosen = [change];
  const ids = new Set([change.entity_id]);
  for (let added = true; added;) {
    added = false;
    for (const candidate of candidates) {
      if (ids.has(candidate.entity_id)) continue;
      if (parentsOf(candidate.entity_type, candidate.old_values ?? {}).some(([, id]) => ids.has(id))) {
        chosen.push(candidate);
        ids.add(candidate.entity_id);
        added = true;
      }
    }
  }
  const rank = (row: LoggedRow) => insertOrder[row.entity_type as LoggedEntityType] ?? 0;
  return chosen.sort((a, b) => rank(a) - rank(b));
}

async function parentsPresent(
  trx: Transaction<Database>,
  table: LoggedEntityType,
  values: Values,
  restored: Set<string>,
): Promise<boolean> {
  for (const [parentTable, parentId] of parentsOf(table, values)) {
    if (!restored.has(parentId) && !(await recordExists(trx, parentTable, parentId))) return false;
  }
  return true;
}

/** Puts back a deleted record with what was deleted with it; rows whose other end is gone stay deleted. */
async function undoDeletion(trx: Transaction<Database>, change: LoggedRow, table: LoggedEntityType) {
  const noun = nouns[table];
  if (table === 'alliance') throw new RestoreConflict(said('restore.alliance-deleted'));
  if (await recordExists(trx, table, change.entity_id)) {
    throw new RestoreConflict(said('restore.exists-again', { entityType: table, noun }));
  }
  for (const [parentTable, parentId] of parentsOf(table, change.old_values ?? {})) {
    if (await recordExists(trx, parentTable, parentId)) continue;
    const name = await lastKnownName(trx, parentTable, parentId);
    const parent = { entityType: table, noun, parentType: parentTable, parentNoun: nouns[parentTable] };
    throw new RestoreConflict(
      name ? said('restore.named-parent-gone', { ...parent, name }) : said('restore.parent-gone', parent),
    );
  }
  const rows = await deletedTogether(trx, change);
  const restored = new Set<string>();
  for (const row of rows) {
    const rowTable = row.entity_type as LoggedEntityType;
    const values = row.old_values ?? {};
    if (row !== change && !(await parentsPresent(trx, rowTable, values, restored))) continue;
    if (await insertLogged(trx, rowTable, values)) {
      restored.add(row.entity_id);
    } else if (row === change) {
      // Another row took its unique values since: a translation of the same field into the same language.
      throw uniqueValueTaken(table, noun);
    }
  }
  await restoreClearedReferences(trx, change.change_set, restored);
}

/**
 * Rows that pointed at a deleted record had the reference cleared in the same change (on delete set null: an
 * action's responsible organisation, a signature's organisation); once the record is back, so is the reference,
 * unless someone has set it since.
 */
async function restoreClearedReferences(trx: Transaction<Database>, changeSet: string, restored: Set<string>) {
  if (restored.size === 0) return;
  const updates = await trx
    .selectFrom('change_log')
    .select(['entity_type', 'entity_id', 'old_values', 'new_values'])
    .where(sql<boolean>`change_set = ${changeSet}::bigint`)
    .where('action', '=', 'update')
    .execute();
  for (const update of updates) {
    if (!isLogged(update.entity_type)) continue;
    const table = update.entity_type;
    const columns = await columnsOf(trx, table);
    for (const [column, value] of Object.entries(update.old_values ?? {})) {
      if (typeof value !== 'string' || !restored.has(value) || update.new_values?.[column] !== null) continue;
      if (!columns.has(column) || keptColumns.has(column)) continue;
      await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${value}
        where id = ${update.entity_id} and ${sql.ref(column)} is null`.execute(trx);
    }
  }
}

/**
 * Undoes one logged change, in the caller's transaction (run through changeAs, so that the restore is itself
 * a logged change): an update sets the record back to its values before it; a deletion puts the record back
 * with the rows deleted with it; a creation deletes the record. Throws RestoreConflict when it cannot be done.
 */
export async function restoreChange(trx: Transaction<Database>, changeId: string): Promise<RestoreResult> {
  const change = (await trx
    .selectFrom('change_log')
    .select([
      sql<string>`id::text`.as('id'),
      'entity_type',
      'entity_id',
      'action',
      sql<string>`change_set::text`.as('change_set'),
      'old_values',
      'new_values',
    ])
    .where(sql<boolean>`id = ${changeId}::bigint`)
    .executeTakeFirst()) as LoggedRow | undefined;
  if (!change) throw new RestoreConflict(said('restore.change-not-found'));
  if (!isLogged(change.entity_type)) {
    throw new RestoreConflict(said('restore.not-restorable', { entityType: change.entity_type }));
  }
  const table = change.entity_type;
  const noun = nouns[table];
  try {
    if (change.action === 'update') {
      if (!(await recordExists(trx, table, change.entity_id))) {
        throw new RestoreConflict(said('restore.deleted-since', { entityType: table, noun }));
      }
      await updateToLogged(trx, table, change.entity_id, change.old_values ?? {});
    } else if (change.action === 'delete') {
      await undoDeletion(trx, change, table);
    } else {
      if (table === 'alliance') throw new RestoreConflict(said('restore.alliance-creation'));
      const { rows } = await sql`delete from ${sql.table(table)} where id = ${change.entity_id} returning id`.execute(
        trx,
      );
      if (rows.length === 0) throw new RestoreConflict(said('restore.gone', { entityType: table, noun }));
    }
  } catch (error) {
    throw databaseConflict(error, table, noun) ?? error;
  }
  return { entityType: table, entityId: change.entity_id, version: await versionOf(trx, table, change.entity_id) };
}

const uniqueValueTaken = (entityType: string, noun: string) =>
  new RestoreConflict(said('restore.duplicate', { entityType, noun }));

/** A constraint the restored values break now, said as a conflict; undefined for any other error. */
function databaseConflict(error: unknown, entityType: string, noun: string): RestoreConflict | undefined {
  const code = (error as { code?: string }).code;
  if (code === '23503') {
    return new RestoreConflict(said('restore.reference-gone', { entityType, noun }));
  }
  if (code === '23505') return uniqueValueTaken(entityType, noun);
  if (code === '23514' || code === '23502') {
    return new RestoreConflict(said('restore.values-refused', { entityType, noun }));
  }
  return undefined;
}

/** Children before parents: deleting a record created in a change set never waits on a cascade from its parent. */
const deleteOrder: LoggedEntityType[] = ['schedule', 'service_at_location', 'service', 'location', 'organization'];

/**
 * Why a whole change set cannot be undone: a record it wrote was changed since (by another change set), or a
 * record added since hangs on one it created. Undefined when nothing stands in the way.
 */
export async function changeSetConflict(
  trx: Transaction<Database>,
  changeSet: string,
): Promise<CodedMessage | undefined> {
  // A record of the set conflicts when it is no longer as the set left it: a later change that was itself undone
  // (another import committed and undone since) leaves it as it was, and is no reason to refuse. Versions and
  // update times move with every write, so they are left out of the comparison.
  const { rows: changed } = await sql<{ entity_type: string; name: string | null; changed_at: Date }>`
    with mine as (
      select distinct on (entity_type, entity_id) entity_type, entity_id, id, new_values
      from change_log where change_set = ${changeSet}::bigint
      order by entity_type, entity_id, id desc
    )
    select m.entity_type, coalesce(now.new_values, now.old_values, m.new_values) ->> 'name' as name, now.changed_at
    from mine m
    cross join lateral (
      select l.id, l.new_values, l.old_values, l.changed_at from change_log l
      where l.entity_type = m.entity_type and l.entity_id = m.entity_id
      order by l.id desc limit 1) now
    where now.id > m.id
      and (m.new_values - 'version' - 'updated_at') is distinct from (now.new_values - 'version' - 'updated_at')
    order by now.id limit 1`.execute(trx);
  const first = changed[0];
  if (first) {
    const noun = isLogged(first.entity_type) ? nouns[first.entity_type] : first.entity_type;
    const params = {
      entityType: first.entity_type,
      noun,
      changedAt: new Date(first.changed_at).toISOString(),
      when: new Date(first.changed_at).toISOString().slice(0, 16).replace('T', ' '),
    };
    return first.name
      ? said('restore.named-changed-since', { ...params, name: first.name })
      : said('restore.changed-since', params);
  }
  const { rows: added } = await sql<{ entity_type: string; name: string | null }>`
    select later.entity_type, later.new_values ->> 'name' as name
    from change_log later
    where later.id > (select max(id) from change_log where change_set = ${changeSet}::bigint)
      and later.action = 'create'
      and not exists (select 1 from change_log gone where gone.entity_type = later.entity_type
                      and gone.entity_id = later.entity_id and gone.id > later.id and gone.action = 'delete')
      and exists (select 1 from change_log cl where cl.change_set = ${changeSet}::bigint and cl.action = 'create'
                  and cl.entity_id::text in (later.new_values ->> 'organization_id', later.new_values ->> 'service_id',
                                             later.new_values ->> 'location_id'))
    order by later.id limit 1`.execute(trx);
  const child = added[0];
  if (!child) return undefined;
  const noun = isLogged(child.entity_type) ? nouns[child.entity_type] : child.entity_type;
  const params = { entityType: child.entity_type, noun };
  return child.name
    ? said('restore.named-added-since', { ...params, name: child.name })
    : said('restore.added-since', params);
}

/**
 * Undoes a whole change set at once, in the caller's transaction (run through changeAs, so that the undo is
 * itself one logged change set): the records it created are deleted, the ones it updated get their values from
 * before it, the ones it deleted come back. Set-based, a statement per table, so that an import of 100,000
 * records is undone as fast as it was written. Throws RestoreConflict when `changeSetConflict` finds a reason.
 */
export async function revertChangeSet(trx: Transaction<Database>, changeSet: string): Promise<void> {
  const conflict = await changeSetConflict(trx, changeSet);
  if (conflict) throw new RestoreConflict(conflict);
  for (const table of deleteOrder) {
    await sql`
      delete from ${sql.table(table)} where id in (
        select entity_id from change_log
        where change_set = ${changeSet}::bigint and entity_type = ${table} and action = 'create')`.execute(trx);
  }
  for (const table of ['organization', 'location', 'service'] as const) {
    const columns = await columnsOf(trx, table);
    const names = [...columns.keys()].filter((name) => !keptColumns.has(name));
    const spatial = names.filter((name) => isSpatial(columns.get(name)));
    await sql`
      update ${sql.table(table)} as t
      set ${sql.join(names.map((name) => sql`${sql.ref(name)} = ${columnValue(name, columns.get(name))}`))}
      from (select distinct on (entity_id) entity_id, old_values as v from change_log
            where change_set = ${changeSet}::bigint and entity_type = ${table} and action = 'update'
            order by entity_id, id) j
      cross join lateral jsonb_populate_record(null::${sql.table(table)}, j.v - ${spatial}::text[]) as r
      where t.id = j.entity_id`.execute(trx);
  }
  for (const table of ['organization', 'location', 'service', 'service_at_location', 'schedule'] as const) {
    const columns = await columnsOf(trx, table);
    const names = [...columns.keys()].filter(
      (name) => name !== 'updated_at' && (table !== 'service_at_location' || linkColumns.has(name)),
    );
    const spatial = names.filter((name) => isSpatial(columns.get(name)));
    await sql`
      insert into ${sql.table(table)} (${sql.join(names.map((name) => sql.ref(name)))})
      select ${sql.join(names.map((name) => columnValue(name, columns.get(name))))}
      from (select old_values as v from change_log
            where change_set = ${changeSet}::bigint and entity_type = ${table} and action = 'delete'
            order by id) j
      cross join lateral jsonb_populate_record(null::${sql.table(table)}, j.v - ${spatial}::text[]) as r
      on conflict do nothing`.execute(trx);
  }
}
