/**
 * The workspace map (`/map`) of an alliance of 100,000 services (issue 14: interactive within 2 s) on a throttled
 * machine, uniform and clustered, against a floor in the same run: a bare MapLibre page drawing the same base map and
 * the same service tiles (map-100k/floorPage.ts).
 *
 *   DATABASE_URL=postgres://… npx tsx scripts/bench/map-100k.ts [--size=100000] [--runs=3] [--no-report]
 *
 * Needs `npm run build` first and Debian's Chromium (CHROMIUM_PATH, /usr/bin/chromium by default). Server mode:
 * a database of its own (`passerelle_bench_map`, dropped at the end), filled by the near-me benchmark's loader.
 *
 * "Interactive" is two things, both measured from navigation, in a fresh browser context (no cache):
 * - drawn: the first moment the map shows the alliance's services (service or count markers in the page, which
 *   the marker layer adds when the map is idle with the service tiles loaded) and the side panel's list is usable
 *   (it lists services, says there are none, or asks to zoom in: no longer "loading");
 * - a first pan answered: right after that, a drag of the map (mouse, 240 × 120 px); answered when the map is idle
 *   again after the drag (the `passerelle:map-idle` mark, set on every idle), its markers and list following.
 * Interactive = drawn + the pan's answer. The floor's "drawn" is its first idle with service tiles rendered.
 */
import path from 'node:path';
import os from 'node:os';
import { chromium, type Browser, type Page, type Request } from 'playwright-core';
import { openDatabase, scriptDatabaseTimeouts } from '../../server/src/db/database.js';
import { migrateToLatest } from '../../server/src/db/migrate.js';
import { projectRoot } from '../../server/src/config.js';
import { databaseUrlOn, dropDatabase, recreateDatabase } from './lib/benchDatabase.js';
import { describeMachine, writeReportSection } from './lib/benchmarkReport.js';
import { parsePositive } from './lib/cliNumbers.js';
import { waitForQuietMachine } from './lib/machineLoad.js';
import { startApiServer } from './nearby/apiLoad.js';
import { loadSyntheticServices, type Distribution } from './nearby/syntheticServices.js';
import { floorPage, startFloorServer } from './map-100k/floorPage.js';

const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, '').split('=');
    return [key!, value ?? 'true'] as const;
  }),
);
const size = parsePositive('size', args.get('size') ?? '100000');
const distributions = (args.get('distributions') ?? 'uniform,clustered').split(',') as Distribution[];
const runs = parsePositive('runs', args.get('runs') ?? '3');
const report = !args.has('no-report');
const [width, height] = (args.get('viewport') ?? '1280x800').split('x').map(Number) as [number, number];
const databaseUrl = process.env.DATABASE_URL;
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!databaseUrl) {
  console.error('Set DATABASE_URL (a role that may create databases): the benchmark runs in server mode.');
  process.exit(2);
}

const CPU_SLOWDOWN = 4;
const NETWORK = { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 };
const databaseName = 'passerelle_bench_map';
const TIMEOUT_MS = 120_000;

interface PageRun {
  drawnMs: number;
  panMs: number;
  /** Each request: path, start and end (ms from navigation), bytes over the wire. */
  requests: { path: string; startMs: number; endMs: number; bytes: number }[];
  longTasksMs: number;
  longestTaskMs: number;
}

const failedRun: PageRun = { drawnMs: NaN, panMs: NaN, requests: [], longTasksMs: NaN, longestTaskMs: NaN };

const median = (values: number[]) => {
  const finished = values.filter(Number.isFinite).sort((a, b) => a - b);
  return finished.length === 0 ? Number.NaN : finished[Math.floor(finished.length / 2)]!;
};

/** The page's own state, written as text: this runs in the page, whose types the scripts' TypeScript does not load. */
const pageProbe = (drawn: string) => `(() => {
  const state = { longTasks: [], drawnAt: 0, dragEnd: 0 };
  window.__bench = state;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) state.longTasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: true });
  const check = () => {
    if (!state.drawnAt && (${drawn})) state.drawnAt = performance.now();
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true });
  new PerformanceObserver(check).observe({ type: 'mark', buffered: true });
  window.addEventListener('mouseup', () => (state.dragEnd = performance.now()), true);
})()`;

/** The app: markers of the services in the page, and the list past "loading". */
const appDrawn = `document.querySelector('.service-marker, .service-cluster') &&
  document.querySelector('[data-testid="service-list"], [data-testid="service-list-zoom-in"], [data-testid="service-list-empty"]')`;
const floorDrawn = `performance.getEntriesByName('bench:drawn').length > 0`;

/**
 * Polls a condition in the page (a string evaluated by the debugger, which the page's Content-Security-Policy allows,
 * unlike `waitForFunction`'s).
 */
async function until(page: Page, condition: string): Promise<void> {
  const deadline = performance.now() + TIMEOUT_MS;
  while (!(await page.evaluate(`Boolean(${condition})`))) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${condition}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function measurePage(browser: Browser, url: string, drawn: string, mapSelector: string): Promise<PageRun> {
  const context = await browser.newContext({ viewport: { width, height }, serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', NETWORK);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    const requests: PageRun['requests'] = [];
    let navigationStart = 0;
    // The context's events include the requests of MapLibre's worker (its tiles and GeoJSON), which the page's
    // own CDP session does not see.
    const inFlight = new Set<Request>();
    let lastEnd = 0;
    // What the map itself draws (MapLibre's tiles and layers), not what the page asks for besides (town labels).
    const mapData = (request: Request) => /\/api\/(tiles\/|basemap\/countries)/.test(request.url());
    context.on('request', (request) => {
      if (mapData(request)) inFlight.add(request);
    });
    context.on('requestfailed', (request) => inFlight.delete(request));
    context.on('requestfinished', (request) => {
      inFlight.delete(request);
      if (mapData(request)) lastEnd = Math.max(lastEnd, request.timing().startTime + request.timing().responseEnd);
      void request.sizes().then(
        (sizes) => {
          const timing = request.timing();
          const startMs = timing.startTime - navigationStart;
          const address = new URL(request.url());
          requests.push({
            path: decodeURIComponent(address.pathname + address.search),
            startMs,
            endMs: startMs + timing.responseEnd,
            bytes: sizes.responseBodySize + sizes.responseHeadersSize,
          });
        },
        () => {},
      );
    });
    await page.addInitScript({ content: pageProbe(drawn) });
    navigationStart = Date.now();
    await page.goto(url, { waitUntil: 'commit' });
    await until(page, 'window.__bench && window.__bench.drawnAt > 0');
    const drawnMs = (await page.evaluate('window.__bench.drawnAt')) as number;
    // A first pan: a drag across the map, then the next idle.
    const box = (await page.locator(mapSelector).first().boundingBox())!;
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x - 120, y - 60, { steps: 3 });
    await page.mouse.move(x - 240, y - 120, { steps: 3 });
    await page.mouse.up();
    // Answered: the map idle again after the drag and after every request the move made has ended (an idle
    // between the drag and the tiles it asks for would say nothing).
    const dragEnd = (await page.evaluate('performance.timeOrigin + window.__bench.dragEnd')) as number;
    let answeredAt = 0;
    const deadline = performance.now() + TIMEOUT_MS;
    while (!answeredAt) {
      if (performance.now() > deadline) throw new Error('The pan was not answered in time');
      await new Promise((resolve) => setTimeout(resolve, 50));
      const idles = (await page.evaluate(
        `performance.getEntriesByName('passerelle:map-idle').map((mark) => performance.timeOrigin + mark.startTime)`,
      )) as number[];
      if (inFlight.size > 0) continue;
      answeredAt = idles.find((at) => at > dragEnd && at >= lastEnd) ?? 0;
    }
    const measured = {
      panMs: answeredAt - dragEnd,
      ...((await page.evaluate(`(() => {
        const tasks = window.__bench.longTasks;
        return { longTasksMs: tasks.reduce((sum, duration) => sum + duration, 0), longestTaskMs: Math.max(0, ...tasks) };
      })()`)) as Pick<PageRun, 'longTasksMs' | 'longestTaskMs'>),
    };
    return { drawnMs, ...measured, requests: requests.sort((a, b) => a.startMs - b.startMs) };
  } finally {
    await context.close();
  }
}

async function tryPage(...args: Parameters<typeof measurePage>): Promise<PageRun> {
  try {
    return await measurePage(...args);
  } catch (error) {
    console.log(`  a run failed: ${String(error).split('\n')[0]}`);
    return failedRun;
  }
}

interface Row {
  distribution: Distribution;
  app: PageRun[];
  floor: PageRun[];
  loadAverage: number[];
  busyCores: number[];
}

async function benchDistribution(browser: Browser, distribution: Distribution): Promise<Row> {
  console.log(`\n${size} services, ${distribution}`);
  await recreateDatabase(databaseUrl!, databaseName);
  const url = databaseUrlOn(databaseUrl!, databaseName);
  const database = openDatabase({ databaseUrl: url, embeddedDataDir: '', databaseTimeouts: scriptDatabaseTimeouts });
  try {
    await migrateToLatest(database.db);
    await loadSyntheticServices(database.db, size, 42, (line) => console.log(line), distribution);
  } finally {
    await database.close();
  }
  const server = await startApiServer({ databaseUrl: url });
  const { items } = (await (await fetch(`${server.origin}/api/alliances`)).json()) as {
    items: { slug: string; bbox: number[] }[];
  };
  const alliance = items.find((item) => item.slug === 'bench')!;
  const floor = await startFloorServer(server.origin, floorPage(alliance.slug, alliance.bbox));
  try {
    // A first visit of each warms the server (the country layers are compressed on their first request).
    await tryPage(browser, `${floor.origin}/`, floorDrawn, '#map');
    await tryPage(browser, `${server.origin}/map`, appDrawn, '[data-testid="map"]');
    const row: Row = { distribution, app: [], floor: [], loadAverage: [], busyCores: [] };
    for (let run = 0; run < runs; run += 1) {
      // Alternate, so that a busy moment of the machine falls on both.
      for (const name of ['floor', 'app'] as const) {
        const busy = await waitForQuietMachine(console.log, { maxCores: 0.3, maxWaitS: 30 });
        if (busy !== undefined) row.busyCores.push(busy);
        row.loadAverage.push(os.loadavg()[0]!);
        const result =
          name === 'floor'
            ? await tryPage(browser, `${floor.origin}/`, floorDrawn, '#map')
            : await tryPage(browser, `${server.origin}/map`, appDrawn, '[data-testid="map"]');
        row[name].push(result);
        const largest = Math.max(0, ...result.requests.map((request) => request.bytes));
        console.log(
          `  run ${run + 1} ${name}: drawn ${(result.drawnMs / 1000).toFixed(2)} s, pan ${(result.panMs / 1000).toFixed(2)} s, ` +
            `long tasks ${result.longTasksMs.toFixed(0)} ms (longest ${result.longestTaskMs.toFixed(0)}), ` +
            `${result.requests.length} requests, ${(result.requests.reduce((sum, r) => sum + r.bytes, 0) / 1024).toFixed(0)} kB, ` +
            `largest ${(largest / 1024).toFixed(0)} kB`,
        );
      }
      if (run === 0) {
        for (const request of row.app.at(-1)!.requests) {
          console.log(
            `    ${request.startMs.toFixed(0).padStart(6)}–${request.endMs.toFixed(0).padStart(6)} ms ` +
              `${(request.bytes / 1024).toFixed(1).padStart(7)} kB ${request.path}`,
          );
        }
      }
    }
    return row;
  } finally {
    floor.close();
    await server.stop();
  }
}

function markdown(rows: Row[]): string {
  const machine = describeMachine();
  const s = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : '—');
  const kB = (bytes: number) => `${Math.round(bytes / 1024)} kB`;
  const lines = [
    '## Workspace map at 100,000 services (`scripts/bench/map-100k.ts`)',
    '',
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine.cpus} × ${machine.cpuModel}, ` +
      `${machine.memoryGiB} GiB, Node ${machine.node}, server mode (PostgreSQL), Debian Chromium headless (no GPU: ` +
      `WebGL drawn in software), ${runs} runs of each page alternated (median shown). One alliance of ` +
      `${size.toLocaleString('en')} services from the near-me loader (uniform, or clustered around 40 towns), ` +
      `\`/map\` signed out (it opens on that alliance, drawn from the service tiles). A fresh browser context each ` +
      `run (no cache), ${width} × ${height}, CPU slowed ${CPU_SLOWDOWN}× (CDP \`Emulation.setCPUThrottlingRate\`), ` +
      'network 1.6 Mbps down, 0.75 Mbps up, 150 ms latency (`Network.emulateNetworkConditions`).',
    '',
    '"Drawn": from navigation until the map shows the services (their markers are in the page, added when the map is ' +
      'idle with the service tiles in view loaded) and the side panel\'s list is usable (past "loading"). "Pan": a ' +
      "mouse drag of the map right after, until the map is idle again with the new view's tiles drawn (the " +
      '`passerelle:map-idle` mark). Interactive = drawn + pan. Floor: a bare MapLibre page of the same size with the ' +
      'same base map (sea, low-zoom and detailed countries) and the same service tiles as circles, through the same ' +
      'server (`map-100k/floorPage.ts`). Target (issue 14): interactive ≤ 2 s.',
    '',
    '| Data | `/map` drawn | pan | **interactive** | floor drawn | floor pan | floor interactive | `/map` ÷ floor | long tasks `/map` / floor | bytes `/map` / floor (largest answer) | target ≤ 2 s |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const row of rows) {
    const drawn = median(row.app.map((run) => run.drawnMs));
    const pan = median(row.app.map((run) => run.panMs));
    const interactive = median(row.app.map((run) => run.drawnMs + run.panMs));
    const floorInteractive = median(row.floor.map((run) => run.drawnMs + run.panMs));
    const bytes = (list: PageRun[]) => median(list.map((run) => run.requests.reduce((sum, r) => sum + r.bytes, 0)));
    const largest = (list: PageRun[]) => Math.max(0, ...list.flatMap((run) => run.requests.map((r) => r.bytes)));
    const failed = [...row.app, ...row.floor].filter((run) => !Number.isFinite(run.drawnMs + run.panMs)).length;
    lines.push(
      `| ${size.toLocaleString('en')} ${row.distribution} | ${s(drawn)} | ${s(pan)} | **${s(interactive)}** | ` +
        `${s(median(row.floor.map((run) => run.drawnMs)))} | ${s(median(row.floor.map((run) => run.panMs)))} | ` +
        `${s(floorInteractive)} | ${(interactive / floorInteractive).toFixed(2)}× | ` +
        `${median(row.app.map((run) => run.longTasksMs)).toFixed(0)} / ${median(row.floor.map((run) => run.longTasksMs)).toFixed(0)} ms | ` +
        `${kB(bytes(row.app))} (${kB(largest(row.app))}) / ${kB(bytes(row.floor))} (${kB(largest(row.floor))}) | ` +
        `${interactive <= 2000 ? 'met' : 'NOT met'}${failed ? ` (${failed} run(s) failed)` : ''} |`,
    );
  }
  const [first] = rows;
  if (first?.app[0]) {
    lines.push(
      '',
      `\`/map\`'s requests in its first run (${first.distribution}), ms from the first request, bytes over the wire:`,
      '',
      '| Request | Start | End | kB |',
      '| --- | ---: | ---: | ---: |',
      ...first.app[0].requests.map(
        ({ path: name, startMs, endMs, bytes }) =>
          `| \`${name.length > 90 ? `${name.slice(0, 87)}…` : name}\` | ${startMs.toFixed(0)} | ${endMs.toFixed(0)} | ${(bytes / 1024).toFixed(1)} |`,
      ),
    );
  }
  lines.push('', 'Machine load during the runs (other work shared the machine):', '');
  for (const row of rows) {
    const busy = row.busyCores;
    lines.push(
      `- ${row.distribution}: load average (1 min) ${Math.min(...row.loadAverage).toFixed(2)}–${Math.max(...row.loadAverage).toFixed(2)}; ` +
        `other processes used ${busy.length ? `${Math.min(...busy).toFixed(2)}–${Math.max(...busy).toFixed(2)}` : 'n/a'} ` +
        'cores just before each run (each run waits up to 30 s for them to use less than 0.3).',
    );
  }
  return lines.join('\n');
}

const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run'],
});
const rows: Row[] = [];
try {
  for (const distribution of distributions) rows.push(await benchDistribution(browser, distribution));
} finally {
  await browser.close();
  if (!args.has('keep')) await dropDatabase(databaseUrl, databaseName);
}
const text = markdown(rows);
console.log(`\n${text}`);
if (report) await writeReportSection(path.join(projectRoot, 'docs/benchmarks.md'), 'map-100k', text);
