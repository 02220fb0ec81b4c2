// Plain JavaScript, so that `npm start` (run.mjs) can use it with node alone, before the server's TypeScript is
// bundled: see serverBundle.d.mts for its types.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * What the server bundle is made from: the server's sources, the start scripts, the shared contract, and what
 * says how they resolve (package.json's `imports`, the lockfile's versions, tsconfig). Tests are left out.
 */
export const serverInputs = [
  'server/src',
  'scripts/start',
  'contract',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
];
const leftOut = (relative) => /(^|\/)node_modules(\/|$)/.test(relative) || /\.test\.ts$/.test(relative);

/** The bundle's entries: `npm start`'s script, and the embedded database's thread (server/src/db/workerPool.ts). */
export const serverEntries = { start: 'scripts/start/start.ts', embeddedWorker: 'server/src/db/embeddedWorker.ts' };

/** Where a bundle keeps what it was made from: the hash of its inputs' contents, and of their sizes and times. */
export const stampName = '.inputs.json';

/** The input files under `root`, sorted: their paths relative to it (with `/`), sizes and modification times. */
export function inputFiles(root, inputs = serverInputs) {
  const files = [];
  const walk = (relative) => {
    if (leftOut(relative)) return;
    const stat = fs.statSync(path.join(root, relative), { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(path.join(root, relative)).sort()) walk(path.posix.join(relative, name));
    } else if (stat.isFile()) {
      files.push({ path: relative, size: stat.size, mtimeMs: stat.mtimeMs });
    }
  };
  for (const input of inputs) walk(input);
  return files;
}

/** A hash of every input's path and content. */
export function contentHash(root, files) {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(`${file.path}\0`);
    hash.update(fs.readFileSync(path.join(root, file.path)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** A hash of every input's path, size and modification time: what the folders tell, without reading a file. */
export function listingHash(files) {
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file.path}\0${file.size}\0${file.mtimeMs}\0`);
  return hash.digest('hex');
}

function readStamp(outDir) {
  try {
    const stamp = JSON.parse(fs.readFileSync(path.join(outDir, stampName), 'utf8'));
    return fs.existsSync(path.join(outDir, 'start.js')) ? stamp : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether `outDir` holds a bundle of the inputs as they are. Sizes and times alone answer when none changed (a
 * restart); otherwise the contents decide, so that files touched but not changed (a checkout and back) need no
 * new bundle: the stamp then takes their new times.
 */
export function bundleIsCurrent(root, outDir, inputs = serverInputs) {
  const stamp = readStamp(outDir);
  if (!stamp) return false;
  const files = inputFiles(root, inputs);
  const listing = listingHash(files);
  if (stamp.listing === listing) return true;
  if (stamp.sha256 !== contentHash(root, files)) return false;
  try {
    fs.writeFileSync(path.join(outDir, stampName), `${JSON.stringify({ ...stamp, listing })}\n`);
  } catch {
    // A folder that cannot be written: the contents are compared again next time.
  }
  return true;
}

/**
 * esbuild: the server's TypeScript into ES modules node runs alone, split at the dynamic imports (so that
 * startServer still loads the application once the database's thread has started). The packages in
 * node_modules stay outside (PGlite's WebAssembly and data files, argon2's native module, packages that read
 * files beside them); `#contract/*` is the project's own and goes in.
 */
export function esbuildServer(root) {
  return async (outDir) => {
    const esbuild = await import('esbuild');
    await esbuild.build({
      absWorkingDir: root,
      entryPoints: serverEntries,
      outdir: outDir,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      chunkNames: '[name]-[hash]',
      sourcemap: 'linked',
      logLevel: 'warning',
    });
  };
}

/**
 * Bundles the server into `outDir` (`npm run build`, and `npm start` when the sources changed). The inputs are
 * hashed before the build, and the stamp written after it succeeded, into a folder of its own that then replaces
 * `outDir`: a build cut short leaves the last one, or none, and sources changed meanwhile are bundled again next
 * time.
 */
export async function buildServerBundle({ root, outDir, build = esbuildServer(root), inputs = serverInputs }) {
  const files = inputFiles(root, inputs);
  const stamp = { sha256: contentHash(root, files), listing: listingHash(files) };
  const building = path.join(
    path.dirname(outDir),
    `.${path.basename(outDir)}-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  try {
    await build(building);
    fs.writeFileSync(path.join(building, stampName), `${JSON.stringify(stamp)}\n`);
    fs.rmSync(outDir, { recursive: true, force: true });
    fs.renameSync(building, outDir);
  } finally {
    fs.rmSync(building, { recursive: true, force: true });
  }
}

/** Bundles the server unless `outDir` holds a bundle of the same inputs; answers whether it bundled. */
export async function buildServerBundleIfChanged({ root, outDir, build, inputs = serverInputs, log = () => {} }) {
  if (bundleIsCurrent(root, outDir, inputs)) return false;
  log('Bundling the server…');
  await buildServerBundle({ root, outDir, build, inputs });
  log('Bundled the server.');
  return true;
}
