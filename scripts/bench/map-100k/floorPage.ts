import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { projectRoot } from '../../../server/src/config.js';

/**
 * The floor `/map` is measured against: a bare MapLibre page, no framework, that draws the same base map as the
 * app's offline style (sea, the low-zoom countries below zoom 4 and the detailed ones from zoom 4, as
 * `followCountryDetail` does) and the same service tiles (`/api/tiles/services/…?alliance=…`) as plain circles,
 * cells and services alike, in a map of the same size as the app's (the side panel's 24rem left empty). It marks
 * `passerelle:map-idle` on every idle, and `bench:drawn` on the first idle with the service tiles drawn.
 */
export function floorPage(allianceSlug: string, bbox: readonly number[]): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bare MapLibre</title><link rel="stylesheet" href="/maplibre-gl.css">
<style>html,body{margin:0;height:100%}#map{position:absolute;inset:0 24rem 0 0}@media (max-width:48rem){#map{inset:0 0 45% 0}}</style>
</head><body><div id="map"></div><script type="module">
import { Map, setWorkerUrl } from '/maplibre-gl.mjs';
setWorkerUrl(location.origin + '/maplibre-gl-worker.mjs');
const land = { 'fill-color': '#f5f2ea' };
const border = { 'line-color': '#a8a29e', 'line-width': 1 };
const map = new Map({
  container: 'map',
  bounds: ${JSON.stringify(bbox)},
  fitBoundsOptions: { padding: { top: 32, bottom: 32, left: 32, right: 64 } },
  renderWorldCopies: false,
  style: {
    version: 8,
    sources: {
      low: { type: 'geojson', data: location.origin + '/api/basemap/countries-low.geojson' },
      detailed: { type: 'geojson', data: location.origin + '/api/basemap/countries.geojson' },
      services: {
        type: 'vector', minzoom: 0, maxzoom: 14,
        tiles: [location.origin + '/api/tiles/services/{z}/{x}/{y}.mvt?alliance=${allianceSlug}'],
      },
    },
    layers: [
      { id: 'sea', type: 'background', paint: { 'background-color': '#c9dfec' } },
      { id: 'low', type: 'fill', source: 'low', maxzoom: 4, paint: land },
      { id: 'low-border', type: 'line', source: 'low', maxzoom: 4, paint: border },
      { id: 'detailed', type: 'fill', source: 'detailed', minzoom: 4, paint: land },
      { id: 'detailed-border', type: 'line', source: 'detailed', minzoom: 4, paint: border },
      { id: 'services', type: 'circle', source: 'services', 'source-layer': 'services',
        paint: { 'circle-radius': ['case', ['has', 'count'], 14, 6], 'circle-color': '#1e3a5f' } },
    ],
  },
});
let drawn = false;
map.on('idle', () => {
  performance.mark('passerelle:map-idle');
  if (!drawn && map.queryRenderedFeatures({ layers: ['services'] }).length > 0) {
    drawn = true;
    performance.mark('bench:drawn');
  }
});
</script></body></html>`;
}

/**
 * Serves the floor page and MapLibre's own files (gzipped, as the app sends its chunks), and passes `/api/` on to
 * the app as it answers (compressed bytes untouched), so that the floor's requests cross the same throttled network
 * and the same server as the app's.
 */
export async function startFloorServer(
  appOrigin: string,
  page: string,
): Promise<{ origin: string; close: () => void }> {
  const dist = path.join(projectRoot, 'node_modules/maplibre-gl/dist');
  const app = new URL(appOrigin);
  const zipped = new Map<string, Buffer>();
  const server = http.createServer((request, response) => {
    const url = request.url ?? '/';
    if (url.startsWith('/api/')) {
      const upstream = http.request(
        { host: app.hostname, port: app.port, path: url, method: request.method, headers: request.headers },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      upstream.on('error', () => response.writeHead(502).end());
      request.pipe(upstream);
      return;
    }
    const name = url.split('?')[0]!;
    if (name === '/') return response.writeHead(200, { 'content-type': 'text/html' }).end(page);
    if (!/^\/maplibre-gl[a-z-]*\.(mjs|css)$/.test(name)) return response.writeHead(404).end();
    const file = path.join(dist, path.basename(name));
    if (!fs.existsSync(file)) return response.writeHead(404).end();
    if (!zipped.has(file)) zipped.set(file, gzipSync(fs.readFileSync(file)));
    response
      .writeHead(200, {
        'content-type': name.endsWith('.css') ? 'text/css' : 'text/javascript',
        'content-encoding': 'gzip',
      })
      .end(zipped.get(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('The floor server has no port');
  return { origin: `http://127.0.0.1:${address.port}`, close: () => server.close() };
}
