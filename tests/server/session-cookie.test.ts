import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { loadDemoData } from '../../server/src/domain/demo-data/loadDemoData.js';
import { readDemoData } from '../../server/src/domain/demo-data/demoDataFiles.js';
import { signedInAs, TEST_PASSWORD, type TestActor } from '../support/accounts.js';
import { createTestDatabase, databaseModes, type TestDatabase } from '../support/testDatabase.js';
import { miniDataDir } from '../support/testApp.js';

describe.each(databaseModes())('the session cookie (%s database)', (mode) => {
  let database: TestDatabase;
  let person: TestActor;
  const apps: FastifyInstance[] = [];

  /** The application as deployed with these settings (environment variables). */
  async function appWith(env: Record<string, string>): Promise<FastifyInstance> {
    const app = await buildApp({
      config: { ...loadConfig(env), dataDir: miniDataDir, logLevel: 'silent' },
      database,
      logger: false,
    });
    apps.push(app);
    return app;
  }

  async function sessionCookie(app: FastifyInstance, headers: Record<string, string> = {}): Promise<string> {
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers,
      payload: { email: person.email, password: TEST_PASSWORD },
    });
    expect(response.statusCode, response.body).toBe(200);
    return String(response.headers['set-cookie']);
  }

  beforeAll(async () => {
    database = await createTestDatabase(mode);
    await loadDemoData(database.db, await readDemoData(miniDataDir));
    person = await signedInAs(database.db, 'member', 'testland');
  }, 60_000);

  afterAll(async () => {
    for (const app of apps) await app.close();
    await database?.dispose();
  });

  it('is Secure when PUBLIC_URL is https, though the proxy forwards plain HTTP and TRUST_PROXY is unset', async () => {
    const app = await appWith({ PUBLIC_URL: 'https://passerelle.example.org' });
    expect(await sessionCookie(app)).toMatch(/^passerelle_session=[^;]+;.*; Secure/);
  });

  it('is Secure when a trusted proxy says the request came over HTTPS', async () => {
    const app = await appWith({ TRUST_PROXY: '127.0.0.1' });
    expect(await sessionCookie(app, { 'x-forwarded-proto': 'https' })).toMatch(/; Secure/);
  });

  it('is not Secure over plain HTTP with no https PUBLIC_URL, so that signing in on http://localhost works', async () => {
    const app = await appWith({ PUBLIC_URL: 'http://localhost:3000' });
    expect(await sessionCookie(app, { 'x-forwarded-proto': 'https' })).not.toMatch(/Secure/);
  });

  it('is cleared on signing out with the attributes it was set with', async () => {
    const app = await appWith({ PUBLIC_URL: 'https://passerelle.example.org' });
    const response = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: person.headers });
    expect(response.statusCode, response.body).toBe(204);
    expect(String(response.headers['set-cookie'])).toMatch(/^passerelle_session=;.*HttpOnly.*; Secure; SameSite=Lax/);
  });
});
