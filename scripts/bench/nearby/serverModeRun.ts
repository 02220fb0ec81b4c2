import fs from 'node:fs';
import path from 'node:path';
import type { CompiledQuery } from 'kysely';
import pg from 'pg';
import { projectRoot } from '../../../server/src/config.js';
import { openDatabase, scriptDatabaseTimeouts } from '../../../server/src/db/database.js';
import { migrateToLatest } from '../../../server/src/db/migrate.js';
import { PreparingClient } from '../../../server/src/db/preparedStatements.js';
import { databaseUrlOn, dropDatabase, recreateDatabase } from '../lib/benchDatabase.js';
import { measureWhenQuiet, type QuietMeasurementOptions } from '../lib/machineLoad.js';
import { measureApi } from './apiMeasurement.js';
import type { BenchOptions } from './benchOptions.js';
import { measureRoundTrips, measureServerSide, type SqlRunner } from './databaseLatency.js';
import type { NearbyResult } from './nearbyResult.js';
import { createFloorTable } from './floorQuery.js';
import { type PgbenchRun, runPgbench, writePgbenchScripts } from './pgbenchBaseline.js';
import { checkSameAnswers, type QuerySet } from './querySet.js';
import { type Distribution, loadSyntheticServices } from './syntheticServices.js';

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

async function loadFreshDatabase(
  url: string,
  size: number,
  distribution: Distribution,
  options: BenchOptions,
  log: (line: string) => void,
) {
  await recreateDatabase(options.databaseUrl!, benchDatabaseName);
  // Loading a million services takes statements longer than a request may: the limits are off here.
  const database = openDatabase({ databaseUrl: url, embeddedDataDir: '', databaseTimeouts: scriptDatabaseTimeouts });
  try {
    await migrateToLatest(database.db);
    const load = await loadSyntheticServices(database.db, size, options.seed, log, distribution);
    const start = performance.now();
    await createFloorTable(database.db);
    log(`    floor table: ${((performance.now() - start) / 1000).toFixed(1)} s`);
    return load;
  } finally {
    await database.close();
  }
}

/** pgbench over these queries; its scripts live in a scratch folder for the run only. */
async function measureWithPgbench(
  url: string,
  queries: readonly CompiledQuery[],
  options: BenchOptions,
  quiet: QuietMeasurementOptions,
) {
  const run: PgbenchRun = {
    databaseUrl: url,
    connections: options.connections,
    seed: options.seed,
    workDir: path.join(projectRoot, '.tmp/bench-nearby-pgbench'),
  };
  try {
    const scripts = writePgbenchScripts(queries, 'nearby', run.workDir);
    // A warm-up that finishes no query at all (a cold 1M database on a busy machine) has warmed up all the same;
    // a real failure shows in the measured run.
    const warmup = () => runPgbench(scripts, run, options.warmupS).catch(() => undefined);
    return await measureWhenQuiet({ ...quiet, warmup }, () => runPgbench(scripts, run, options.durationS));
  } finally {
    fs.rmSync(run.workDir, { recursive: true, force: true });
  }
}

/**
 * One size and distribution in server mode: a fresh database, migrated and loaded, the floor table built, then the
 * sequential latency of the application's SQL, the floor and the application's SQL under pgbench, and the API
 * under autocannon, all with the same questions.
 */
export async function runServerMode(
  size: number,
  distribution: Distribution,
  queries: QuerySet,
  options: BenchOptions & { databaseUrl: string },
  log: (line: string) => void,
): Promise<NearbyResult> {
  const url = databaseUrlOn(options.databaseUrl, benchDatabaseName);
  const quiet = { databaseName: benchDatabaseName, log, maxWaitS: options.quietWaitS };
  log(`server mode, ${size.toLocaleString('en')} services, ${distribution}: creating ${benchDatabaseName} and loading`);
  const load = await loadFreshDatabase(url, size, distribution, options, log);
  log(`  loaded in ${load.totalS.toFixed(1)} s`);

  log('  sequential latency on one connection');
  const sequential = await withClients(url, 1, async ([client]) => {
    const run: SqlRunner = (sql, parameters) => client!.query(sql, parameters as unknown[]);
    await checkSameAnswers(run, queries);
    const roundTrips = await measureWhenQuiet(quiet, () => measureRoundTrips(run, queries.app, 40));
    const planQuery = queries.app[1]!;
    const serverSide = await measureServerSide(run, queries.app, { sampleSize: 200, maxSeconds: 20, planQuery });
    return { roundTrips, serverSide };
  });
  const { latency } = sequential.roundTrips.result;
  log(`    round trip p50 ${latency.p50.toFixed(3)} ms, p95 ${latency.p95.toFixed(3)} ms`);

  log(`  floor: pgbench on its own table, ${options.connections} connections, ${options.durationS} s`);
  const floor = await measureWithPgbench(url, queries.floor, options, quiet);
  log(`    ${floor.result.perSecond.toFixed(0)} queries/s, p95 ${floor.result.latency.p95.toFixed(2)} ms`);

  log(`  the application's SQL: pgbench, ${options.connections} connections, ${options.durationS} s`);
  const appSql = await measureWithPgbench(url, queries.app, options, quiet);
  log(`    ${appSql.result.perSecond.toFixed(0)} queries/s, p95 ${appSql.result.latency.p95.toFixed(2)} ms`);

  const rowCounts = sequential.roundTrips.result.rowCounts;
  const api = await measureApi({ databaseUrl: url, name: benchDatabaseName }, queries.paths, rowCounts, options, log);
  return {
    mode: 'server',
    size,
    distribution,
    load,
    roundTrip: latency,
    meanRows: sequential.roundTrips.result.meanRows,
    serverSide: sequential.serverSide,
    rawBaseline: {
      method:
        'pgbench (C, separate process) running the floor query on its own table, as named prepared statements ' +
        '(`--protocol=prepared`) like the API',
      result: floor.result,
    },
    appSql: appSql.result,
    api: api.result,
    cpu: { roundTrip: sequential.roundTrips.cpu, raw: floor.cpu, appSql: appSql.cpu, api: api.cpu },
  };
}
