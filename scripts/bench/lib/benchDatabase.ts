import fs from 'node:fs';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { projectRoot } from '../../../server/src/config.js';
import { openDatabase, scriptDatabaseTimeouts } from '../../../server/src/db/database.js';
import { migrateToLatest } from '../../../server/src/db/migrate.js';
import type { Database } from '../../../server/src/db/schema.js';

/** The connection string of `databaseName` on the server that `databaseUrl` names. */
export function databaseUrlOn(databaseUrl: string, databaseName: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
}

async function withAdminClient<T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Drops a benchmark's database, closing whatever connections are left on it. */
export async function dropDatabase(databaseUrl: string, databaseName: string): Promise<void> {
  await withAdminClient(databaseUrl, (client) => client.query(`drop database if exists ${databaseName} with (force)`));
}

/** A fresh, empty database for one benchmark size: whatever an earlier run left is dropped first. */
export async function recreateDatabase(databaseUrl: string, databaseName: string): Promise<string> {
  await dropDatabase(databaseUrl, databaseName);
  await withAdminClient(databaseUrl, (client) => client.query(`create database ${databaseName}`));
  return databaseUrlOn(databaseUrl, databaseName);
}

/** Where a benchmark's database is: a PostgreSQL server's URL, or an embedded (PGlite) folder. */
export interface BenchDatabase {
  databaseUrl?: string;
  embeddedDir?: string;
}

/** One alliance `gironde` whose boundary is Gironde's (data/regions/FR-GI.geojson), with the id given. */
export async function insertGirondeAlliance(db: Kysely<Database>, allianceId: string): Promise<void> {
  const feature = JSON.parse(fs.readFileSync(path.join(projectRoot, 'data/regions/FR-GI.geojson'), 'utf8')) as {
    geometry: unknown;
  };
  await sql`
    insert into alliance (id, slug, name, country, timezone, languages, boundary)
    values (${allianceId}::uuid, 'gironde', 'Alliance Gironde', 'FR', 'Europe/Paris', '{fr}',
            ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(feature.geometry)}), 4326)))`.execute(db);
}

/** Migrates an empty benchmark database with the application's migrator and adds the Gironde alliance. */
export async function prepareGirondeDatabase(database: BenchDatabase, allianceId: string): Promise<void> {
  const handle = openDatabase({
    databaseUrl: database.databaseUrl,
    embeddedDataDir: database.embeddedDir ?? '',
    databaseTimeouts: scriptDatabaseTimeouts,
  });
  try {
    await migrateToLatest(handle.db);
    await insertGirondeAlliance(handle.db, allianceId);
  } finally {
    await handle.close();
  }
}
