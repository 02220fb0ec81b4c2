import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

/**
 * The benchmarks share the machine's cores with whatever else runs on it
 * (other people's test runs, editors, builds). These helpers wait for a quiet
 * moment before measuring and tell how the CPU was spent during a measurement
 * (load generator, server, database, other processes), so that a number taken
 * on a busy machine says so. Linux only: elsewhere they measure nothing and
 * report undefined.
 */

const hasProc = fs.existsSync('/proc/stat');

function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

const ticksPerSecond = hasProc ? clockTicksPerSecond() : 100;

/** Busy and total CPU ticks of the whole machine since boot. */
function machineTicks(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((sum, value) => sum + value, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Cores kept busy, on average, over the next `ms` milliseconds, by every process. */
async function busyCores(ms: number): Promise<number> {
  const before = machineTicks();
  await sleep(ms);
  const after = machineTicks();
  const share = (after.busy - before.busy) / Math.max(1, after.total - before.total);
  return share * os.availableParallelism();
}

/**
 * Waits, while this benchmark is idle, until other processes keep less than
 * `maxCores` busy, or `maxWaitS` have passed. Returns the cores they kept busy
 * in the last second, or undefined where this cannot be measured.
 */
export async function waitForQuietMachine(
  log: (line: string) => void,
  options: { maxCores: number; maxWaitS: number },
): Promise<number | undefined> {
  if (!hasProc) return undefined;
  const deadline = performance.now() + options.maxWaitS * 1000;
  let cores = await busyCores(1000);
  if (cores >= options.maxCores) log(`    waiting for a quiet machine: other processes use ${cores.toFixed(2)} cores`);
  while (cores >= options.maxCores && performance.now() < deadline) cores = await busyCores(1000);
  if (cores >= options.maxCores)
    log(`    measuring anyway after ${options.maxWaitS} s: ${cores.toFixed(2)} cores busy`);
  return cores;
}

interface ProcessTicks {
  ppid: number;
  startTime: number;
  /** CPU ticks spent by the process itself. */
  ticks: number;
  /** CPU ticks of its children that have exited (and been waited for). */
  exitedChildrenTicks: number;
  command: string;
}

/** Command lines by "pid@start time": read once per process, as they do not change. */
const commands = new Map<string, string>();

function readProcess(pid: number): ProcessTicks | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may hold spaces: fields start after its last ')'.
    const fields = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    const startTime = fields[19]!;
    const key = `${pid}@${startTime}`;
    let command = commands.get(key);
    if (command === undefined) {
      command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      commands.set(key, command);
    }
    return {
      ppid: fields[1]!,
      ticks: fields[11]! + fields[12]!,
      exitedChildrenTicks: fields[13]! + fields[14]!,
      startTime,
      command,
    };
  } catch {
    return undefined;
  }
}

function readProcesses(): Map<number, ProcessTicks> {
  const processes = new Map<number, ProcessTicks>();
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const process = readProcess(pid);
    if (process) processes.set(pid, process);
  }
  return processes;
}

/**
 * The last reading of every process seen while sampling: a process that ends
 * during the measurement (pgbench's backends) still counts up to its last sample.
 */
class ProcessSampler {
  readonly #last = new Map<string, ProcessTicks & { pid: number }>();
  readonly #timer: NodeJS.Timeout;

  constructor(intervalMs: number) {
    this.sample();
    this.#timer = setInterval(() => this.sample(), intervalMs);
  }

  sample(): void {
    for (const [pid, process] of readProcesses()) this.#last.set(`${pid}@${process.startTime}`, { ...process, pid });
  }

  stop(): Map<string, ProcessTicks & { pid: number }> {
    clearInterval(this.#timer);
    this.sample();
    return this.#last;
  }
}

function descendsFrom(pid: number, ancestor: number, processes: Map<number, ProcessTicks>): boolean {
  for (let current = processes.get(pid)?.ppid, depth = 0; current && current > 1 && depth < 64; depth++) {
    if (current === ancestor) return true;
    current = processes.get(current)?.ppid;
  }
  return false;
}

/** Average cores kept busy during a measurement, by whom. */
export interface CpuSplit {
  /** This process: the load generator (autocannon, `pg` clients) or the embedded database. */
  bench: number;
  /** Its child processes: the API server, pgbench. */
  children: number;
  /** PostgreSQL backends connected to the benchmark's database. */
  database: number;
  /**
   * Every other process on the machine. Processes that start and end within
   * the measurement are missed, so this is a lower bound.
   */
  others: number;
}

/** Runs `work` and tells how the machine's CPU was spent meanwhile; undefined off Linux. */
export async function measureCpuSplit<T>(
  databaseName: string,
  work: () => Promise<T>,
): Promise<{ result: T; cpu: CpuSplit | undefined }> {
  if (!hasProc) return { result: await work(), cpu: undefined };
  const before = readProcesses();
  const sampler = new ProcessSampler(250);
  const start = performance.now();
  let result: T;
  let seen: ReturnType<ProcessSampler['stop']>;
  try {
    result = await work();
  } finally {
    seen = sampler.stop();
  }
  const seconds = (performance.now() - start) / 1000;
  const alive = readProcesses();
  const ticks = { bench: 0, children: 0, database: 0, others: 0 };
  const self = process.pid;
  for (const current of seen.values()) {
    const previous = before.get(current.pid);
    const sameProcess = previous !== undefined && previous.startTime === current.startTime;
    const spent = current.ticks - (sameProcess ? previous.ticks : 0);
    if (current.pid === self) {
      ticks.bench += spent;
      ticks.children += current.exitedChildrenTicks - (previous?.exitedChildrenTicks ?? 0);
    } else if (current.ppid === self || descendsFrom(current.pid, self, alive)) {
      // A child that has exited is already in this process's exitedChildrenTicks.
      if (alive.get(current.pid)?.startTime === current.startTime) ticks.children += spent;
    } else if (current.command.includes(` ${databaseName} `)) {
      ticks.database += spent;
    } else {
      ticks.others += spent;
    }
  }
  const cores = (value: number) => value / ticksPerSecond / seconds;
  return {
    result,
    cpu: {
      bench: cores(ticks.bench),
      children: cores(ticks.children),
      database: cores(ticks.database),
      others: cores(ticks.others),
    },
  };
}

export interface QuietMeasurementOptions {
  /** PostgreSQL backends of this database count as the benchmark's own work. */
  databaseName: string;
  log: (line: string) => void;
  /** How long to wait for other processes to calm down before measuring anyway. */
  maxWaitS: number;
  /** Run after the wait, unmeasured, right before `work`. */
  warmup?: () => Promise<unknown>;
}

/**
 * Waits for a quiet machine (other processes below 0.3 cores), warms up, then
 * measures `work` and how the machine's CPU was spent meanwhile.
 */
export async function measureWhenQuiet<T>(
  options: QuietMeasurementOptions,
  work: () => Promise<T>,
): Promise<{ result: T; cpu: CpuSplit | undefined }> {
  await waitForQuietMachine(options.log, { maxCores: 0.3, maxWaitS: options.maxWaitS });
  if (options.warmup) await options.warmup();
  const measured = await measureCpuSplit(options.databaseName, work);
  const { cpu } = measured;
  if (cpu) {
    options.log(
      `    cores busy: benchmark ${cpu.bench.toFixed(2)}, its children ${cpu.children.toFixed(2)}, ` +
        `PostgreSQL ${cpu.database.toFixed(2)}, other processes ≥ ${cpu.others.toFixed(2)}`,
    );
  }
  return measured;
}
