/**
 * A what-if adding one service to a finished gap analysis in minutes (issue 15: "≤ 2 s at that size": a 1M-edge
 * network, 10,000 areas, 1,000 services). See scripts/bench/README.md.
 *
 * Set-up (not timed as the target): a synthetic grid network (travel-time/syntheticRoads.ts), an alliance whose
 * boundary is the grid's box, `services` social-action services at seeded points, `units` imported-style square areas
 * (gap-analysis/unitGrid.ts), and a real travel run (createRun + executeRun, driving, 30 minutes, the application's
 * travel-time matrix), which writes its `gap_travel_pair` rows. Then, `--repeats` times, one scenario adding one
 * service at a seeded point:
 *
 * - **the route**: `POST /api/gap-analyses/:id/scenarios` through `app.inject` (the application built over the same
 *   database, the admin token), total time;
 * - **its parts**, the same functions the route calls, one after the other: the run's pairs read (`scenarioPairs`),
 *   the added point's one-column matrix (`addedPairs`), the sums before and after (`withScenario` +
 *   `compareScenario`);
 * - **the floor**: the best we could write for the same answer with what is already there: the added point and the
 *   areas snapped, and the driving graph in memory, beforehand (not timed); one single-source search from the
 *   added point's node over the reversed costs within the limit (the TypeScript Dijkstra) joined to the areas'
 *   nodes, then one read of the pairs of the areas it reached and of the locations those areas reach (what their
 *   new scores depend on). The sums are left out (arithmetic over a few thousand pairs): a lower bound. In server
 *   mode the same search by `pgr_drivingDistance` (which reads every edge each time) is timed beside it.
 *
 *   npx tsx scripts/bench/what-if.ts [--edges=1000000] [--units=10000] [--services=1000] [--minutes=30]
 *     [--embedded-edges=100000] [--embedded-units=2000] [--embedded-services=200] [--repeats=3] [--report]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../../server/src/app.js';
import { loadConfig, projectRoot } from '../../server/src/config.js';
import { type DatabaseHandle, openDatabase, scriptDatabaseTimeouts } from '../../server/src/db/database.js';
import { migrateToLatest } from '../../server/src/db/migrate.js';
import { ensureAdminToken } from '../../server/src/domain/admin/adminToken.js';
import { slicingFor } from '../../server/src/domain/gap-analysis/batchSizer.js';
import { createRun, executeRun, findRun } from '../../server/src/domain/gap-analysis/gapAnalysisRepository.js';
import type { GapAnalysisParameters } from '../../server/src/domain/gap-analysis/gapParameters.js';
import {
  addedPairs,
  compareScenario,
  scenarioPairs,
  withScenario,
} from '../../server/src/domain/gap-analysis/scenarios.js';
import { prepareGraphsOfLatestTravelRuns, travelMatrixOf } from '../../server/src/domain/gap-analysis/travelMatrix.js';
import { Searcher } from '../../server/src/domain/travel-time/dijkstra.js';
import { forgetProfileGraphs, profileGraph } from '../../server/src/domain/travel-time/graph.js';
import { edgesQuery } from '../../server/src/domain/travel-time/pgRouting.js';
import { snapPoints } from '../../server/src/domain/travel-time/snapping.js';
import { describeMachine, writeReportSection } from './lib/benchmarkReport.js';
import { dropDatabase, recreateDatabase } from './lib/benchDatabase.js';
import { parsePositive } from './lib/cliNumbers.js';
import { seededRandom } from './lib/stats.js';
import { insertUnitGrid } from './gap-analysis/unitGrid.js';
import { defaultGrid, insertRoadNetwork, type RandomGrid, writeRandomGrid } from './travel-time/syntheticRoads.js';

const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [key, value = 'true'] = arg.replace(/^--/, '').split('=');
    return [key!, value];
  }),
);
const option = (name: string, fallback: number) =>
  args.get(name) === '0' ? 0 : args.has(name) ? parsePositive(name, args.get(name)!) : fallback;
const sizes = {
  server: { edges: option('edges', 1_000_000), units: option('units', 10_000), services: option('services', 1_000) },
  embedded: {
    edges: option('embedded-edges', 100_000),
    units: option('embedded-units', 2_000),
    services: option('embedded-services', 200),
  },
};
const minutes = option('minutes', 30);
const repeats = option('repeats', 3);
const adminToken = 'bench-what-if-admin-token-0123456789';
const started = performance.now();
const log = (line: string) =>
  process.stdout.write(`[what-if ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);

function gridFor(edgeCount: number): RandomGrid {
  const side = Math.max(2, Math.round((1 + Math.sqrt(1 + 2 * edgeCount)) / 2));
  return { ...defaultGrid, columns: side, rows: side };
}

function boxOf(grid: RandomGrid) {
  return {
    name: 'grid',
    west: grid.origin.lon,
    south: grid.origin.lat,
    east: grid.origin.lon + (grid.columns - 1) * grid.spacing,
    north: grid.origin.lat + (grid.rows - 1) * grid.spacing,
  };
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

interface Prepared {
  allianceId: string;
  networkId: string;
  runId: string;
  unitSetId: string;
  grid: RandomGrid;
  parameters: GapAnalysisParameters;
  steps: Record<string, number>;
  pairs: number;
}

/** Everything a scenario starts from; the run is the application's own, with its travel-time matrix. */
async function prepare(
  handle: DatabaseHandle,
  size: { edges: number; units: number; services: number },
): Promise<Prepared> {
  const { db } = handle;
  const steps: Record<string, number> = {};
  const step = async <T>(name: string, work: () => Promise<T>) => {
    const { ms, value } = await timed(work);
    steps[name] = ms;
    log(`${handle.mode}: ${name} ${(ms / 1000).toFixed(1)} s`);
    return value;
  };
  await migrateToLatest(db);
  await ensureAdminToken(db, adminToken);
  const grid = gridFor(size.edges);
  const box = boxOf(grid);
  const allianceId = (
    await sql<{ id: string }>`
      insert into alliance (slug, name, country, timezone, languages, boundary)
      values ('bench', 'Benchmark alliance', 'FR', 'Europe/Paris', '{fr}',
              ST_Multi(ST_MakeEnvelope(${box.west}, ${box.south}, ${box.east}, ${box.north}, 4326)))
      returning id`.execute(db)
  ).rows[0]!.id;
  const networkId = await insertRoadNetwork(db, allianceId);
  await step(`${grid.columns}×${grid.rows} grid written`, async () => {
    await writeRandomGrid(db, networkId, grid);
    await sql`analyze road_edge`.execute(db);
    await sql`analyze road_node`.execute(db);
  });
  await step(`${size.services} services written`, async () => {
    const random = seededRandom(2);
    const lon = Array.from({ length: size.services }, () => box.west + random() * (box.east - box.west));
    const lat = Array.from({ length: size.services }, () => box.south + random() * (box.north - box.south));
    await sql`insert into organization (id, alliance_id, name) values (md5('bench-org')::uuid, ${allianceId}, 'Org')`.execute(
      db,
    );
    await sql`
      insert into location (id, organization_id, name, country, geog)
      select md5('l' || i)::uuid, md5('bench-org')::uuid, 'Site ' || i, 'FR',
             ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)::geography
      from unnest(${lon}::float8[], ${lat}::float8[]) with ordinality as p(lon, lat, i)`.execute(db);
    await sql`
      insert into service (id, organization_id, name, category, status, capacity)
      select md5('s' || i)::uuid, md5('bench-org')::uuid, 'Service ' || i, 'social_action', 'active', 1 + i % 5
      from generate_series(1, ${size.services}) as i`.execute(db);
    await sql`
      insert into service_at_location (id, service_id, location_id)
      select md5('a' || i)::uuid, md5('s' || i)::uuid, md5('l' || i)::uuid
      from generate_series(1, ${size.services}) as i`.execute(db);
  });
  const units = await step(`${size.units} areas written`, () => insertUnitGrid(db, box, size.units, 3));
  const parameters: GapAnalysisParameters = {
    units: { kind: 'imported', unitSetId: units.unitSetId },
    travel: 'drive',
    thresholdM: 10_000,
    thresholdMinutes: minutes,
    method: 'e2sfca',
    decay: 'stepped',
    belowMeanFraction: 0.5,
    duplicationRadiusM: 500,
    categories: ['social_action'],
    topics: [],
  };
  const runId = await createRun(db, allianceId, parameters);
  await step('the travel run (executeRun)', () =>
    executeRun(db, runId, {
      dataDir: path.join(projectRoot, 'data'),
      slicing: slicingFor(handle.mode),
      travelMatrix: travelMatrixOf(handle),
      onUnexpectedError: (error) => console.error(error),
    }),
  );
  const run = await findRun(db, runId);
  if (run?.status !== 'done') throw new Error(`The run ended ${run?.status}: ${run?.error}`);
  const { pairs } = (
    await sql<{ pairs: number }>`select count(*)::int as pairs from gap_travel_pair where run_id = ${runId}`.execute(db)
  ).rows[0]!;
  return { allianceId, networkId, runId, unitSetId: units.unitSetId, grid, parameters, steps, pairs };
}

interface Measured {
  route: number;
  pairsRead: number;
  matrix: number;
  sums: number;
  floor: number;
  floorSearch: number;
  pgRouting: number;
  areasReached: number;
  appAreasReached: number;
}

/** The floor's pairs read: those of the areas reached, and of the locations those areas reach. */
async function floorPairs(handle: DatabaseHandle, runId: string, unitIds: string[]) {
  const { rows } = await sql<{ n: number }>`
    with reached as (select unnest(${unitIds}::uuid[]) as unit_id),
    touched as (select distinct p.location_id from gap_travel_pair p join reached r using (unit_id) where p.run_id = ${runId})
    select count(*)::int as n from (
      select p.unit_id, p.location_id, p.seconds from gap_travel_pair p join touched t using (location_id)
      where p.run_id = ${runId}) pairs`.execute(handle.db);
  return rows[0]!.n;
}

let first: Measured | undefined;
let startPreparationMs = 0;

async function measure(
  handle: DatabaseHandle,
  prepared: Prepared,
  app: FastifyInstance,
): Promise<{ results: Measured[]; first: Measured; startPreparationMs: number }> {
  const { db, mode } = handle;
  const random = seededRandom(7);
  const box = boxOf(prepared.grid);
  const run = {
    id: prepared.runId,
    allianceId: prepared.allianceId,
    unitSetId: prepared.unitSetId,
    parameters: prepared.parameters,
  };
  const limitSeconds = minutes * 60;
  // The floor's preparation: the areas' nodes (the application snaps them again in each scenario).
  const { rows: areaRows } = await sql<{ id: string; lon: number; lat: number }>`
    select id, ST_X(centroid::geometry) as lon, ST_Y(centroid::geometry) as lat
    from analysis_unit where set_id = ${prepared.unitSetId} order by code`.execute(db);
  const areaNodes = await snapPoints(db, mode, prepared.networkId, 'drive', areaRows);
  const unitsByNode = new Map<number, string[]>();
  areaNodes.nodes.forEach((node, index) => {
    if (node > 0) unitsByNode.set(node, [...(unitsByNode.get(node) ?? []), areaRows[index]!.id]);
  });
  // A restart: no graph in memory, and the start prepares the graphs of the latest travel runs (startServer) before
  // the first what-if is asked for.
  forgetProfileGraphs();
  startPreparationMs = (await timed(() => prepareGraphsOfLatestTravelRuns(handle))).ms;
  log(`${mode}: the start prepared the driving graph in ${startPreparationMs.toFixed(0)} ms`);
  const results: Measured[] = [];
  for (let repeat = 0; repeat <= repeats; repeat++) {
    const point = {
      lon: box.west + (0.2 + 0.6 * random()) * (box.east - box.west),
      lat: box.south + (0.2 + 0.6 * random()) * (box.north - box.south),
    };
    const body = { label: `bench ${repeat}`, add: [{ ...point, category: 'social_action', capacity: 2 }], remove: [] };
    const route = await timed(() =>
      app.inject({
        method: 'POST',
        url: `/api/gap-analyses/${prepared.runId}/scenarios`,
        headers: { authorization: `Bearer ${adminToken}` },
        payload: body,
      }),
    );
    if (route.value.statusCode !== 201) throw new Error(`scenario: ${route.value.statusCode} ${route.value.body}`);
    const pairsRead = await timed(() => scenarioPairs(db, run));
    const matrix = await timed(() =>
      addedPairs(db, run, pairsRead.value.areas, body.add, {
        matrix: travelMatrixOf(handle),
        networkId: prepared.networkId,
      }),
    );
    const sums = await timed(async () =>
      compareScenario(
        pairsRead.value,
        withScenario(pairsRead.value, new Set(), [{ service: body.add[0]!, byArea: matrix.value.byArea[0]! }]),
        prepared.parameters,
      ),
    );
    // The floor.
    const added = await snapPoints(db, mode, prepared.networkId, 'drive', [point], undefined, 'arriving');
    const node = added.nodes[0]!;
    const budget = limitSeconds - added.accessSeconds[0]!;
    // The floor searches on the graph in memory (built, outside any timing, before the measured rounds).
    const graph = await profileGraph(db, mode, prepared.networkId, 'drive');
    const floorSearch = await timed(async () => {
      const reached: string[] = [];
      new Searcher(graph.reversed).search(node, budget, (reachedNode) => {
        reached.push(...(unitsByNode.get(reachedNode) ?? []));
      });
      return reached;
    });
    // For comparison, the same search by pgRouting (server mode), which reads the network's edges each time.
    const pgRouting =
      mode === 'server'
        ? await timed(() =>
            sql`
              select count(*) from pgr_drivingDistance(${edgesQuery(prepared.networkId, 'drive', 'reversed')},
                ${node}::int8, ${budget}::float8, directed => true)`.execute(db),
          )
        : { ms: Number.NaN };
    const floorRead = await timed(() => floorPairs(handle, prepared.runId, floorSearch.value));
    const measured: Measured = {
      route: route.ms,
      pairsRead: pairsRead.ms,
      matrix: matrix.ms,
      sums: sums.ms,
      floor: floorSearch.ms + floorRead.ms,
      floorSearch: floorSearch.ms,
      pgRouting: pgRouting.ms,
      areasReached: floorSearch.value.length,
      appAreasReached: matrix.value.byArea[0]!.size,
    };
    // The first round warms the other caches (the plans, the pages): reported apart.
    if (repeat > 0) results.push(measured);
    else first = measured;
    log(
      `${mode} ${repeat === 0 ? 'warm-up' : `#${repeat}`}: route ${measured.route.toFixed(0)} ms (pairs read ` +
        `${measured.pairsRead.toFixed(0)}, matrix ${measured.matrix.toFixed(0)}, sums ${measured.sums.toFixed(0)}); ` +
        `floor ${measured.floor.toFixed(0)} ms (search ${measured.floorSearch.toFixed(0)}); pgRouting search ` +
        `${measured.pgRouting.toFixed(0)} ms; areas reached ` +
        `${measured.appAreasReached} (floor ${measured.areasReached})`,
    );
  }
  return { results, first: first!, startPreparationMs };
}

interface ModeReport {
  mode: 'server' | 'embedded';
  size: { edges: number; units: number; services: number };
  prepared: Prepared;
  results: Measured[];
  first: Measured;
  startPreparationMs: number;
}

async function runMode(mode: 'server' | 'embedded', databaseUrl: string | undefined): Promise<ModeReport> {
  const size = sizes[mode];
  const name = 'passerelle_bench_what_if';
  const dir = path.join(projectRoot, '.tmp/bench-what-if-pglite');
  let url: string | undefined;
  if (mode === 'server') url = await recreateDatabase(databaseUrl!, name);
  else fs.rmSync(dir, { recursive: true, force: true });
  const handle = openDatabase({ databaseUrl: url, embeddedDataDir: dir, databaseTimeouts: scriptDatabaseTimeouts });
  let app: FastifyInstance | undefined;
  try {
    const prepared = await prepare(handle, size);
    log(`${mode}: ${prepared.pairs} pairs in the run`);
    app = await buildApp({
      config: { ...loadConfig({}), dataDir: path.join(projectRoot, 'data'), logLevel: 'silent' },
      database: handle,
      logger: false,
    });
    await app.ready();
    return { mode, size, prepared, ...(await measure(handle, prepared, app)) };
  } finally {
    await app?.close();
    await handle.close();
    if (mode === 'server') await dropDatabase(databaseUrl!, name);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

const ms = (value: number) => `${Math.round(value).toLocaleString('en')} ms`;
const count = (value: number) => Math.round(value).toLocaleString('en');

function report(reports: ModeReport[]): string {
  const machine = describeMachine();
  const lines = reports.map(({ mode, size, prepared, results }) => {
    const m = (key: keyof Measured) => median(results.map((result) => result[key]));
    return (
      `| ${mode} | ${count(size.edges)} edges (${prepared.grid.columns}×${prepared.grid.rows}), ${count(size.units)} ` +
      `areas, ${count(size.services)} services, ${count(prepared.pairs)} pairs | ${ms(m('route'))} | ${ms(m('pairsRead'))} | ` +
      `${ms(m('matrix'))} | ${ms(m('sums'))} | ${ms(m('floor'))} (search ${ms(m('floorSearch'))}) | ` +
      `${(m('route') / m('floor')).toFixed(1)}× | ${Number.isNaN(m('pgRouting')) ? '—' : ms(m('pgRouting'))} | ` +
      `${count(m('appAreasReached'))} |`
    );
  });
  const setups = reports.map(
    ({ mode, prepared, first, startPreparationMs }) =>
      `- ${mode}: ${Object.entries(prepared.steps)
        .map(([name, value]) => `${name} ${(value / 1000).toFixed(1)} s`)
        .join(', ')}; then a restart: no graph in memory, the start's preparation of the latest travel run's ` +
      `driving graph ${ms(startPreparationMs)}, and the first what-if after it (warm-up, not in the medians) ` +
      `${ms(first.route)} (one-column matrix ${ms(first.matrix)})`,
  );
  return `
## What-if with one added service (\`scripts/bench/what-if.ts\`)

Issue 15's target: a what-if adding one service answers in ≤ 2 s on a 1M-edge network with 10,000 areas and 1,000
services. A synthetic grid network (\`travel-time/syntheticRoads.ts\`), square areas over its box, services at seeded
points, a real travel run (driving, ${minutes} minutes, stepped E2SFCA; \`executeRun\` with the application's
travel-time matrix), then ${repeats} scenarios (after one warm-up) each adding one service at a seeded point, through
\`POST /api/gap-analyses/:id/scenarios\` (\`app.inject\`); its parts measured by calling the same functions; the floor:
one single-source search from the added point's node on the driving graph in memory (the TypeScript Dijkstra; the
graph built and the points snapped beforehand; the same search by \`pgr_drivingDistance\`, which reads the
network's edges each time, is shown beside it in server mode) and one read of the pairs the reached areas' scores depend
on (sums left out: a lower bound). Medians. ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB,
${new Date().toISOString().slice(0, 16)} UTC; load average ${loadAtStart.toFixed(2)} at the start, ${os
    .loadavg()[0]!
    .toFixed(
      2,
    )} at the end (${loadAtStart > 1.5 ? '**the machine was shared with other work: the times are upper bounds**' : 'a quiet machine'}).

| mode | size | route (total) | pairs read | one-column matrix | sums | floor | route / floor | raw pgRouting search | areas reached |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${lines.join('\n')}

Set-up (not part of the target):

${setups.join('\n')}

Re-run: \`DATABASE_URL=… npx tsx scripts/bench/what-if.ts --report\` (options in \`scripts/bench/README.md\`).
`;
}

const loadAtStart = os.loadavg()[0]!;
const databaseUrl = process.env.DATABASE_URL;
const reports: ModeReport[] = [];
if (databaseUrl && sizes.server.edges > 0) reports.push(await runMode('server', databaseUrl));
if (sizes.embedded.edges > 0) reports.push(await runMode('embedded', undefined));
const section = report(reports);
process.stdout.write(section);
if (args.has('report')) await writeReportSection(path.join(projectRoot, 'docs/benchmarks.md'), 'what-if', section);
