import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import type { SchemaCompilation } from '../../server/src/plugins/requestValidation.js';
import { ensureAdminToken } from '../../server/src/domain/admin/adminToken.js';
import { loadDemoData } from '../../server/src/domain/demo-data/loadDemoData.js';
import { readDemoData } from '../../server/src/domain/demo-data/demoDataFiles.js';
import { signedInAs, type TestActor } from '../support/accounts.js';
import { createTestDatabase, databaseModes, type TestDatabase } from '../support/testDatabase.js';
import { miniDataDir } from '../support/testApp.js';

/**
 * `npm start` compiles each route's validators and serializers when a request first needs them
 * (plugins/requestValidation.ts); tests and other callers compile them all at start. Both must answer alike:
 * the same refusals, with the same words, and the same bodies.
 */
describe.each(databaseModes())('schemas compiled on first use (%s database)', (mode) => {
  let database: TestDatabase;
  const apps = {} as Record<SchemaCompilation, FastifyInstance>;
  let coordinator: TestActor;

  beforeAll(async () => {
    database = await createTestDatabase(mode);
    await loadDemoData(database.db, await readDemoData(miniDataDir));
    await ensureAdminToken(database.db, 'test-admin-token-0123456789abcdef');
    coordinator = await signedInAs(database.db, 'coordinator', 'testland');
    const config = { ...loadConfig({}), dataDir: miniDataDir, logLevel: 'silent' };
    for (const schemaCompilation of ['at-start', 'on-first-use'] as const) {
      apps[schemaCompilation] = await buildApp({ config, database, logger: false, schemaCompilation });
      await apps[schemaCompilation].ready();
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(Object.values(apps).map((app) => app.close()));
    await database?.dispose();
  });

  const requests: [string, () => InjectOptions][] = [
    ['a query with a number that is no number', () => ({ url: '/api/services/nearby?lat=abc&lon=-0.58' })],
    ['a number written in hexadecimal', () => ({ url: '/api/services/nearby?lat=0x10&lon=-0.58' })],
    ['a latitude out of range', () => ({ url: '/api/services/nearby?lat=91&lon=-0.58' })],
    ['a near-me search', () => ({ url: '/api/services/nearby?lat=44.84&lon=-0.58&radius_m=200000' })],
    ['the alliances', () => ({ url: '/api/alliances' })],
    ['an alliance directory', () => ({ url: '/api/alliances/testland/directory' })],
    [
      'a body with a field the route does not name',
      () => ({
        method: 'PATCH',
        url: '/api/alliances/testland',
        headers: coordinator.headers,
        payload: { version: 1, name: 'Renamed', slug: 'elsewhere' },
      }),
    ],
    [
      'a body of the wrong type',
      () => ({
        method: 'PATCH',
        url: '/api/alliances/testland',
        headers: coordinator.headers,
        payload: { version: 'x' },
      }),
    ],
  ];

  it.each(requests)('answers %s as when compiled at start', async (_what, request) => {
    // Twice: the first call compiles, the second uses what was compiled.
    for (let call = 0; call < 2; call++) {
      const atStart = await apps['at-start'].inject(request());
      const onFirstUse = await apps['on-first-use'].inject(request());
      expect(onFirstUse.statusCode, onFirstUse.body).toBe(atStart.statusCode);
      expect(onFirstUse.headers['content-type']).toBe(atStart.headers['content-type']);
      // The directory says when it was made: the one thing two answers may not share.
      const timeless = (body: string) => body.replace(/"generatedAt":"[^"]*"/, '');
      expect(timeless(onFirstUse.body)).toBe(timeless(atStart.body));
    }
  });

  it('refuses, and the answers are not all alike (the requests above test something)', async () => {
    const statuses = new Set<number>();
    for (const [, request] of requests) statuses.add((await apps['on-first-use'].inject(request())).statusCode);
    expect([...statuses].sort()).toEqual([200, 400]);
  });
});
