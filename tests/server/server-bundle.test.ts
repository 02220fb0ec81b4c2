import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultBundleCacheDir, projectRoot } from '../../server/src/projectRoot.js';
import {
  buildServerBundle,
  buildServerBundleIfChanged,
  bundleIsCurrent,
  contentHash,
  inputFiles,
  stampName,
} from '../../scripts/start/serverBundle.mjs';
import { embeddedTemplateDir } from '../support/testDatabase.js';

/** `npm start` runs the server from a bundle (server/dist), made again only when what it is made from changed. */
describe('the server bundle at start', () => {
  let root: string;
  let outDir: string;
  let builds: number;
  const build = async (into: string) => {
    builds += 1;
    fs.mkdirSync(into, { recursive: true });
    fs.writeFileSync(path.join(into, 'start.js'), `// build ${builds}`);
  };
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  const stamp = () => JSON.parse(fs.readFileSync(path.join(outDir, stampName), 'utf8'));

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'passerelle-server-bundle-'));
    outDir = path.join(root, 'server/dist');
    builds = 0;
    write('server/src/app.ts', 'export const a = 1;');
    write('scripts/start/start.ts', 'export {};');
    write('contract/api.ts', 'export type A = 1;');
    write('package.json', '{"imports": {}}');
    write('package-lock.json', '{"lockfileVersion": 3}');
    write('tsconfig.json', '{}');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('bundles when there is no bundle, then not again while the sources stay the same', async () => {
    expect(await buildServerBundleIfChanged({ root, outDir, build })).toBe(true);
    expect(stamp().sha256).toBe(contentHash(root, inputFiles(root)));
    expect(await buildServerBundleIfChanged({ root, outDir, build })).toBe(false);
    expect(builds).toBe(1);
  });

  it.each([
    ['a server source', 'server/src/app.ts', 'export const a = 2;'],
    ['a new server source', 'server/src/routes/new.ts', 'export {};'],
    ['the start script', 'scripts/start/start.ts', 'export const b = 1;'],
    ['the shared contract', 'contract/api.ts', 'export type A = 2;'],
    ['package.json', 'package.json', '{"imports": {"#x": "./x"}}'],
    ['the lockfile', 'package-lock.json', '{"lockfileVersion": 3, "packages": {}}'],
  ])('bundles again when %s changed', async (_what, file, text) => {
    await buildServerBundleIfChanged({ root, outDir, build });
    write(file, text);
    expect(bundleIsCurrent(root, outDir)).toBe(false);
    expect(await buildServerBundleIfChanged({ root, outDir, build })).toBe(true);
    expect(builds).toBe(2);
    expect(fs.readFileSync(path.join(outDir, 'start.js'), 'utf8')).toBe('// build 2');
  });

  it('does not bundle again for what the bundle does not hold: tests, the front end, a file touched unchanged', async () => {
    await buildServerBundleIfChanged({ root, outDir, build });
    write('server/src/app.test.ts', 'it("x", () => {});');
    write('web/src/main.ts', 'export {};');
    const { listing } = stamp();
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(root, 'server/src/app.ts'), later, later);
    expect(await buildServerBundleIfChanged({ root, outDir, build })).toBe(false);
    // The touched file's new time is kept: the next start answers from sizes and times alone.
    expect(stamp().listing).not.toBe(listing);
    expect(builds).toBe(1);
  });

  it('bundles again when the bundle is gone, and keeps the last one when a bundling fails', async () => {
    await buildServerBundleIfChanged({ root, outDir, build });
    fs.rmSync(path.join(outDir, 'start.js'));
    expect(await buildServerBundleIfChanged({ root, outDir, build })).toBe(true);

    write('server/src/app.ts', 'export const a = 3;');
    const failing = async (into: string) => {
      fs.mkdirSync(into, { recursive: true });
      fs.writeFileSync(path.join(into, 'start.js'), 'half');
      throw new Error('esbuild failed');
    };
    await expect(buildServerBundleIfChanged({ root, outDir, build: failing })).rejects.toThrow('esbuild failed');
    expect(fs.readFileSync(path.join(outDir, 'start.js'), 'utf8')).toBe('// build 2');
    expect(bundleIsCurrent(root, outDir)).toBe(false);
    expect(fs.readdirSync(path.join(root, 'server'))).toEqual(['dist', 'src']);
    expect(await buildServerBundleIfChanged({ root, outDir, build })).toBe(true);
  });
});

/**
 * The real bundle, made by esbuild from the project, runs with node alone: its embedded database thread (which
 * from the sources needs tsx) opens PGlite with PostGIS and answers.
 */
describe('the server bundle esbuild makes', () => {
  const outDir = path.join(projectRoot, `.tmp/server-bundle-${randomBytes(6).toString('hex')}`);
  const dataDir = `${outDir}-db`;
  afterAll(() => {
    fs.rmSync(outDir, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('holds the start script and the database thread, and the thread answers without tsx', async () => {
    await buildServerBundle({ root: projectRoot, outDir });
    expect(fs.existsSync(path.join(outDir, 'start.js'))).toBe(true);
    expect(fs.existsSync(path.join(outDir, 'embeddedWorker.js'))).toBe(true);
    expect(bundleIsCurrent(projectRoot, outDir)).toBe(true);

    fs.cpSync(embeddedTemplateDir(), dataDir, { recursive: true });
    const worker = new Worker(path.join(outDir, 'embeddedWorker.js'), {
      workerData: {
        dataDir,
        checkpoints: { afterWalBytes: 1e12, checkEveryMs: 1e9 },
        bundleCacheDir: defaultBundleCacheDir,
      },
      execArgv: [],
    });
    const replies = new Map<number, (reply: { result?: unknown; error?: { message: string } }) => void>();
    worker.on('message', (reply: { id: number; result?: unknown; error?: { message: string } }) =>
      replies.get(reply.id)?.(reply),
    );
    const ask = (request: Record<string, unknown> & { id: number }) =>
      new Promise<unknown>((resolve, reject) => {
        replies.set(request.id, (reply) =>
          reply.error ? reject(new Error(reply.error.message)) : resolve(reply.result),
        );
        worker.postMessage(request);
      });
    try {
      const loan = await ask({ id: 1, type: 'connect' });
      const answer = (await ask({
        id: 2,
        type: 'query',
        loan,
        sql: 'select ST_AsText(ST_MakePoint(1, 2)) as point, (select count(*) from kysely_migration) > 0 as migrated',
        parameters: [],
      })) as { rows: unknown[] };
      expect(answer.rows).toEqual([{ point: 'POINT(1 2)', migrated: true }]);
      await ask({ id: 3, type: 'release', loan });
      await ask({ id: 4, type: 'end' });
    } finally {
      await worker.terminate();
    }
  }, 180_000);
});
