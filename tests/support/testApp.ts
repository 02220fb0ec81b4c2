import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../../server/src/app.js';
import { type AppConfig, loadConfig, projectRoot } from '../../server/src/config.js';
import type { OpenImportReader } from '../../server/src/domain/imports/readerAdapter.js';
import type { DatabaseMode } from '../../server/src/db/database.js';
import { ensureAdminToken } from '../../server/src/domain/admin/adminToken.js';
import { loadDemoData } from '../../server/src/domain/demo-data/loadDemoData.js';
import { readDemoData } from '../../server/src/domain/demo-data/demoDataFiles.js';
import { createTestDatabase, type TestDatabase } from './testDatabase.js';

export const miniDataDir = path.join(projectRoot, 'tests/fixtures/mini-data');
export const demoDataDir = path.join(projectRoot, 'data');
export const testAdminToken = 'test-admin-token-0123456789abcdef';

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
}

/**
 * Gives a suite its own application over a fresh database of the given mode,
 * loaded with the given data folder, and closes both after the suite.
 */
export function useTestApp(
  mode: DatabaseMode,
  dataDir: string = miniDataDir,
  overrides: { config?: Partial<AppConfig>; openImportReader?: OpenImportReader; clock?: () => Date } = {},
): TestApp {
  const context = {} as TestApp;
  // Each suite keeps its import uploads apart, and removes them when it ends.
  const importDir = path.join(projectRoot, `.tmp/test-imports-${randomBytes(6).toString('hex')}`);
  beforeAll(async () => {
    context.database = await createTestDatabase(mode);
    await loadDemoData(context.database.db, await readDemoData(dataDir));
    await ensureAdminToken(context.database.db, testAdminToken);
    const config = { ...loadConfig({}), dataDir, logLevel: 'silent', importDir, ...overrides.config };
    context.app = await buildApp({
      config,
      database: context.database,
      logger: false,
      openImportReader: overrides.openImportReader,
      clock: overrides.clock,
    });
    await context.app.ready();
  }, 60_000);
  afterAll(async () => {
    await context.app?.close();
    await context.database?.dispose();
    await fs.rm(importDir, { recursive: true, force: true });
  });
  return context;
}

export const adminHeaders = { authorization: `Bearer ${testAdminToken}` };
