import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { projectRoot } from '../../server/src/config.js';
import { openDatabase } from '../../server/src/db/database.js';
import { migrateToLatest } from '../../server/src/db/migrate.js';
import { startE2eServer } from './e2eServer.js';
import { databaseUrlFor, embeddedTemplateDir, serverTemplateDatabase } from './testDatabase.js';

/**
 * Migrates one template database per mode before any test runs: starting the
 * embedded database cold takes seconds, copying a prepared one does not.
 */
export default async function prepareTemplateDatabases(): Promise<(() => Promise<void>) | void> {
  if (process.env.REQUIRE_ALL_TESTS === '1' && !process.env.DATABASE_URL) {
    throw new Error(
      'REQUIRE_ALL_TESTS=1 but DATABASE_URL is not set: the server-mode tests would be skipped. ' +
        'Start PostgreSQL + PostGIS and export DATABASE_URL (see .ci/run).',
    );
  }
  if (!process.env.DATABASE_URL) {
    console.warn('\n⚠  DATABASE_URL is not set: testing the EMBEDDED database only. Server-mode tests are SKIPPED.\n');
  }

  fs.rmSync(embeddedTemplateDir, { recursive: true, force: true });
  const embedded = openDatabase({ databaseUrl: undefined, embeddedDataDir: embeddedTemplateDir });
  await migrateToLatest(embedded.db);
  await embedded.close();

  if (process.env.DATABASE_URL) {
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`drop database if exists ${serverTemplateDatabase} with (force)`);
    await admin.query(`create database ${serverTemplateDatabase}`);
    await admin.end();
    const server = openDatabase({ databaseUrl: databaseUrlFor(serverTemplateDatabase), embeddedDataDir: '' });
    await migrateToLatest(server.db);
    await server.close();
  }

  // The browser tests run against the real application; a running one can be
  // named with E2E_BASE_URL instead. Workers inherit the variable.
  if (!process.env.E2E_BASE_URL) {
    if (!fs.existsSync(path.join(projectRoot, 'web/dist/index.html')) && process.env.REQUIRE_ALL_TESTS !== '1') {
      console.warn('\n⚠  web/dist is not built: the browser tests are SKIPPED. Run "npm run build" first.\n');
      return;
    }
    const server = await startE2eServer();
    process.env.E2E_BASE_URL = server.baseUrl;
    return () => server.stop();
  }
}
