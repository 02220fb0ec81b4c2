/**
 * The workspace map's first view in Lighthouse (mobile: Moto G Power's screen, 4× CPU slowdown, slow 4G, simulated
 * throttling), against a floor measured in the same run: a bare page that draws the same base map (the offline
 * style's countries) and the same alliance's services with MapLibre, and nothing else.
 *
 *   npm run build && npx tsx scripts/bench/map-first-view.ts                    # starts the app (demo data)
 *   npx tsx scripts/bench/map-first-view.ts --url http://localhost:3000 --runs 5  # against a running app
 *
 * Writes its section of docs/benchmarks.md (`--no-write` to only print). Chromium: CHROME_PATH, else
 * /usr/bin/chromium, headless with --no-sandbox. "Map interactive" is the `passerelle:map-idle` mark, set when
 * the map is first idle (everything it asked for drawn), as observed on this machine: Lighthouse's simulation
 * throttles its metrics, not the page's own marks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { describeMachine, writeReportSection } from './lib/benchmarkReport.js';
import { waitForQuietMachine } from './lib/machineLoad.js';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    runs: { type: 'string', default: '3' },
    port: { type: 'string', default: '3917' },
    'no-write': { type: 'boolean', default: false },
    /** A folder to keep each run's Lighthouse report (JSON) in, to see where the time went. */
    'keep-reports': { type: 'string' },
  },
});
const runs = Number(args.runs);
const chromePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const log = (line: string) => console.log(line);

/** The app: the one named by --url, else one started here on the demo data. */
async function startApp(): Promise<{ url: string; stop: () => void }> {
  if (args.url) return { url: args.url.replace(/\/$/, ''), stop: () => {} };
  if (!fs.existsSync('web/dist/index.html')) throw new Error('web/dist is not built: run "npm run build" first.');
  const port = Number(args.port);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-map-first-view-'));
  // Node itself, with tsx as its loader, so that stopping the child stops the server.
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/src/server.ts'], {
    // Embedded, as a first start on the demo data: DATABASE_URL is left out.
    env: { ...withoutDatabaseUrl(process.env), PORT: String(port), PASSERELLE_DB_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The app stopped (exit ${child.exitCode}) before it was ready.`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (performance.now() - started > 300_000) throw new Error('The app was not ready after 5 minutes.');
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  log(`app ready at ${url} after ${Math.round((performance.now() - started) / 1000)} s`);
  return {
    url,
    stop: () => {
      child.kill('SIGTERM');
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function withoutDatabaseUrl(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { DATABASE_URL: _unused, ...rest } = env;
  return rest;
}

const baselinePage = (alliance: { slug: string; bbox: number[] }) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bare MapLibre</title><link rel="stylesheet" href="/maplibre-gl.css">
<style>html,body,#map{margin:0;height:100%}</style></head>
<body><div id="map"></div><script type="module">
import { Map, setWorkerUrl } from '/maplibre-gl.mjs';
setWorkerUrl(location.origin + '/maplibre-gl-worker.mjs');
const land = { 'fill-color': '#f5f2ea' };
const border = { 'line-color': '#a8a29e', 'line-width': 1 };
const map = new Map({
  container: 'map',
  bounds: ${JSON.stringify(alliance.bbox)},
  style: {
    version: 8,
    sources: {
      low: { type: 'geojson', data: location.origin + '/api/basemap/countries-low.geojson' },
      detailed: { type: 'geojson', data: location.origin + '/api/basemap/countries.geojson' },
      services: { type: 'geojson', data: location.origin + '/api/services.geojson?alliance=${alliance.slug}' },
    },
    layers: [
      { id: 'sea', type: 'background', paint: { 'background-color': '#c9dfec' } },
      { id: 'low', type: 'fill', source: 'low', maxzoom: 4, paint: land },
      { id: 'low-border', type: 'line', source: 'low', maxzoom: 4, paint: border },
      { id: 'detailed', type: 'fill', source: 'detailed', minzoom: 4, paint: land },
      { id: 'detailed-border', type: 'line', source: 'detailed', minzoom: 4, paint: border },
      { id: 'services', type: 'circle', source: 'services', paint: { 'circle-radius': 6, 'circle-color': '#1e3a5f' } },
    ],
  },
});
map.once('idle', () => performance.mark('passerelle:map-idle'));
</script></body></html>`;

/** Serves the bare page and MapLibre's files, and hands /api/ on to the app, so that both pages share an origin's rules. */
async function startBaseline(appUrl: string, alliance: { slug: string; bbox: number[] }) {
  const dist = path.resolve('node_modules/maplibre-gl/dist');
  const server = http.createServer((request, response) => {
    const url = request.url ?? '/';
    if (url.startsWith('/api/')) {
      const headers = { ...request.headers };
      delete headers.host;
      void fetch(appUrl + url, { headers: headers as Record<string, string> }).then(async (answer) => {
        const body = Buffer.from(await answer.arrayBuffer());
        const out: Record<string, string> = {};
        // fetch has decoded the body: pass it on plain, and compress it again like the app does.
        answer.headers.forEach((value, key) => {
          if (!['content-encoding', 'content-length', 'transfer-encoding'].includes(key)) out[key] = value;
        });
        const zipped = /gzip/.test(String(request.headers['accept-encoding'] ?? '')) ? gzipSync(body) : body;
        if (zipped !== body) out['content-encoding'] = 'gzip';
        response.writeHead(answer.status, out).end(zipped);
      });
      return;
    }
    const name = url.split('?')[0]!;
    if (name === '/') return response.writeHead(200, { 'content-type': 'text/html' }).end(baselinePage(alliance));
    // MapLibre's own files, as its package ships them (an ES module, its shared part, its worker and its CSS).
    const file = path.join(dist, path.basename(name));
    if (!/^\/maplibre-gl[a-z-]*\.(mjs|css)$/.test(name) || !fs.existsSync(file)) return response.writeHead(404).end();
    const type = name.endsWith('.css') ? 'text/css' : 'text/javascript';
    const body = fs.readFileSync(file);
    const zipped = /gzip/.test(String(request.headers['accept-encoding'] ?? '')) ? gzipSync(body) : body;
    response
      .writeHead(200, { 'content-type': type, ...(zipped !== body && { 'content-encoding': 'gzip' }) })
      .end(zipped);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('The baseline server has no port');
  return { url: `http://127.0.0.1:${address.port}/`, close: () => server.close() };
}

interface Measure {
  score: number;
  tbt: number;
  lcp: number;
  fcp: number;
  mainThread: number;
  mapIdle: number | null;
  load1: number;
}

async function measure(url: string, port: number): Promise<Measure> {
  const load1 = os.loadavg()[0]!;
  const result = await lighthouse(url, { port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] });
  if (!result) throw new Error(`Lighthouse gave no result for ${url}`);
  const { lhr } = result;
  if (args['keep-reports']) {
    fs.mkdirSync(args['keep-reports'], { recursive: true });
    const name = `${new URL(url).port}-${Date.now()}.json`;
    fs.writeFileSync(path.join(args['keep-reports'], name), JSON.stringify(lhr));
  }
  if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.message}`);
  const numeric = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
  const marks = (lhr.audits['user-timings']?.details as { items?: { name: string; startTime: number }[] } | undefined)
    ?.items;
  return {
    score: lhr.categories.performance?.score ?? Number.NaN,
    tbt: numeric('total-blocking-time'),
    lcp: numeric('largest-contentful-paint'),
    fcp: numeric('first-contentful-paint'),
    mainThread: numeric('mainthread-work-breakdown'),
    mapIdle: marks?.find((mark) => mark.name === 'passerelle:map-idle')?.startTime ?? null,
    load1,
  };
}

const median = (values: number[]) => {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const seconds = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : '—');

async function main() {
  const app = await startApp();
  let baseline: { url: string; close: () => void } | undefined;
  const chrome = await chromeLauncher.launch({
    chromePath,
    chromeFlags: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
  try {
    const { items } = (await (await fetch(`${app.url}/api/alliances`)).json()) as {
      items: { slug: string; bbox: number[] }[];
    };
    const alliance = items[0];
    if (!alliance) throw new Error('The app has no alliance: load the demo data.');
    baseline = await startBaseline(app.url, alliance);
    const pages = { app: `${app.url}/map`, baseline: baseline.url };
    // A first visit of each warms the server (the country layers are compressed on their first request).
    for (const url of Object.values(pages)) await measure(url, chrome.port);
    const results: Record<'app' | 'baseline', Measure[]> = { app: [], baseline: [] };
    const busy: number[] = [];
    for (let run = 1; run <= runs; run++) {
      for (const name of ['baseline', 'app'] as const) {
        const cores = await waitForQuietMachine(log, { maxCores: 0.5, maxWaitS: 60 });
        if (cores !== undefined) busy.push(cores);
        const result = await measure(pages[name], chrome.port);
        results[name].push(result);
        log(
          `run ${run} ${name}: score ${result.score.toFixed(2)}, TBT ${Math.round(result.tbt)} ms, LCP ${seconds(result.lcp)}, ` +
            `map idle ${result.mapIdle === null ? '—' : seconds(result.mapIdle)}, load ${result.load1.toFixed(2)}`,
        );
      }
    }
    const row = (name: 'app' | 'baseline', label: string) => {
      const all = results[name];
      const scores = all.map((result) => result.score);
      return (
        `| ${label} | ${median(scores).toFixed(2)} (${Math.min(...scores).toFixed(2)}–${Math.max(...scores).toFixed(2)}) | ` +
        `${Math.round(median(all.map((result) => result.tbt)))} ms | ${seconds(median(all.map((result) => result.lcp)))} | ` +
        `${seconds(median(all.map((result) => result.fcp)))} | ${seconds(median(all.map((result) => result.mainThread)))} | ` +
        `${seconds(median(all.map((result) => result.mapIdle ?? Number.NaN)))} |`
      );
    };
    const machine = describeMachine();
    const loads = [...results.app, ...results.baseline].map((result) => result.load1);
    const markdown = `## Workspace map, first view (Lighthouse mobile): \`map-first-view.ts\`

${new Date().toISOString().slice(0, 10)}, ${runs} runs of each page alternated, medians (score: median, then
lowest–highest). Lighthouse ${result_version()} (mobile, simulated throttling: 4× CPU, 150 ms RTT, 1.6 Mbps) driving
Debian Chromium headless. The app's \`/map\` signed out (so it opens on the first alliance, \`${alliance.slug}\`),
against a bare MapLibre page on the same base map (the low-zoom and detailed countries) and the same alliance's
services as circles. "Map idle" is the first time the map had drawn everything it asked for, as observed on this
machine (not simulated).

| page | performance score | TBT | LCP | FCP | main-thread work | map idle (observed) |
| --- | --- | --- | --- | --- | --- | --- |
${row('app', '`/map`')}
${row('baseline', 'bare MapLibre (floor)')}

Machine: ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}; load average
(1 min) during the runs ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}; other processes kept
${busy.length ? `${Math.min(...busy).toFixed(2)}–${Math.max(...busy).toFixed(2)}` : 'an unknown number of'} cores
busy just before each run (each run waits up to 60 s for them to use less than 0.5). Headless Chromium has no GPU
here: MapLibre's WebGL is drawn in software (SwiftShader), which Lighthouse counts as main-thread work ("other")
for both pages; a phone's GPU does that work instead.`;
    log(markdown);
    if (!args['no-write']) await writeReportSection(path.resolve('docs/benchmarks.md'), 'map-first-view', markdown);
  } finally {
    baseline?.close();
    await chrome.kill();
    app.stop();
  }
}

function result_version(): string {
  try {
    const file = path.resolve('node_modules/lighthouse/package.json');
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return '';
  }
}

await main();
