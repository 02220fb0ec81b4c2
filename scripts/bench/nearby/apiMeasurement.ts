import { type CpuSplit, measureWhenQuiet } from '../lib/machineLoad.js';
import { type ApiDatabase, type ApiLoadResult, loadApi, startApiServer } from './apiLoad.js';
import type { BenchOptions } from './benchOptions.js';

/**
 * Before loading the API, asks it a few of the questions and checks it gives
 * as many answers as the SQL did: a benchmark of errors or empty pages would
 * measure nothing.
 */
async function checkApiAnswers(origin: string, paths: readonly string[], expectedRowCounts: readonly number[]) {
  for (let index = 0; index < Math.min(10, expectedRowCounts.length); index++) {
    const response = await fetch(origin + paths[index]);
    if (response.status !== 200) throw new Error(`GET ${paths[index]} answered ${response.status}.`);
    const { items } = (await response.json()) as { items: unknown[] };
    if (items.length !== expectedRowCounts[index]) {
      throw new Error(`GET ${paths[index]} gave ${items.length} items; the SQL gave ${expectedRowCounts[index]}.`);
    }
  }
}

/** The real application in a child process, loaded by autocannon from this one. */
export async function measureApi(
  database: ApiDatabase & { name: string },
  paths: readonly string[],
  expectedRowCounts: readonly number[],
  options: BenchOptions,
  log: (line: string) => void,
): Promise<{ result: ApiLoadResult; cpu: CpuSplit | undefined }> {
  log(`  API: autocannon, ${options.connections} connections, ${options.durationS} s`);
  const server = await startApiServer(database);
  try {
    await checkApiAnswers(server.origin, paths, expectedRowCounts);
    const measured = await measureWhenQuiet(
      {
        databaseName: database.name,
        log,
        maxWaitS: options.quietWaitS,
        warmup: () => loadApi(server.origin, paths, options.connections, options.warmupS),
      },
      () => loadApi(server.origin, paths, options.connections, options.durationS),
    );
    const api = measured.result;
    log(
      `    ${api.requestsPerSecond.toFixed(0)} req/s, p50 ${api.latency.p50.toFixed(2)} ms, ` +
        `p95 ${api.latency.p95.toFixed(2)} ms, non-2xx ${api.non2xx}, errors ${api.errors}`,
    );
    return measured;
  } finally {
    await server.stop();
  }
}
