import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { projectRoot } from '../../../server/src/config.js';
import { type LatencySummary, summarizeLatencies } from '../lib/stats.js';

export type ApiDatabase = { databaseUrl: string } | { embeddedDir: string };

export interface ApiServer {
  origin: string;
  stop(): Promise<void>;
}

const serverEntry = path.join(path.dirname(fileURLToPath(import.meta.url)), 'apiServerProcess.ts');

function waitForPort(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The API server did not start in time.')), timeoutMs);
    child.once('message', (message: { port: number }) => {
      clearTimeout(timer);
      resolve(message.port);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The API server exited with ${code} before listening.`));
    });
  });
}

/** Starts the real application, over the given database, in a child process on 127.0.0.1. */
export async function startApiServer(database: ApiDatabase): Promise<ApiServer> {
  const env = { ...process.env, BENCH_DATABASE_URL: '', BENCH_EMBEDDED_DIR: '' };
  if ('databaseUrl' in database) env.BENCH_DATABASE_URL = database.databaseUrl;
  else env.BENCH_EMBEDDED_DIR = database.embeddedDir;
  const child = fork(serverEntry, [], { cwd: projectRoot, env, execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const port = await waitForPort(child, 120_000);
  return {
    origin: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.disconnect();
      }),
  };
}

export interface ApiLoadResult {
  requestsPerSecond: number;
  completed: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  latency: LatencySummary;
}

/**
 * autocannon with `connections` keep-alive connections for `seconds`, each
 * request taking the next path of the list, so all connections together walk
 * the same query points as the other measurements. Latencies come from every
 * response (autocannon's own summary has no 95th percentile).
 */
export async function loadApi(origin: string, paths: readonly string[], connections: number, seconds: number) {
  let next = 0;
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: origin,
        connections,
        duration: seconds,
        requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length] }) }],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    instance.on('response', (_client, _statusCode, _bytes, responseTimeMs) => {
      if (latencies.length < 5_000_000) latencies.push(responseTimeMs);
    });
  });
  const completed = result['2xx'];
  return {
    requestsPerSecond: completed / result.duration,
    completed,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: result.duration,
    latency: summarizeLatencies(latencies),
  } satisfies ApiLoadResult;
}
