import fs from 'node:fs';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { projectRoot } from '../../../server/src/config.js';
import { migrateToLatest } from '../../../server/src/db/migrate.js';
import type { Database } from '../../../server/src/db/schema.js';
import { slicingFor } from '../../../server/src/domain/gap-analysis/batchSizer.js';
import { ensureDemandPoints } from '../../../server/src/domain/gap-analysis/demandPoints.js';
import { createRun } from '../../../server/src/domain/gap-analysis/gapAnalysisRepository.js';
import type { GapAnalysisParameters } from '../../../server/src/domain/gap-analysis/gapParameters.js';
import { ensureTownDemandPoints } from '../../../server/src/domain/gap-analysis/townDemandPoints.js';
import { clipBoxOf } from '../../../server/src/domain/population/populationSurfaces.js';
import { type AppRecompute, runAppRecompute } from '../gap-analysis/appRecompute.js';
import { fullRecomputeParameters } from '../gap-analysis/benchOptions.js';
import { compareRuns, type ResultCheck } from '../gap-analysis/compareResults.js';
import {
  countPairs,
  describeSteps,
  type Measurement,
  openEmbeddedBench,
  openServerBench,
} from '../gap-analysis/modeRun.js';
import {
  type BaselineRun,
  baselineResultsSql,
  baselineSummarySql,
  runRawBaseline,
} from '../gap-analysis/rawBaseline.js';
import { dropDatabase } from '../lib/benchDatabase.js';
import { measureWhenQuiet } from '../lib/machineLoad.js';
import { importSurfaceAsApplication } from '../population/appSurfaceImport.js';
import type { GapPopulationOptions } from './benchOptions.js';
import { loadBordeauxAlliance } from './bordeauxServices.js';
import { clearGridDemand, runRawDemandAssignment } from './rawDemandAssignment.js';
import { type SyntheticInseeGrid, writeSyntheticInseeGrid } from './syntheticInseeGrid.js';

export const serverDatabaseName = 'passerelle_bench_gap_population';
export const benchDir = path.join(projectRoot, '.tmp/bench-gap-population');

/** The areas of a run's grid: how many, how many count somebody, and how many people in all. */
export interface GridCount {
  units: number;
  populatedUnits: number;
  population: number;
}

export interface GapPopulationResult {
  mode: 'server' | 'embedded';
  services: number;
  demoServices: number;
  /** a) the run with the towns of data/demand/ as its people. */
  towns: { run: Measurement<AppRecompute>; grid: GridCount };
  populationGrid: SyntheticInseeGrid;
  import: Measurement<{ ms: number; read: number; kept: number; population: number }>;
  /** b) the same run with the imported grid as its people. */
  surface: { run: Measurement<AppRecompute>; grid: GridCount; pairs: number };
  /** c) the raw-SQL baseline on b's areas: the people given to them in one statement, then the measures. */
  baseline: Measurement<{ assignmentMs: number; measures: BaselineRun; totalMs: number }>;
  check: ResultCheck;
}

async function gridOfRun(db: Kysely<Database>, runId: string): Promise<{ unitSetId: string } & GridCount> {
  const { rows } = await sql<{ unit_set_id: string; units: number; populated: number; population: number }>`
    select r.unit_set_id, count(u.id)::int as units, count(u.id) filter (where u.population > 0)::int as populated,
           coalesce(sum(u.population), 0)::float8 as population
    from gap_analysis_run r join analysis_unit u on u.set_id = r.unit_set_id
    where r.id = ${runId} group by r.unit_set_id`.execute(db);
  const row = rows[0]!;
  return { unitSetId: row.unit_set_id, units: row.units, populatedUnits: row.populated, population: row.population };
}

/**
 * One mode: a fresh database with the demo Bordeaux alliance and the synthetic services; a) a full gap run over
 * an H3 grid peopled by the towns; the synthetic INSEE grid imported as the application imports it (timed
 * apart); b) the same run, whose grid is now peopled by the 200 m cells; c) the raw-SQL baseline on b's areas, its
 * people assigned again by one statement, and every result row of c checked equal to b's.
 */
export async function runGapPopulationMode(
  mode: 'server' | 'embedded',
  options: GapPopulationOptions,
  log: (line: string) => void,
): Promise<GapPopulationResult> {
  const embeddedDir = path.join(benchDir, 'pglite');
  const where = mode === 'server' ? serverDatabaseName : path.relative(projectRoot, embeddedDir);
  log(`${mode} mode (${where}): H3 resolution ${options.resolution}, ${options.services} synthetic services`);
  const opened =
    mode === 'server'
      ? await openServerBench(options.databaseUrl!, serverDatabaseName)
      : openEmbeddedBench(embeddedDir);
  const { db, raw } = opened;
  try {
    await migrateToLatest(db);
    const bordeaux = await loadBordeauxAlliance(db, options.services, options.seed);
    const { allianceId } = bordeaux;
    const slicing = slicingFor(mode);
    const dataDir = path.join(projectRoot, 'data');
    // The towns are loaded once per database, at the first run that needs them: not part of a run's work.
    await ensureDemandPoints(db, dataDir);
    await ensureTownDemandPoints(db, allianceId, slicing);
    log(`  ${bordeaux.services} active service locations (${bordeaux.demoServices} of them demo services)`);

    const parameters = fullRecomputeParameters({ kind: 'h3', resolution: options.resolution }, options);
    const quiet = { databaseName: where, log, maxWaitS: options.quietWaitS };
    const appRun = async (label: string) => {
      log(`  ${label}: executeRun (grid built, measures, results)`);
      const run = await measureWhenQuiet(quiet, () =>
        runAppRecompute(db, allianceId, parameters, { dataDir, slicing }),
      );
      log(`    ${(run.result.totalMs / 1000).toFixed(2)} s: ${describeSteps(run.result.steps)}`);
      return run;
    };

    const townsRun = await appRun('a) towns as demand');
    const townsGrid = await gridOfRun(db, townsRun.result.runId);

    fs.mkdirSync(benchDir, { recursive: true });
    const box = (await clipBoxOf(db, allianceId))!;
    const file = path.join(benchDir, `insee-200m-share${options.populatedShare}-seed${options.seed}.csv`);
    const populationGrid = writeSyntheticInseeGrid(file, box, {
      populatedShare: options.populatedShare,
      seed: options.seed,
    });
    log(
      `  synthetic INSEE grid: ${populationGrid.cells.toLocaleString('en')} of ${populationGrid.squares.toLocaleString('en')} squares listed`,
    );
    log('  import of the population grid (runSurfaceImport)');
    const imported = await measureWhenQuiet(quiet, async () => {
      const start = performance.now();
      const { surfaceId, read } = await importSurfaceAsApplication(db, {
        allianceId,
        file,
        fileName: path.basename(file),
        slicing,
      });
      const ms = performance.now() - start;
      const { rows } = await sql<{ kept: number; population: number }>`
        select count(*)::int as kept, coalesce(sum(population), 0)::float8 as population
        from population_cell where surface_id = ${surfaceId}`.execute(db);
      return { ms, read, surfaceId, ...rows[0]! };
    });
    log(`    ${(imported.result.ms / 1000).toFixed(2)} s: ${imported.result.kept.toLocaleString('en')} cells kept`);

    const surfaceRun = await appRun('b) population grid as demand');
    const { unitSetId, ...surfaceGrid } = await gridOfRun(db, surfaceRun.result.runId);
    const pairs = await countPairs(raw, unitSetId, options.thresholdM);

    log('  c) raw SQL baseline on the same areas: demand assigned in one statement, then the measures');
    await clearGridDemand(raw, unitSetId);
    await raw.query('vacuum analyze analysis_unit');
    const baselineParameters: GapAnalysisParameters = { ...parameters, units: { kind: 'imported', unitSetId } };
    const texts = {
      results: parameters.categories.map((category) => baselineResultsSql(baselineParameters, category, unitSetId)),
      summary: baselineSummarySql(baselineParameters),
    };
    const baselineRunId = await createRun(db, allianceId, baselineParameters);
    const baseline = await measureWhenQuiet(quiet, async () => {
      const start = performance.now();
      const assignmentMs = await runRawDemandAssignment(raw, {
        unitSetId,
        allianceId,
        surfaceId: imported.result.surfaceId,
      });
      const measures = await runRawBaseline(raw, texts, {
        unitSetId,
        allianceId,
        runId: baselineRunId,
        parameters: baselineParameters,
      });
      return { assignmentMs, measures, totalMs: performance.now() - start };
    });
    log(
      `    ${(baseline.result.totalMs / 1000).toFixed(2)} s: demand ${(baseline.result.assignmentMs / 1000).toFixed(2)}, ` +
        describeSteps(baseline.result.measures.steps),
    );
    const check = await compareRuns(raw, surfaceRun.result.runId, baselineRunId);
    log(
      `    check of b against c: ${check.passed ? 'equal' : 'DIFFERENT'} (${check.rows} rows, max relative ` +
        `difference ${check.maxRelativeDifference.toExponential(2)})`,
    );
    const { surfaceId: _surfaceId, ...importResult } = imported.result;
    return {
      mode,
      services: bordeaux.services,
      demoServices: bordeaux.demoServices,
      towns: { run: townsRun, grid: townsGrid },
      populationGrid,
      import: { result: importResult, cpu: imported.cpu },
      surface: { run: surfaceRun, grid: surfaceGrid, pairs },
      baseline,
      check,
    };
  } finally {
    await opened.close();
    if (!options.keep) {
      if (mode === 'server') await dropDatabase(options.databaseUrl!, serverDatabaseName);
      else fs.rmSync(benchDir, { recursive: true, force: true });
    }
  }
}
