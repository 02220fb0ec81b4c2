import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { projectRoot } from '../../server/src/config.js';
import { describeMachine, writeReportSection } from '../bench/lib/benchmarkReport.js';
import { parsePositive } from '../bench/lib/cliNumbers.js';
import { elapsedMs, type LatencySummary, summarizeLatencies } from '../bench/lib/stats.js';

const usage = `Usage: npx tsx scripts/load/directory-during-analysis.ts [options]

Starts Passerelle in embedded mode on the demo data (a fresh database in .tmp/, 127.0.0.1 only), measures the
finder's directory alone, then while a gap analysis runs, and writes the result to docs/benchmarks.md.

  --alliance=bordeaux     the alliance analysed and whose directory is read
  --resolution=8          H3 resolution of the analysis (5–8)
  --clients=4             concurrent directory readers (each sends its next request when answered)
  --baseline-seconds=20   how long the directory is measured before the analysis
  --max-seconds=900       stop the measurement during the analysis after this long, finished or not
  --max-requests=50000    or after this many directory requests
  --app-dir=.             the checkout whose server is started (another one to compare, e.g. before a change)
  --keep                  keep the database folder and the server's log
  --no-report             print the results without writing docs/benchmarks.md
`;

/** Latency a finder user should never wait beyond while an analysis runs. */
const targetMaxMs = 1000;

interface Options {
  alliance: string;
  resolution: number;
  clients: number;
  baselineSeconds: number;
  maxSeconds: number;
  maxRequests: number;
  appDir: string;
  keep: boolean;
  report: boolean;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      alliance: { type: 'string', default: 'bordeaux' },
      resolution: { type: 'string', default: '8' },
      clients: { type: 'string', default: '4' },
      'baseline-seconds': { type: 'string', default: '20' },
      'max-seconds': { type: 'string', default: '900' },
      'max-requests': { type: 'string', default: '50000' },
      'app-dir': { type: 'string', default: projectRoot },
      keep: { type: 'boolean', default: false },
      'no-report': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  if (!/^[a-z0-9-]+$/.test(values.alliance)) throw new Error(`--alliance must be a slug, not "${values.alliance}".`);
  return {
    alliance: values.alliance,
    resolution: Math.round(parsePositive('resolution', values.resolution)),
    clients: Math.round(parsePositive('clients', values.clients)),
    baselineSeconds: parsePositive('baseline-seconds', values['baseline-seconds']),
    maxSeconds: parsePositive('max-seconds', values['max-seconds']),
    maxRequests: Math.round(parsePositive('max-requests', values['max-requests'])),
    appDir: path.resolve(values['app-dir']),
    keep: values.keep,
    report: !values['no-report'],
  };
}

const start = performance.now();
function log(line: string): void {
  process.stdout.write(`[directory-load ${(elapsedMs(start) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
}

async function freeLoopbackPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Server {
  baseUrl: string;
  adminToken: string;
  child: ChildProcess;
  logFile: string;
  dbDir: string;
}

/** Passerelle as `npm start` runs it, without the front-end build: embedded database, demo data loaded on first start. */
async function startServer(options: Options): Promise<Server> {
  const dbDir = path.join(projectRoot, '.tmp/load-directory-pglite');
  const logFile = path.join(projectRoot, '.tmp/load-directory-server.log');
  fs.rmSync(dbDir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const port = await freeLoopbackPort();
  const adminToken = randomBytes(24).toString('hex');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    PASSERELLE_DB_DIR: dbDir,
    ADMIN_TOKEN: adminToken,
    ADMIN_PASSWORD: randomBytes(24).toString('hex'),
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  const output = fs.openSync(logFile, 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/server.ts'], {
    cwd: options.appDir,
    env,
    stdio: ['ignore', output, output],
  });
  fs.closeSync(output);
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = performance.now() + 300_000;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The server stopped (code ${child.exitCode}); see ${logFile}.`);
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) return { baseUrl, adminToken, child, logFile, dbDir };
    } catch {
      // Not listening yet: the demo data is being loaded.
    }
    await sleep(500);
  }
  child.kill('SIGTERM');
  throw new Error(`The server did not answer within 5 minutes; see ${logFile}.`);
}

async function stopServer(server: Server, keep: boolean): Promise<void> {
  if (server.child.exitCode === null) {
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGTERM');
    await Promise.race([exited, sleep(15_000)]);
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
  }
  if (!keep) {
    fs.rmSync(server.dbDir, { recursive: true, force: true });
    fs.rmSync(server.logFile, { force: true });
  }
}

interface Readings {
  latency: LatencySummary;
  failed: number;
  seconds: number;
}

/**
 * `clients` readers of the directory, each sending its next request once answered, until `stop()` says so, the
 * time is up or the requests are spent. Only requests answered 200 count as latencies.
 */
async function readDirectory(
  server: Server,
  options: Options,
  limits: { seconds: number; requests: number; stop: () => boolean },
): Promise<Readings> {
  const url = `${server.baseUrl}/api/alliances/${options.alliance}/directory`;
  const latencies: number[] = [];
  let sent = 0;
  let failed = 0;
  const begin = performance.now();
  const deadline = begin + limits.seconds * 1000;
  async function reader() {
    while (!limits.stop() && performance.now() < deadline && sent < limits.requests) {
      sent += 1;
      const asked = performance.now();
      try {
        const response = await fetch(url);
        await response.arrayBuffer();
        if (response.ok) latencies.push(elapsedMs(asked));
        else failed += 1;
      } catch {
        failed += 1;
      }
    }
  }
  await Promise.all(Array.from({ length: options.clients }, reader));
  return { latency: summarizeLatencies(latencies), failed, seconds: elapsedMs(begin) / 1000 };
}

interface RunOutcome {
  status: string;
  error: string | null;
  unitCount: number | null;
  /** From the run's own start and end times. */
  durationS: number | null;
  progressSeen: number;
}

/** What GET /api/gap-analyses/:id answers, as far as this script reads it. */
interface RunState {
  status: string;
  progress: number;
  stage: string | null;
  error: string | null;
  summary: { unitCount: number } | null;
  startedAt: string;
  finishedAt: string | null;
}

async function analyseDuring(server: Server, options: Options): Promise<{ during: Readings; run: RunOutcome }> {
  const started = await fetch(`${server.baseUrl}/api/alliances/${options.alliance}/gap-analyses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ units: { kind: 'h3', resolution: options.resolution } }),
  });
  if (started.status !== 202)
    throw new Error(`The analysis was not started: ${started.status} ${await started.text()}`);
  const { progressUrl } = (await started.json()) as { progressUrl: string };
  let finished = false;
  let last: RunState | undefined;
  const progressSeen = new Set<number>();
  const follow = async () => {
    const deadline = performance.now() + options.maxSeconds * 1000;
    while (!finished && performance.now() < deadline) {
      await sleep(1000);
      try {
        last = (await (await fetch(`${server.baseUrl}${progressUrl}`)).json()) as RunState;
      } catch (error) {
        // A server too busy to answer drops connections; the next reading will tell.
        log(`  reading the run failed: ${String((error as Error).cause ?? error)}`);
        continue;
      }
      progressSeen.add(last.progress);
      if (last.status !== 'running') break;
      log(`  run ${Math.round(last.progress * 100)}%: ${last.stage ?? ''}`);
    }
    finished = true;
  };
  const [during] = await Promise.all([
    readDirectory(server, options, {
      seconds: options.maxSeconds,
      requests: options.maxRequests,
      stop: () => finished,
    }),
    follow(),
  ]);
  const durationS =
    last?.finishedAt && last.startedAt ? (Date.parse(last.finishedAt) - Date.parse(last.startedAt)) / 1000 : null;
  return {
    during,
    run: {
      status: last?.status ?? 'unknown',
      error: last?.error ?? null,
      unitCount: last?.summary?.unitCount ?? null,
      durationS,
      progressSeen: progressSeen.size,
    },
  };
}

const ms = (value: number) => `${Math.round(value).toLocaleString('en')} ms`;

function row(label: string, readings: Readings): string {
  const { latency } = readings;
  return (
    `| ${label} | ${latency.count.toLocaleString('en')} | ${readings.failed} | ${ms(latency.p50)} | ` +
    `${ms(latency.p95)} | ${ms(latency.max)} |`
  );
}

function render(options: Options, baseline: Readings, during: Readings, run: RunOutcome, totalS: number): string {
  const machine = describeMachine();
  const when = `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const pass = run.status === 'done' && during.failed === 0 && during.latency.max <= targetMaxMs;
  const duration = run.durationS === null ? 'unknown' : `${run.durationS.toFixed(1)} s`;
  const areas = run.unitCount === null ? '' : `, ${run.unitCount.toLocaleString('en')} areas`;
  return `## Finder directory during a gap analysis (scripts/load/directory-during-analysis.ts)

Run on ${when} in ${(totalS / 60).toFixed(1)} min.
Machine: ${machine.cpus} × ${machine.cpuModel.split(' ').slice(0, 2).join(' ')}, ${machine.memoryGiB} GiB, ${machine.platform}, Node ${machine.node}.
Embedded database (PGlite), demo data, server on 127.0.0.1.

Target: while a resolution-${options.resolution} analysis of ${options.alliance} runs, the finder's directory
(\`GET /api/alliances/${options.alliance}/directory\`) answers within ${targetMaxMs.toLocaleString('en')} ms,
every time: **${pass ? 'PASS' : 'FAIL'}** (slowest answer ${ms(during.latency.max)}).

| Directory, ${options.clients} readers | Answers | Errors | p50 | p95 | Max |
| --- | ---: | ---: | ---: | ---: | ---: |
${row(`Alone, ${baseline.seconds.toFixed(0)} s`, baseline)}
${row(`During the analysis, ${during.seconds.toFixed(0)} s`, during)}

The analysis: H3 resolution ${options.resolution}${areas}, ended \`${run.status}\`${run.error ? ` (${run.error})` : ''}
after ${duration} (its own start and end times, under this load); its progress was read at
${run.progressSeen} different values.

Method: a fresh embedded database in \`.tmp/\`, the server started as \`npm start\` starts it (without the front-end
build) on a free port of 127.0.0.1; the demo data loads on that first start. ${options.clients} readers request the
directory one after another, each as soon as its previous answer arrived, for ${options.baselineSeconds} s alone;
then an admin token starts the analysis and the readers go on until it ends (at most ${options.maxSeconds} s or
${options.maxRequests.toLocaleString('en')} requests), while a follower reads the run once a second. Latency is
from sending the request to the last byte of the answer.

\`\`\`sh
npx tsx scripts/load/directory-during-analysis.ts                 # Bordeaux, resolution 8, 4 readers
npx tsx scripts/load/directory-during-analysis.ts --help          # alliance, resolution, readers, limits
\`\`\``;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  log(`starting the server from ${options.appDir} (embedded database, demo data: about a minute on first start)`);
  const server = await startServer(options);
  try {
    log(`listening at ${server.baseUrl}; directory alone for ${options.baselineSeconds} s`);
    await fetch(`${server.baseUrl}/api/alliances/${options.alliance}/directory`).then((response) => response.text());
    const baseline = await readDirectory(server, options, {
      seconds: options.baselineSeconds,
      requests: options.maxRequests,
      stop: () => false,
    });
    log(`  p50 ${ms(baseline.latency.p50)}, p95 ${ms(baseline.latency.p95)}, max ${ms(baseline.latency.max)}`);
    log(`starting a resolution-${options.resolution} analysis of ${options.alliance}; reading the directory meanwhile`);
    const { during, run } = await analyseDuring(server, options);
    log(
      `  run ${run.status} in ${run.durationS?.toFixed(1) ?? '?'} s; directory p50 ${ms(during.latency.p50)}, ` +
        `p95 ${ms(during.latency.p95)}, max ${ms(during.latency.max)}, ${during.latency.count} answers, ` +
        `${during.failed} errors`,
    );
    const markdown = render(options, baseline, during, run, elapsedMs(start) / 1000);
    if (options.report) {
      const reportFile = path.join(projectRoot, 'docs/benchmarks.md');
      await writeReportSection(reportFile, 'directory-during-analysis', markdown);
      log(`results written to ${path.relative(projectRoot, reportFile)}`);
    } else {
      process.stdout.write(`\n${markdown}\n`);
    }
  } finally {
    await stopServer(server, options.keep);
  }
}

await main();
