import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { projectRoot } from '../../server/src/config.js';
import { copyLoad, writeCopyFiles } from './import/copyBaseline.js';
import { type DataInclusionExtract, generateDataInclusion } from './import/generateDataInclusion.js';
import { type BenchDatabase, dropDatabase, prepareGirondeDatabase, recreateDatabase } from './lib/benchDatabase.js';
import { describeMachine, writeReportSection } from './lib/benchmarkReport.js';
import { runBenchProcess } from './lib/benchProcess.js';
import { parseNonNegative } from './lib/cliNumbers.js';
import { type CpuSplit, measureCpuSplit, waitForQuietMachine } from './lib/machineLoad.js';
import { elapsedMs } from './lib/stats.js';

/**
 * Import of a synthetic data·inclusion extract (issue 10, "Performance"): preview + commit through the import
 * pipeline in a process of its own (its peak memory is the server's), against `COPY` of the same rows into the same
 * tables in the same run. See scripts/bench/README.md.
 */
const appDatabase = 'passerelle_bench_import';
const copyDatabase = 'passerelle_bench_import_copy';
const allianceId = '0b5e1c7e-1a2b-4c3d-8e9f-000000000033';
const benchDir = path.join(projectRoot, '.tmp/bench-import');
const start = performance.now();

function log(line: string): void {
  process.stdout.write(`[import ${(elapsedMs(start) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
}

const { values } = parseArgs({
  options: {
    services: { type: 'string', default: '100000' },
    'embedded-services': { type: 'string', default: '10000' },
    seed: { type: 'string', default: '1' },
    'quiet-wait': { type: 'string', default: '20' },
    'no-report': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const serverSize = parseNonNegative('services', values.services);
const embeddedSize = parseNonNegative('embedded-services', values['embedded-services']);
const seed = parseNonNegative('seed', values.seed);
const quietWaitS = parseNonNegative('quiet-wait', values['quiet-wait']);
const databaseUrl = process.env.DATABASE_URL;

/** The extract of `services` services, written once per size and seed and reused afterwards. */
async function extractOf(services: number): Promise<DataInclusionExtract> {
  const folder = path.join(benchDir, `data-inclusion-${services}-seed${seed}`);
  const done = path.join(folder, 'extract.json');
  if (fs.existsSync(done)) return JSON.parse(fs.readFileSync(done, 'utf8')) as DataInclusionExtract;
  log(`writing a data·inclusion extract of ${services} services to ${folder}`);
  const extract = await generateDataInclusion({ outDir: folder, services, seed });
  fs.writeFileSync(done, JSON.stringify(extract));
  return extract;
}

interface AppResult {
  uploadMs: number;
  previewMs: number;
  commitMs: number;
  previewStages: Record<string, number>;
  commitStages: Record<string, number>;
  counts: Record<string, number>;
  report: Record<string, unknown>;
  memoryByStage?: Record<string, { heapUsed: number; heapTotal: number; external: number; rss: number }>;
  rssAtStartMb: number;
  peakRssAfterPreviewMb: number;
  peakRssMb: number;
}

const importEntry = path.join(path.dirname(fileURLToPath(import.meta.url)), 'import/importProcess.ts');

/** Runs the application's import in a child process and returns what it measured. */
function runApplication(database: BenchDatabase, extract: DataInclusionExtract): Promise<AppResult> {
  const env = { BENCH_IMPORT_DIR: path.join(benchDir, 'import-files') };
  return runBenchProcess<AppResult>(
    importEntry,
    [extract.structuresFile, extract.servicesFile],
    { database, allianceId, env },
    'import',
  );
}

interface ModeResult {
  mode: 'server' | 'embedded';
  extract: DataInclusionExtract;
  app: AppResult;
  cpu: CpuSplit | undefined;
  copy?: { historyMs: number; plainMs: number; rows: Record<string, number> };
}

async function serverMode(url: string, size: number): Promise<ModeResult> {
  const extract = await extractOf(size);
  const appUrl = await recreateDatabase(url, appDatabase);
  await prepareGirondeDatabase({ databaseUrl: appUrl }, allianceId);
  await waitForQuietMachine(log, { maxCores: 0.3, maxWaitS: quietWaitS });
  log(`server mode: importing ${extract.services} services, ${extract.structures} structures`);
  const { result: app, cpu } = await measureCpuSplit(appDatabase, () =>
    runApplication({ databaseUrl: appUrl }, extract),
  );
  logApp(app);

  // The baseline: the same rows, as CSV written once from the application's database, loaded by COPY.
  const files = await writeCopyFiles(appUrl, path.join(benchDir, 'copy'));
  const rows = Object.fromEntries(files.map((file) => [file.table, file.rows]));
  log(`COPY baseline over ${JSON.stringify(rows)}`);
  const copyUrl = await recreateDatabase(url, copyDatabase);
  await prepareGirondeDatabase({ databaseUrl: copyUrl }, allianceId);
  await waitForQuietMachine(log, { maxCores: 0.3, maxWaitS: quietWaitS });
  const historyMs = copyLoad(copyUrl, files, true);
  log(`COPY with the history triggers: ${(historyMs / 1000).toFixed(1)} s`);
  await recreateDatabase(url, copyDatabase);
  await prepareGirondeDatabase({ databaseUrl: copyUrl }, allianceId);
  const plainMs = copyLoad(copyUrl, files, false);
  log(`COPY without history: ${(plainMs / 1000).toFixed(1)} s`);
  if (!values.keep) {
    await dropDatabase(url, appDatabase);
    await dropDatabase(url, copyDatabase);
  }
  return { mode: 'server', extract, app, cpu, copy: { historyMs, plainMs, rows } };
}

async function embeddedMode(size: number): Promise<ModeResult> {
  const extract = await extractOf(size);
  const embeddedDir = path.join(benchDir, 'pglite');
  fs.rmSync(embeddedDir, { recursive: true, force: true });
  await prepareGirondeDatabase({ embeddedDir }, allianceId);
  await waitForQuietMachine(log, { maxCores: 0.3, maxWaitS: quietWaitS });
  log(`embedded mode: importing ${extract.services} services, ${extract.structures} structures`);
  const { result: app, cpu } = await measureCpuSplit(appDatabase, () => runApplication({ embeddedDir }, extract));
  logApp(app);
  if (!values.keep) fs.rmSync(embeddedDir, { recursive: true, force: true });
  return { mode: 'embedded', extract, app, cpu };
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const perSecond = (count: number, ms: number) => Math.round(count / (ms / 1000)).toLocaleString('en');

function logApp(app: AppResult): void {
  log(
    `  upload ${seconds(app.uploadMs)} s, preview ${seconds(app.previewMs)} s ${JSON.stringify(stagesOf(app.previewStages))}, ` +
      `commit ${seconds(app.commitMs)} s; peak RSS ${app.peakRssMb.toFixed(0)} MB (after preview ${app.peakRssAfterPreviewMb.toFixed(0)} MB)`,
  );
  for (const [stage, peak] of Object.entries(app.memoryByStage ?? {})) {
    log(
      `    ${stage}: heap used ${peak.heapUsed.toFixed(0)} MB, reserved ${peak.heapTotal.toFixed(0)} MB, buffers ${peak.external.toFixed(0)} MB, resident ${peak.rss.toFixed(0)} MB`,
    );
  }
}

function stagesOf(stages: Record<string, number>): Record<string, string> {
  return Object.fromEntries(Object.entries(stages).map(([stage, ms]) => [stage, `${seconds(ms)} s`]));
}

function appMs(app: AppResult): number {
  return app.uploadMs + app.previewMs + app.commitMs;
}

function reportOf(results: ModeResult[]): string {
  const machine = describeMachine();
  const [loadAverage] = os.loadavg();
  const lines = [
    `## Import of a data·inclusion extract (\`scripts/bench/import.ts\`)`,
    '',
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine.cpus} × ${machine.cpuModel}, ` +
      `${machine.memoryGiB} GiB, Node ${machine.node}; synthetic extract of Gironde (seed ${seed}, ` +
      '`scripts/bench/import/generateDataInclusion.ts`), one alliance with the boundary of Gironde, no geocoder. ' +
      'The application runs in a process of its own (upload = the files copied into the import folder, the job, ' +
      '`readImport`, `claimCommit`, `commitImport`: what the routes do), ' +
      (process.env.BENCH_NO_STATEMENT_LIMIT
        ? 'without the server’s 30 s statement limit (BENCH_NO_STATEMENT_LIMIT). '
        : 'with the server’s statement limits. ') +
      `Load average at the end: ${loadAverage!.toFixed(1)} on ${machine.cpus} cores.`,
    '',
  ];
  for (const result of results) {
    const { app, extract, cpu } = result;
    const total = appMs(app);
    const rate = extract.services / (total / 1000);
    const size = `${(fs.statSync(extract.servicesFile).size / 2 ** 20).toFixed(0)} + ${(fs.statSync(extract.structuresFile).size / 2 ** 20).toFixed(0)} MiB`;
    lines.push(
      `### ${result.mode === 'server' ? 'Server mode (PostgreSQL)' : 'Embedded mode (PGlite)'}: ` +
        `${extract.services.toLocaleString('en')} services, ${extract.structures.toLocaleString('en')} structures (${size})`,
      '',
      '| Step | Seconds | Services/s |',
      '| ---- | ------: | ---------: |',
      `| Upload (files into the import folder, the job) | ${seconds(app.uploadMs)} | |`,
      `| Preview (reading + staging, matching) | ${seconds(app.previewMs)} | ${perSecond(extract.services, app.previewMs)} |`,
      ...Object.entries(app.previewStages).map(([stage, ms]) => `| — stage “${stage}” | ${seconds(ms)} | |`),
      `| Commit (one transaction, history written) | ${seconds(app.commitMs)} | ${perSecond(extract.services, app.commitMs)} |`,
      `| **Application, all** | **${seconds(total)}** | **${perSecond(extract.services, total)}** |`,
    );
    if (result.copy) {
      const { historyMs, plainMs, rows } = result.copy;
      lines.push(
        `| COPY of the same rows, history triggers on (as the import) | ${seconds(historyMs)} | ${perSecond(extract.services, historyMs)} |`,
        `| COPY of the same rows, history off (bulk load) | ${seconds(plainMs)} | ${perSecond(extract.services, plainMs)} |`,
        '',
        `Rows written (and copied): ${Object.entries(rows)
          .map(([table, count]) => `${table} ${count.toLocaleString('en')}`)
          .join(', ')}.`,
        '',
        `- **Application / COPY (history on) = ${(rate / (extract.services / (historyMs / 1000))).toFixed(2)}×** ` +
          `(target ≥ 0.25×: ${historyMs / total >= 0.25 ? 'met' : 'not met'}); against COPY with history off: ` +
          `${(plainMs / total).toFixed(2)}×.`,
      );
    } else {
      lines.push('');
    }
    lines.push(
      `- **Peak memory of the application's process: ${app.peakRssMb.toFixed(0)} MB** (VmHWM; ` +
        `${app.rssAtStartMb.toFixed(0)} MB once started, ${app.peakRssAfterPreviewMb.toFixed(0)} MB by the end of the preview)` +
        (result.mode === 'server' ? ` — target ≤ 400 MB: ${app.peakRssMb <= 400 ? 'met' : 'not met'}.` : '.'),
      `- Preview counts: ${JSON.stringify(app.counts)}.`,
    );
    if (app.memoryByStage) {
      lines.push(
        `- Largest memory seen per stage (MB; JavaScript heap used / heap reserved / buffers outside the heap / resident): ` +
          Object.entries(app.memoryByStage)
            .map(
              ([stage, peak]) =>
                `${stage} ${[peak.heapUsed, peak.heapTotal, peak.external, peak.rss].map((mb) => mb.toFixed(0)).join(' / ')}`,
            )
            .join('; ') +
          '.',
      );
    }
    if (cpu) {
      lines.push(
        `- Cores busy during the application's run: its process ${cpu.children.toFixed(2)}, PostgreSQL ` +
          `${cpu.database.toFixed(2)}, other processes ≥ ${cpu.others.toFixed(2)}.`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const results: ModeResult[] = [];
  if (databaseUrl && serverSize > 0) results.push(await serverMode(databaseUrl, serverSize));
  else if (serverSize > 0) log('DATABASE_URL is not set: server mode skipped');
  if (embeddedSize > 0) results.push(await embeddedMode(embeddedSize));
  const markdown = reportOf(results);
  process.stdout.write(`\n${markdown}\n`);
  if (values['no-report']) return;
  await writeReportSection(path.join(projectRoot, 'docs/benchmarks.md'), 'import', markdown);
  log('results written to docs/benchmarks.md');
}

await main();
