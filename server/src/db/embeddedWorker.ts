import { parentPort, workerData } from 'node:worker_threads';
import { type CheckpointPolicy, type EmbeddedClient, EmbeddedPool } from './embeddedPool.js';

/**
 * The embedded database's own thread (see WorkerEmbeddedPool in workerPool.ts): PGlite opens, unpacks PostGIS,
 * compiles and runs here, on the second core, while the main thread loads the application's modules and builds
 * its routes. It holds one EmbeddedPool and runs what the main thread asks, one message after another: a loan
 * (`connect`), the statements of a loan, its end (`release`), and closing (`end`).
 */
export interface WorkerData {
  dataDir: string;
  checkpoints: CheckpointPolicy;
  bundleCacheDir: string;
}

export type Request =
  | { id: number; type: 'connect' }
  | { id: number; type: 'query'; loan: number; sql: string; parameters: readonly unknown[] }
  | { id: number; type: 'release'; loan: number }
  | { id: number; type: 'end' };

export type Reply = { id: number; result?: unknown; error?: SentError };

/** An error as it crosses threads: its message, name, stack and own fields (PostgreSQL's code, detail, …). */
export type SentError = Record<string, unknown> & { message: string; name: string; stack?: string };

function sent(error: unknown): SentError {
  if (!(error instanceof Error)) return { message: String(error), name: 'Error' };
  return {
    ...(error as unknown as Record<string, unknown>),
    message: error.message,
    name: error.name,
    stack: error.stack,
  };
}

const { dataDir, checkpoints, bundleCacheDir } = workerData as WorkerData;
const pool = new EmbeddedPool(dataDir, checkpoints, bundleCacheDir);
const loans = new Map<number, EmbeddedClient>();
const port = parentPort!;

async function answer(request: Request): Promise<unknown> {
  switch (request.type) {
    case 'connect': {
      loans.set(request.id, await pool.connect());
      return request.id;
    }
    case 'query': {
      const client = loans.get(request.loan);
      if (!client) throw new Error('This embedded database connection was released.');
      return client.query(request.sql, request.parameters);
    }
    case 'release': {
      loans.get(request.loan)?.release();
      loans.delete(request.loan);
      return undefined;
    }
    case 'end': {
      await pool.end();
      return undefined;
    }
  }
}

port.on('message', (request: Request) => {
  answer(request).then(
    (result) => port.postMessage({ id: request.id, result } satisfies Reply),
    (error: unknown) => port.postMessage({ id: request.id, error: sent(error) } satisfies Reply),
  );
});
