// `npm start`: bundles the server when its sources changed since the last bundle (serverBundle.mjs), then runs
// the bundle's start.js (scripts/start/start.ts) with node alone — no TypeScript compiler on the way to "ready".
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildServerBundleIfChanged } from './serverBundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = path.join(root, 'server/dist');
await buildServerBundleIfChanged({ root, outDir, log: (message) => console.log(message) });
await import(pathToFileURL(path.join(outDir, 'start.js')).href);
