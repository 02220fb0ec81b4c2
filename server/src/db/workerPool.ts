import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { defaultBundleCacheDir } from '../projectRoot.js';
import { type CheckpointPolicy, defaultCheckpointPolicy } from './checkpoints.js';
import type { EmbeddedClient } from './embeddedPool.js';
import type { Reply, Request, SentError, WorkerData } from './embeddedWorker.js';

/**
 * The thread's entry. From the sources (tsx, Vitest) a small module that loads tsx there first; in the server
 * bundle that `npm start` runs (scripts/start/serverBundle.mjs) the worker is an entry of the bundle, beside this
 * file. This module imports nothing heavy (no PGlite, no Kysely), so that `startServer` can start the thread
 * before it loads the rest.
 */
const workerEntry = import.meta.url.endsWith('.ts')
  ? new URL('./embeddedWorkerEntry.mjs', import.meta.url)
  : new URL('./embeddedWorker.js', import.meta.url);

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };
type Sendable = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

function received(error: SentError): Error {
  const { message, name, stack, ...fields } = error;
  const rebuilt = Object.assign(new Error(message), fields);
  rebuilt.name = name;
  // The stack of the main thread's caller, after the worker's: where the statement was sent from.
  if (stack)
    rebuilt.stack = `${stack}\n    --- sent from the main thread ---\n${new Error().stack?.split('\n').slice(2).join('\n')}`;
  return rebuilt;
}

/**
 * The embedded database in a thread of its own, behind the same `pg`-pool face as EmbeddedPool (which runs in
 * that thread: loans one at a time, checkpoints, scripts). PGlite is WebAssembly that runs on the thread that
 * calls it: opened on the main thread, its 3–4 s of reopening (PostGIS included) waited for the application's
 * modules and routes, or they for it. Here the two overlap on a 2-core machine, and later statements no longer
 * hold the main thread while they run. Rows and parameters cross threads by structured clone (dates, byte arrays
 * and nested JSON stay what they are); an error keeps its message and its fields (PostgreSQL's `code`,
 * `constraint`, `detail`…), so that callers see the same errors as from the pool in the thread.
 */
export class WorkerEmbeddedPool {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #failure: Error | undefined;
  #ended = false;

  constructor(
    dataDir: string,
    checkpoints: CheckpointPolicy = defaultCheckpointPolicy,
    bundleCacheDir: string = defaultBundleCacheDir,
  ) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.#worker = new Worker(workerEntry, {
      workerData: { dataDir, checkpoints, bundleCacheDir } satisfies WorkerData,
      // The main thread's loaders (tsx's, Vitest's) do not reach a worker thread: the entry loads tsx itself.
      execArgv: [],
    });
    this.#worker.on('message', (reply: Reply) => {
      const pending = this.#pending.get(reply.id);
      if (!pending) return;
      this.#pending.delete(reply.id);
      if (reply.error) pending.reject(received(reply.error));
      else pending.resolve(reply.result);
    });
    const fail = (error: Error) => {
      this.#failure ??= error;
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    };
    this.#worker.on('error', fail);
    this.#worker.on('exit', (code) => fail(new Error(`The embedded database is closed (its thread ended, ${code}).`)));
  }

  #send<T>(request: Sendable): Promise<T> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#worker.postMessage({ ...request, id });
    });
  }

  async connect(): Promise<EmbeddedClient> {
    if (this.#ended) throw new Error('The embedded database is closed.');
    const loan = await this.#send<number>({ type: 'connect' });
    let released = false;
    return {
      query: (sql, parameters) => this.#send({ type: 'query', loan, sql, parameters }),
      release: () => {
        if (released) return;
        released = true;
        this.#send({ type: 'release', loan }).catch(() => {});
      },
    };
  }

  async end(): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    try {
      await this.#send({ type: 'end' });
    } finally {
      await this.#worker.terminate();
    }
  }
}
