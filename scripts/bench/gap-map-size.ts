/**
 * Where the gap analysis map stops being fast with GeoJSON: for 2k, 10k and 50k synthetic areas (square cells of
 * a grid, each with the measures of three subjects, as `results.geojson` writes them), the size of the GeoJSON
 * (raw and gzipped), the time to parse it, and the time from handing it to MapLibre (`setData`, fitted to the
 * areas, a classed fill and outlines as the gap map draws them) until the map is idle, at 1280 × 700 in headless
 * Chromium, unthrottled and with the CPU slowed 4× (a phone). Prints a table; nothing is written.
 *
 *   npx tsx scripts/bench/gap-map-size.ts [--sizes 0,2000,5000,10000,50000]
 *
 * Chromium: CHROMIUM_PATH, else /usr/bin/chromium. MapLibre is served from node_modules on 127.0.0.1.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const { values: args } = parseArgs({ options: { sizes: { type: 'string', default: '0,2000,5000,10000,50000' } } });
const sizes = args.sizes!.split(',').map(Number);
// 0 areas: what the map itself takes to become idle, to read the others against.
const subjects = ['social_action', 'professional_integration', 'health'];

/** N square areas over a block of Gironde's size, each with three subjects' measures. */
function syntheticAreas(count: number): string {
  const side = Math.ceil(Math.sqrt(count));
  const step = 1.6 / side;
  const features = [];
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  for (let i = 0; i < count; i++) {
    const west = -1.2 + (i % side) * step;
    const south = 44.2 + Math.floor(i / side) * step;
    const ring = [
      [west, south],
      [west + step, south],
      [west + step, south + step],
      [west, south + step],
      [west, south],
    ].map(([x, y]) => [Number(x!.toFixed(6)), Number(y!.toFixed(6))]);
    const properties: Record<string, unknown> = {
      unitId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      code: `A${i}`,
      name: null,
      population: Math.round(random() * 3000),
    };
    for (const subject of subjects) {
      Object.assign(properties, {
        [`${subject}.nearestDistanceM`]: Math.round(random() * 20000),
        [`${subject}.countWithin`]: Math.round(random() * 12),
        [`${subject}.supplyPer10k`]: random() * 5,
        [`${subject}.score2sfca`]: random() * 3,
        [`${subject}.scoreE2sfca`]: random() * 3,
        [`${subject}.flags`]: random() < 0.2 ? 'below_regional_mean' : '',
        [`${subject}.reason`]: null,
        [`${subject}.reasonCode`]: null,
      });
    }
    features.push({
      type: 'Feature',
      id: properties.unitId,
      geometry: { type: 'Polygon', coordinates: [ring] },
      properties,
    });
  }
  return JSON.stringify({ type: 'FeatureCollection', features });
}

const page = `<!doctype html><html><head><link rel="stylesheet" href="/dist/maplibre-gl.css"></head>
<body style="margin:0"><div id="map" style="width:1280px;height:700px"></div>
<script type="module">
import * as maplibregl from '/dist/maplibre-gl.mjs';
window.measure = async (url) => {
  const started = performance.now();
  const text = await (await fetch(url)).text();
  const fetched = performance.now();
  const data = JSON.parse(text);
  const parsed = performance.now();
  const map = new maplibregl.Map({ container: 'map', style: { version: 8, sources: {}, layers: [
    { id: 'bg', type: 'background', paint: { 'background-color': '#eef' } }] }, center: [-0.4, 45], zoom: 8 });
  await new Promise((resolve) => map.on('load', resolve));
  const handed = performance.now();
  map.addSource('gap', { type: 'geojson', data, promoteId: 'unitId' });
  map.addLayer({ id: 'fill', type: 'fill', source: 'gap', paint: { 'fill-color': ['step',
    ['to-number', ['get', 'social_action.scoreE2sfca'], 0], '#fee', 1, '#f99', 2, '#c00'] } });
  map.addLayer({ id: 'line', type: 'line', source: 'gap', paint: { 'line-color': '#fff', 'line-width': 0.5 } });
  map.fitBounds([-1.2, 44.2, 0.4, 45.8], { duration: 0 });
  await new Promise((resolve) => map.once('idle', resolve));
  const idle = performance.now();
  map.remove();
  return { fetchMs: fetched - started, parseMs: parsed - fetched, drawMs: idle - handed };
};
window.ready = true;
</script></body></html>`;

const dist = path.resolve('node_modules/maplibre-gl/dist');
const bodies = new Map<string, string>();
const server = http.createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (url === '/') return response.end(page);
  if (bodies.has(url)) return response.writeHead(200, { 'content-type': 'application/json' }).end(bodies.get(url));
  const file = path.join(dist, url.replace(/^\/dist\//, '').replace(/^\//, ''));
  if (!file.startsWith(dist) || !fs.existsSync(file)) return response.writeHead(404).end();
  const type = file.endsWith('.css') ? 'text/css' : 'text/javascript';
  response.writeHead(200, { 'content-type': type }).end(fs.readFileSync(file));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as { port: number }).port;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
});
console.log('| areas | GeoJSON | gzipped | parse | draw until idle | parse ×4 CPU | draw ×4 CPU |');
console.log('|---|---|---|---|---|---|---|');
for (const size of sizes) {
  const body = syntheticAreas(size);
  bodies.set(`/areas-${size}.json`, body);
  const results = [];
  for (const slowdown of [1, 4]) {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const cdp = await context.newCDPSession(tab);
    await tab.goto(`http://127.0.0.1:${port}/`);
    await tab.waitForFunction(() => (globalThis as unknown as { ready?: boolean }).ready === true);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: slowdown });
    results.push(
      await tab.evaluate(
        (url) => (globalThis as unknown as { measure: (u: string) => Promise<Record<string, number>> }).measure(url),
        `/areas-${size}.json`,
      ),
    );
    await context.close();
  }
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(
    `| ${size} | ${mb(body.length)} | ${mb(gzipSync(body).length)} | ${s(results[0]!.parseMs!)} | ` +
      `${s(results[0]!.drawMs!)} | ${s(results[1]!.parseMs!)} | ${s(results[1]!.drawMs!)} |`,
  );
}
await browser.close();
server.close();
