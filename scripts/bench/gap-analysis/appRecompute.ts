import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import { type Kysely } from 'kysely';
import type { Database } from '../../../server/src/db/schema.js';
import type { Slicing } from '../../../server/src/domain/gap-analysis/batchSizer.js';
import { createRun, executeRun } from '../../../server/src/domain/gap-analysis/gapAnalysisRepository.js';
import type { GapAnalysisParameters } from '../../../server/src/domain/gap-analysis/gapParameters.js';
import { elapsedMs } from '../lib/stats.js';

/** Where a run's time went: SQL statements by step, and what is left (Node: judging, JSON, waiting). */
export interface StepTimes {
  [step: string]: number;
}

/** The measure statements: one per category (server mode), or one per batch of areas and category (embedded). */
export const measuresStep = 'measures';

/** An H3 grid built by the run (ensureH3UnitSet): its cells clipped and stored, then its people assigned. */
export const gridCellsStep = 'H3 grid: cells';
export const gridDemandStep = 'H3 grid: demand assigned';

/** The step a statement of executeRun belongs to, from the start of its SQL (raw) or its kind (builder). */
function stepOf(node: RootOperationNode): string {
  if (node.kind === 'RawNode') {
    const head = node.sqlFragments.join(' ').trim().replaceAll(/\s+/g, ' ').toLowerCase();
    if (head.startsWith('with pairs') || head.startsWith('select u.id as unit_id, u.population,')) return measuresStep;
    if (head.startsWith('select count(*)::int as count from service_at_location')) return 'service counts';
    if (head.startsWith('select sal.id from service_at_location')) return 'service counts';
    if (head.startsWith('insert into gap_analysis_result')) return 'result writes';
    if (
      /^with .{0,40}select (sal\.id as supply_id, sum\(beyond|distinct beyond\.id|sal\.id from service_at_location)/.test(
        head,
      )
    ) {
      return 'people beyond the boundary';
    }
    if (head.startsWith('with points') || head.startsWith('select st_y(st_centroid')) return 'duplication (DBSCAN)';
    if (head.startsWith('set local jit')) return 'run bookkeeping and missing actors';
    if (head.startsWith('select st_asgeojson(st_collectionextract') || head.startsWith('insert into analysis_unit ')) {
      return gridCellsStep;
    }
    if (/^(select dp\.id from|select nearest\.id|update analysis_unit u|select distinct dp\.region_code)/.test(head)) {
      return gridDemandStep;
    }
    return 'other SQL';
  }
  return 'run bookkeeping and missing actors';
}

/**
 * Times each statement the application sends, from compilation to its rows: a plugin sees every query of
 * the Kysely instance it is added to, transactions included, without changing them.
 */
class StatementTimer implements KyselyPlugin {
  readonly #started = new WeakMap<object, { step: string; start: number }>();
  readonly totals: StepTimes = {};

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.#started.set(args.queryId, { step: stepOf(args.node), start: performance.now() });
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const started = this.#started.get(args.queryId);
    if (started) this.totals[started.step] = (this.totals[started.step] ?? 0) + elapsedMs(started.start);
    return args.result;
  }
}

export interface AppRecompute {
  runId: string;
  totalMs: number;
  steps: StepTimes;
}

/**
 * The full recompute as the API starts it, with the slicing the API uses in that mode: createRun (not timed: the
 * request's insert), then executeRun to the end (run lookup, every measure query, judging and summary in Node,
 * the results, then the summary and "done").
 */
export async function runAppRecompute(
  db: Kysely<Database>,
  allianceId: string,
  parameters: GapAnalysisParameters,
  options: { dataDir: string; slicing: Slicing },
): Promise<AppRecompute> {
  const runId = await createRun(db, allianceId, parameters);
  const timer = new StatementTimer();
  let unexpected: unknown;
  const start = performance.now();
  await executeRun(db.withPlugin(timer), runId, {
    ...options,
    onUnexpectedError: (error) => {
      unexpected = error;
    },
  });
  const totalMs = elapsedMs(start);
  const run = await db
    .selectFrom('gap_analysis_run')
    .select(['status', 'error'])
    .where('id', '=', runId)
    .executeTakeFirstOrThrow();
  if (run.status !== 'done') {
    throw new Error(`The application's run ended ${run.status}: ${run.error ?? ''} ${String(unexpected ?? '')}`);
  }
  const inSql = Object.values(timer.totals).reduce((sum, ms) => sum + ms, 0);
  return { runId, totalMs, steps: { ...timer.totals, 'Node (judging, JSON, between statements)': totalMs - inSql } };
}
