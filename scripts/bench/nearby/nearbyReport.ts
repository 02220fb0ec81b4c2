import type { MachineDescription } from '../lib/benchmarkReport.js';
import type { CpuSplit } from '../lib/machineLoad.js';
import type { LatencySummary } from '../lib/stats.js';
import type { BenchOptions } from './benchOptions.js';
import { type BenchMode, type NearbyResult, targets, throughputRatio } from './nearbyResult.js';
import { benchRegion, regionAreaKm2, townShare } from './syntheticServices.js';

export interface RunContext {
  date: Date;
  machine: MachineDescription;
  /** PostgreSQL and PostGIS versions and the settings that matter, when server mode ran. */
  postgres?: { version: string; postgis: string; sharedBuffers: string };
  pgliteVersion: string;
  options: BenchOptions;
  totalS: number;
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(value < 10 ? 2 : 1) : 'n/a');
const perSecond = (value: number) => Math.round(value).toLocaleString('en');
const count = (value: number) => value.toLocaleString('en');
const verdict = (pass: boolean) => (pass ? '**PASS**' : '**FAIL**');
const p50p95 = (latency: LatencySummary) => `${ms(latency.p50)} / ${ms(latency.p95)}`;

function sizeLabel(size: number): string {
  return size >= 1_000_000 && size % 1_000_000 === 0 ? `${size / 1_000_000}M` : `${size / 1000}k`;
}

const runLabel = (result: NearbyResult) => `${sizeLabel(result.size)} ${result.distribution}`;

interface TargetRow {
  target: string;
  where: string;
  measured: string;
  pass: boolean;
}

/** Each result checked against each target; the database target is defined at 1M services. */
export function targetRows(results: readonly NearbyResult[], connections: number): TargetRow[] {
  const rows: TargetRow[] = [];
  for (const result of results) {
    const where = `${result.mode} ${runLabel(result)}`;
    rows.push({
      target: `database p50 ≤ ${targets.databaseP50Ms} ms${result.size >= 1_000_000 ? '' : ' (defined at 1M)'}`,
      where,
      measured: `${ms(result.roundTrip.p50)} ms round trip (EXPLAIN execution ${ms(result.serverSide.execution.p50)} ms)`,
      pass: result.roundTrip.p50 <= targets.databaseP50Ms,
    });
    const ratio = throughputRatio(result);
    rows.push({
      target: `API ≥ ${targets.throughputRatio}× the floor's throughput`,
      where,
      measured: `${ratio.toFixed(2)}× (${perSecond(result.api.requestsPerSecond)} / ${perSecond(result.rawBaseline.result.perSecond)})`,
      pass: ratio >= targets.throughputRatio && result.api.non2xx === 0 && result.api.errors === 0,
    });
    rows.push({
      target: `API p95 ≤ ${targets.apiP95Ms} ms at ${connections} connections`,
      where,
      measured: `${ms(result.api.latency.p95)} ms`,
      pass: result.api.latency.p95 <= targets.apiP95Ms,
    });
  }
  return rows;
}

const cores = (value: number) => value.toFixed(2);

/** Who used the cores during the raw SQL run: in embedded mode, callers and database are this process. */
function rawCpuCell(cpu: CpuSplit | undefined, mode: BenchMode): string {
  if (!cpu) return '–';
  if (mode === 'embedded') return `callers + PGlite ${cores(cpu.bench)}, others ≥ ${cores(cpu.others)}`;
  return `pgbench ${cores(cpu.children)}, PostgreSQL ${cores(cpu.database)}, others ≥ ${cores(cpu.others)}`;
}

/** Who used the cores during the API run: autocannon is this process, the API its child. */
function apiCpuCell(cpu: CpuSplit | undefined, mode: BenchMode): string {
  if (!cpu) return '–';
  const server = mode === 'embedded' ? `API + PGlite ${cores(cpu.children)}` : `API ${cores(cpu.children)}`;
  const database = mode === 'server' ? `, PostgreSQL ${cores(cpu.database)}` : '';
  return `autocannon ${cores(cpu.bench)}, ${server}${database}, others ≥ ${cores(cpu.others)}`;
}

/** CPU time each query or request cost, from the cores busy and the rate; PGlite counts within its process. */
function perRequestCpuCell(result: NearbyResult): string {
  const { raw, api } = result.cpu;
  if (!raw || !api) return '–';
  const perQuery = (coresBusy: number, perSecond: number) => ms((coresBusy / perSecond) * 1000);
  const rawRate = result.rawBaseline.result.perSecond;
  const apiRate = result.api.requestsPerSecond;
  if (result.mode === 'embedded')
    return `${perQuery(raw.bench, rawRate)} / – / ${perQuery(api.children, apiRate)} (with PGlite)`;
  return `${perQuery(raw.database, rawRate)} / ${perQuery(api.database, apiRate)} / ${perQuery(api.children, apiRate)}`;
}

function modeTable(results: readonly NearbyResult[]): string {
  const header = `| | ${results.map((result) => `${runLabel(result)}`).join(' | ')} |`;
  const rule = `|---|${results.map(() => '---:').join('|')}|`;
  const row = (label: string, cell: (result: NearbyResult) => string) =>
    `| ${label} | ${results.map(cell).join(' | ')} |`;
  const lines = [
    header,
    rule,
    row('Load (s)', (r) => r.load.totalS.toFixed(1)),
    row('Database size (MB)', (r) => count(r.load.databaseMB)),
    row('Rows per query (mean, limit 20)', (r) => r.meanRows.toFixed(1)),
    row('DB round trip p50 / p95 (ms), 1 connection', (r) => p50p95(r.roundTrip)),
    row('Server-side planning + execution p50 / p95 (ms)', (r) => p50p95(r.serverSide.total)),
    row('… of which planning p50 (ms)', (r) => ms(r.serverSide.planning.p50)),
    row('… of which execution p50 / p95 (ms)', (r) => p50p95(r.serverSide.execution)),
    row('Index walked nearest first (KNN)', (r) => r.serverSide.knnIndex ?? '**none**'),
    row('Floor queries/s', (r) => perSecond(r.rawBaseline.result.perSecond)),
    row('Floor p50 / p95 (ms)', (r) => p50p95(r.rawBaseline.result.latency)),
    row("Application's SQL queries/s (run as the floor)", (r) => perSecond(r.appSql.perSecond)),
    row("Application's SQL p50 / p95 (ms)", (r) => p50p95(r.appSql.latency)),
    row("Application's SQL / floor", (r) => `${(r.appSql.perSecond / r.rawBaseline.result.perSecond).toFixed(2)}×`),
    row('API req/s', (r) => perSecond(r.api.requestsPerSecond)),
    row('API p50 / p95 / p99 (ms)', (r) => `${p50p95(r.api.latency)} / ${ms(r.api.latency.p99)}`),
    row('API non-2xx / errors / timeouts', (r) => `${r.api.non2xx} / ${r.api.errors} / ${r.api.timeouts}`),
    row('**API / floor**', (r) => `**${throughputRatio(r).toFixed(2)}×**`),
    row("API / application's SQL", (r) => `${(r.api.requestsPerSecond / r.appSql.perSecond).toFixed(2)}×`),
    row('Cores busy, floor run', (r) => rawCpuCell(r.cpu.raw, r.mode)),
    row('Cores busy, API run', (r) => apiCpuCell(r.cpu.api, r.mode)),
    row('CPU per request (ms): database in floor run / database in API run / API server', perRequestCpuCell),
    row('Other processes, DB latency run (cores)', (r) =>
      r.cpu.roundTrip ? `≥ ${cores(r.cpu.roundTrip.others)}` : '–',
    ),
  ];
  return lines.join('\n');
}

function modeSection(mode: BenchMode, results: readonly NearbyResult[]): string {
  const ofMode = results.filter((result) => result.mode === mode);
  if (ofMode.length === 0) return '';
  const title = mode === 'server' ? '### Server mode (PostgreSQL + PostGIS)' : '### Embedded mode (PGlite)';
  const raw = ofMode[0]!.rawBaseline.method;
  return `${title}\n\nFloor: ${raw}.\n\n${modeTable(ofMode)}\n`;
}

function methodSection(context: RunContext): string {
  const { options } = context;
  const area = regionAreaKm2(benchRegion);
  const densities = [...new Set([...options.serverSizes, ...options.embeddedSizes])]
    .sort((a, b) => a - b)
    .map((size) => {
      const withinRadius = (size / area) * Math.PI * (options.radiusM / 1000) ** 2;
      return `${sizeLabel(size)}: ${(size / area).toFixed(2)} services/km², ≈ ${withinRadius.toFixed(0)} within ${options.radiusM / 1000} km`;
    })
    .join('; ');
  return `### Method

- **Data**: a fresh database per size and distribution (server: \`passerelle_bench\`; embedded: a PGlite
  folder), migrated with \`migrateToLatest\`, then filled set-based (\`generate_series\`): one alliance, N/5
  organisations, N locations over the ${benchRegion.name} (${count(Math.round(area))} km²), N services (random
  category among the three, one in twenty inactive) and N \`service_at_location\` rows, whose statement trigger
  fills the application's search table \`service_search\` as it does for an import. **Uniform**: points evenly
  over the box (${densities}). **Clustered**: ${Math.round(townShare * 100)}% of the points around 40 seeded towns,
  town k's share falling as k^(-2/3) (the first holds about a quarter of them), each a Gaussian spot of
  σ = 1.5 + 6/(k+1) km, the rest evenly over the box: most services in a few dense towns, as in real regions.
  The row trigger filling \`service_at_location\`'s copies of category and point is disabled for that one INSERT,
  which fills both itself; foreign keys and all indexes stay. Then \`VACUUM ANALYZE\` and \`CHECKPOINT\`.
- **Floor**: the best raw query we could write for the same answer (\`nearby/floorQuery.ts\`), on a table of
  its own built after the load from the base tables, outside any timing: the active services at placed
  locations with only the answer's columns, written in spatial order (geohash), one GiST index on
  \`(geog, category)\`, no other index, vacuumed. Same rows, fields and order as the API (places at the same
  distance by service and location id); the first 50 answers are checked identical to the application's SQL.
- **Queries**: ${count(options.points)} seeded random points drawn as the services are (evenly, or mostly in the
  towns: people ask where they live), radius ${options.radiusM} m, limit ${options.limit}, every other query
  filtered on a category. The application's SQL is compiled from \`nearbyServicesQuery\`
  (server/src/domain/services/serviceRepository.ts).
- **Database latency**: the application's queries one after another on one connection, after one unmeasured pass
  (server: one \`pg\` client of the API's kind, which runs the query as a named prepared statement; embedded: the
  application's pool, where every call is parsed and planned). Server-side planning and execution times come
  from \`EXPLAIN (ANALYZE)\` of the first 200 queries as unnamed statements.
- **Floor and application's SQL, server**: pgbench, ${options.connections} connections, 2 threads,
  ${options.durationS} s after ${options.warmupS} s of warm-up, \`--protocol=prepared\`, one script per SQL text
  (with or without category), each transaction picking one of the same query points. pgbench is a separate C
  process that spends little CPU, leaving the most to PostgreSQL on two cores: the strictest floor.
- **Floor and application's SQL, embedded**: ${options.connections} concurrent callers of \`PGlite.query\` in one
  process.
- **API**: the real application (\`buildApp\`, logger off, pool of 20) listening on 127.0.0.1 in a child process;
  autocannon in the parent, ${options.connections} connections, ${options.durationS} s after ${options.warmupS} s
  of warm-up, rotating over the same query points; no \`Accept-Encoding\`, so responses are not compressed.
  A few answers are first checked against the SQL's row counts. p95 is computed from every response time.
- Load generator, server and database share the ${context.machine.cpus} cores, and so do other people's
  processes on a shared machine: each measurement waits (up to ${options.quietWaitS} s) for them to use less
  than 0.3 cores, and the tables show how the cores were spent during each run (from \`/proc\`; other
  processes that start and end within a run are missed, hence "≥").
`;
}

const readingNotes = `### Reading the results

- The database target is judged on the round trip at 1M. When the database is larger than PostgreSQL's
  \`shared_buffers\` (see the size row and the settings above), a query's pages often come from the operating
  system's cache instead, which costs more than a hit in PostgreSQL's own; a server sized for its data
  keeps them in \`shared_buffers\`.
- In server mode the API runs the near-me query as a named prepared statement
  (\`server/src/db/preparedStatements.ts\`): PostgreSQL parses and plans it once per connection, so the round
  trip pays neither; the planning row shows what each call would add otherwise. pgbench and the Node \`pg\`
  clients run it the same way. The embedded pool has no prepared statements: each call is parsed and planned.
- Throughput ratio: each request costs the API process CPU of its own (HTTP, validation, the \`pg\` client,
  JSON, and the kernel's work for two more sockets) on the same cores PostgreSQL needs, while pgbench costs
  almost nothing; the "cores busy" and "CPU per request" rows show the split. The cheaper the query, the more
  that fixed cost weighs in the ratio. "Application's SQL / floor" tells what the SQL itself loses to the floor;
  "API / application's SQL" what HTTP and Node cost on top.
- p95 at 20 connections: with 20 requests always in flight, latency follows throughput (Little's law: mean =
  20 / throughput). Where raw SQL itself is above 20 ms at p95 on these cores, the API cannot be below it.
- Embedded mode: PGlite is one session inside the API's process, so requests queue one after another and the
  database shares the event loop with HTTP; a 20-connection load measures that queue.
`;

export function renderNearbySection(context: RunContext, results: readonly NearbyResult[]): string {
  const { machine, postgres, options } = context;
  const database = postgres
    ? `${postgres.version}, PostGIS ${postgres.postgis}, shared_buffers ${postgres.sharedBuffers} (untuned)`
    : 'no PostgreSQL server (DATABASE_URL unset): server mode skipped';
  const rows = targetRows(results, options.connections);
  const targetTable = [
    '| Target | Where | Measured | Result |',
    '|---|---|---|---|',
    ...rows.map((row) => `| ${row.target} | ${row.where} | ${row.measured} | ${verdict(row.pass)} |`),
  ].join('\n');
  const busiest = Math.max(
    0,
    ...results.flatMap((result) => [
      result.cpu.raw?.others ?? 0,
      result.cpu.appSql?.others ?? 0,
      result.cpu.api?.others ?? 0,
    ]),
  );
  const loadWarning =
    busiest >= 0.5
      ? `**The machine was not quiet**: other processes used up to ${cores(busiest)} of the ${machine.cpus} cores ` +
        'during the throughput runs (see "cores busy"), unevenly from one run to the next, so these ratios and ' +
        'latencies do not judge the targets; re-run on a quiet machine.\n\n'
      : '';
  const plan = results.findLast((result) => result.mode === 'server') ?? results.at(-1);
  const planText = plan
    ? `### Plan of a category query (${plan.mode}, ${runLabel(plan)})\n\n\`\`\`\n${plan.serverSide.samplePlan}\n\`\`\`\n`
    : '';
  const sizesFlag =
    `--sizes=${options.serverSizes.join(',')} --embedded-sizes=${options.embeddedSizes.join(',')} ` +
    `--distributions=${options.distributions.join(',')}`;
  return `## Near-me (scripts/bench/nearby.ts)

Run on ${context.date.toISOString().slice(0, 16).replace('T', ' ')} UTC in ${(context.totalS / 60).toFixed(1)} min.
Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.platform}, Node ${machine.node}.
Database: ${database}; PGlite ${context.pgliteVersion}.

### Against the targets (docs: PRODUCT.md, "Performance targets")

${loadWarning}${targetTable}

${methodSection(context)}
${modeSection('server', results)}
${modeSection('embedded', results)}
${readingNotes}
${planText}
### Re-run

\`\`\`sh
source scripts/ci/start-postgres.sh   # or export DATABASE_URL of any PostgreSQL + PostGIS, as a role that may create databases
npx tsx scripts/bench/nearby.ts ${sizesFlag}
\`\`\`

See scripts/bench/README.md for the options.
`;
}
