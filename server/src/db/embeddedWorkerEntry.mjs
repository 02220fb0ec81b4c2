// The embedded database thread's entry (workerPool.ts). Node 20 does not run module customization hooks, which
// tsx's `--import` uses, in worker threads: tsx's require hooks, which run in the thread that registers them,
// load embeddedWorker.ts instead.
import { createRequire } from 'node:module';
import { register } from 'tsx/cjs/api';

register();
createRequire(import.meta.url)('./embeddedWorker.ts');
