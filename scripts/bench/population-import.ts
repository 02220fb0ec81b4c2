import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { projectRoot } from '../../server/src/config.js';
import { type BenchDatabase, dropDatabase, prepareGirondeDatabase, recreateDatabase } from './lib/benchDatabase.js';
import { describeMachine, writeReportSection } from './lib/benchmarkReport.js';
import { runBenchProcess } from './lib/benchProcess.js';
import { parsePositive } from './lib/cliNumbers.js';
import { writeSyntheticGeoTiff } from './population/syntheticGeoTiff.js';

/**
 * Import of a synthetic population raster into an alliance's demand (issue 11, "Performance"): a tiled,
 * deflate-compressed GeoTIFF of size × size cells over 5° × 5° around Gironde, imported by the application
 * (streaming, clipped to the boundary and its 30 km margin, cut into statements as the server cuts them) against a
 * plain read of the same windows with geotiff and unsliced batch inserts of the same cells, each in a process of its
 * own for its peak memory. See scripts/bench/README.md.
 */
const allianceId = '0b5e1c7e-1a2b-4c3d-8e9f-000000000111';
const benchDir = path.join(projectRoot, '.tmp/bench-population');
const serverDatabase = 'passerelle_bench_population';
const start = performance.now();

function log(line: string): void {
  process.stdout.write(`[population ${((performance.now() - start) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
}

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '10000' },
    'embedded-size': { type: 'string', default: '10000' },
    'no-report': { type: 'boolean', default: false },
  },
});
const serverSize = parsePositive('size', values.size);
const embeddedSize = parsePositive('embedded-size', values['embedded-size']);
const databaseUrl = process.env.DATABASE_URL;

function rasterOf(size: number): string {
  const file = path.join(benchDir, `synthetic-${size}.tif`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(benchDir, { recursive: true });
  log(`writing a ${size} × ${size} tiled deflate GeoTIFF to ${file}`);
  writeSyntheticGeoTiff(`${file}.part`, { width: size, height: size, west: -3, north: 47.5, cellDegrees: 5 / size });
  fs.renameSync(`${file}.part`, file);
  return file;
}

interface SideResult {
  ms: number;
  peakRssMb: number;
  read: number;
  kept: number;
  population: number;
}

const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), 'population/importProcess.ts');

function runSide(variant: 'app' | 'baseline', file: string, database: BenchDatabase): Promise<SideResult> {
  return runBenchProcess<SideResult>(entry, [variant, file], { database, allianceId }, variant);
}

interface ModeResult {
  mode: 'server' | 'embedded';
  size: number;
  fileMb: number;
  app: SideResult;
  baseline: SideResult;
}

async function measure(mode: ModeResult['mode'], size: number): Promise<ModeResult> {
  const file = rasterOf(size);
  let database: BenchDatabase;
  if (mode === 'server') {
    database = { databaseUrl: await recreateDatabase(databaseUrl!, serverDatabase) };
  } else {
    const embeddedDir = path.join(benchDir, `pglite-${size}`);
    fs.rmSync(embeddedDir, { recursive: true, force: true });
    database = { embeddedDir };
  }
  await prepareGirondeDatabase(database, allianceId);
  log(`${mode}: baseline (geotiff windows + batch inserts)`);
  const baseline = await runSide('baseline', file, database);
  log(`${mode}: application import`);
  const app = await runSide('app', file, database);
  if (mode === 'server') await dropDatabase(databaseUrl!, serverDatabase);
  else fs.rmSync(database.embeddedDir!, { recursive: true, force: true });
  return { mode, size, fileMb: fs.statSync(file).size / 1024 / 1024, app, baseline };
}

const count = (value: number) => Math.round(value).toLocaleString('en');

function report(results: ModeResult[]): string {
  const machine = describeMachine();
  const rows = results.map(
    (result) =>
      `| ${result.mode} | ${count(result.size)} × ${count(result.size)} (${result.fileMb.toFixed(0)} MiB) | ` +
      `${count(result.app.read)} | ${count(result.app.kept)} | ${(result.app.ms / 1000).toFixed(1)} s | ` +
      `${(result.baseline.ms / 1000).toFixed(1)} s | ${(result.app.ms / result.baseline.ms).toFixed(2)} | ` +
      `${result.app.peakRssMb.toFixed(0)} MiB | ${result.baseline.peakRssMb.toFixed(0)} MiB |`,
  );
  return `
## Population raster import (\`scripts/bench/population-import.ts\`)

A synthetic tiled (256 × 256), deflate-compressed GeoTIFF of 32-bit floats over 5° × 5° around Gironde
(EPSG:4326), imported into the demand of an alliance whose boundary is Gironde's: clipped to the boundary and its
30 km margin. The application (\`runSurfaceImport\`, cut into statements as the server cuts them) against a baseline
in the same run on the same database: the same windows read with geotiff a band of tiles at a time and inserted in
batches of 50,000 with the same clip, no progress, no slicing. Each side runs in a process of its own: the peak
memory is its own. ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${new Date().toISOString().slice(0, 16)} UTC.

| mode | raster | cells read | cells kept | application | baseline | ratio | peak RSS (app) | peak RSS (baseline) |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

Re-run: \`DATABASE_URL=… npx tsx scripts/bench/population-import.ts [--size 10000] [--embedded-size 10000]\`.
`;
}

const results: ModeResult[] = [];
if (databaseUrl) results.push(await measure('server', serverSize));
results.push(await measure('embedded', embeddedSize));
for (const result of results) {
  log(
    `${result.mode} ${result.size}²: read ${count(result.app.read)}, kept ${count(result.app.kept)}; app ` +
      `${(result.app.ms / 1000).toFixed(1)} s (${result.app.peakRssMb.toFixed(0)} MiB), baseline ` +
      `${(result.baseline.ms / 1000).toFixed(1)} s (${result.baseline.peakRssMb.toFixed(0)} MiB)`,
  );
}
if (!values['no-report']) {
  await writeReportSection(path.join(projectRoot, 'docs/benchmarks.md'), 'population-import', report(results));
}
