import { type Kysely, sql } from 'kysely';
import type { CategoryId, Database, ImportJobStatus } from '../../db/schema.js';
import type { ColumnMapping, ImportFormat, TermTarget } from './importRecord.js';

/** What a person chose in the preview; kept with the import, remembered for the source once committed. */
export interface ImportChoices {
  format?: ImportFormat;
  columnMapping?: Record<string, string | null>;
  vocabularyMapping?: Record<string, TermTarget>;
  defaultCategory?: CategoryId | null;
  cellEdits?: { row: number; header: string; value: string }[];
  archiveGone?: string[] | 'all' | 'none';
}

export interface ImportCounts {
  organizations: number;
  services: number;
  locations: number;
  new: number;
  updated: number;
  unchanged: number;
  gone: number;
  errors: number;
  warnings: number;
  duplicates: number;
  needsPlace: number;
  conflicts: number;
}

export interface ImportReport {
  created: number;
  updated: number;
  archived: number;
  skipped: number;
  errors: number;
  changeSet: string;
}

export interface VocabularyEntry {
  vocabulary: string;
  value: string;
  count: number;
  target: TermTarget | null;
}

export interface ImportProgress {
  done: number;
  total: number;
  stage: 'reading' | 'matching' | 'geocoding' | 'writing';
}

/** An import as the API shows it. */
export interface ImportJob {
  id: string;
  allianceId: string;
  status: ImportJobStatus;
  format: ImportFormat | null;
  fileNames: string[];
  source: { id: string | null; name: string; previousImportAt: string | null };
  createdAt: string;
  expiresAt: string;
  progress: ImportProgress | null;
  columns: ColumnMapping[] | null;
  availableFields: { id: string; label: string }[] | null;
  defaultCategory: CategoryId | null;
  vocabulary: VocabularyEntry[];
  counts: ImportCounts | null;
  geocoding: { configured: boolean; done: number; total: number } | null;
  report: ImportReport | null;
  error: string | null;
  /** Internal: the choices made so far, and the change set of the commit. */
  choices: ImportChoices;
  changeSet: string | null;
  accountId: string | null;
}

/** How long a preview is kept: its staged rows and files are removed afterwards, and a commit is 410. */
export const previewLifetimeHours = 24;

export async function createImportJob(
  db: Kysely<Database>,
  fields: {
    /** Chosen beforehand, so that the files are in their place before the readers open them. */
    id: string;
    allianceId: string;
    sourceName: string;
    accountId: string | null;
    fileNames: string[];
    choices: ImportChoices;
  },
): Promise<string> {
  const source = await db
    .selectFrom('import_source')
    .select('id')
    .where('alliance_id', '=', fields.allianceId)
    .where('name', '=', fields.sourceName)
    .executeTakeFirst();
  const row = await db
    .insertInto('import_job')
    .values({
      id: fields.id,
      alliance_id: fields.allianceId,
      import_source_id: source?.id ?? null,
      source_name: fields.sourceName,
      account_id: fields.accountId,
      format: fields.choices.format ?? null,
      file_names: fields.fileNames,
      options: JSON.stringify(fields.choices),
      expires_at: sql<Date>`now() + make_interval(hours => ${previewLifetimeHours})`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const iso = (value: Date | string | null): string | null =>
  value === null ? null : value instanceof Date ? value.toISOString() : new Date(value).toISOString();

/** Imports with when their source was last imported before them. */
function jobsQuery(db: Kysely<Database>) {
  return db
    .selectFrom('import_job as j')
    .selectAll('j')
    .select(
      sql<Date | null>`(select max(p.committed_at) from import_job p
        where p.alliance_id = j.alliance_id and p.source_name = j.source_name and p.status = 'committed'
          and p.committed_at < coalesce(j.committed_at, 'infinity'))`.as('previous_import_at'),
    )
    .select(sql<string | null>`j.change_set::text`.as('change_set_text'));
}

type JobRow = Awaited<ReturnType<ReturnType<typeof jobsQuery>['execute']>>[number];

function jobOf(row: JobRow): ImportJob {
  const choices = (row.options ?? {}) as ImportChoices;
  return {
    id: row.id,
    allianceId: row.alliance_id,
    status: row.status,
    format: (row.format as ImportFormat | null) ?? null,
    fileNames: row.file_names,
    source: { id: row.import_source_id, name: row.source_name, previousImportAt: iso(row.previous_import_at) },
    createdAt: iso(row.created_at)!,
    expiresAt: iso(row.expires_at)!,
    progress: (row.progress as ImportProgress | null) ?? null,
    columns: (row.columns as ColumnMapping[] | null) ?? null,
    availableFields: (row.available_fields as { id: string; label: string }[] | null) ?? null,
    defaultCategory: choices.defaultCategory ?? null,
    vocabulary: (row.vocabulary as VocabularyEntry[]) ?? [],
    counts: (row.counts as ImportCounts | null) ?? null,
    geocoding: (row.geocoding as ImportJob['geocoding']) ?? null,
    report: (row.report as ImportReport | null) ?? null,
    error: row.error,
    choices,
    changeSet: row.change_set_text,
    accountId: row.account_id,
  };
}

/** The import `id` of the alliance; undefined when there is none (or it is another alliance's). */
export async function findImportJob(
  db: Kysely<Database>,
  allianceId: string,
  id: string,
): Promise<ImportJob | undefined> {
  const rows = await jobsQuery(db).where('j.id', '=', id).where('j.alliance_id', '=', allianceId).execute();
  return rows[0] ? jobOf(rows[0]) : undefined;
}

export async function listImportJobs(db: Kysely<Database>, allianceId: string): Promise<ImportJob[]> {
  const rows = await jobsQuery(db)
    .where('j.alliance_id', '=', allianceId)
    .orderBy('j.created_at', 'desc')
    .limit(200)
    .execute();
  return rows.map(jobOf);
}

/** Sets fields of an import; `from` guards a change of status against a concurrent one (false: not changed). */
export async function updateImportJob(
  db: Kysely<Database>,
  id: string,
  fields: {
    status?: ImportJobStatus;
    format?: string | null;
    progress?: ImportProgress | null;
    choices?: ImportChoices;
    columns?: ColumnMapping[] | null;
    availableFields?: { id: string; label: string }[] | null;
    vocabulary?: VocabularyEntry[];
    counts?: ImportCounts | null;
    geocoding?: ImportJob['geocoding'];
    report?: ImportReport | null;
    error?: string | null;
  },
  from?: ImportJobStatus[],
): Promise<boolean> {
  const json = (value: unknown) => (value === null ? null : JSON.stringify(value));
  let query = db
    .updateTable('import_job')
    .set({
      ...(fields.status !== undefined ? { status: fields.status } : {}),
      ...(fields.format !== undefined ? { format: fields.format } : {}),
      ...(fields.progress !== undefined ? { progress: json(fields.progress) } : {}),
      ...(fields.choices !== undefined ? { options: JSON.stringify(fields.choices) } : {}),
      ...(fields.columns !== undefined ? { columns: json(fields.columns) } : {}),
      ...(fields.availableFields !== undefined ? { available_fields: json(fields.availableFields) } : {}),
      ...(fields.vocabulary !== undefined ? { vocabulary: JSON.stringify(fields.vocabulary) } : {}),
      ...(fields.counts !== undefined ? { counts: json(fields.counts) } : {}),
      ...(fields.geocoding !== undefined ? { geocoding: json(fields.geocoding) } : {}),
      ...(fields.report !== undefined ? { report: json(fields.report) } : {}),
      ...(fields.error !== undefined ? { error: fields.error } : {}),
    })
    .where('id', '=', id);
  if (from) query = query.where('status', 'in', from);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The import of the alliance that is being written now, if any. */
export async function committingImport(db: Kysely<Database>, allianceId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('import_job')
    .select('id')
    .where('alliance_id', '=', allianceId)
    .where('status', '=', 'committing')
    .executeTakeFirst();
  return row?.id;
}

/**
 * Marks `committing` an import in preview that has not expired. The unique index on the alliance's committing
 * imports refuses a second one: 'busy' then, with the id of the one being written.
 */
export async function claimCommit(
  db: Kysely<Database>,
  id: string,
): Promise<{ claimed: true } | { claimed: false; busyWith?: string }> {
  try {
    const result = await db
      .updateTable('import_job')
      .set({ status: 'committing', error: null })
      .where('id', '=', id)
      .where('status', '=', 'preview')
      .where('expires_at', '>', sql<Date>`now()`)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0 ? { claimed: true } : { claimed: false };
  } catch (error) {
    if ((error as { code?: string }).code !== '23505') throw error;
    const job = await db.selectFrom('import_job').select('alliance_id').where('id', '=', id).executeTakeFirst();
    return { claimed: false, busyWith: job ? await committingImport(db, job.alliance_id) : undefined };
  }
}

/** Previews past their time, and their staged rows; returns their ids so that their files can be removed. */
export async function expireImports(db: Kysely<Database>): Promise<string[]> {
  const rows = await db
    .updateTable('import_job')
    .set({ status: 'expired', progress: null })
    .where('status', 'in', ['preview', 'reading'])
    .where('expires_at', '<=', sql<Date>`now()`)
    .returning('id')
    .execute();
  const ids = rows.map((row) => row.id);
  if (ids.length > 0) await db.deleteFrom('import_row').where('job_id', 'in', ids).execute();
  return ids;
}

/**
 * At start: imports cut off by a stop. A read that was under way failed (the files are still there: start
 * again); a commit was rolled back with its transaction, so the import is a preview again.
 */
export async function recoverInterruptedImports(db: Kysely<Database>): Promise<void> {
  await db
    .updateTable('import_job')
    .set({
      status: 'failed',
      progress: null,
      error: 'The server stopped while reading the files. Start the import again.',
    })
    .where('status', '=', 'reading')
    .execute();
  await db
    .updateTable('import_job')
    .set({
      status: 'preview',
      progress: null,
      error: 'The server stopped while writing this import; nothing was written. Confirm it again.',
    })
    .where('status', '=', 'committing')
    .execute();
}
