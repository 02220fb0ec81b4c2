import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { projectRoot } from '../../server/src/config.js';
import { openDatabase, scriptDatabaseTimeouts } from '../../server/src/db/database.js';
import { migrateToLatest } from '../../server/src/db/migrate.js';
import { serviceListObjects } from '../../server/src/domain/hsds/hsdsAssembly.js';
import { organizationsByIds, servicePage } from '../../server/src/domain/hsds/hsdsRepository.js';
import { publicReader } from '../../server/src/domain/locations/hiddenAddresses.js';
import { dropDatabase, recreateDatabase } from './lib/benchDatabase.js';
import { describeMachine, writeReportSection } from './lib/benchmarkReport.js';
import { parsePositive } from './lib/cliNumbers.js';
import { runClosedLoop } from './lib/closedLoop.js';
import { elapsedMs } from './lib/stats.js';
import { loadApi, startApiServer } from './nearby/apiLoad.js';
import { loadSyntheticServices } from './nearby/syntheticServices.js';

/**
 * `GET /api/hsds/services?per_page=50` at N services (server mode): the API's p95 and throughput at 20
 * connections, against the SQL behind one page (the page, its count, its organisations) run by 20 callers over
 * the same database in the same run. See scripts/bench/README.md.
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
    'no-report': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const size = parsePositive('size', values.size);
const seconds = parsePositive('duration', values.duration);
const connections = parsePositive('connections', values.connections);
const pages = parsePositive('pages', values.pages);
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

  // The raw SQL: the statements the route sends for one page, from 20 callers over a pool of 20.
  const database = openDatabase({ databaseUrl: url, embeddedDataDir: '' });
  let raw;
  let mapped;
  let withoutCount;
  try {
    const sqlOfPage = async (index: number) => {
      const page = { limit: perPage, offset: (index % pages) * perPage };
      const { rows } = await servicePage(database.db, publicReader, {}, page);
      await organizationsByIds(database.db, [...new Set(rows.map((row) => row.organization_id))]);
    };
    await runClosedLoop(connections, 2, sqlOfPage);
    raw = await runClosedLoop(connections, seconds, sqlOfPage);
    log(`raw SQL: ${raw.perSecond.toFixed(0)} pages/s, p95 ${raw.latency.p95.toFixed(1)} ms`);
    // Without the count (never what the route does): how much of a page the total costs.
    withoutCount = await runClosedLoop(connections, seconds, async (index) => {
      const { rows } = await sql<{ organization_id: string }>`
        select s.* from service s
        where s.id in (select id from service where status = 'active' order by id limit ${perPage}
                       offset ${(index % pages) * perPage})
        order by s.id`.execute(database.db);
      await organizationsByIds(database.db, [...new Set(rows.map((row) => row.organization_id))]);
    });
    log(
      `SQL without the count: ${withoutCount.perSecond.toFixed(0)} pages/s, p95 ${withoutCount.latency.p95.toFixed(1)} ms`,
    );
    // The same with the mapping to HSDS objects, still without HTTP: what the route adds besides Fastify.
    mapped = await runClosedLoop(connections, seconds, async (index) => {
      const page = { limit: perPage, offset: (index % pages) * perPage };
      const { rows } = await servicePage(database.db, publicReader, {}, page);
      await serviceListObjects(database.db, rows, { reader: publicReader });
    });
    log(`SQL + mapping: ${mapped.perSecond.toFixed(0)} pages/s, p95 ${mapped.latency.p95.toFixed(1)} ms`);
  } finally {
    await database.close();
  }

  const server = await startApiServer({ databaseUrl: url });
  let api;
  try {
    await loadApi(server.origin, paths, connections, 2);
    api = await loadApi(server.origin, paths, connections, seconds);
    log(
      `API: ${api.requestsPerSecond.toFixed(0)} requests/s, p95 ${api.latency.p95.toFixed(1)} ms, non-2xx ${api.non2xx}`,
    );
  } finally {
    await server.stop();
    if (!values.keep) await dropDatabase(databaseUrl!, databaseName);
  }

  const ratio = api.requestsPerSecond / raw.perSecond;
  // The machine may be shared: the load average says how much of it the benchmark had.
  const [loadAverage] = os.loadavg();
  log(
    `${api.latency.p95 <= 50 ? 'PASS' : 'FAIL'}  API p95 ≤ 50 ms at ${connections} connections: ${api.latency.p95.toFixed(1)} ms`,
  );
  log(`API throughput / raw SQL throughput: ${ratio.toFixed(2)}×`);
  if (values['no-report']) return;
  const machine = describeMachine();
  const markdown = `## HSDS read API: \`GET /api/hsds/services?per_page=50\` (\`scripts/bench/hsds-api.ts\`)

Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine.cpus} × ${machine.cpuModel},
${machine.memoryGiB} GiB, Node ${machine.node}; server mode (PostgreSQL), ${size.toLocaleString('en')} services
(${(size / 5).toLocaleString('en')} organisations, one alliance, one service in twenty inactive), anonymous reader
(active services only); the load walks pages 1–${pages} of 50, ${connections} connections, ${seconds} s after a
2 s warm-up. Load average at the end of the run: ${loadAverage!.toFixed(1)} on ${machine.cpus} cores (the
benchmark does not wait for a quiet machine).

| Measured (same database, same run)                                  | Pages/s | p50 ms | p95 ms | p99 ms |
| ------------------------------------------------------------------- | ------: | -----: | -----: | -----: |
| Raw SQL behind a page (page, count, organisations), ${connections} callers | ${raw.perSecond.toFixed(0)} | ${raw.latency.p50.toFixed(1)} | ${raw.latency.p95.toFixed(1)} | ${raw.latency.p99.toFixed(1)} |
| The same without the count (to show its share; not what the route does) | ${withoutCount.perSecond.toFixed(0)} | ${withoutCount.latency.p50.toFixed(1)} | ${withoutCount.latency.p95.toFixed(1)} | ${withoutCount.latency.p99.toFixed(1)} |
| SQL + mapping to HSDS objects, no HTTP                              | ${mapped.perSecond.toFixed(0)} | ${mapped.latency.p50.toFixed(1)} | ${mapped.latency.p95.toFixed(1)} | ${mapped.latency.p99.toFixed(1)} |
| API over HTTP (autocannon, ${connections} connections)                      | ${api.requestsPerSecond.toFixed(0)} | ${api.latency.p50.toFixed(1)} | ${api.latency.p95.toFixed(1)} | ${api.latency.p99.toFixed(1)} |

- **API p95 ≤ 50 ms at ${connections} connections: ${api.latency.p95 <= 50 ? 'met' : 'not met'}** (${api.latency.p95.toFixed(1)} ms).
- **API throughput = ${ratio.toFixed(2)}× the raw SQL's** (${api.non2xx} answers other than 2xx).
`;
  await writeReportSection(path.join(projectRoot, 'docs/benchmarks.md'), 'hsds-api', markdown);
  log('results written to docs/benchmarks.md');
}

await main();
