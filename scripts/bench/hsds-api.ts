import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { projectRoot } from '../../server/src/config.js';
import { openDatabase, scriptDatabaseTimeouts } from '../../server/src/db/database.js';
import { migrateToLatest } from '../../server/src/db/migrate.js';
import { serviceListObjects } from '../../server/src/domain/hsds/hsdsAssembly.js';
import { servicePage } from '../../server/src/domain/hsds/hsdsRepository.js';
import { publicReader } from '../../server/src/domain/locations/hiddenAddresses.js';
import { dropDatabase, recreateDatabase } from './lib/benchDatabase.js';
import { describeMachine, writeReportSection } from './lib/benchmarkReport.js';
import { parsePositive } from './lib/cliNumbers.js';
import { type ThroughputResult, runClosedLoop } from './lib/closedLoop.js';
import { waitForQuietMachine } from './lib/machineLoad.js';
import { elapsedMs } from './lib/stats.js';
import { type ApiLoadResult, loadApi, startApiServer } from './nearby/apiLoad.js';
import { loadSyntheticServices } from './nearby/syntheticServices.js';

/**
 * `GET /api/hsds/services?per_page=50` at N services (server mode): the API's p95 and throughput at 20
 * connections, against hand-written SQL for one page (the page with its organisations, the total from the
 * tally) run by 20 callers over the same database in the same run. See scripts/bench/README.md.
 */
const databaseName = 'passerelle_bench_hsds';
const start = performance.now();

function log(line: string): void {
  process.stdout.write(`[hsds-api ${(elapsedMs(start) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
}

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '20' },
    pages: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '3' },
    'no-report': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const size = parsePositive('size', values.size);
const seconds = parsePositive('duration', values.duration);
const connections = parsePositive('connections', values.connections);
const pages = parsePositive('pages', values.pages);
const rounds = parsePositive('rounds', values.rounds);
const perPage = 50;

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl)
  throw new Error('Set DATABASE_URL (a role that may create databases): this benchmark is server mode.');

/** The pages the load walks, each caller taking the next: the first `pages` pages of 50. */
const paths = Array.from({ length: pages }, (_, index) => `/api/hsds/services?per_page=${perPage}&page=${index + 1}`);

async function main(): Promise<void> {
  const url = await recreateDatabase(databaseUrl!, databaseName);
  const loader = openDatabase({ databaseUrl: url, embeddedDataDir: '', databaseTimeouts: scriptDatabaseTimeouts });
  try {
    await migrateToLatest(loader.db);
    log(`loading ${size} services`);
    await loadSyntheticServices(loader.db, size, 42, log);
    await sql`analyze`.execute(loader.db);
  } finally {
    await loader.close();
  }

  // The raw SQL, written by hand: one prepared statement for the page's services (the fields a list shows) with
  // their organisations' fields and the total from the tally, from 20 callers over a pool of 20. The route sends
  // the same one statement, built by Kysely, and maps the rows to HSDS objects.
  const database = openDatabase({ databaseUrl: url, embeddedDataDir: '' });
  const pool = new pg.Pool({ connectionString: url, max: connections });
  const server = await startApiServer({ databaseUrl: url });
  const rawRounds: ThroughputResult[] = [];
  const apiRounds: ApiLoadResult[] = [];
  const quiet: (number | undefined)[] = [];
  let mapped;
  let counting;
  try {
    const rawPage = (name: string, total: string) => async (index: number) => {
      await pool.query({
        name,
        text: `select t.total, p.* from (${total}) t
               left join lateral (
                 select s.id, s.organization_id, s.name, s.alternate_name, s.description, s.url, s.email,
                        s.status, s.interpretation_services, s.application_process, s.fees_description,
                        s.eligibility_description, s.updated_at, o.name as organization_name, o.alternate_name as organization_alternate_name,
                        o.description as organization_description, o.email as organization_email,
                        o.website as organization_website, o.legal_status as organization_legal_status,
                        o.parent_organization_id
                 from service s join organization o on o.id = s.organization_id
                 where s.id in (select id from service where status = 'active' order by id limit $1 offset $2)
               ) p on true
               order by p.id`,
        values: [perPage, (index % pages) * perPage],
      });
    };
    const tallied = rawPage(
      'raw_tallied',
      `select coalesce(sum(delta), 0)::int as total from service_tally where status = 'active'`,
    );
    await runClosedLoop(connections, 2, tallied);
    await loadApi(server.origin, paths, connections, 2);
    // Rounds alternate the two, each after waiting for a quiet machine, so that both meet the same moments.
    for (let round = 1; round <= rounds; round++) {
      quiet.push(await waitForQuietMachine(log, { maxCores: 0.3, maxWaitS: 60 }));
      const rawRound = await runClosedLoop(connections, seconds, tallied);
      rawRounds.push(rawRound);
      log(
        `round ${round}: raw SQL ${rawRound.perSecond.toFixed(0)} pages/s, p95 ${rawRound.latency.p95.toFixed(1)} ms`,
      );
      const apiRound = await loadApi(server.origin, paths, connections, seconds);
      apiRounds.push(apiRound);
      log(
        `round ${round}: API ${apiRound.requestsPerSecond.toFixed(0)} requests/s, p95 ${apiRound.latency.p95.toFixed(1)} ms, non-2xx ${apiRound.non2xx}`,
      );
    }
    // Counting the services instead (what a page with a search or a term filter must do): what the tally saves.
    counting = await runClosedLoop(
      connections,
      seconds,
      rawPage('raw_counting', `select count(*)::int as total from service where status = 'active'`),
    );
    log(`raw SQL counting: ${counting.perSecond.toFixed(0)} pages/s, p95 ${counting.latency.p95.toFixed(1)} ms`);
    // The route's SQL and mapping to HSDS objects, without HTTP: what the route costs besides Fastify.
    mapped = await runClosedLoop(connections, seconds, async (index) => {
      const page = { limit: perPage, offset: (index % pages) * perPage };
      const { rows } = await servicePage(database.db, publicReader, {}, page, 'list');
      await serviceListObjects(database.db, rows, { reader: publicReader });
    });
    log(`SQL + mapping: ${mapped.perSecond.toFixed(0)} pages/s, p95 ${mapped.latency.p95.toFixed(1)} ms`);
  } finally {
    await server.stop();
    await pool.end();
    await database.close();
    if (!values.keep) await dropDatabase(databaseUrl!, databaseName);
  }

  // The round of median p95 on each side.
  const middle = <T>(results: T[], p95: (result: T) => number) =>
    [...results].sort((a, b) => p95(a) - p95(b))[Math.floor(results.length / 2)]!;
  const raw = middle(rawRounds, (result) => result.latency.p95);
  const api = middle(apiRounds, (result) => result.latency.p95);
  const ratio = api.requestsPerSecond / raw.perSecond;
  const [loadAverage] = os.loadavg();
  log(
    `${api.latency.p95 <= 50 ? 'PASS' : 'FAIL'}  API p95 ≤ 50 ms at ${connections} connections (median of ${rounds} rounds): ${api.latency.p95.toFixed(1)} ms`,
  );
  log(`API throughput / raw SQL throughput: ${ratio.toFixed(2)}×`);
  if (values['no-report']) return;
  const machine = describeMachine();
  const cores = (value: number | undefined) => (value === undefined ? '?' : value.toFixed(2));
  const roundRows = apiRounds
    .map(
      (round, index) =>
        `| ${index + 1} | ${cores(quiet[index])} | ${rawRounds[index]!.perSecond.toFixed(0)} | ${rawRounds[index]!.latency.p95.toFixed(1)} | ${round.requestsPerSecond.toFixed(0)} | ${round.latency.p95.toFixed(1)} |`,
    )
    .join('\n');
  const markdown = `## HSDS read API: \`GET /api/hsds/services?per_page=50\` (\`scripts/bench/hsds-api.ts\`)

Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine.cpus} × ${machine.cpuModel},
${machine.memoryGiB} GiB, Node ${machine.node}; server mode (PostgreSQL), ${size.toLocaleString('en')} services
(${(size / 5).toLocaleString('en')} organisations, one alliance, one service in twenty inactive), anonymous reader
(active services only); the load walks pages 1–${pages} of 50, ${connections} connections, ${seconds} s per
measurement after a 2 s warm-up. The load generator, the application and PostgreSQL share the machine's
${machine.cpus} cores. ${rounds} rounds, each of the raw SQL then the API, after waiting (up to 60 s) for other
processes to use less than 0.3 cores; the table below gives the round of median p95 on each side. Load average at
the end of the run: ${loadAverage!.toFixed(1)}.

| Measured (same database, same run)                                  | Pages/s | p50 ms | p95 ms | p99 ms |
| ------------------------------------------------------------------- | ------: | -----: | -----: | -----: |
| Raw SQL: one prepared statement, the page with its organisations and the total from the tally, ${connections} callers | ${raw.perSecond.toFixed(0)} | ${raw.latency.p50.toFixed(1)} | ${raw.latency.p95.toFixed(1)} | ${raw.latency.p99.toFixed(1)} |
| The same counting the services for the total (as a filtered page must) | ${counting.perSecond.toFixed(0)} | ${counting.latency.p50.toFixed(1)} | ${counting.latency.p95.toFixed(1)} | ${counting.latency.p99.toFixed(1)} |
| The route's SQL and mapping to HSDS objects, no HTTP                | ${mapped.perSecond.toFixed(0)} | ${mapped.latency.p50.toFixed(1)} | ${mapped.latency.p95.toFixed(1)} | ${mapped.latency.p99.toFixed(1)} |
| API over HTTP (autocannon, ${connections} connections)                      | ${api.requestsPerSecond.toFixed(0)} | ${api.latency.p50.toFixed(1)} | ${api.latency.p95.toFixed(1)} | ${api.latency.p99.toFixed(1)} |

Every round:

| Round | Other processes (cores) | Raw SQL pages/s | Raw SQL p95 ms | API requests/s | API p95 ms |
| ----: | ----------------------: | --------------: | -------------: | -------------: | ---------: |
${roundRows}

- **API p95 ≤ 50 ms at ${connections} connections: ${api.latency.p95 <= 50 ? 'met' : 'not met'}** (${api.latency.p95.toFixed(1)} ms, median round).
- **API throughput = ${ratio.toFixed(2)}× the raw SQL's** (${apiRounds.reduce((sum, round) => sum + round.non2xx, 0)} answers other than 2xx).
`;
  await writeReportSection(path.join(projectRoot, 'docs/benchmarks.md'), 'hsds-api', markdown);
  log('results written to docs/benchmarks.md');
}

await main();
