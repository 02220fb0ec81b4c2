import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, requestSerializers } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';
import { miniDataDir } from '../support/testApp.js';

/** A stand-in for web/dist, so that these tests do not depend on a build having run. */
function fakeWebDist(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'passerelle-dist-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<html><head></head><body>workspace</body></html>');
  fs.writeFileSync(path.join(dir, 'find.html'), '<html><head></head><body>finder</body></html>');
  fs.writeFileSync(path.join(dir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  fs.writeFileSync(path.join(dir, 'find.webmanifest'), '{"name":"Passerelle"}');
  fs.writeFileSync(path.join(dir, 'assets', 'find-abc123.js'), 'console.log(1)');
  return dir;
}

describe('the web pages', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  const lines: string[] = [];
  const webDistDir = fakeWebDist();

  beforeAll(async () => {
    database = await createTestDatabase('embedded');
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    app = await buildApp({
      config: { ...loadConfig({}), dataDir: miniDataDir, webDistDir },
      database,
      logger: { level: 'trace', stream, serializers: requestSerializers },
    });
    await app.ready();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await database?.dispose();
    fs.rmSync(webDistDir, { recursive: true, force: true });
  });

  it('sends the public to the finder, keeping what the link asked for', async () => {
    const response = await app.inject({ url: '/?region=bordeaux&need=health' });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/find?region=bordeaux&need=health');
  });

  it('serves the finder at /find and the alliance workspace at /map, with the deployment settings', async () => {
    const finder = await app.inject({ url: '/find?need=work' });
    expect(finder.statusCode).toBe(200);
    expect(finder.headers['content-type']).toMatch(/text\/html/);
    expect(finder.body).toContain('finder');
    expect(finder.body).toContain('window.__PASSERELLE_CONFIG__=');
    const workspace = await app.inject({ url: '/map' });
    expect(workspace.body).toContain('workspace');
  });

  it('gives an alliance’s public profile an address of its own', async () => {
    const response = await app.inject({ url: '/alliances/bordeaux' });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/map#/profile/bordeaux');
  });

  it('lets browsers revalidate the service worker and manifest, and keep hashed files for good', async () => {
    const worker = await app.inject({ url: '/sw.js' });
    expect(worker.statusCode).toBe(200);
    expect(worker.headers['cache-control']).toBe('no-cache');
    const manifest = await app.inject({ url: '/find.webmanifest' });
    expect(manifest.headers['content-type']).toMatch(/application\/manifest\+json/);
    const asset = await app.inject({ url: '/assets/find-abc123.js' });
    expect(asset.headers['cache-control']).toMatch(/immutable/);
  });

  it('sets no cookie on an anonymous visit', async () => {
    for (const url of ['/find', '/api/alliances', '/sw.js']) {
      expect((await app.inject({ url })).headers['set-cookie'], url).toBeUndefined();
    }
  });

  it('never writes a place from a shared link to the log', async () => {
    await app.inject({ url: '/find?at=44.8412,-0.5806&need=health' });
    await app.inject({ url: '/?at=44.8412,-0.5806' });
    const log = lines.join('');
    expect(log).toContain('/find');
    expect(log).not.toMatch(/44\.8412|0\.5806/);
  });
});
