import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { projectRoot } from '../../server/src/config.js';
import { openDatabase, scriptDatabaseTimeouts } from '../../server/src/db/database.js';
import { migrateToLatest } from '../../server/src/db/migrate.js';
import { dropDatabase, recreateDatabase } from './lib/benchDatabase.js';
import { describeMachine, writeReportSection } from './lib/benchmarkReport.js';
import { parsePositive } from './lib/cliNumbers.js';
import { runClosedLoop, type ThroughputResult } from './lib/closedLoop.js';
import { type CpuSplit, measureWhenQuiet } from './lib/machineLoad.js';
import { elapsedMs } from './lib/stats.js';
import { type ApiLoadResult, loadApi, startApiServer } from './nearby/apiLoad.js';
import { loadSyntheticServices } from './nearby/syntheticServices.js';

/**
 * Uncached service tiles per second from the API (`GET /api/tiles/services/{z}/{x}/{y}.mvt?alliance=bench`,
 * anonymous, no If-None-Match) against the raw `ST_AsMVT` floor for the same tiles, at zooms 12, 13 and 14, on
 * uniform and clustered data, in the same run on the same database (server mode); the embedded mode's API is
 * measured at a smaller size, with no floor (its PostGIS has no `ST_AsMVT`). See scripts/bench/README.md.
 */
const start = performance.now();
function log(line: string): void {
  process.stdout.write(`[tiles ${(elapsedMs(start) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
}

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000' },
    'embedded-size': { type: 'string', default: '10000' },
    distributions: { type: 'string', default: 'uniform,clustered' },
    zooms: { type: 'string', default: '12,13,14' },
    duration: { type: 'string', default: '8' },
    connections: { type: 'string', default: '10' },
    tiles: { type: 'string', default: '300' },
    'quiet-wait': { type: 'string', default: '20' },
    'no-report': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    database: { type: 'string', default: 'passerelle_bench_tiles' },
  },
});
const sizes = values.sizes ? values.sizes.split(',').map((size) => parsePositive('sizes', size)) : [];
const embeddedSize = values['embedded-size'] ? Number(values['embedded-size']) : 0;
const distributions = values.distributions.split(',') as ('uniform' | 'clustered')[];
const zooms = values.zooms.split(',').map((zoom) => parsePositive('zooms', zoom));
const seconds = parsePositive('duration', values.duration);
const connections = parsePositive('connections', values.connections);
const tileCount = parsePositive('tiles', values.tiles);
const quietWait = parsePositive('quiet-wait', values['quiet-wait']);
const databaseUrl = process.env.DATABASE_URL;
const databaseName = values.database;

interface Tile {
  z: number;
  x: number;
  y: number;
}

/** The tile under a point. */
function tileAt(lon: number, lat: number, z: number): Tile {
  const n = 2 ** z;
  const latRad = (lat * Math.PI) / 180;
  return {
    z,
    x: Math.floor(((lon + 180) / 360) * n),
    y: Math.floor(((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * n),
  };
}

/** The tiles the loads walk: under `count` services drawn at random (seeded), so that busy places weigh more. */
async function sampleTiles(url: string | undefined, embeddedDir: string, z: number): Promise<Tile[]> {
  const handle = openDatabase({
    databaseUrl: url,
    embeddedDataDir: embeddedDir,
    databaseTimeouts: scriptDatabaseTimeouts,
  });
  try {
    await sql`select setseed(0.7)`.execute(handle.db);
    const { rows } = await sql<{ lon: number; lat: number }>`
      select ST_X(geog::geometry) as lon, ST_Y(geog::geometry) as lat from service_at_location
      order by random() limit ${tileCount}`.execute(handle.db);
    return rows.map((row) => tileAt(row.lon, row.lat, z));
  } finally {
    await handle.close();
  }
}

/** The floor: one prepared `ST_AsMVT` statement over the table the near-me search reads, id and category. */
const rawTileSql = `
  select ST_AsMVT(t, 'services', 4096, 'geom') as tile from (
    select sal.service_id as id, sal.category,
           ST_AsMVTGeom(ST_Transform(sal.geog::geometry, 3857), ST_TileEnvelope($1, $2, $3), 4096, 0, false) as geom
    from service_at_location sal
    where sal.geog && ST_Transform(ST_TileEnvelope($1, $2, $3), 4326)::geography
  ) t where geom is not null`;

interface Row {
  mode: 'server' | 'embedded';
  size: number;
  distribution: string;
  z: number;
  raw?: ThroughputResult & { cpu?: CpuSplit; bytes: number };
  api: ApiLoadResult & { cpu?: CpuSplit; bytes: number };
}

const paths = (tiles: Tile[]) => tiles.map((t) => `/api/tiles/services/${t.z}/${t.x}/${t.y}.mvt?alliance=bench`);

async function meanApiBytes(origin: string, tiles: Tile[]): Promise<number> {
  let bytes = 0;
  const sample = tiles.slice(0, 20);
  for (const path of paths(sample)) bytes += (await (await fetch(origin + path)).arrayBuffer()).byteLength;
  return bytes / sample.length;
}

async function measureServer(size: number, distribution: 'uniform' | 'clustered', rows: Row[]): Promise<void> {
  const url = await recreateDatabase(databaseUrl!, databaseName);
  const loader = openDatabase({ databaseUrl: url, embeddedDataDir: '', databaseTimeouts: scriptDatabaseTimeouts });
  try {
    await migrateToLatest(loader.db);
    log(`server ${size} ${distribution}: loading`);
    await loadSyntheticServices(loader.db, size, 42, log, distribution);
  } finally {
    await loader.close();
  }
  const pool = new pg.Pool({ connectionString: url, max: connections });
  const server = await startApiServer({ databaseUrl: url });
  try {
    for (const z of zooms) {
      const tiles = await sampleTiles(url, '', z);
      const rawTile = async (index: number) => {
        const t = tiles[index % tiles.length]!;
        return pool.query({ name: 'raw_tile', text: rawTileSql, values: [t.z, t.x, t.y] });
      };
      let rawBytes = 0;
      for (const t of tiles.slice(0, 20)) {
        const { rows: answer } = await pool.query({ name: 'raw_tile', text: rawTileSql, values: [t.z, t.x, t.y] });
        rawBytes += (answer[0]?.tile as Buffer | null)?.length ?? 0;
      }
      const raw = await measureWhenQuiet(
        { databaseName, log, maxWaitS: quietWait, warmup: () => runClosedLoop(connections, 2, rawTile) },
        () => runClosedLoop(connections, seconds, rawTile),
      );
      log(
        `  z${z} raw ST_AsMVT: ${raw.result.perSecond.toFixed(0)} tiles/s, p95 ${raw.result.latency.p95.toFixed(1)} ms`,
      );
      const api = await measureWhenQuiet(
        { databaseName, log, maxWaitS: quietWait, warmup: () => loadApi(server.origin, paths(tiles), connections, 2) },
        () => loadApi(server.origin, paths(tiles), connections, seconds),
      );
      log(
        `  z${z} API: ${api.result.requestsPerSecond.toFixed(0)} tiles/s, p95 ${api.result.latency.p95.toFixed(1)} ms, ` +
          `non-2xx ${api.result.non2xx} → ${(api.result.requestsPerSecond / raw.result.perSecond).toFixed(2)}×`,
      );
      rows.push({
        mode: 'server',
        size,
        distribution,
        z,
        raw: { ...raw.result, cpu: raw.cpu, bytes: rawBytes / 20 },
        api: { ...api.result, cpu: api.cpu, bytes: await meanApiBytes(server.origin, tiles) },
      });
    }
  } finally {
    await server.stop();
    await pool.end();
    if (!values.keep) await dropDatabase(databaseUrl!, databaseName);
  }
}

async function measureEmbedded(size: number, distribution: 'uniform' | 'clustered', rows: Row[]): Promise<void> {
  const dir = path.join(projectRoot, `.tmp/bench-tiles-pglite-${distribution}`);
  fs.rmSync(dir, { recursive: true, force: true });
  const loader = openDatabase({
    databaseUrl: undefined,
    embeddedDataDir: dir,
    databaseTimeouts: scriptDatabaseTimeouts,
  });
  try {
    await migrateToLatest(loader.db);
    log(`embedded ${size} ${distribution}: loading`);
    await loadSyntheticServices(loader.db, size, 42, log, distribution);
  } finally {
    await loader.close();
  }
  const tilesByZoom = new Map<number, Tile[]>();
  for (const z of zooms) tilesByZoom.set(z, await sampleTiles(undefined, dir, z));
  const server = await startApiServer({ embeddedDir: dir });
  try {
    for (const z of zooms) {
      const tiles = tilesByZoom.get(z)!;
      const api = await measureWhenQuiet(
        { databaseName, log, maxWaitS: quietWait, warmup: () => loadApi(server.origin, paths(tiles), 4, 2) },
        () => loadApi(server.origin, paths(tiles), 4, seconds),
      );
      log(
        `  embedded z${z} API: ${api.result.requestsPerSecond.toFixed(0)} tiles/s, p95 ${api.result.latency.p95.toFixed(1)} ms`,
      );
      rows.push({
        mode: 'embedded',
        size,
        distribution,
        z,
        api: { ...api.result, cpu: api.cpu, bytes: await meanApiBytes(server.origin, tiles) },
      });
    }
  } finally {
    await server.stop();
    if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  if (databaseUrl) {
    for (const size of sizes) for (const distribution of distributions) await measureServer(size, distribution, rows);
  } else log('DATABASE_URL is not set: server mode skipped');
  if (embeddedSize > 0)
    for (const distribution of distributions) await measureEmbedded(embeddedSize, distribution, rows);
  if (values['no-report'] || rows.length === 0) return;

  const machine = describeMachine();
  const cores = (cpu: CpuSplit | undefined) =>
    cpu ? `${(cpu.bench + cpu.children + cpu.database).toFixed(2)} / ${cpu.others.toFixed(2)}` : '?';
  const kb = (bytes: number) => (bytes / 1024).toFixed(1);
  const line = (row: Row) => {
    const ratio = row.raw ? (row.api.requestsPerSecond / row.raw.perSecond).toFixed(2) + '×' : '—';
    return `| ${row.mode} | ${row.size.toLocaleString('en')} | ${row.distribution} | ${row.z} | ${row.raw ? row.raw.perSecond.toFixed(0) : '—'} | ${row.raw ? row.raw.latency.p95.toFixed(1) : '—'} | ${row.api.requestsPerSecond.toFixed(0)} | ${row.api.latency.p95.toFixed(1)} | **${ratio}** | ${row.raw ? kb(row.raw.bytes) : '—'} / ${kb(row.api.bytes)} | ${row.raw ? cores(row.raw.cpu) : '—'} | ${cores(row.api.cpu)} | ${row.api.non2xx} |`;
  };
  // One table a mode and size.
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = `${row.mode} ${row.size}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const tables = [...groups.values()]
    .map(
      (
        group,
      ) => `| Mode | Services | Data | Zoom | Raw tiles/s | Raw p95 ms | API tiles/s | API p95 ms | API / raw | Mean kB raw / API | Cores raw: bench / others | Cores API: bench / others | Non-2xx |
| ---- | -------: | ---- | ---: | ----------: | ---------: | ----------: | ---------: | --------: | ----------------: | ------------------------: | ------------------------: | ------: |
${group.map(line).join('\n')}`,
    )
    .join('\n\n');
  const [loadAverage] = os.loadavg();
  const markdown = `## Service tiles: \`GET /api/tiles/services/{z}/{x}/{y}.mvt\` (\`scripts/bench/tiles.ts\`)

Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine.cpus} × ${machine.cpuModel},
${machine.memoryGiB} GiB, Node ${machine.node}. Data: the near-me benchmark's loader (one alliance, N/5
organisations, a location a service, mainland France's box), uniform or clustered (40 towns, σ ≈ 5 km). The loads
walk ${tileCount} tiles per zoom, each under a service drawn at random (busy places weigh more), ${connections}
connections, ${seconds} s after a 2 s warm-up, each measurement after waiting (up to ${quietWait} s) for other
processes to use less than 0.3 cores; the machine was shared with other work (the "others" column). Load average at
the end: ${loadAverage!.toFixed(1)}.

- **Raw floor**: one prepared statement, \`ST_AsMVT\` of \`ST_AsMVTGeom\` over \`service_at_location\` (service id
  and category; the GiST index on its point), ${connections} \`pg\` callers: no join, no alliance filter, no hidden
  addresses, no name.
- **API**: the real application in a child process (autocannon over HTTP, anonymous, no \`If-None-Match\`, so every
  tile is computed): one walk of the map table \`service_map\` (each service once at its first placed location, its
  public and exact points in tile space, in spatial order), the alliance filter, the reader's points, name,
  organisation, town, precision, age (the alliance's calendar read once); its ETag query on \`map_change\`. Embedded mode: the same route, encoded in JS, 4
  connections (one PGlite session); no floor (no \`ST_AsMVT\` there).

${tables}

Target (issue 14): API ≥ 0.6× the raw floor at z12–14 at 1M services.
`;
  await writeReportSection(path.join(projectRoot, 'docs/benchmarks.md'), 'tiles', markdown);
  log('results written to docs/benchmarks.md');
}

await main();
