import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * What the front-end build reads: the web sources and their build configuration, the shared contract, and the
 * lockfile (the versions of Vite, Svelte, MapLibre…). web/dist, and the web folder's tests, are left out.
 */
export const frontEndInputs = ['web', 'contract', 'package-lock.json'];
const leftOut = (relative: string) =>
  relative === path.join('web', 'dist') || /(^|\/)node_modules(\/|$)/.test(relative) || /\.test\.ts$/.test(relative);

/** Where a build keeps the hash of the inputs it was made from. */
export const stampName = '.inputs-sha256';

function filesUnder(root: string, relative: string, into: string[]): void {
  if (leftOut(relative)) return;
  const full = path.join(root, relative);
  const stat = fs.statSync(full, { throwIfNoEntry: false });
  if (!stat) return;
  if (stat.isDirectory()) {
    for (const name of fs.readdirSync(full).sort()) filesUnder(root, path.join(relative, name), into);
  } else if (stat.isFile()) {
    into.push(relative);
  }
}

/** A hash of every input's path and content. */
export function frontEndInputsHash(root: string, inputs: readonly string[] = frontEndInputs): string {
  const files: string[] = [];
  for (const input of inputs) filesUnder(root, input, files);
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(`${file.split(path.sep).join('/')}\0`);
    hash.update(fs.readFileSync(path.join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Whether `distDir` holds a build of exactly these inputs. */
export function builtFrom(distDir: string, hash: string): boolean {
  const stamp = path.join(distDir, stampName);
  return (
    fs.existsSync(path.join(distDir, 'index.html')) &&
    fs.existsSync(stamp) &&
    fs.readFileSync(stamp, 'utf8').trim() === hash
  );
}

export interface FrontEndBuildOptions {
  root: string;
  distDir: string;
  /** Runs the build; resolves when it succeeded. `vite build` in its own process unless a test says otherwise. */
  build?: () => Promise<void>;
  log?: (message: string) => void;
}

/** `vite build --config web/vite.config.ts`, in a process of its own (it then runs on the other core). */
export function viteBuild(root: string, logLevel: 'info' | 'warn' = 'warn'): () => Promise<void> {
  return () =>
    new Promise((resolve, reject) => {
      const vite = path.join(root, 'node_modules/vite/bin/vite.js');
      const child = spawn(process.execPath, [vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', logLevel], {
        cwd: root,
        stdio: 'inherit',
      });
      child.on('error', reject);
      child.on('exit', (code, signal) =>
        code === 0 ? resolve() : reject(new Error(`The front-end build failed (${signal ?? `exit code ${code}`}).`)),
      );
    });
}

/**
 * Builds the front end and then writes the hash of the inputs it was built from into web/dist (`npm run build`),
 * so that the next `npm start` finds it built. The hash is taken before the build, and the stamp written only
 * after the build succeeded: a build cut short, or sources changed while it ran, are built again next time.
 */
export async function buildFrontEnd(
  { root, distDir, build = viteBuild(root) }: FrontEndBuildOptions,
  hash = frontEndInputsHash(root),
): Promise<void> {
  fs.rmSync(path.join(distDir, stampName), { force: true });
  await build();
  fs.writeFileSync(path.join(distDir, stampName), `${hash}\n`);
}

/**
 * Builds the front end unless web/dist was built from the same inputs; answers whether it built. The stamp is
 * written only after a build succeeded, so a build cut short is done again next time.
 */
export async function buildFrontEndIfChanged({
  root,
  distDir,
  build = viteBuild(root),
  log = () => {},
}: FrontEndBuildOptions): Promise<boolean> {
  const hash = frontEndInputsHash(root);
  if (builtFrom(distDir, hash)) {
    log('The front end is built already from these sources.');
    return false;
  }
  log('Building the front end…');
  await buildFrontEnd({ root, distDir, build }, hash);
  log('Built the front end.');
  return true;
}
