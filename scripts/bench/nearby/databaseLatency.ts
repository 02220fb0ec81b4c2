import {
  type CompiledQuery,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
} from 'kysely';
import type { Database } from '../../../server/src/db/schema.js';
import { elapsedMs, type LatencySummary, LoopBudget, summarizeLatencies } from '../lib/stats.js';

/** Runs one SQL statement with its parameters and returns its rows: a `pg` client, a pool, PGlite. */
export type SqlRunner = (sql: string, parameters: readonly unknown[]) => Promise<{ rows: unknown[] }>;

/** A Kysely that compiles PostgreSQL and connects to nothing: the SQL is the same whatever runs it. */
export function compileOnlyDb(): Kysely<Database> {
  return new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
}

export interface RoundTripResult {
  latency: LatencySummary;
  /** Mean number of rows a query returned: below the limit, the whole radius was searched. */
  meanRows: number;
  /** Rows returned by each query of the list, by position, to check the API answers alike. */
  rowCounts: number[];
}

/**
 * Client-side round trips of the queries one after another, on one connection,
 * as the API pays them: with `run` a client of the API's kind, the prepared
 * statement is bound and executed in server mode, while embedded each call is
 * parsed, planned and executed. A first pass over the list warms the caches
 * and is not counted.
 */
export async function measureRoundTrips(
  run: SqlRunner,
  queries: readonly CompiledQuery[],
  maxSeconds: number,
): Promise<RoundTripResult> {
  const warmup = new LoopBudget(queries.length, maxSeconds / 2);
  while (warmup.take()) {
    const query = queries[warmup.done - 1]!;
    await run(query.sql, query.parameters);
  }
  const budget = new LoopBudget(queries.length, maxSeconds / 2);
  const latencies: number[] = [];
  const rowCounts: number[] = [];
  while (budget.take()) {
    const query = queries[budget.done - 1]!;
    const start = performance.now();
    const result = await run(query.sql, query.parameters);
    latencies.push(elapsedMs(start));
    rowCounts.push(result.rows.length);
  }
  const meanRows = rowCounts.reduce((sum, count) => sum + count, 0) / Math.max(1, rowCounts.length);
  return { latency: summarizeLatencies(latencies), meanRows, rowCounts };
}

export interface ServerSideResult {
  planning: LatencySummary;
  execution: LatencySummary;
  /** Planning + execution, as the server spends it, without the network and the client. */
  total: LatencySummary;
  /**
   * The index that every sampled plan walked in
   * distance order (KNN), or undefined when some plan did not.
   */
  knnIndex: string | undefined;
  /** The plan of `planQuery`, as EXPLAIN ANALYZE prints it without timings. */
  samplePlan: string;
}

interface ExplainNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Order By'?: string;
  Plans?: ExplainNode[];
}

/** The index this plan walks nearest first, if any. */
function knnIndexOf(node: ExplainNode): string | undefined {
  if (node['Index Name'] && node['Order By']) return node['Index Name'];
  for (const child of node.Plans ?? []) {
    const found = knnIndexOf(child);
    if (found) return found;
  }
  return undefined;
}

function explainJson(rows: unknown[]): { Plan: ExplainNode; 'Planning Time': number; 'Execution Time': number } {
  const cell = Object.values(rows[0] as Record<string, unknown>)[0];
  const parsed = typeof cell === 'string' ? JSON.parse(cell) : cell;
  return (parsed as [{ Plan: ExplainNode; 'Planning Time': number; 'Execution Time': number }])[0];
}

/**
 * Server-side time of a sample of the queries, from EXPLAIN ANALYZE: how long
 * PostgreSQL plans and executes them, whatever the client and the network.
 * The timing instrumentation itself adds a little to the execution time.
 */
export async function measureServerSide(
  run: SqlRunner,
  queries: readonly CompiledQuery[],
  options: { sampleSize: number; maxSeconds: number; planQuery: CompiledQuery },
): Promise<ServerSideResult> {
  const budget = new LoopBudget(Math.min(options.sampleSize, queries.length), options.maxSeconds);
  const planning: number[] = [];
  const execution: number[] = [];
  const knnIndexes = new Set<string | undefined>();
  while (budget.take()) {
    const query = queries[budget.done - 1]!;
    const { rows } = await run(`explain (analyze, format json) ${query.sql}`, query.parameters);
    const explained = explainJson(rows);
    planning.push(explained['Planning Time']);
    execution.push(explained['Execution Time']);
    knnIndexes.add(knnIndexOf(explained.Plan));
  }
  const { planQuery } = options;
  const { rows } = await run(
    `explain (analyze, costs off, timing off, summary off) ${planQuery.sql}`,
    planQuery.parameters,
  );
  const samplePlan = rows.map((row) => String(Object.values(row as Record<string, unknown>)[0])).join('\n');
  return {
    planning: summarizeLatencies(planning),
    execution: summarizeLatencies(execution),
    total: summarizeLatencies(planning.map((time, index) => time + execution[index]!)),
    knnIndex: knnIndexes.size === 1 ? [...knnIndexes][0] : undefined,
    samplePlan,
  };
}
