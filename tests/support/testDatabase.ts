import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { projectRoot } from '../../server/src/config.js';
import { type DatabaseHandle, type DatabaseMode, openDatabase } from '../../server/src/db/database.js';

/**
 * Names this test run, so that two runs on one machine (two checkouts, two
 * developers) never share template databases. Set once by the global setup;
 * the test workers inherit it.
 */
function testRunId(): string {
  process.env.PASSERELLE_TEST_RUN ??= `${process.pid}`;
  return process.env.PASSERELLE_TEST_RUN;
}

/** Where the migrated embedded database is prepared once per test run, then copied per suite. */
export function embeddedTemplateDir(): string {
  return path.join(projectRoot, `.tmp/test-template-pglite-${testRunId()}`);
}

/** The server-mode counterpart: a migrated database that each suite clones. */
export function serverTemplateDatabase(): string {
  return `passerelle_test_template_${testRunId()}`;
}

/** Embedded always; the PostgreSQL server too when DATABASE_URL names one. */
export function databaseModes(): DatabaseMode[] {
  return process.env.DATABASE_URL ? ['embedded', 'server'] : ['embedded'];
}

export function databaseUrlFor(databaseName: string): string {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${databaseName}`;
  return url.toString();
}

export interface TestDatabase extends DatabaseHandle {
  /** The connection string, in server mode. */
  url?: string;
  /** Closes the database and removes every trace of it. */
  dispose(): Promise<void>;
}

/** A fresh, migrated, empty database of the given mode, private to the caller. */
export async function createTestDatabase(mode: DatabaseMode): Promise<TestDatabase> {
  const suffix = randomBytes(6).toString('hex');
  if (mode === 'embedded') {
    const dir = path.join(projectRoot, `.tmp/test-db-${suffix}`);
    fs.cpSync(embeddedTemplateDir(), dir, { recursive: true });
    const handle = openDatabase({ databaseUrl: undefined, embeddedDataDir: dir });
    return {
      ...handle,
      async dispose() {
        await handle.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `passerelle_test_${suffix}`;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`create database ${name} template ${serverTemplateDatabase()}`);
  await admin.end();
  const url = databaseUrlFor(name);
  const handle = openDatabase({ databaseUrl: url, embeddedDataDir: '' });
  return {
    ...handle,
    url,
    async dispose() {
      await handle.close();
      const cleaner = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await cleaner.connect();
      await cleaner.query(`drop database if exists ${name} with (force)`);
      await cleaner.end();
    },
  };
}
