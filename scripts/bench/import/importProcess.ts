import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { defaultDatabaseTimeouts, openDatabase, scriptDatabaseTimeouts } from '../../../server/src/db/database.js';
import { slicingFor } from '../../../server/src/domain/gap-analysis/batchSizer.js';
import { ImportFileStore } from '../../../server/src/domain/imports/importFiles.js';
import { claimCommit, createImportJob, findImportJob } from '../../../server/src/domain/imports/importJobs.js';
import { commitImport, importProgress, readImport } from '../../../server/src/domain/imports/importPipeline.js';
import { openImportReader } from '../../../server/src/domain/imports/readerAdapter.js';

/**
 * The application's side of the import benchmark, alone in its process so that its peak memory is the server's
 * own: the steps the import routes take (files kept in the import folder, the job, `readImport`, `claimCommit`,
 * `commitImport`), over the database the server would use, with the server's statement limits. Started by
 * `../import.ts`; prints one JSON line of timings (whole steps and the pipeline's progress stages, polled every
 * 50 ms) and the process's peak resident memory.
 *
 * Environment: BENCH_DATABASE_URL or BENCH_EMBEDDED_DIR, BENCH_ALLIANCE_ID, BENCH_IMPORT_DIR; arguments: the files.
 */
const databaseUrl = process.env.BENCH_DATABASE_URL || undefined;
const embeddedDir = process.env.BENCH_EMBEDDED_DIR ?? '';
const allianceId = process.env.BENCH_ALLIANCE_ID!;
const store = new ImportFileStore(process.env.BENCH_IMPORT_DIR!);
const files = process.argv.slice(2);

// BENCH_NO_STATEMENT_LIMIT=1 lifts the server's 30 s statement limit (a loaded machine may take longer per statement).
const databaseTimeouts = process.env.BENCH_NO_STATEMENT_LIMIT ? scriptDatabaseTimeouts : defaultDatabaseTimeouts;
const database = openDatabase({ databaseUrl, embeddedDataDir: embeddedDir, databaseTimeouts });
const deps = {
  db: database.db,
  slicing: slicingFor(database.mode),
  openReader: openImportReader,
  files: store,
  dataDir: path.resolve('data'),
};

/** The largest share of memory seen per stage, in MB: JavaScript heap, buffers outside it, resident in all. */
type MemoryPeaks = Record<string, { heapUsed: number; heapTotal: number; external: number; rss: number }>;

/**
 * Milliseconds spent in each progress stage of the pipeline ("reading", "matching", "geocoding", "writing"), and
 * where the memory was at its largest in each, sampled every 50 ms.
 */
function watchStages(jobId: string, memory: MemoryPeaks) {
  const spent: Record<string, number> = {};
  let last = performance.now();
  let stage = 'starting';
  const timer = setInterval(() => {
    const now = performance.now();
    spent[stage] = (spent[stage] ?? 0) + now - last;
    last = now;
    stage = importProgress(jobId)?.stage ?? 'between stages';
    const usage = process.memoryUsage();
    const peak = (memory[stage] ??= { heapUsed: 0, heapTotal: 0, external: 0, rss: 0 });
    peak.heapUsed = Math.max(peak.heapUsed, usage.heapUsed / 2 ** 20);
    peak.heapTotal = Math.max(peak.heapTotal, usage.heapTotal / 2 ** 20);
    peak.external = Math.max(peak.external, usage.external / 2 ** 20);
    peak.rss = Math.max(peak.rss, usage.rss / 2 ** 20);
  }, 50);
  return () => {
    clearInterval(timer);
    spent[stage] = (spent[stage] ?? 0) + performance.now() - last;
    return spent;
  };
}

/** Peak resident memory of this process in MB (VmHWM), read where Linux gives it. */
async function peakRssMb(): Promise<number> {
  try {
    const status = await fs.readFile('/proc/self/status', 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    if (kb) return kb / 1024;
  } catch {
    // Not Linux: Node's own account of it.
  }
  return process.resourceUsage().maxRSS / 1024;
}

async function main() {
  const rssAtStart = await peakRssMb();
  const id = randomUUID();
  const started = performance.now();
  // The upload: the files streamed into the import's folder (here copied from disk).
  const folder = await store.newUploadFolder();
  const kept = [];
  for (const [index, file] of files.entries()) {
    await fs.copyFile(file, path.join(folder, `${index}`));
    kept.push({ path: path.join(folder, `${index}`), name: path.basename(file) });
  }
  await store.adopt(folder, id, kept);
  await createImportJob(deps.db, {
    id,
    allianceId,
    sourceName: 'data·inclusion',
    accountId: null,
    fileNames: kept.map((file) => file.name),
    choices: { archiveGone: 'none' },
  });
  const uploadMs = performance.now() - started;

  const memory: MemoryPeaks = {};
  const stopPreview = watchStages(id, memory);
  const previewStart = performance.now();
  await readImport(deps, id, allianceId, (error) => console.error(error));
  const previewMs = performance.now() - previewStart;
  const previewStages = stopPreview();
  const preview = (await findImportJob(deps.db, allianceId, id))!;
  if (preview.status !== 'preview') throw new Error(`The preview failed: ${preview.error}`);
  const rssAfterPreview = await peakRssMb();

  const claim = await claimCommit(deps.db, id);
  if (!claim.claimed) throw new Error('The import could not be claimed for commit.');
  const stopCommit = watchStages(id, memory);
  const commitStart = performance.now();
  await commitImport(deps, preview, { accountId: null, allianceId }, (error) => console.error(error));
  const commitMs = performance.now() - commitStart;
  const commitStages = stopCommit();
  const done = (await findImportJob(deps.db, allianceId, id))!;
  if (done.status !== 'committed') throw new Error(`The commit failed: ${done.error}`);

  const result = {
    uploadMs,
    previewMs,
    commitMs,
    previewStages,
    commitStages,
    counts: preview.counts,
    report: done.report,
    memoryByStage: memory,
    rssAtStartMb: rssAtStart,
    peakRssAfterPreviewMb: rssAfterPreview,
    peakRssMb: await peakRssMb(),
  };
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

try {
  await main();
} finally {
  await database.close();
}
