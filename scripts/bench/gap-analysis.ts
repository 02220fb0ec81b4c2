import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { projectRoot } from '../../server/src/config.js';
import { type GapBenchOptions, parseGapBenchOptions } from './gap-analysis/benchOptions.js';
import {
  benchDatabaseName,
  dropBenchDatabase,
  embeddedBenchDir,
  type GapModeResult,
  runGapMode,
} from './gap-analysis/modeRun.js';
import { type GapRunContext, ratioOf, renderGapSection, targetRatio } from './gap-analysis/gapReport.js';
import { describeMachine, writeReportSection } from './lib/benchmarkReport.js';
import { elapsedMs } from './lib/stats.js';

const start = performance.now();

function log(line: string): void {
  const seconds = (elapsedMs(start) / 1000).toFixed(0).padStart(4);
  process.stdout.write(`[gap-analysis ${seconds} s] ${line}\n`);
}

async function describePostgres(databaseUrl: string): Promise<GapRunContext['postgres']> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{
      version: string;
      postgis: string | null;
      shared_buffers: string;
      work_mem: string;
    }>(
      `select split_part(version(), ' on ', 1) as version,
              (select default_version from pg_available_extensions where name = 'postgis') as postgis,
              current_setting('shared_buffers') as shared_buffers, current_setting('work_mem') as work_mem`,
    );
    const row = rows[0]!;
    return {
      version: row.version,
      postgis: row.postgis ?? 'missing',
      sharedBuffers: row.shared_buffers,
      workMem: row.work_mem,
    };
  } finally {
    await client.end();
  }
}

function pgliteVersion(): string {
  const manifest = path.join(projectRoot, 'node_modules/@electric-sql/pglite/package.json');
  return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version;
}

async function runAll(options: GapBenchOptions): Promise<GapModeResult[]> {
  const results: GapModeResult[] = [];
  const { databaseUrl } = options;
  if (databaseUrl) {
    try {
      for (const size of options.serverSizes) {
        results.push(await runGapMode('server', size, options.serverUnits, options, log));
      }
    } finally {
      if (!options.keep) await dropBenchDatabase(databaseUrl);
    }
  } else if (options.serverSizes.length > 0) {
    log('DATABASE_URL is not set: skipping server mode (source scripts/ci/start-postgres.sh to run it)');
  }
  try {
    for (const size of options.embeddedSizes) {
      results.push(await runGapMode('embedded', size, options.embeddedUnits, options, log));
    }
  } finally {
    if (!options.keep) fs.rmSync(embeddedBenchDir, { recursive: true, force: true });
  }
  return results;
}

async function main(): Promise<void> {
  const options = parseGapBenchOptions(process.argv.slice(2), process.env);
  const postgres = options.databaseUrl ? await describePostgres(options.databaseUrl) : undefined;
  const results = await runAll(options);
  for (const result of results) {
    const ratio = ratioOf(result);
    log(
      `${ratio.value <= targetRatio && result.check.passed ? 'PASS' : 'FAIL'}  ${result.mode} ` +
        `${result.grid.units} units × ${result.services} services: application ${(ratio.app / 1000).toFixed(2)} s, ` +
        `raw SQL ${(ratio.baseline / 1000).toFixed(2)} s, ratio ${ratio.value.toFixed(2)} (target ≤ ${targetRatio}), ` +
        `results ${result.check.passed ? 'equal' : 'DIFFERENT'}`,
    );
  }
  if (options.keep && options.databaseUrl) log(`kept database ${benchDatabaseName}`);
  if (!options.reportFile) return;
  const context: GapRunContext = {
    date: new Date(),
    machine: describeMachine(),
    postgres,
    pgliteVersion: pgliteVersion(),
    options,
    totalS: elapsedMs(start) / 1000,
  };
  await writeReportSection(options.reportFile, 'gap-analysis', renderGapSection(context, results));
  log(`results written to ${path.relative(projectRoot, options.reportFile)}`);
}

await main();
