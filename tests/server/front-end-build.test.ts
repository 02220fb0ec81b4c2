import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildFrontEnd,
  buildFrontEndIfChanged,
  frontEndInputsHash,
  stampName,
} from '../../scripts/start/frontEndBuild.js';

/** `npm start` builds the front end only when what the build reads changed since the last build. */
describe('the front-end build at start', () => {
  let root: string;
  let distDir: string;
  let builds: number;
  const build = async () => {
    builds += 1;
    fs.rmSync(distDir, { recursive: true, force: true });
    fs.mkdirSync(distDir, { recursive: true });
    fs.writeFileSync(path.join(distDir, 'index.html'), '<html></html>');
  };
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'passerelle-front-end-'));
    distDir = path.join(root, 'web/dist');
    builds = 0;
    write('web/src/main.ts', 'export const a = 1;');
    write('web/vite.config.ts', 'export default {};');
    write('contract/api.ts', 'export type A = 1;');
    write('package-lock.json', '{"lockfileVersion": 3}');
  });

  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('builds when nothing was built, then not again while the sources stay the same', async () => {
    expect(await buildFrontEndIfChanged({ root, distDir, build })).toBe(true);
    expect(fs.readFileSync(path.join(distDir, stampName), 'utf8').trim()).toBe(frontEndInputsHash(root));
    expect(await buildFrontEndIfChanged({ root, distDir, build })).toBe(false);
    expect(builds).toBe(1);
  });

  it.each([
    ['a web source', 'web/src/main.ts', 'export const a = 2;'],
    ['a new web source', 'web/src/other.svelte', '<p>x</p>'],
    ['the Vite configuration', 'web/vite.config.ts', 'export default { base: "/" };'],
    ['the shared contract', 'contract/api.ts', 'export type A = 2;'],
    ['the lockfile', 'package-lock.json', '{"lockfileVersion": 3, "packages": {}}'],
  ])('builds again when %s changed', async (_what, file, text) => {
    await buildFrontEndIfChanged({ root, distDir, build });
    write(file, text);
    expect(await buildFrontEndIfChanged({ root, distDir, build })).toBe(true);
    expect(builds).toBe(2);
  });

  it('does not build again for what the build does not read: its output, tests, the server', async () => {
    await buildFrontEndIfChanged({ root, distDir, build });
    write('web/src/main.test.ts', 'it("x", () => {});');
    write('server/src/app.ts', 'export {};');
    expect(await buildFrontEndIfChanged({ root, distDir, build })).toBe(false);
  });

  it('`npm run build` always builds, and leaves the stamp that spares the next start a build', async () => {
    await buildFrontEnd({ root, distDir, build });
    await buildFrontEnd({ root, distDir, build });
    expect(builds).toBe(2);
    expect(fs.readFileSync(path.join(distDir, stampName), 'utf8').trim()).toBe(frontEndInputsHash(root));
    expect(await buildFrontEndIfChanged({ root, distDir, build })).toBe(false);
    expect(builds).toBe(2);

    write('web/src/main.ts', 'export const a = 4;');
    const failing = async () => {
      throw new Error('vite failed');
    };
    await expect(buildFrontEnd({ root, distDir, build: failing })).rejects.toThrow('vite failed');
    expect(fs.existsSync(path.join(distDir, stampName))).toBe(false);
  });

  it('builds again when the built files are gone, and leaves no stamp after a failed build', async () => {
    await buildFrontEndIfChanged({ root, distDir, build });
    fs.rmSync(path.join(distDir, 'index.html'));
    expect(await buildFrontEndIfChanged({ root, distDir, build })).toBe(true);

    write('web/src/main.ts', 'export const a = 3;');
    const failing = async () => {
      fs.rmSync(distDir, { recursive: true, force: true });
      throw new Error('vite failed');
    };
    await expect(buildFrontEndIfChanged({ root, distDir, build: failing })).rejects.toThrow('vite failed');
    expect(fs.existsSync(path.join(distDir, stampName))).toBe(false);
    expect(await buildFrontEndIfChanged({ root, distDir, build })).toBe(true);
  });
});
