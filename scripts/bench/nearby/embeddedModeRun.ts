import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../../server/src/config.js';
import { openDatabase } from '../../../server/src/db/database.js';
import { EmbeddedPool } from '../../../server/src/db/embeddedPool.js';
import { migrateToLatest } from '../../../server/src/db/migrate.js';
import { runClosedLoop } from '../lib/closedLoop.js';
import { measureWhenQuiet } from '../lib/machineLoad.js';
import { measureApi } from './apiMeasurement.js';
import type { BenchOptions } from './benchOptions.js';
import { measureRoundTrips, measureServerSide, type SqlRunner } from './databaseLatency.js';
import type { NearbyResult } from './nearbyResult.js';
import { createFloorTable } from './floorQuery.js';
import { checkSameAnswers, type QuerySet } from './querySet.js';
import { type Distribution, loadSyntheticServices } from './syntheticServices.js';

export const embeddedBenchDir = path.join(projectRoot, '.tmp/bench-nearby-pglite');

/** Queries through the pool the application uses: one caller at a time holds the session. */
function throughEmbeddedPool(pool: EmbeddedPool): SqlRunner {
  return async (sql, parameters) => {
    const client = await pool.connect();
    try {
      return await client.query(sql, parameters);
    } finally {
      client.release();
    }
  };
}

async function loadFreshFolder(
  size: number,
  distribution: Distribution,
  options: BenchOptions,
  log: (line: string) => void,
) {
  fs.rmSync(embeddedBenchDir, { recursive: true, force: true });
  const database = openDatabase({ databaseUrl: undefined, embeddedDataDir: embeddedBenchDir });
  try {
    await migrateToLatest(database.db);
    const load = await loadSyntheticServices(database.db, size, options.seed, log, distribution);
    await createFloorTable(database.db);
    return load;
  } finally {
    await database.close();
  }
}

/**
 * One size and distribution in embedded mode. PGlite is one PostgreSQL session in this process: the sequential
 * latency goes through the application's pool, the floor and the application's SQL are called on PGlite directly
 * from 20 callers (which it serialises), then the API runs in a child process over the same data folder, once this
 * process has closed it.
 */
export async function runEmbeddedMode(
  size: number,
  distribution: Distribution,
  queries: QuerySet,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<NearbyResult> {
  const folder = path.relative(projectRoot, embeddedBenchDir);
  // PGlite runs inside this process (or the API's child): no backend of its own to tell apart.
  const quiet = { databaseName: folder, log, maxWaitS: options.quietWaitS };
  log(`embedded mode, ${size.toLocaleString('en')} services, ${distribution}: loading into ${folder}`);
  const load = await loadFreshFolder(size, distribution, options, log);
  log(`  loaded in ${load.totalS.toFixed(1)} s`);

  const pool = new EmbeddedPool(embeddedBenchDir);
  let sequential, serverSide, floor, appSql;
  try {
    const run = throughEmbeddedPool(pool);
    await checkSameAnswers(run, queries);
    log('  sequential latency through the embedded pool');
    sequential = await measureWhenQuiet(quiet, () => measureRoundTrips(run, queries.app, 40));
    serverSide = await measureServerSide(run, queries.app, {
      sampleSize: 200,
      maxSeconds: 20,
      planQuery: queries.app[1]!,
    });
    const { latency } = sequential.result;
    log(`    round trip p50 ${latency.p50.toFixed(3)} ms, p95 ${latency.p95.toFixed(3)} ms`);

    const direct = (list: QuerySet['app']) => (index: number) => {
      const query = list[index % list.length]!;
      return pool.pglite.query(query.sql, query.parameters as unknown[]);
    };
    log(`  floor: PGlite called directly by ${options.connections} callers, ${options.durationS} s`);
    floor = await measureWhenQuiet(
      { ...quiet, warmup: () => runClosedLoop(options.connections, options.warmupS, direct(queries.floor)) },
      () => runClosedLoop(options.connections, options.durationS, direct(queries.floor)),
    );
    log(`    ${floor.result.perSecond.toFixed(0)} queries/s, p95 ${floor.result.latency.p95.toFixed(2)} ms`);
    log(`  the application's SQL: PGlite called directly, ${options.durationS} s`);
    appSql = await measureWhenQuiet(
      { ...quiet, warmup: () => runClosedLoop(options.connections, options.warmupS, direct(queries.app)) },
      () => runClosedLoop(options.connections, options.durationS, direct(queries.app)),
    );
    log(`    ${appSql.result.perSecond.toFixed(0)} queries/s, p95 ${appSql.result.latency.p95.toFixed(2)} ms`);
  } finally {
    await pool.end();
  }

  const rowCounts = sequential.result.rowCounts;
  const api = await measureApi({ embeddedDir: embeddedBenchDir, name: folder }, queries.paths, rowCounts, options, log);
  return {
    mode: 'embedded',
    size,
    distribution,
    load,
    roundTrip: sequential.result.latency,
    meanRows: sequential.result.meanRows,
    serverSide,
    rawBaseline: {
      method: `the floor query on its own table, PGlite called directly, ${options.connections} concurrent callers, same process`,
      result: floor.result,
    },
    appSql: appSql.result,
    api: api.result,
    cpu: { roundTrip: sequential.cpu, raw: floor.cpu, appSql: appSql.cpu, api: api.cpu },
  };
}
