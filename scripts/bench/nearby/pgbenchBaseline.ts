import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { CompiledQuery } from 'kysely';
import type { ThroughputResult } from '../lib/closedLoop.js';
import { summarizeLatencies } from '../lib/stats.js';

export interface PgbenchRun {
  databaseUrl: string;
  connections: number;
  seed: number;
  workDir: string;
}

export interface PgbenchScript {
  file: string;
  weight: number;
  /** Constant parameters, passed with -D. */
  constants: Record<string, string>;
}

const numeric = (value: unknown) => typeof value === 'number' && Number.isFinite(value);

/**
 * One pgbench script for queries of the same SQL text: each transaction picks one of them at random (`k`) and
 * binds its parameters, so pgbench asks the same questions as the other measurements, as a prepared statement.
 * A parameter that is the same in every query is a constant (-D); one that varies (the point) is chosen by a CASE
 * on `k`, which pgbench can do for numbers only.
 */
function toPgbenchScript(group: readonly CompiledQuery[], name: string, workDir: string): PgbenchScript {
  const constants: Record<string, string> = {};
  const lines = [`\\set k random(0, ${group.length - 1})`];
  const first = group[0]!;
  const variables = first.parameters.map((value, index) => {
    const varies = group.some((query) => query.parameters[index] !== value);
    if (!varies) {
      const variable = `${name}_c${index + 1}`;
      constants[variable] = String(value);
      return variable;
    }
    if (!group.every((query) => numeric(query.parameters[index]))) {
      throw new Error(`Parameter $${index + 1} of the near-me SQL varies and is not a number: pgbench cannot bind it.`);
    }
    const variable = `p${index + 1}`;
    const branches = group.map((query, k) => `WHEN :k = ${k} THEN ${String(query.parameters[index])}`).join(' ');
    lines.push(`\\set ${variable} CASE ${branches} ELSE ${String(value)} END`);
    return variable;
  });
  const text = first.sql.replace(/\$(\d+)\b/g, (_, position: string) => `:${variables[Number(position) - 1]}`);
  lines.push(`${text};`, '');
  const file = path.join(workDir, `${name}.sql`);
  fs.writeFileSync(file, lines.join('\n'));
  return { file, weight: group.length, constants };
}

/**
 * pgbench scripts for these queries: one per SQL text and set of parameters that are not numbers (with or without
 * category, and which), weighted by its share.
 */
export function writePgbenchScripts(queries: readonly CompiledQuery[], name: string, workDir: string): PgbenchScript[] {
  fs.mkdirSync(workDir, { recursive: true });
  const groups = new Map<string, CompiledQuery[]>();
  for (const query of queries) {
    const key = JSON.stringify([query.sql, query.parameters.filter((value) => !numeric(value))]);
    groups.set(key, [...(groups.get(key) ?? []), query]);
  }
  return [...groups.values()].map((group, index) => toPgbenchScript(group, `${name}${index}`, workDir));
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
 * pgbench, a separate C process, runs the scripts' queries from
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
