import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { projectRoot } from '../../../server/src/config.js';
import { openDatabase, scriptDatabaseTimeouts } from '../../../server/src/db/database.js';
import { EmbeddedPool } from '../../../server/src/db/embeddedPool.js';
import { migrateToLatest } from '../../../server/src/db/migrate.js';
import type { Database } from '../../../server/src/db/schema.js';
import { slicingFor } from '../../../server/src/domain/gap-analysis/batchSizer.js';
import { createRun } from '../../../server/src/domain/gap-analysis/gapAnalysisRepository.js';
import { dropDatabase, recreateDatabase } from '../lib/benchDatabase.js';
import { type CpuSplit, measureWhenQuiet } from '../lib/machineLoad.js';
import { benchRegion, type LoadSummary, loadSyntheticServices } from '../nearby/syntheticServices.js';
import { type AppRecompute, runAppRecompute } from './appRecompute.js';
import { fullRecomputeParameters, type GapBenchOptions } from './benchOptions.js';
import { compareRuns, type ResultCheck } from './compareResults.js';
import {
  type BaselineRun,
  baselineResultsSql,
  baselineSummarySql,
  type RawSql,
  runRawBaseline,
} from './rawBaseline.js';
import { insertUnitGrid, type UnitGrid } from './unitGrid.js';

export const benchDatabaseName = 'passerelle_bench_gaps';
export const embeddedBenchDir = path.join(projectRoot, '.tmp/bench-gap-analysis-pglite');

export interface Measurement<T> {
  result: T;
  cpu: CpuSplit | undefined;
}

export interface GapModeResult {
  mode: 'server' | 'embedded';
  services: number;
  grid: UnitGrid;
  load: LoadSummary;
  /** Pairs unit × service within d0, over all categories: the size of the FCA work. */
  pairs: number;
  app: Measurement<AppRecompute>[];
  baseline: Measurement<BaselineRun>[];
  check: ResultCheck;
}

export async function dropBenchDatabase(databaseUrl: string): Promise<void> {
  await dropDatabase(databaseUrl, benchDatabaseName);
}

/** A benchmark database opened twice over: through the application's Kysely, and raw for the baseline. */
export interface OpenedBenchDatabase {
  db: Kysely<Database>;
  raw: RawSql;
  close(): Promise<void>;
}

/**
 * Server mode: a fresh database `name` (dropped first), through the application's own pool (openDatabase) and,
 * beside it, one plain `pg` client.
 */
export async function openServerBench(databaseUrl: string, name = benchDatabaseName): Promise<OpenedBenchDatabase> {
  const url = await recreateDatabase(databaseUrl, name);
  // Loading a million services takes statements longer than a request may: the limits are off here.
  const handle = openDatabase({ databaseUrl: url, embeddedDataDir: '', databaseTimeouts: scriptDatabaseTimeouts });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    db: handle.db,
    raw: client,
    async close() {
      await client.end();
      await handle.close();
    },
  };
}

/**
 * Embedded mode, in a fresh `folder`: the pool and Kysely instance built as openDatabase builds them, so that the baseline can
 * call the same PGlite directly (one PGlite per folder and process).
 */
export function openEmbeddedBench(folder = embeddedBenchDir): OpenedBenchDatabase {
  fs.rmSync(folder, { recursive: true, force: true });
  fs.mkdirSync(folder, { recursive: true });
  const pool = new EmbeddedPool(folder);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }) });
  return {
    db,
    raw: pool.pglite,
    async close() {
      await db.destroy();
    },
  };
}

export function describeSteps(steps: Record<string, number>): string {
  return Object.entries(steps)
    .map(([step, ms]) => `${step} ${(ms / 1000).toFixed(2)}`)
    .join(', ');
}

/** Pairs unit × active service within d0, over all categories: the size of the FCA work. */
export async function countPairs(raw: RawSql, unitSetId: string, thresholdM: number): Promise<number> {
  const { rows } = await raw.query(
    `select count(*)::int as pairs from analysis_unit u
     join service_at_location sal on ST_DWithin(sal.geog, u.centroid, $2::float8)
     join service s on s.id = sal.service_id
     where u.set_id = $1::uuid and s.status = 'active'`,
    [unitSetId, thresholdM],
  );
  return rows[0]!.pairs as number;
}

/** Deletes runs (and their results, by cascade) between measurements, and vacuums: each run writes to the same state. */
async function deleteRuns(raw: RawSql, runIds: string[]): Promise<void> {
  for (const id of runIds) await raw.query('delete from gap_analysis_run where id = $1::uuid', [id]);
  await raw.query('vacuum analyze gap_analysis_result, gap_analysis_run');
}

/**
 * One mode and size: a fresh database with the synthetic services and the unit grid; one unmeasured baseline
 * run (warm-up, and the reference for the check of the application's results); then `repeats` measurements of
 * each side, alternating, each after waiting for a quiet machine.
 */
export async function runGapMode(
  mode: 'server' | 'embedded',
  services: number,
  units: number,
  options: GapBenchOptions,
  log: (line: string) => void,
): Promise<GapModeResult> {
  const where = mode === 'server' ? benchDatabaseName : path.relative(projectRoot, embeddedBenchDir);
  log(`${mode} mode, ${units.toLocaleString('en')} units × ${services.toLocaleString('en')} services (${where})`);
  const opened = mode === 'server' ? await openServerBench(options.databaseUrl!) : openEmbeddedBench();
  const { db, raw } = opened;
  try {
    await migrateToLatest(db);
    const load = await loadSyntheticServices(db, services, options.seed, log);
    log(`  services loaded in ${load.totalS.toFixed(1)} s`);
    const grid = await insertUnitGrid(db, benchRegion, units, options.seed);
    await sql`vacuum analyze analysis_unit, analysis_unit_set`.execute(db);
    const pairs = await countPairs(raw, grid.unitSetId, options.thresholdM);
    log(`  ${grid.columns} × ${grid.rows} grid, ${pairs.toLocaleString('en')} unit × service pairs within d0`);

    const alliance = await db.selectFrom('alliance').select('id').where('slug', '=', 'bench').executeTakeFirstOrThrow();
    const parameters = fullRecomputeParameters({ kind: 'imported', unitSetId: grid.unitSetId }, options);
    const texts = {
      results: parameters.categories.map((category) => baselineResultsSql(parameters, category)),
      summary: baselineSummarySql(parameters),
    };
    const dataDir = path.join(projectRoot, 'data');
    const quiet = { databaseName: where, log, maxWaitS: options.quietWaitS };
    const baselineOnce = async () => {
      const runId = await createRun(db, alliance.id, parameters);
      const result = await runRawBaseline(raw, texts, {
        unitSetId: grid.unitSetId,
        allianceId: alliance.id,
        runId,
        parameters,
      });
      return { runId, result };
    };

    log('  warm-up: one raw SQL run, unmeasured (the reference for the check)');
    const reference = await baselineOnce();
    log(`    ${(reference.result.totalMs / 1000).toFixed(2)} s: ${describeSteps(reference.result.steps)}`);

    const app: Measurement<AppRecompute>[] = [];
    const baseline: Measurement<BaselineRun>[] = [];
    let check: ResultCheck | undefined;
    for (let repeat = 1; repeat <= options.repeats; repeat++) {
      log(`  measurement ${repeat}/${options.repeats}: application (executeRun)`);
      const appRun = await measureWhenQuiet(quiet, () =>
        runAppRecompute(db, alliance.id, parameters, { dataDir, slicing: slicingFor(mode) }),
      );
      app.push(appRun);
      log(`    ${(appRun.result.totalMs / 1000).toFixed(2)} s: ${describeSteps(appRun.result.steps)}`);
      if (!check) {
        check = await compareRuns(raw, appRun.result.runId, reference.runId);
        log(
          `    check against the raw SQL results: ${check.passed ? 'equal' : 'DIFFERENT'} (${check.rows} rows, ` +
            `max relative difference ${check.maxRelativeDifference.toExponential(2)}, ${check.clusters} clusters)`,
        );
        await deleteRuns(raw, [reference.runId]);
      }
      await deleteRuns(raw, [appRun.result.runId]);

      log(`  measurement ${repeat}/${options.repeats}: raw SQL baseline`);
      const baselineRun = await measureWhenQuiet(quiet, baselineOnce);
      baseline.push({ result: baselineRun.result.result, cpu: baselineRun.cpu });
      log(
        `    ${(baselineRun.result.result.totalMs / 1000).toFixed(2)} s: ${describeSteps(baselineRun.result.result.steps)}`,
      );
      await deleteRuns(raw, [baselineRun.result.runId]);
    }
    return { mode, services, grid, load, pairs, app, baseline, check: check! };
  } finally {
    await opened.close();
  }
}
