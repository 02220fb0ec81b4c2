import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { BatchSizer, type Slicing } from '../gap-analysis/batchSizer.js';
import { allianceBoundingBox } from '../geocoding/geocodingArea.js';
import { changeAs, type ChangeAuthor } from '../history/actingAs.js';
import { RestoreConflict, revertChangeSet } from '../history/restoreChange.js';
import { commitReport, commitSteps, rememberSource } from './commitImport.js';
import { countRows, evaluateRows } from './evaluateRows.js';
import type { ImportFileStore } from './importFiles.js';
import {
  findImportJob,
  type ImportJob,
  type ImportProgress,
  type ImportReport,
  updateImportJob,
  type VocabularyEntry,
} from './importJobs.js';
import { ImportFileError, type ImportItem, type ImportReader } from './importRecord.js';
import {
  attachReaderProblems,
  checkCoordinates,
  checkReferences,
  findBySourceId,
  findDuplicates,
  findGone,
  markDuplicateIds,
  type MatchContext,
} from './matchRecords.js';
import { type FindPlaces, geocodeLocations, placeAtTowns } from './placeLocations.js';
import { type StagedRow, stagedRow } from './stagedRecords.js';
import type { OpenImportReader } from './readerAdapter.js';
import { termTarget } from './vocabulary/termTargets.js';
import { type CodedMessage, codedFrom, said } from '../messages/userError.js';

/** What the pipeline works with; the routes and the command give it. */
export interface ImportDependencies {
  db: Kysely<Database>;
  slicing: Slicing;
  openReader: OpenImportReader;
  files: ImportFileStore;
  /** The geocoder, when GEOCODER_URL is set. */
  findPlaces?: FindPlaces;
}

/**
 * Progress of the imports this process is reading or writing. Kept in memory: during a commit the database
 * holds the import's row in an open transaction (and in embedded mode its only connection).
 */
const progressByImport = new Map<string, ImportProgress>();

export function importProgress(id: string): ImportProgress | null {
  return progressByImport.get(id) ?? null;
}

/**
 * Rows per insert: small, to keep the server's memory flat. Each statement carries its rows as one JSON text, made
 * and dropped at once; with 2,000 rows a statement (about 6 MB of text) the garbage piled up faster than V8 chose
 * to collect it, and a 100,000-service import held 524 MB resident; with 40 rows, 381 MB, for about 40% more time
 * staging (scripts/bench/import.ts).
 */
const stagingBatch = { first: 40, max: 40 };

const sanitized = (rows: StagedRow[]) =>
  // PostgreSQL stores no NUL character in text or jsonb; a file that holds one loses it.
  JSON.stringify(rows).replaceAll('\\u0000', '');

async function insertStagedRows(connection: Kysely<Database>, jobId: string, rows: StagedRow[]) {
  await sql`
    insert into import_row (job_id, key, file, row, kind, source_id, name, record, incoming, problems, lat, lon)
    select ${jobId}::uuid, x.key, x.file, x.row, x.kind, x.source_id, x.name, x.record, x.incoming,
           coalesce(x.problems, '[]'), x.lat, x.lon
    from jsonb_to_recordset(${sanitized(rows)}::jsonb) as x(key int, file text, row int, kind text, source_id text,
      name text, record jsonb, incoming jsonb, problems jsonb, lat float8, lon float8)`.execute(connection);
}

/** Counts the source's terms as they go by, for the preview's vocabulary table (a few hundred distinct values). */
class VocabularyTally {
  readonly #counts = new Map<string, { vocabulary: string; value: string; count: number }>();

  add(item: ImportItem) {
    if (item.kind !== 'service') return;
    for (const term of item.record.sourceTerms) {
      const key = `${term.vocabulary}:${term.value}`;
      const entry = this.#counts.get(key) ?? { ...term, count: 0 };
      entry.count += 1;
      this.#counts.set(key, entry);
    }
  }

  entries(mapping: ImportJob['choices']['vocabularyMapping']): VocabularyEntry[] {
    return [...this.#counts.entries()]
      .map(([, entry]) => ({ ...entry, target: termTarget(entry, mapping ?? {}) }))
      .sort(
        (a, b) =>
          Number(a.target !== null) - Number(b.target !== null) || b.count - a.count || a.value.localeCompare(b.value),
      );
  }
}

/**
 * Reads every item of the reader into staged rows, a batch per statement (in embedded mode each batch about
 * 50 ms, the connection given back between two so that other requests go first).
 */
export async function stageItems(
  deps: Pick<ImportDependencies, 'db' | 'slicing'>,
  job: Pick<ImportJob, 'id' | 'choices'>,
  reader: ImportReader,
): Promise<VocabularyEntry[]> {
  const sizer = new BatchSizer(deps.slicing, stagingBatch);
  const vocabulary = new VocabularyTally();
  const defaultCategory = job.choices.defaultCategory ?? null;
  let batch: StagedRow[] = [];
  let key = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    await sizer.run(deps.db, rows.length, (connection) => insertStagedRows(connection, job.id, rows));
    progressByImport.set(job.id, { stage: 'reading', done: key, total: 0 });
  };
  for await (const item of reader.items()) {
    key += 1;
    vocabulary.add(item);
    batch.push(stagedRow(item, key, defaultCategory));
    if (batch.length >= sizer.size) await flush();
  }
  await flush();
  return vocabulary.entries(job.choices.vocabularyMapping);
}

async function matchContextOf(db: Kysely<Database>, job: ImportJob): Promise<MatchContext> {
  const source = await db
    .selectFrom('import_source')
    .select('id')
    .where('alliance_id', '=', job.allianceId)
    .where('name', '=', job.source.name)
    .executeTakeFirst();
  return { jobId: job.id, allianceId: job.allianceId, sourceId: source?.id ?? null };
}

/**
 * Compares the staged rows with the alliance's records: problems joined to their records, ids seen twice,
 * coordinates, records of the source found again, references, places for the locations without one,
 * duplicates, records gone from the source, then outcomes and counts.
 */
export async function matchStagedRows(deps: ImportDependencies, job: ImportJob): Promise<void> {
  const { db } = deps;
  const context = await matchContextOf(db, job);
  // Fresh statistics: without them the planner takes the thousands of rows just staged for a handful.
  await sql`analyze import_row`.execute(db);
  const steps = [
    attachReaderProblems.bind(null, db, job.id),
    markDuplicateIds.bind(null, db, job.id),
    checkCoordinates.bind(null, db, context),
    findBySourceId.bind(null, db, context),
    checkReferences.bind(null, db, context),
  ];
  for (const [index, step] of steps.entries()) {
    progressByImport.set(job.id, { stage: 'matching', done: index, total: steps.length + 3 });
    await step();
  }
  let geocoding: ImportJob['geocoding'] = { configured: false, done: 0, total: 0 };
  if (deps.findPlaces) {
    const bbox = await allianceBoundingBox(db, job.allianceId);
    const counted = await geocodeLocations(db, context, deps.findPlaces, bbox, (done, total) =>
      progressByImport.set(job.id, { stage: 'geocoding', done, total }),
    );
    geocoding = { configured: true, ...counted };
  }
  progressByImport.set(job.id, { stage: 'matching', done: steps.length, total: steps.length + 3 });
  await placeAtTowns(db, context);
  await findDuplicates(db, context);
  progressByImport.set(job.id, { stage: 'matching', done: steps.length + 1, total: steps.length + 3 });
  await findGone(db, context);
  await evaluateRows(db, context);
  await updateImportJob(db, job.id, { geocoding, counts: await countRows(db, job.id) });
}

/** A failure while reading, in words for the person; anything unexpected is logged and said plainly. */
function readingFailure(error: unknown, log: (error: unknown) => void): string {
  if (error instanceof ImportFileError) return error.message;
  log(error);
  return 'The files could not be read to the end. Check that they are complete, or try again.';
}

/**
 * Reads the import's files (opening them anew when `reader` is not given), stages and compares their records,
 * and leaves the import in preview, or failed with a sentence. Never throws.
 */
export async function readImport(
  deps: ImportDependencies,
  jobId: string,
  allianceId: string,
  log: (error: unknown) => void,
  reader?: ImportReader,
): Promise<void> {
  try {
    const job = await findImportJob(deps.db, allianceId, jobId);
    if (!job) return;
    progressByImport.set(jobId, { stage: 'reading', done: 0, total: 0 });
    const opened =
      reader ??
      (await deps.openReader(await deps.files.filesOf(jobId), {
        format: job.choices.format,
        columnMapping: job.choices.columnMapping,
        vocabularyMapping: job.choices.vocabularyMapping,
        cellEdits: job.choices.cellEdits,
      }));
    await deps.db.deleteFrom('import_row').where('job_id', '=', jobId).execute();
    const vocabulary = await stageItems(deps, job, opened);
    await updateImportJob(deps.db, jobId, {
      format: opened.format,
      columns: opened.columns ?? null,
      availableFields: opened.availableFields ?? null,
      vocabulary,
    });
    await matchStagedRows(deps, job);
    await updateImportJob(deps.db, jobId, { status: 'preview', progress: null, error: null }, ['reading']);
  } catch (error) {
    await deps.db.deleteFrom('import_row').where('job_id', '=', jobId).execute();
    await updateImportJob(deps.db, jobId, { status: 'failed', progress: null, error: readingFailure(error, log) }, [
      'reading',
    ]);
  } finally {
    progressByImport.delete(jobId);
  }
}

/** Re-evaluates outcomes and counts after a decision (merge/skip/create, overwrite): no file is read again. */
export async function reevaluate(db: Kysely<Database>, job: ImportJob): Promise<void> {
  const context = await matchContextOf(db, job);
  await evaluateRows(db, context);
  await updateImportJob(db, job.id, { counts: await countRows(db, job.id) });
}

/**
 * A commit or undo writes a whole import in a few set-based statements: at 100,000 services one of them can take
 * longer than the statement limit requests have (DATABASE_STATEMENT_TIMEOUT_MS, 30 s by default), which would
 * refuse the import after minutes of work. These transactions get a limit of their own, still bounded.
 */
async function allowLongImportStatements(trx: Transaction<Database>): Promise<void> {
  await sql`set local statement_timeout = '15min'`.execute(trx);
}

/**
 * Writes an import claimed for commit (status `committing`): one transaction through changeAs, so that the whole
 * import is one change set of the history. On success the staged rows and files are removed; on failure nothing
 * is written and the import is a preview again, with the reason. Never throws.
 */
export async function commitImport(
  deps: ImportDependencies,
  job: ImportJob,
  author: ChangeAuthor,
  log: (error: unknown) => void,
): Promise<void> {
  const total = commitSteps.length + 2;
  progressByImport.set(job.id, { stage: 'writing', done: 0, total });
  try {
    await changeAs(deps.db, author, async (trx) => {
      await allowLongImportStatements(trx);
      const importSourceId = await rememberSource(
        trx,
        job.allianceId,
        job.source.name,
        job.format ?? 'unknown',
        job.choices,
      );
      const context = {
        jobId: job.id,
        allianceId: job.allianceId,
        sourceId: importSourceId,
        importSourceId,
        choices: job.choices,
      };
      for (const [index, step] of commitSteps.entries()) {
        await step(trx, context);
        progressByImport.set(job.id, { stage: 'writing', done: index + 1, total });
      }
      const report: ImportReport = await commitReport(trx, context);
      await trx
        .updateTable('import_job')
        .set({
          status: 'committed',
          report: JSON.stringify(report),
          change_set: Number(report.changeSet),
          committed_at: sql<Date>`now()`,
          import_source_id: importSourceId,
          progress: null,
          error: null,
        })
        .where('id', '=', job.id)
        .execute();
    });
    await deps.db.deleteFrom('import_row').where('job_id', '=', job.id).execute();
    await deps.files.remove(job.id);
  } catch (error) {
    log(error);
    await updateImportJob(
      deps.db,
      job.id,
      {
        status: 'preview',
        progress: null,
        error: `Nothing was written: ${commitFailure(error)}`,
      },
      ['committing'],
    );
  } finally {
    progressByImport.delete(job.id);
  }
}

/** A database refusal during the commit, said without its internals. */
function commitFailure(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === '23505') return 'a record would have the same unique value as another one.';
  if (code === '23514' || code === '23502') return 'a record has a value the database does not accept.';
  if (code === '23503') return 'a record refers to one that no longer exists (it was deleted meanwhile).';
  return 'the import could not be written. Try again; if it fails again, the server’s log says why.';
}

/**
 * Undoes a committed import's change set in one transaction, itself one change set of the history. Returns the
 * reason when it cannot be undone (a record changed since, or already undone).
 */
export async function undoImport(
  db: Kysely<Database>,
  job: ImportJob,
  author: ChangeAuthor,
): Promise<{ undone: true } | { undone: false; reason: CodedMessage }> {
  if (job.status !== 'committed' || job.changeSet === null) {
    return { undone: false, reason: said('import.not-undoable', { status: job.status }) };
  }
  try {
    await changeAs(db, author, async (trx) => {
      await allowLongImportStatements(trx);
      const claimed = await trx
        .updateTable('import_job')
        .set({ status: 'undone' })
        .where('id', '=', job.id)
        .where('status', '=', 'committed')
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) === 0) throw new RestoreConflict(said('import.undone-already'));
      await revertChangeSet(trx, job.changeSet!);
    });
    return { undone: true };
  } catch (error) {
    if (error instanceof RestoreConflict) return { undone: false, reason: codedFrom(error) };
    throw error;
  }
}
