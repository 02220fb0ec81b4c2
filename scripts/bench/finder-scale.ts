/**
 * The newcomers' finder at regional scale (issue 14): time to results and the longest main-thread task on a
 * throttled phone, for regions of 10,000 and 50,000 services (uniform and clustered), against a bare page that
 * downloads what the finder needs before its first results (the list of parts and the search packs of the cells
 * nearer than the 30th nearest service) and prints the 20 nearest (finder-scale/baselinePage.ts), in the same run.
 * Also prints what the bytes are (per column of the search pack) and, for the first finder run, when each request
 * started and ended.
 *
 *   DATABASE_URL=postgres://… npx tsx scripts/bench/finder-scale.ts [--sizes=10000,50000] [--runs=3] [--no-report]
 *
 * Needs `npm run build` first and Debian's Chromium (CHROMIUM_PATH, /usr/bin/chromium by default).
 */
import { chromium, type Browser } from 'playwright-core';
import { openDatabase, scriptDatabaseTimeouts } from '../../server/src/db/database.js';
import { migrateToLatest } from '../../server/src/db/migrate.js';
import { projectRoot } from '../../server/src/config.js';
import { databaseUrlOn, dropDatabase, recreateDatabase } from './lib/benchDatabase.js';
import { describeMachine, writeReportSection } from './lib/benchmarkReport.js';
import { parseSizes, parsePositive } from './lib/cliNumbers.js';
import { waitForQuietMachine } from './lib/machineLoad.js';
import { startApiServer } from './nearby/apiLoad.js';
import { baselinePage } from './finder-scale/baselinePage.js';
import { finderRegion, loadFinderRegion, type Spread } from './finder-scale/regionData.js';
import path from 'node:path';
import os from 'node:os';
import { gzipSync } from 'node:zlib';
import { writeFile } from 'node:fs/promises';
import {
  cellDegrees,
  type CompactIndex,
  decodeSearchPack,
  type SearchPack,
  searchColumns,
} from '../../contract/directory/compactDirectory.js';
import { distanceMeters, distanceToBox } from '../../web/src/find/search/geo.js';

const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, '').split('=');
    return [key!, value ?? 'true'] as const;
  }),
);
const sizes = parseSizes(args.get('sizes') ?? '10000,50000');
const spreads: Spread[] = (args.get('spreads') ?? 'uniform,clustered').split(',') as Spread[];
const runs = parsePositive('runs', args.get('runs') ?? '3');
const report = !args.has('no-report');
const databaseUrl = process.env.DATABASE_URL;
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!databaseUrl) {
  console.error('Set DATABASE_URL (a role that may create databases): the benchmark runs in server mode.');
  process.exit(2);
}

/** A cheap phone on a slow mobile connection, as issue 14 measured it. */
const CPU_SLOWDOWN = 4;
const NETWORK = { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 };
const PHONE = { width: 360, height: 740 };
/** Near the Place de la Victoire in Bordeaux, where the clustered region is densest. */
const POINT = { lat: 44.831, lon: -0.572 };
const databaseName = 'passerelle_bench_finder';

interface PageRun {
  resultsMs: number;
  /** Each request: its path, when it started and ended (ms from navigation). */
  requests: { path: string; startMs: number; endMs: number }[];
  longestTaskMs: number;
  /** The layout shifts until the first results and half a second after (their sum, as CLS counts a session). */
  layoutShift: number;
  longTasks: number;
  /** Each long task as `<start>+<duration>` in ms from navigation. */
  longTaskTimes: string[];
  workerReadMs: number;
  workerSearchMs: number;
}

/** The median of the runs that finished (a run that timed out counts as NaN and is reported apart). */
const median = (values: number[]) => {
  const finished = values.filter(Number.isFinite).sort((a, b) => a - b);
  return finished.length === 0 ? Number.NaN : finished[Math.floor(finished.length / 2)]!;
};

const failedRun: PageRun = {
  resultsMs: NaN,
  requests: [],
  longestTaskMs: NaN,
  layoutShift: NaN,
  longTasks: NaN,
  longTaskTimes: [],
  workerReadMs: NaN,
  workerSearchMs: NaN,
};

/** One measurement; a page that never shows its results within the timeout is a failed run, not a failed benchmark. */
async function tryPage(...args: Parameters<typeof measurePage>): Promise<PageRun> {
  try {
    return await measurePage(...args);
  } catch (error) {
    console.log(`  a run failed: ${String(error).split('\n')[0]}`);
    return failedRun;
  }
}

/** Opens a page on a fresh, throttled phone and waits until `ready` is on the page. */
/**
 * With --profile: the page's main-thread functions by self time, from a CPU profile of the run (CDP Profiler);
 * with --profile=<path prefix>, each profile is also written to `<prefix>-<page>-<time>.cpuprofile` (DevTools opens it).
 * With --trace=<path prefix>: a Chromium trace of each page (`<prefix>-<page>-<time>.json`, DevTools' Performance
 * panel opens it), to see what the main thread's long tasks do besides running scripts (parsing, style, layout).
 */
const profile = args.has('profile');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

function topFunctions(nodes: ProfileNode[], samples: number[], timeDeltas: number[], count = 15): string[] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  samples.forEach((id, index) => {
    const frame = byId.get(id)!.callFrame;
    const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber + 1}:${frame.columnNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (timeDeltas[index] ?? 0) / 1000);
  });
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, ms]) => `${ms.toFixed(0).padStart(6)} ms ${key}`);
}

async function measurePage(browser: Browser, url: string, ready: string, route?: string): Promise<PageRun> {
  const context = await browser.newContext({ viewport: PHONE, serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    const requests: PageRun['requests'] = [];
    let navigationStart = 0;
    context.on('requestfinished', (request) => {
      const timing = request.timing();
      const startMs = timing.startTime - navigationStart;
      requests.push({ path: new URL(request.url()).pathname, startMs, endMs: startMs + timing.responseEnd });
    });
    if (route) await page.route(url, (request) => request.fulfill({ contentType: 'text/html', body: route }));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', NETWORK);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    if (profile) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
    }
    // Written as text: this runs in the page, whose types the scripts' TypeScript does not load.
    await page.addInitScript({
      content: `(() => {
        const state = { longTasks: [], readyAt: 0, layoutShift: 0 };
        window.__bench = state;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) if (!entry.hadRecentInput) state.layoutShift += entry.value;
        }).observe({ type: 'layout-shift', buffered: true });
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) state.longTasks.push([entry.startTime, entry.duration]);
        }).observe({ type: 'longtask', buffered: true });
        new MutationObserver(() => {
          if (!state.readyAt && document.querySelector(${JSON.stringify(ready)})) state.readyAt = performance.now();
        }).observe(document, { childList: true, subtree: true, attributes: true });
      })();`,
    });
    const trace = args.get('trace');
    if (trace) {
      const who = url.includes('bench-baseline') ? 'floor' : 'finder';
      await browser.startTracing(page, {
        path: `${trace}-${who}-${Date.now()}.json`,
        categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing'],
      });
    }
    navigationStart = Date.now();
    await page.goto(url, { waitUntil: 'commit' });
    await page.locator(ready).first().waitFor({ timeout: 180_000 });
    // Long tasks are reported a little after they end.
    await page.waitForTimeout(500);
    if (trace) await browser.stopTracing();
    if (profile) {
      const { profile: cpu } = (await cdp.send('Profiler.stop')) as unknown as {
        profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
      };
      const who = url.includes('bench-baseline') ? 'floor' : 'finder';
      if (args.get('profile') !== 'true') {
        await writeFile(`${args.get('profile')}-${who}-${Date.now()}.cpuprofile`, JSON.stringify(cpu));
      }
      console.log(`  main thread by self time (${who}):`);
      for (const line of topFunctions(cpu.nodes, cpu.samples, cpu.timeDeltas)) console.log(`    ${line}`);
    }
    const measured = (await page.evaluate(`(() => {
      const state = window.__bench;
      const sum = (name) => performance.getEntriesByName(name).reduce((total, entry) => total + entry.duration, 0);
      return {
        resultsMs: state.readyAt,
        layoutShift: state.layoutShift,
        longestTaskMs: Math.max(0, ...state.longTasks.map((task) => task[1])),
        longTaskTimes: state.longTasks.map(([start, duration]) => Math.round(start) + '+' + Math.round(duration)),
        longTasks: state.longTasks.length,
        workerReadMs: sum('passerelle:worker-read'),
        workerSearchMs: sum('passerelle:worker-search'),
      };
    })()`)) as Omit<PageRun, 'requests'>;
    return { ...measured, requests: requests.sort((a, b) => a.startMs - b.startMs) };
  } finally {
    await context.close();
  }
}

const gzipOf = (text: string) => ({ raw: Buffer.byteLength(text), gzip: gzipSync(text).length });

/**
 * What the phone downloads, compressed as the server sends it (gzip here): the old whole directory, the index, the
 * search and details packs; the cells a provably final first page needs (those nearer than the 30th nearest
 * service, the floor's download); and what each column of the search pack costs per service.
 */
async function downloadBytes(origin: string, day: string, point: { lat: number; lon: number }) {
  const get = async (url: string) => (await fetch(`${origin}${url}`)).text();
  const base = `/api/alliances/${finderRegion.slug}/directory`;
  const whole = gzipOf(await get(`${base}?from=${day}`));
  const indexText = await get(`${base}/parts?from=${day}`);
  const index = JSON.parse(indexText) as CompactIndex;
  const searchTexts = await Promise.all(index.parts.map(({ id }) => get(`${base}/parts/${id}?from=${day}`)));
  const detailsTexts = await Promise.all(index.parts.map(({ id }) => get(`${base}/parts/${id}/details?from=${day}`)));
  const packs = searchTexts.map((text) => JSON.parse(text) as SearchPack);
  const sum = (list: { raw: number; gzip: number }[]) =>
    list.reduce((total, item) => ({ raw: total.raw + item.raw, gzip: total.gzip + item.gzip }), { raw: 0, gzip: 0 });
  const search = sum(searchTexts.map(gzipOf));
  const services = packs.reduce((count, pack) => count + pack.services.length, 0);
  // The 30th nearest service, and the cells nearer than it: what a final first page of 30 needs.
  const distances = packs
    .flatMap((pack) => decodeSearchPack(pack).map((service) => distanceMeters(point, service)))
    .sort((a, b) => a - b);
  const thirtieth = distances[29] ?? Infinity;
  const needed = index.parts
    .map(({ id }) => id)
    .filter((id) => {
      const [row, column] = id.split('_').map(Number) as [number, number];
      const south = row * cellDegrees;
      const west = column * cellDegrees;
      return distanceToBox(point, south, west, south + cellDegrees, west + cellDegrees) <= thirtieth;
    });
  const neededBytes = sum([
    gzipOf(indexText),
    ...needed.map((id) => gzipOf(searchTexts[index.parts.findIndex((part) => part.id === id)]!)),
  ]);
  // Each column's share: the packs without it, compressed, against the packs whole.
  const columns = searchColumns.map((column, position) => {
    const without = sum(
      packs.map((pack) =>
        gzipOf(JSON.stringify({ ...pack, services: pack.services.map((row) => row.filter((_, i) => i !== position)) })),
      ),
    );
    return { column, raw: (search.raw - without.raw) / services, gzip: (search.gzip - without.gzip) / services };
  });
  return {
    wholeGzip: whole.gzip,
    wholeRaw: whole.raw,
    index: gzipOf(indexText),
    search,
    details: sum(detailsTexts.map(gzipOf)),
    partCount: index.parts.length,
    services,
    needed,
    neededBytes,
    columns,
  };
}

interface Row {
  size: number;
  spread: Spread;
  buildS: number;
  bytes: Awaited<ReturnType<typeof downloadBytes>>;
  finder: PageRun[];
  baseline: PageRun[];
  loadAverage: number[];
  busyCores: number | undefined;
}

async function benchRegion(browser: Browser, size: number, spread: Spread): Promise<Row> {
  console.log(`\n${size} services, ${spread}`);
  await recreateDatabase(databaseUrl!, databaseName);
  const url = databaseUrlOn(databaseUrl!, databaseName);
  const database = openDatabase({ databaseUrl: url, embeddedDataDir: '', databaseTimeouts: scriptDatabaseTimeouts });
  try {
    await migrateToLatest(database.db);
    await loadFinderRegion(database.db, size, spread, 42);
  } finally {
    await database.close();
  }
  const server = await startApiServer({ databaseUrl: url });
  try {
    const day = new Date().toISOString().slice(0, 10);
    // The parts are built once per data version: the first request pays for it, as after any change.
    const started = performance.now();
    const first = await fetch(`${server.origin}/api/alliances/${finderRegion.slug}/directory/parts?from=${day}`);
    if (!first.ok) throw new Error(`The parts index answered ${first.status}.`);
    const buildS = (performance.now() - started) / 1000;
    console.log(`  parts built in ${buildS.toFixed(1)} s`);
    const bytes = await downloadBytes(server.origin, day, POINT);
    const kB = (value: number) => `${(value / 1024).toFixed(0)} kB`;
    console.log(
      `  whole directory ${kB(bytes.wholeGzip)} gzip; index ${kB(bytes.index.gzip)}; search packs ${kB(bytes.search.gzip)} ` +
        `(${kB(bytes.search.raw)} raw), details packs ${kB(bytes.details.gzip)} (${kB(bytes.details.raw)} raw), ` +
        `${bytes.partCount} parts; before the first results: ${kB(bytes.neededBytes.gzip)} (${bytes.needed.join(', ')})`,
    );
    for (const { column, raw, gzip } of bytes.columns) {
      console.log(
        `    ${column.padEnd(18)} ${raw.toFixed(1).padStart(6)} B raw ${gzip.toFixed(1).padStart(6)} B gzip per service`,
      );
    }
    const finderUrl = `${server.origin}/find?region=${finderRegion.slug}&at=${POINT.lat},${POINT.lon}&lang=en`;
    const baselineUrl = `${server.origin}/bench-baseline.html`;
    const html = baselinePage(finderRegion.slug, day, POINT.lat, POINT.lon, bytes.needed);
    const busyCores = await waitForQuietMachine(console.log, { maxCores: 0.3, maxWaitS: 20 });
    const finder: PageRun[] = [];
    const baseline: PageRun[] = [];
    for (let run = 0; run < runs; run += 1) {
      // Alternate, so that a busy moment of the machine falls on both.
      baseline.push(await tryPage(browser, baselineUrl, '#out[data-ready]', html));
      finder.push(await tryPage(browser, finderUrl, '[data-testid="results"] [data-service-id]'));
      if (run === 0) {
        for (const request of finder.at(-1)!.requests) {
          console.log(
            `    ${request.startMs.toFixed(0).padStart(6)}–${request.endMs.toFixed(0).padStart(6)} ms ${request.path}`,
          );
        }
      }
      console.log(
        `  run ${run + 1}: finder ${(finder.at(-1)!.resultsMs / 1000).toFixed(2)} s (longest task ${finder.at(-1)!.longestTaskMs.toFixed(0)} ms, layout shift ${finder.at(-1)!.layoutShift.toFixed(3)}), ` +
          `baseline ${(baseline.at(-1)!.resultsMs / 1000).toFixed(2)} s (longest task ${baseline.at(-1)!.longestTaskMs.toFixed(0)} ms); ` +
          `finder's long tasks (start+duration, ms): ${finder.at(-1)!.longTaskTimes.join(', ')}`,
      );
    }
    return { size, spread, buildS, bytes, finder, baseline, loadAverage: os.loadavg(), busyCores };
  } finally {
    await server.stop();
  }
}

function markdown(rows: Row[]): string {
  const machine = describeMachine();
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const kB = (bytes: number) => `${Math.round(bytes / 1024)} kB`;
  const lines = [
    '## Finder at regional scale (`scripts/bench/finder-scale.ts`)',
    '',
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine.cpus} × ${machine.cpuModel}, ` +
      `${machine.memoryGiB} GiB, Node ${machine.node}, server mode (PostgreSQL), Debian Chromium, ${runs} runs each ` +
      `(median shown). A fresh phone each run (360 × 740, no cache, no service worker), CPU slowed ${CPU_SLOWDOWN}× ` +
      '(CDP `Emulation.setCPUThrottlingRate`), network 1.6 Mbps down, 0.75 Mbps up, 150 ms latency ' +
      '(`Network.emulateNetworkConditions`). Time to results: from navigation to the first result on the page, for ' +
      'a point in Bordeaux (`/find?region=…&at=…`). Floor: a bare page that downloads, all at once, what the finder ' +
      'must have before its first results — the list of parts and the search packs of the cells nearer than the 30th ' +
      'nearest service ("before first results" below) — and prints the 20 nearest names ' +
      '(`finder-scale/baselinePage.ts`), measured alternately with the finder in the same run.',
    '',
    "CDP slows the page's main thread only, not the finder's Web Worker: the worker's own time (reading the parts, " +
      'searching; User Timing marks `passerelle:worker-*`) is shown, and "×4 worker" adds 3 × that time to the ' +
      'time to results, as if the worker ran on the slowed core too.',
    '',
    '| Region | Parts built (server) | Whole directory (gzip) | Search packs (gzip) | Details packs (gzip) | Before first results (gzip) | Finder: time to results | ×4 worker | Longest main-thread task | Floor: time to results | Ratio finder / floor | Target |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const row of rows) {
    const results = median(row.finder.map((run) => run.resultsMs));
    const worker = median(row.finder.map((run) => run.workerReadMs + run.workerSearchMs));
    const floor = median(row.baseline.map((run) => run.resultsMs));
    const longest = Math.max(...row.finder.map((run) => run.longestTaskMs).filter(Number.isFinite));
    const failed = [...row.finder, ...row.baseline].filter((run) => !Number.isFinite(run.resultsMs)).length;
    const target = row.size <= 10_000 ? 3000 : 5000;
    const withWorker = results + 3 * worker;
    lines.push(
      `| ${row.size.toLocaleString('en')} ${row.spread} | ${row.buildS.toFixed(1)} s | ${kB(row.bytes.wholeGzip)} (${kB(row.bytes.wholeRaw)} raw) | ` +
        `${kB(row.bytes.search.gzip)} in ${row.bytes.partCount} (${kB(row.bytes.search.raw)} raw) | ` +
        `${kB(row.bytes.details.gzip)} (${kB(row.bytes.details.raw)} raw) | ` +
        `${kB(row.bytes.neededBytes.gzip)}: index + ${row.bytes.needed.length} pack(s) | ${s(results)} | ${s(withWorker)} | ` +
        `${longest.toFixed(0)} ms | ${s(floor)} | ${(results / floor).toFixed(2)} | ≤ ${target / 1000} s, no task > 200 ms: ` +
        `${withWorker <= target && longest <= 200 ? 'met' : 'NOT met'}${failed ? ` (${failed} run(s) timed out at 180 s)` : ''} |`,
    );
  }
  const [first] = rows;
  if (first) {
    lines.push(
      '',
      `What a service costs in the search pack, per column (${first.size.toLocaleString('en')} ${first.spread}; each ` +
        "column's share is the packs' size without it against the packs whole, so gzip shares do not add up exactly):",
      '',
      '| Column | Raw bytes per service | Gzip bytes per service |',
      '| --- | ---: | ---: |',
      ...first.bytes.columns.map(
        ({ column, raw, gzip }) => `| \`${column}\` | ${raw.toFixed(1)} | ${gzip.toFixed(1)} |`,
      ),
      '',
      `The finder's requests in its first run (${first.size.toLocaleString('en')} ${first.spread}), ms from navigation:`,
      '',
      '| Request | Start | End |',
      '| --- | ---: | ---: |',
      ...(first.finder[0]?.requests ?? []).map(
        ({ path, startMs, endMs }) => `| \`${path}\` | ${startMs.toFixed(0)} | ${endMs.toFixed(0)} |`,
      ),
    );
  }
  lines.push('', "Machine load during each region's runs (other work shared the machine):", '');
  for (const row of rows) {
    lines.push(
      `- ${row.size.toLocaleString('en')} ${row.spread}: load average ${row.loadAverage.map((value) => value.toFixed(2)).join(' / ')} ` +
        `(1 / 5 / 15 min); other processes used ${row.busyCores === undefined ? 'n/a' : row.busyCores.toFixed(2)} cores just before.`,
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
  for (const size of sizes) for (const spread of spreads) rows.push(await benchRegion(browser, size, spread));
} finally {
  await browser.close();
  await dropDatabase(databaseUrl, databaseName);
}
const text = markdown(rows);
console.log(`\n${text}`);
if (report) await writeReportSection(path.join(projectRoot, 'docs/benchmarks.md'), 'finder-scale', text);
