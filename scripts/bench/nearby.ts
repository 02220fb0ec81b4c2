import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { projectRoot } from '../../server/src/config.js';
import { describeMachine, writeReportSection } from './lib/benchmarkReport.js';
import { elapsedMs } from './lib/stats.js';
import { type BenchOptions, parseBenchOptions } from './nearby/benchOptions.js';
import { embeddedBenchDir, runEmbeddedMode } from './nearby/embeddedModeRun.js';
import { type RunContext, renderNearbySection, targetRows } from './nearby/nearbyReport.js';
import type { NearbyResult } from './nearby/nearbyResult.js';
import { benchDatabaseName, dropBenchDatabase, runServerMode } from './nearby/serverModeRun.js';
import { querySet } from './nearby/querySet.js';

const start = performance.now();

function log(line: string): void {
  const seconds = (elapsedMs(start) / 1000).toFixed(0).padStart(4);
  process.stdout.write(`[nearby ${seconds} s] ${line}\n`);
}

async function describePostgres(databaseUrl: string): Promise<RunContext['postgres']> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ version: string; postgis: string | null; shared_buffers: string }>(
      `select split_part(version(), ' on ', 1) as version,
              (select default_version from pg_available_extensions where name = 'postgis') as postgis,
              current_setting('shared_buffers') as shared_buffers`,
    );
    return {
      version: rows[0]!.version,
      postgis: rows[0]!.postgis ?? 'missing',
      sharedBuffers: rows[0]!.shared_buffers,
    };
  } finally {
    await client.end();
  }
}

function pgliteVersion(): string {
  const manifest = path.join(projectRoot, 'node_modules/@electric-sql/pglite/package.json');
  return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version;
}

async function runAllSizes(options: BenchOptions): Promise<NearbyResult[]> {
  const results: NearbyResult[] = [];
  const { databaseUrl } = options;
  if (databaseUrl) {
    try {
      for (const size of options.serverSizes) {
        for (const distribution of options.distributions) {
          const queries = querySet(distribution, options);
          results.push(await runServerMode(size, distribution, queries, { ...options, databaseUrl }, log));
        }
      }
    } finally {
      if (!options.keep) await dropBenchDatabase(databaseUrl);
    }
  } else if (options.serverSizes.length > 0) {
    log('DATABASE_URL is not set: skipping server mode (source scripts/ci/start-postgres.sh to run it)');
  }
  try {
    for (const size of options.embeddedSizes) {
      for (const distribution of options.distributions) {
        results.push(await runEmbeddedMode(size, distribution, querySet(distribution, options), options, log));
      }
    }
  } finally {
    if (!options.keep) fs.rmSync(embeddedBenchDir, { recursive: true, force: true });
  }
  return results;
}

function printTargets(results: readonly NearbyResult[], options: BenchOptions): void {
  for (const row of targetRows(results, options.connections)) {
    log(`${row.pass ? 'PASS' : 'FAIL'}  ${row.where}: ${row.target}: ${row.measured}`);
  }
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2), process.env);
  const postgres = options.databaseUrl ? await describePostgres(options.databaseUrl) : undefined;
  const results = await runAllSizes(options);
  printTargets(results, options);
  if (options.keep && options.databaseUrl) log(`kept database ${benchDatabaseName}`);
  if (!options.reportFile) return;
  const context: RunContext = {
    date: new Date(),
    machine: describeMachine(),
    postgres,
    pgliteVersion: pgliteVersion(),
    options,
    totalS: elapsedMs(start) / 1000,
  };
  await writeReportSection(options.reportFile, 'nearby', renderNearbySection(context, results));
  log(`results written to ${path.relative(projectRoot, options.reportFile)}`);
}

await main();
