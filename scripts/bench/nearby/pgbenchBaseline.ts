import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { CompiledQuery, Kysely } from 'kysely';
import type { CategoryId, Database } from '../../../server/src/db/schema.js';
import { compileNearbyServicesQuery } from '../../../server/src/domain/services/serviceRepository.js';
import { categoryIds } from '#contract/taxonomy/categories.js';
import type { ThroughputResult } from '../lib/closedLoop.js';
import { summarizeLatencies } from '../lib/stats.js';
import type { Region } from './syntheticServices.js';

export interface PgbenchRun {
  databaseUrl: string;
  connections: number;
  region: Region;
  radiusM: number;
  limit: number;
  seed: number;
  workDir: string;
}

// Values no real query uses, so that compiled parameters can be told apart.
const sentinelLon = 123.456789;
const sentinelLat = -65.4321;

interface PgbenchScript {
  file: string;
  weight: number;
  /** Constant parameters, passed with -D. */
  constants: Record<string, string>;
}

/**
 * Turns the compiled query into a pgbench script: the point is drawn uniformly
 * in the region by pgbench itself, every other parameter becomes a variable
 * defined on the command line, so pgbench sends all of them as parameters of
 * a prepared statement, as the API's pool does.
 */
function toPgbenchScript(compiled: CompiledQuery, region: Region, name: string, workDir: string): PgbenchScript {
  const constants: Record<string, string> = {};
  const variables = compiled.parameters.map((value, index) => {
    if (value === sentinelLon) return 'lon';
    if (value === sentinelLat) return 'lat';
    const variable = `${name}_p${index + 1}`;
    constants[variable] = String(value);
    return variable;
  });
  if (!variables.includes('lon') || !variables.includes('lat')) {
    // pgbench draws numbers only: a point bound any other way (a WKT string) cannot be varied by it.
    throw new Error('The near-me SQL no longer binds longitude and latitude as numbers; update the pgbench floor.');
  }
  const sql = compiled.sql.replace(/\$(\d+)\b/g, (_, position: string) => `:${variables[Number(position) - 1]}`);
  const text = [
    `\\set lon ${region.west} + random(0, 999999) * ${region.east - region.west} / 1000000.0`,
    `\\set lat ${region.south} + random(0, 999999) * ${region.north - region.south} / 1000000.0`,
    `${sql};`,
    '',
  ].join('\n');
  const file = path.join(workDir, `${name}.sql`);
  fs.writeFileSync(file, text);
  return { file, weight: 1, constants };
}

/**
 * One script without category filter weighted as much as the three with one,
 * as in the query list the other measurements use.
 */
export function writePgbenchScripts(db: Kysely<Database>, run: PgbenchRun): PgbenchScript[] {
  fs.mkdirSync(run.workDir, { recursive: true });
  const base = { lon: sentinelLon, lat: sentinelLat, radiusM: run.radiusM, limit: run.limit };
  const any = toPgbenchScript(compileNearbyServicesQuery(db, base), run.region, 'any', run.workDir);
  any.weight = categoryIds.length;
  const filtered = categoryIds.map((category: CategoryId, index) =>
    toPgbenchScript(compileNearbyServicesQuery(db, { ...base, category }), run.region, `category${index}`, run.workDir),
  );
  return [any, ...filtered];
}

function runProcess(command: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`${command} exited with ${code}:\n${output}`));
    });
  });
}

function readTransactionLatencies(logPrefix: string): number[] {
  const directory = path.dirname(logPrefix);
  const base = path.basename(logPrefix);
  const latencies: number[] = [];
  for (const file of fs.readdirSync(directory).filter((name) => name.startsWith(`${base}.`))) {
    for (const line of fs.readFileSync(path.join(directory, file), 'utf8').split('\n')) {
      const fields = line.split(' ');
      // client_id transaction_no time(µs) script_no time_epoch time_us
      if (fields.length >= 6) latencies.push(Number(fields[2]) / 1000);
    }
    fs.rmSync(path.join(directory, file));
  }
  return latencies;
}

function pgbenchCommand(): string {
  return process.env.PGBENCH ?? 'pgbench';
}

/**
 * The raw SQL floor: pgbench, a separate C process, runs the same query from
 * `connections` connections for `seconds`. With two cores, a load generator
 * that spends little CPU of its own leaves the most to PostgreSQL, which makes
 * this the highest (strictest) baseline for the API to be compared with.
 */
export async function runPgbench(
  scripts: PgbenchScript[],
  run: PgbenchRun,
  seconds: number,
): Promise<ThroughputResult> {
  const logPrefix = path.join(run.workDir, `pgbench-log-${process.pid}`);
  const args = [
    '--no-vacuum',
    // The API runs this query as a named prepared statement (see
    // server/src/db/preparedStatements.ts): so does the floor.
    '--protocol=prepared',
    `--client=${run.connections}`,
    '--jobs=2',
    `--time=${Math.max(1, Math.round(seconds))}`,
    `--random-seed=${run.seed}`,
    '--log',
    `--log-prefix=${logPrefix}`,
  ];
  for (const script of scripts) {
    args.push(`--file=${script.file}@${script.weight}`);
    for (const [name, value] of Object.entries(script.constants)) args.push(`--define=${name}=${value}`);
  }
  args.push(run.databaseUrl);
  const output = await runProcess(pgbenchCommand(), args, (seconds + 60) * 1000);
  const latencies = readTransactionLatencies(logPrefix);
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(output)?.[1]);
  const failed = Number(/number of failed transactions: (\d+)/.exec(output)?.[1] ?? 0);
  if (!Number.isFinite(tps)) throw new Error(`Could not read pgbench's output:\n${output}`);
  return {
    perSecond: tps,
    completed: latencies.length,
    failed,
    seconds,
    latency: summarizeLatencies(latencies),
  };
}
