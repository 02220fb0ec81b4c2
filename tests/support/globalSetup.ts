import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { projectRoot } from '../../server/src/config.js';
import { openDatabase } from '../../server/src/db/database.js';
import { migrateToLatest } from '../../server/src/db/migrate.js';
import { type E2eServer, startE2eServer } from './e2eServer.js';
import { databaseUrlFor, embeddedTemplateDir, serverTemplateDatabase } from './testDatabase.js';

async function onServer(statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

async function prepareEmbeddedTemplate(): Promise<void> {
  const templateDir = embeddedTemplateDir();
  fs.rmSync(templateDir, { recursive: true, force: true });
  const embedded = openDatabase({ databaseUrl: undefined, embeddedDataDir: templateDir });
  await migrateToLatest(embedded.db);
  await embedded.close();
}

async function prepareServerTemplate(): Promise<void> {
  await onServer(`drop database if exists ${serverTemplateDatabase()} with (force)`);
  await onServer(`create database ${serverTemplateDatabase()}`);
  const server = openDatabase({ databaseUrl: databaseUrlFor(serverTemplateDatabase()), embeddedDataDir: '' });
  await migrateToLatest(server.db);
  await server.close();
}

/** The browser tests run against the real application, unless E2E_BASE_URL names a running one. */
async function startBrowserTestServer(): Promise<E2eServer | undefined> {
  if (process.env.E2E_BASE_URL) return undefined;
  if (!fs.existsSync(path.join(projectRoot, 'web/dist/index.html')) && process.env.REQUIRE_ALL_TESTS !== '1') {
    console.warn('\n⚠  web/dist is not built: the browser tests are SKIPPED. Run "npm run build" first.\n');
    return undefined;
  }
  const server = await startE2eServer();
  // Test workers start after this and inherit the variables.
  process.env.E2E_BASE_URL = server.baseUrl;
  process.env.E2E_ADMIN_TOKEN = server.adminToken;
  return server;
}

/**
 * Migrates one template database per mode before any test runs (starting the
 * embedded database cold takes seconds, copying a prepared one does not), and
 * removes them after the run.
 */
export default async function setUpTestRun(): Promise<() => Promise<void>> {
  if (process.env.REQUIRE_ALL_TESTS === '1' && !process.env.DATABASE_URL) {
    throw new Error(
      'REQUIRE_ALL_TESTS=1 but DATABASE_URL is not set: the server-mode tests would be skipped. ' +
        'Start PostgreSQL + PostGIS and export DATABASE_URL (see .ci/run).',
    );
  }
  if (!process.env.DATABASE_URL) {
    console.warn('\n⚠  DATABASE_URL is not set: testing the EMBEDDED database only. Server-mode tests are SKIPPED.\n');
  }
  await prepareEmbeddedTemplate();
  if (process.env.DATABASE_URL) await prepareServerTemplate();
  const browserTestServer = await startBrowserTestServer();

  return async () => {
    await browserTestServer?.stop();
    fs.rmSync(embeddedTemplateDir(), { recursive: true, force: true });
    if (process.env.DATABASE_URL) await onServer(`drop database if exists ${serverTemplateDatabase()} with (force)`);
  };
}
