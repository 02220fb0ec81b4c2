import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../server/src/config.js';
import { describeMachine, writeReportSection } from './lib/benchmarkReport.js';
import { type CpuSplit, measureCpuSplit } from './lib/machineLoad.js';

/**
 * `npx tsx scripts/bench/first-start.ts [--runs N]`: how long `npm start` takes to answer on a fresh clone (no
 * .data, no web/dist), and on a restart, against the floor of bare PGlite + PostGIS opening an empty folder in the
 * same run. The clone is of this repository's last commit, with node_modules linked to this one's, in
 * .tmp/bench-first-start/. "Ready" is the log line "Passerelle is ready"; the finder page, the workspace page and
 * an alliance's directory are then fetched, and must answer 200. Writes docs/benchmarks.md ("first-start").
 */
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1] ?? 1) || 1;
const workDir = path.join(projectRoot, '.tmp/bench-first-start');
const cloneDir = path.join(workDir, 'clone');

const log = (line: string) => console.log(line);
const seconds = (ms: number) => ms / 1000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

interface Floor {
  openS: number;
  postgisS: number;
  reopenS: number;
}

function floor(variant: 'stock' | 'patched' | 'trimmed'): Floor {
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/bench/first-start/floor.ts', path.join(workDir, `floor-${variant}`), variant],
    { cwd: projectRoot, encoding: 'utf8' },
  );
  return JSON.parse(output.trim().split('\n').at(-1)!);
}

interface StartResult {
  readyS: number;
  /** The three pages after "ready": each answered 200. */
  answered: boolean;
  frontEndBuilt: boolean;
  fromBaseline: boolean;
}

/** Runs `npm start` in the clone until "ready", fetches the pages, and stops it (SIGTERM, waiting for its exit). */
async function npmStart(): Promise<StartResult> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1' };
  delete env.DATABASE_URL;
  const started = performance.now();
  const child = spawn('npm', ['start'], { cwd: cloneDir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const readyS = await new Promise<number>((resolve, reject) => {
    const look = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Passerelle is ready')) resolve(seconds(performance.now() - started));
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    void exited.then(() => reject(new Error(`npm start ended before it was ready:\n${output}`)));
  });
  let answered = true;
  for (const page of ['/find', '/map', '/api/alliances/bordeaux/directory']) {
    const response = await fetch(`http://127.0.0.1:${port}${page}`);
    await response.arrayBuffer();
    if (response.status !== 200) answered = false;
  }
  process.kill(-child.pid!, 'SIGTERM');
  await exited;
  // Until the whole group has let go of the database folder.
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(-child.pid!, 0);
      await new Promise((resolve) => setTimeout(resolve, 100));
    } catch {
      break;
    }
  }
  return {
    readyS,
    answered,
    frontEndBuilt: output.includes('Built the front end'),
    fromBaseline: output.includes('Created the schema from the baseline'),
  };
}

function freshClone(): string {
  fs.rmSync(cloneDir, { recursive: true, force: true });
  fs.mkdirSync(workDir, { recursive: true });
  execFileSync('git', ['clone', '--quiet', projectRoot, cloneDir]);
  fs.symlinkSync(fs.realpathSync(path.join(projectRoot, 'node_modules')), path.join(cloneDir, 'node_modules'));
  return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: cloneDir, encoding: 'utf8' }).trim();
}

interface Run {
  floorStock: Floor;
  floorPatched: Floor;
  floorTrimmed: Floor;
  first: StartResult;
  restart: StartResult;
  cpu: CpuSplit | undefined;
  load: number[];
}

fs.mkdirSync(workDir, { recursive: true });
const results: Run[] = [];
let commit = '';
for (let run = 1; run <= runs; run++) {
  log(`run ${run}/${runs}`);
  const loadBefore = os.loadavg();
  const { result, cpu } = await measureCpuSplit('(none)', async () => {
    const floorStock = floor('stock');
    log(
      `  floor, stock PGlite: open ${floorStock.openS.toFixed(1)} s + postgis ${floorStock.postgisS.toFixed(1)} s, reopen ${floorStock.reopenS.toFixed(1)} s`,
    );
    const floorPatched = floor('patched');
    log(
      `  floor, with the symbol lookup: open ${floorPatched.openS.toFixed(1)} s + postgis ${floorPatched.postgisS.toFixed(1)} s, reopen ${floorPatched.reopenS.toFixed(1)} s`,
    );
    const floorTrimmed = floor('trimmed');
    log(
      `  floor, with the symbol lookup and PostGIS alone: open ${floorTrimmed.openS.toFixed(1)} s + postgis ${floorTrimmed.postgisS.toFixed(1)} s, reopen ${floorTrimmed.reopenS.toFixed(1)} s`,
    );
    commit = freshClone();
    const first = await npmStart();
    log(`  first start: ready in ${first.readyS.toFixed(1)} s`);
    const restart = await npmStart();
    log(`  restart: ready in ${restart.readyS.toFixed(1)} s`);
    return { floorStock, floorPatched, floorTrimmed, first, restart };
  });
  results.push({ ...result, cpu, load: [loadBefore[0]!, os.loadavg()[0]!] });
}
fs.rmSync(cloneDir, { recursive: true, force: true });

const machine = describeMachine();
const row = (r: Run, index: number) => {
  const stock = r.floorStock.openS + r.floorStock.postgisS;
  const patched = r.floorPatched.openS + r.floorPatched.postgisS;
  const others = r.cpu ? r.cpu.others.toFixed(2) : '?';
  const parts = (floor: Floor) => `(${floor.openS.toFixed(1)} + ${floor.postgisS.toFixed(1)})`;
  return (
    `| ${index + 1} | ${stock.toFixed(1)} ${parts(r.floorStock)} | ${patched.toFixed(1)} ${parts(r.floorPatched)} ` +
    `| **${r.first.readyS.toFixed(1)}** | ${(r.first.readyS / stock).toFixed(2)}× | ${(r.first.readyS / patched).toFixed(2)}× ` +
    `| ${r.floorStock.reopenS.toFixed(1)} | ${r.floorPatched.reopenS.toFixed(1)} | ${r.floorTrimmed.reopenS.toFixed(1)} ` +
    `| **${r.restart.readyS.toFixed(1)}** | ${(r.restart.readyS / r.floorPatched.reopenS).toFixed(2)}× ` +
    `| ${(r.restart.readyS / r.floorTrimmed.reopenS).toFixed(2)}× ` +
    `| ${r.first.answered && r.restart.answered ? 'yes' : 'NO'} ` +
    `| ${r.load.map((value) => value.toFixed(1)).join(' → ')} | ≥ ${others} |`
  );
};
const checks = results.every((r) => r.first.frontEndBuilt && r.first.fromBaseline && !r.restart.frontEndBuilt);
const markdown = `
## First start: \`scripts/bench/first-start.ts\`

\`npm start\` on a fresh clone (commit ${commit}, no \`.data\`, no \`web/dist\`, node_modules linked), until it logs
"Passerelle is ready"; then a restart of the same clone. After each, \`/find\`, \`/map\` and an alliance's directory
must answer 200. The floor is bare PGlite with PostGIS opening an empty folder and creating the extension, in its own
process in the same run: stock, and with the symbol lookup Passerelle adds (\`server/src/db/pgliteSymbolLookup.ts\`);
a restart's floor is that folder opened again and a PostGIS function called, also with PostGIS's bundle trimmed to
postgis alone as \`npm start\` now opens it (\`server/src/db/postgisBundle.ts\`: uncompressed, handed to PGlite in one
piece). \`npm start\` runs the server from an esbuild bundle (\`server/dist/\`, made on the first start, reused on the
restart) with plain node; a restart opens PGlite in a worker thread started before the application's modules load,
while the main thread loads them and builds the routes (their schemas compiled on first use).
Targets: first start ≤ 20 s, restart ≤ 5 s. Machine: ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB,
Node ${machine.node}; load average (1 min) before → after each run, and the cores other processes kept busy during it
(a lower bound), since this machine is shared.

| run | first-start floor, stock PGlite (s: open + postgis) | first-start floor, with the symbol lookup (s) | first start (s) | ÷ stock floor | ÷ patched floor | restart floor, stock (s) | restart floor, patched (s) | restart floor, patched + PostGIS alone (s) | restart (s) | ÷ patched restart floor | ÷ trimmed restart floor | pages answered | load avg | other processes (cores) |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${results.map(row).join('\n')}

${checks ? 'Each first start built the front end and created the schema from the baseline; each restart skipped the build.' : '**A first start did not build the front end or did not use the baseline, or a restart rebuilt it.**'}
`;
await writeReportSection(path.join(projectRoot, 'docs/benchmarks.md'), 'first-start', markdown);
log(markdown);
