import fs from 'node:fs';
import path from 'node:path';
import type { CompiledQuery } from 'kysely';
import pg from 'pg';
import { projectRoot } from '../../../server/src/config.js';
import { openDatabase, scriptDatabaseTimeouts } from '../../../server/src/db/database.js';
import { migrateToLatest } from '../../../server/src/db/migrate.js';
import { PreparingClient } from '../../../server/src/db/preparedStatements.js';
import { databaseUrlOn, dropDatabase, recreateDatabase } from '../lib/benchDatabase.js';
import { runClosedLoop } from '../lib/closedLoop.js';
import { measureWhenQuiet, type QuietMeasurementOptions } from '../lib/machineLoad.js';
import { measureApi } from './apiMeasurement.js';
import type { BenchOptions } from './benchOptions.js';
import { compileOnlyDb, measureRoundTrips, measureServerSide, type SqlRunner } from './databaseLatency.js';
import type { NearbyResult } from './nearbyResult.js';
import { type PgbenchRun, runPgbench, writePgbenchScripts } from './pgbenchBaseline.js';
import { benchRegion, loadSyntheticServices } from './syntheticServices.js';

export const benchDatabaseName = 'passerelle_bench';

export async function dropBenchDatabase(databaseUrl: string): Promise<void> {
  await dropDatabase(databaseUrl, benchDatabaseName);
}

/** Clients like the API's pooled ones: the near-me query runs as a named prepared statement. */
async function connectClients(url: string, count: number): Promise<pg.Client[]> {
  const clients = Array.from({ length: count }, () => new PreparingClient({ connectionString: url }));
  await Promise.all(clients.map((client) => client.connect()));
  return clients;
}

async function withClients<T>(url: string, count: number, work: (clients: pg.Client[]) => Promise<T>): Promise<T> {
  const clients = await connectClients(url, count);
  try {
    return await work(clients);
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
}

async function loadFreshDatabase(url: string, size: number, options: BenchOptions, log: (line: string) => void) {
  await recreateDatabase(options.databaseUrl!, benchDatabaseName);
  // Loading a million services takes statements longer than a request may: the limits are off here.
  const database = openDatabase({ databaseUrl: url, embeddedDataDir: '', databaseTimeouts: scriptDatabaseTimeouts });
  try {
    await migrateToLatest(database.db);
    return await loadSyntheticServices(database.db, size, options.seed, log);
  } finally {
    await database.close();
  }
}

/** pgbench's scripts live in a scratch folder for the run only. */
async function measurePgbenchFloor(url: string, options: BenchOptions, quiet: QuietMeasurementOptions) {
  const run: PgbenchRun = {
    databaseUrl: url,
    connections: options.connections,
    region: benchRegion,
    radiusM: options.radiusM,
    limit: options.limit,
    seed: options.seed,
    workDir: path.join(projectRoot, '.tmp/bench-nearby-pgbench'),
  };
  try {
    const scripts = writePgbenchScripts(compileOnlyDb(), run);
    return await measureWhenQuiet({ ...quiet, warmup: () => runPgbench(scripts, run, options.warmupS) }, () =>
      runPgbench(scripts, run, options.durationS),
    );
  } finally {
    fs.rmSync(run.workDir, { recursive: true, force: true });
  }
}

/**
 * One size in server mode: a fresh database, migrated and loaded, then the
 * sequential latency, the raw SQL floors (pgbench, and Node's `pg`), and the
 * API under autocannon, all with the same query and the same query points.
 */
export async function runServerMode(
  size: number,
  compiled: readonly CompiledQuery[],
  paths: readonly string[],
  options: BenchOptions & { databaseUrl: string },
  log: (line: string) => void,
): Promise<NearbyResult> {
  const url = databaseUrlOn(options.databaseUrl, benchDatabaseName);
  const quiet = { databaseName: benchDatabaseName, log, maxWaitS: options.quietWaitS };
  log(`server mode, ${size.toLocaleString('en')} services: creating ${benchDatabaseName} and loading`);
  const load = await loadFreshDatabase(url, size, options, log);
  log(`  loaded in ${load.totalS.toFixed(1)} s`);

  log('  sequential latency on one connection');
  const sequential = await withClients(url, 1, async ([client]) => {
    const run: SqlRunner = (sql, parameters) => client!.query(sql, parameters as unknown[]);
    const roundTrips = await measureWhenQuiet(quiet, () => measureRoundTrips(run, compiled, 40));
    const planQuery = compiled[1]!;
    const serverSide = await measureServerSide(run, compiled, { sampleSize: 200, maxSeconds: 20, planQuery });
    return { roundTrips, serverSide };
  });
  const { latency } = sequential.roundTrips.result;
  log(`    round trip p50 ${latency.p50.toFixed(3)} ms, p95 ${latency.p95.toFixed(3)} ms`);

  log(`  raw SQL floor: pgbench, ${options.connections} connections, ${options.durationS} s`);
  const pgbench = await measurePgbenchFloor(url, options, quiet);
  log(`    ${pgbench.result.perSecond.toFixed(0)} queries/s, p95 ${pgbench.result.latency.p95.toFixed(2)} ms`);

  log(`  Node pg clients: ${options.connections} connections, ${options.durationS} s`);
  const node = await withClients(url, options.connections, (clients) => {
    const runQuery = (index: number, worker: number) => {
      const query = compiled[index % compiled.length]!;
      return clients[worker]!.query(query.sql, query.parameters as unknown[]);
    };
    return measureWhenQuiet(
      { ...quiet, warmup: () => runClosedLoop(options.connections, options.warmupS, runQuery) },
      () => runClosedLoop(options.connections, options.durationS, runQuery),
    );
  });
  log(`    ${node.result.perSecond.toFixed(0)} queries/s, p95 ${node.result.latency.p95.toFixed(2)} ms`);

  const rowCounts = sequential.roundTrips.result.rowCounts;
  const api = await measureApi({ databaseUrl: url, name: benchDatabaseName }, paths, rowCounts, options, log);
  return {
    mode: 'server',
    size,
    load,
    roundTrip: latency,
    meanRows: sequential.roundTrips.result.meanRows,
    serverSide: sequential.serverSide,
    rawBaseline: {
      method: 'pgbench (C, separate process), the query as a named prepared statement like the API',
      result: pgbench.result,
    },
    nodeBaseline: node.result,
    api: api.result,
    cpu: { roundTrip: sequential.roundTrips.cpu, raw: pgbench.cpu, node: node.cpu, api: api.cpu },
  };
}
