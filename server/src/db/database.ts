import fs from 'node:fs';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { AppConfig } from '../config.js';
import { EmbeddedPool } from './embeddedPool.js';
import { PreparingClient } from './preparedStatements.js';
import { WorkerEmbeddedPool } from './workerPool.js';
import type { Database } from './schema.js';
import { type DatabaseTimeouts, defaultDatabaseTimeouts } from './timeouts.js';

export { type DatabaseTimeouts, defaultDatabaseTimeouts, scriptDatabaseTimeouts } from './timeouts.js';

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

/**
 * A pooled client that closes its connection when an answer did not come in time: `pg` stops waiting but keeps
 * the connection, on which the unanswered statement still blocks every later one. Closed, it leaves the pool,
 * which opens a new one for the next request.
 */
class ServerClient extends PreparingClient {
  override query(...args: any[]): any {
    const result = super.query(...args);
    if (!(result instanceof Promise)) return result;
    return result.catch((error: unknown) => {
      if (error instanceof Error && error.message === 'Query read timeout') this.end().catch(() => {});
      throw error;
    });
  }
}

function openServerPool(databaseUrl: string, timeouts: DatabaseTimeouts): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    Client: ServerClient,
    max: 20,
    connectionTimeoutMillis: timeouts.connectMs,
    idleTimeoutMillis: 30000,
    statement_timeout: timeouts.statementMs,
    query_timeout: timeouts.queryMs,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
    // A connection whose other end vanished (a server gone without a word) is found out by TCP keepalive.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // A client losing its connection (database restarted, network cut) must not
  // crash the process: a query in flight fails with the error (answered 503),
  // and the pool opens a new connection for the next request.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/**
 * Where the embedded database runs: in the caller's thread (the default: scripts, tests), or in a thread of its
 * own (`npm start`: its opening overlaps the application's, and its statements leave the main thread free; see
 * `workerPool.ts`).
 */
export type EmbeddedThread = 'worker' | 'main';

export function openDatabase(
  config: Pick<AppConfig, 'databaseUrl' | 'embeddedDataDir'> & Partial<Pick<AppConfig, 'databaseTimeouts'>>,
  {
    embeddedThread = 'main',
    embeddedPool,
  }: {
    embeddedThread?: EmbeddedThread;
    /** The embedded database's thread, started already (`startServer` starts it before loading anything else). */
    embeddedPool?: WorkerEmbeddedPool;
  } = {},
): DatabaseHandle {
  const mode: DatabaseMode = config.databaseUrl ? 'server' : 'embedded';
  let pool: pg.Pool | EmbeddedPool | WorkerEmbeddedPool;
  if (config.databaseUrl) {
    pool = openServerPool(config.databaseUrl, config.databaseTimeouts ?? defaultDatabaseTimeouts);
  } else if (embeddedPool) {
    pool = embeddedPool;
  } else {
    fs.mkdirSync(config.embeddedDataDir, { recursive: true });
    pool =
      embeddedThread === 'worker'
        ? new WorkerEmbeddedPool(config.embeddedDataDir)
        : new EmbeddedPool(config.embeddedDataDir);
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
