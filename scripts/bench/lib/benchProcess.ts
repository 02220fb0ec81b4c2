import { fork } from 'node:child_process';
import { projectRoot } from '../../../server/src/config.js';
import type { BenchDatabase } from './benchDatabase.js';

/** The line a benchmark's child process prints its result on, as JSON after this prefix. */
export const benchResultPrefix = 'BENCH_RESULT ';

/**
 * Runs one side of a benchmark in a process of its own (its peak memory is its own), over the database given
 * (BENCH_DATABASE_URL or BENCH_EMBEDDED_DIR) and the alliance (BENCH_ALLIANCE_ID), with more environment if any;
 * resolves with the JSON of its BENCH_RESULT line, or rejects with what it printed when it fails.
 */
export function runBenchProcess<T>(
  entry: string,
  args: string[],
  setting: { database: BenchDatabase; allianceId: string; env?: Record<string, string> },
  what: string,
): Promise<T> {
  const env = {
    ...process.env,
    BENCH_DATABASE_URL: setting.database.databaseUrl ?? '',
    BENCH_EMBEDDED_DIR: setting.database.embeddedDir ?? '',
    BENCH_ALLIANCE_ID: setting.allianceId,
    ...setting.env,
  };
  return new Promise((resolve, reject) => {
    const child = fork(entry, args, {
      cwd: projectRoot,
      env,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      const line = output.split('\n').find((text) => text.startsWith(benchResultPrefix));
      if (code === 0 && line) resolve(JSON.parse(line.slice(benchResultPrefix.length)) as T);
      else reject(new Error(`The ${what} process exited with ${code}:\n${output}`));
    });
  });
}
