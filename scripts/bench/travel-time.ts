/**
 * The travel-time matrix at scale (issue 15): a generated grid road network, area points and service points, the
 * full matrix within a limit. Server mode: `travelTimeMatrix` (the pgRouting engine) against the raw pgRouting floor
 * (one `pgr_drivingDistance` over every service node, joined to the area nodes: no snapping, no JavaScript), and the
 * TypeScript engine; embedded mode: the TypeScript engine. See scripts/bench/README.md.
 *
 *   npx tsx scripts/bench/travel-time.ts [--edges=1000000] [--embedded-edges=200000] [--units=10000]
 *     [--services=1000] [--minutes=30] [--report]
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { projectRoot } from '../../server/src/config.js';
import { type DatabaseHandle, openDatabase, scriptDatabaseTimeouts } from '../../server/src/db/database.js';
import { migrateToLatest } from '../../server/src/db/migrate.js';
import { forgetProfileGraphs } from '../../server/src/domain/travel-time/graph.js';
import { edgesQuery } from '../../server/src/domain/travel-time/pgRouting.js';
import { snapPoints } from '../../server/src/domain/travel-time/snapping.js';
import { type TravelPoint, travelTimeMatrix } from '../../server/src/domain/travel-time/travelTimes.js';
import { describeMachine, writeReportSection } from './lib/benchmarkReport.js';
import { dropDatabase, recreateDatabase } from './lib/benchDatabase.js';
import { parsePositive } from './lib/cliNumbers.js';
import { seededRandom } from './lib/stats.js';
import { defaultGrid, insertRoadNetwork, type RandomGrid, writeRandomGrid } from './travel-time/syntheticRoads.js';

const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [key, value = 'true'] = arg.replace(/^--/, '').split('=');
    return [key!, value];
  }),
);
const option = (name: string, fallback: number) => (args.has(name) ? parsePositive(name, args.get(name)!) : fallback);
const edges = option('edges', 1_000_000);
const embeddedEdges = args.get('embedded-edges') === '0' ? 0 : option('embedded-edges', 200_000);
const units = option('units', 10_000);
const services = option('services', 1_000);
const minutes = option('minutes', 30);
const limitSeconds = minutes * 60;

/** The square grid with about that many edges (2·n·(n−1)). */
function gridFor(edgeCount: number): RandomGrid {
  const side = Math.max(2, Math.round((1 + Math.sqrt(1 + 2 * edgeCount)) / 2));
  return { ...defaultGrid, columns: side, rows: side };
}

function pointsIn(grid: RandomGrid, count: number, seed: number): TravelPoint[] {
  const random = seededRandom(seed);
  const width = (grid.columns - 1) * grid.spacing;
  const height = (grid.rows - 1) * grid.spacing;
  return Array.from({ length: count }, () => ({
    lon: grid.origin.lon + random() * width,
    lat: grid.origin.lat + random() * height,
  }));
}

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);
const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T; peakMiB: number }> {
  peakRss = process.memoryUsage().rss;
  const start = performance.now();
  const value = await work();
  const ms = performance.now() - start;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  return { ms, value, peakMiB: mib(peakRss) };
}

async function prepare(handle: DatabaseHandle, grid: RandomGrid) {
  await migrateToLatest(handle.db);
  const alliance = await sql<{ id: string }>`
    insert into alliance (slug, name, country, timezone, languages)
    values ('roads', 'Roads', 'FR', 'Europe/Paris', '{fr}') returning id`.execute(handle.db);
  const networkId = await insertRoadNetwork(handle.db, alliance.rows[0]!.id);
  const load = await timed(() => writeRandomGrid(handle.db, networkId, grid));
  await sql`analyze road_edge`.execute(handle.db);
  await sql`analyze road_node`.execute(handle.db);
  return { networkId, loadMs: load.ms };
}

interface Row {
  what: string;
  ms: number;
  pairs: number;
  peakMiB: number;
}

const rows: Row[] = [];
const notes: string[] = [];
const seconds = (ms: number) => (ms / 1000).toFixed(1);

async function serverMode(databaseUrl: string) {
  const name = 'passerelle_bench_travel_time';
  const url = await recreateDatabase(databaseUrl, name);
  const handle = openDatabase({ databaseUrl: url, embeddedDataDir: '', databaseTimeouts: scriptDatabaseTimeouts });
  try {
    const grid = gridFor(edges);
    const { networkId, loadMs } = await prepare(handle, grid);
    notes.push(`server: ${grid.columns}×${grid.rows} grid written in ${seconds(loadMs)} s`);
    const from = pointsIn(grid, units, 1);
    const to = pointsIn(grid, services, 2);
    const request = { networkId, profile: 'drive' as const, from, to, limitSeconds };

    const app = await timed(() => travelTimeMatrix(handle, request));
    rows.push({
      what: `server, travelTimeMatrix (${app.value.engine})`,
      ms: app.ms,
      pairs: app.value.length,
      peakMiB: app.peakMiB,
    });

    // The floor: the same search, on the nodes the matrix snapped to (snapped outside the timing).
    const fromNodes = [...new Set((await snapPoints(handle.db, 'server', networkId, 'drive', from)).nodes)].filter(
      (n) => n > 0,
    );
    const toNodes = [
      ...new Set((await snapPoints(handle.db, 'server', networkId, 'drive', to, undefined, 'arriving')).nodes),
    ].filter((n) => n > 0);
    const floor = await timed(async () => {
      const { rows: found } = await sql<{ t: number; s: number; seconds: number }>`
        select d.from_v as t, d.node as s, d.agg_cost as seconds
        from pgr_drivingDistance(${edgesQuery(networkId, 'drive', 'reversed')}, ${toNodes}::int8[], ${limitSeconds}::float8,
          directed => true) d
        join unnest(${fromNodes}::int8[]) as a(node) on a.node = d.node`.execute(handle.db);
      return found.length;
    });
    rows.push({
      what: 'server, raw pgr_drivingDistance (floor, node pairs)',
      ms: floor.ms,
      pairs: floor.value,
      peakMiB: floor.peakMiB,
    });
    notes.push(`server: travelTimeMatrix / floor = ${(app.ms / floor.ms).toFixed(2)}× (target ≤ 1.2×)`);

    forgetProfileGraphs();
    const cold = await timed(() => travelTimeMatrix(handle, request, 'typescript'));
    rows.push({
      what: 'server, TypeScript engine, graph read from the database',
      ms: cold.ms,
      pairs: cold.value.length,
      peakMiB: cold.peakMiB,
    });
    const warm = await timed(() => travelTimeMatrix(handle, request, 'typescript'));
    rows.push({
      what: 'server, TypeScript engine, graph cached',
      ms: warm.ms,
      pairs: warm.value.length,
      peakMiB: warm.peakMiB,
    });
    if (warm.value.length !== app.value.length)
      notes.push(`server: the engines disagree on the pair count (${warm.value.length} vs ${app.value.length})`);
  } finally {
    await handle.close();
    await dropDatabase(databaseUrl, name);
  }
}

async function embeddedMode() {
  const dir = path.join(projectRoot, '.tmp/bench-travel-time-pglite');
  fs.rmSync(dir, { recursive: true, force: true });
  const handle = openDatabase({ databaseUrl: undefined, embeddedDataDir: dir });
  try {
    const grid = gridFor(embeddedEdges);
    const { networkId, loadMs } = await prepare(handle, grid);
    notes.push(`embedded: ${grid.columns}×${grid.rows} grid written in ${seconds(loadMs)} s`);
    const request = {
      networkId,
      profile: 'drive' as const,
      from: pointsIn(grid, units, 1),
      to: pointsIn(grid, services, 2),
      limitSeconds,
    };
    forgetProfileGraphs();
    const cold = await timed(() => travelTimeMatrix(handle, request));
    rows.push({
      what: `embedded (${grid.columns}×${grid.rows} grid), TypeScript engine, graph read`,
      ms: cold.ms,
      pairs: cold.value.length,
      peakMiB: cold.peakMiB,
    });
    const warm = await timed(() => travelTimeMatrix(handle, request));
    rows.push({
      what: `embedded (${grid.columns}×${grid.rows} grid), TypeScript engine, graph cached`,
      ms: warm.ms,
      pairs: warm.value.length,
      peakMiB: warm.peakMiB,
    });
  } finally {
    await handle.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl) await serverMode(databaseUrl);
if (embeddedEdges > 0) await embeddedMode();
clearInterval(sampler);

const machine = describeMachine();
const table = [
  '| Run | Time (s) | Pairs within the limit | Peak RSS of the process (MiB) |',
  '| --- | ---: | ---: | ---: |',
  ...rows.map((row) => `| ${row.what} | ${seconds(row.ms)} | ${row.pairs.toLocaleString('en')} | ${row.peakMiB} |`),
].join('\n');
const markdown = `## Travel-time matrix (\`travel-time.ts\`)

${edges.toLocaleString('en')} edges in server mode, ${embeddedEdges.toLocaleString('en')} in embedded mode (random grids,
driving costs 10–120 s, 10% one-way, 5% closed to cars), ${units.toLocaleString('en')} area points,
${services.toLocaleString('en')} service points, limit ${minutes} min. ${machine.cpus} cores (${machine.cpuModel}),
Node ${machine.node}; the machine was shared with other work during the run.

${table}

${notes.map((note) => `- ${note}`).join('\n')}
`;
console.log(markdown);
if (args.has('report')) await writeReportSection(path.join(projectRoot, 'docs/benchmarks.md'), 'travel-time', markdown);
