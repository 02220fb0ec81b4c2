import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { createTestDatabase, databaseModes, type TestDatabase } from '../support/testDatabase.js';
import { miniDataDir } from '../support/testApp.js';

/** A stand-in for web/dist, so that these tests do not depend on a build having run. */
function fakeWebDist(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'passerelle-dist-'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<html><head></head><body>workspace</body></html>');
  fs.writeFileSync(path.join(dir, 'find.html'), '<html><head></head><body>finder</body></html>');
  fs.writeFileSync(path.join(dir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  return dir;
}

/** A Content-Security-Policy header as directive → values. */
function directivesOf(header: unknown): Record<string, string[]> {
  return Object.fromEntries(
    String(header)
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name!, values]),
  );
}

/** The CSP source allowing the one inline script of a page. */
function hashOfInlineScript(html: string): string {
  const scripts = [...html.matchAll(/<script>([^<]*)<\/script>/g)].map((match) => match[1]!);
  expect(scripts).toHaveLength(1);
  return `'sha256-${createHash('sha256').update(scripts[0]!).digest('base64')}'`;
}

describe.each(databaseModes())('security headers (%s database)', (mode) => {
  let database: TestDatabase;
  const webDistDir = fakeWebDist();
  const apps: FastifyInstance[] = [];

  /** The application as deployed with these settings (environment variables). */
  async function appWith(env: Record<string, string> = {}): Promise<FastifyInstance> {
    const app = await buildApp({
      config: { ...loadConfig(env), dataDir: miniDataDir, webDistDir, logLevel: 'silent' },
      database,
      logger: false,
    });
    apps.push(app);
    return app;
  }

  beforeAll(async () => {
    database = await createTestDatabase(mode);
  }, 60_000);

  afterAll(async () => {
    for (const app of apps) await app.close();
    await database?.dispose();
    fs.rmSync(webDistDir, { recursive: true, force: true });
  });

  it('let the pages load from this site only, with MapLibre’s workers and images and their own settings script', async () => {
    const page = await (await appWith()).inject({ url: '/find' });
    expect(page.statusCode).toBe(200);
    expect(directivesOf(page.headers['content-security-policy'])).toEqual({
      'default-src': ["'self'"],
      'base-uri': ["'self'"],
      'object-src': ["'none'"],
      'script-src': ["'self'", hashOfInlineScript(page.body)],
      'script-src-attr': ["'none'"],
      'style-src': ["'self'"],
      'img-src': ["'self'", 'data:', 'blob:'],
      'font-src': ["'self'"],
      'connect-src': ["'self'"],
      'worker-src': ["'self'", 'blob:'],
      'child-src': ["'self'", 'blob:'],
      'manifest-src': ["'self'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
    });
  });

  it('let the pages fetch and draw from the site of MAP_STYLE_URL, when it names one', async () => {
    const page = await (
      await appWith({ MAP_STYLE_URL: 'https://tiles.example.org/styles/liberty' })
    ).inject({
      url: '/map',
    });
    const directives = directivesOf(page.headers['content-security-policy']);
    expect(directives['connect-src']).toEqual(["'self'", 'https://tiles.example.org']);
    expect(directives['img-src']).toEqual(["'self'", 'data:', 'blob:', 'https://tiles.example.org']);
    expect(directives['script-src']).toEqual(["'self'", hashOfInlineScript(page.body)]);
  });

  it.each(['/find', '/map', '/api/health', '/api/alliances', '/sw.js'])(
    'forbid framing, type sniffing and telling other sites the address, on %s',
    async (url) => {
      const response = await (await appWith()).inject({ url });
      expect(response.statusCode).toBe(200);
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(directivesOf(response.headers['content-security-policy'])['frame-ancestors']).toEqual(["'none'"]);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
    },
  );

  it('send no Strict-Transport-Security over plain HTTP', async () => {
    const response = await (await appWith({ PUBLIC_URL: 'http://localhost:3000' })).inject({ url: '/find' });
    expect(response.headers['strict-transport-security']).toBeUndefined();
    expect(directivesOf(response.headers['content-security-policy'])).not.toHaveProperty('upgrade-insecure-requests');
  });

  it('send Strict-Transport-Security, and upgrade http:// loads, when PUBLIC_URL is https', async () => {
    const response = await (await appWith({ PUBLIC_URL: 'https://passerelle.example.org' })).inject({ url: '/find' });
    expect(response.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(directivesOf(response.headers['content-security-policy'])['upgrade-insecure-requests']).toEqual([]);
  });

  it('send Strict-Transport-Security when a trusted proxy says the request came over HTTPS', async () => {
    const app = await appWith({ TRUST_PROXY: '127.0.0.1' });
    const response = await app.inject({ url: '/api/health', headers: { 'x-forwarded-proto': 'https' } });
    expect(response.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it('give the OpenAPI page a policy of its own: its inline styles, this site’s scripts only, no framing', async () => {
    const response = await (await appWith()).inject({ url: '/docs' });
    expect(response.statusCode).toBe(200);
    const directives = directivesOf(response.headers['content-security-policy']);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(response.headers['x-frame-options']).toBe('DENY');
  });
});
