import fs from 'node:fs';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { AppConfig } from '../config.js';
import { EmbeddedPool } from './embeddedPool.js';
import { PreparingClient } from './preparedStatements.js';
import type { Database } from './schema.js';

export type DatabaseMode = 'embedded' | 'server';

export interface DatabaseHandle {
  db: Kysely<Database>;
  mode: DatabaseMode;
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

// numeric and bigint arrive as strings from `pg`; the embedded database parses
// them itself. Parsing them the same way here keeps both modes alike.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

function openServerPool(databaseUrl: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    Client: PreparingClient,
    max: 20,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30000,
  });
  // A client losing its connection (database restarted, network cut) must not
  // crash the process: a query in flight fails with the error (answered 503),
  // and the pool opens a new connection for the next request.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

export function openDatabase(config: Pick<AppConfig, 'databaseUrl' | 'embeddedDataDir'>): DatabaseHandle {
  const mode: DatabaseMode = config.databaseUrl ? 'server' : 'embedded';
  let pool: pg.Pool | EmbeddedPool;
  if (config.databaseUrl) {
    pool = openServerPool(config.databaseUrl);
  } else {
    fs.mkdirSync(config.embeddedDataDir, { recursive: true });
    pool = new EmbeddedPool(config.embeddedDataDir);
  }
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }),
  });
  return {
    db,
    mode,
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
}
