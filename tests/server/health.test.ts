import net from 'node:net';
import type { InjectOptions } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { type DatabaseTimeouts, openDatabase } from '../../server/src/db/database.js';
import { ensureAdminToken } from '../../server/src/domain/admin/adminToken.js';
import { loadDemoData } from '../../server/src/domain/demo-data/loadDemoData.js';
import { readDemoData } from '../../server/src/domain/demo-data/demoDataFiles.js';
import { createTestDatabase, databaseModes, type TestDatabase } from '../support/testDatabase.js';
import { adminHeaders, miniDataDir, testAdminToken, useTestApp } from '../support/testApp.js';

describe.each(databaseModes())('health (%s database)', (mode) => {
  const context = useTestApp(mode);

  it('reports ok and which kind of database answers', async () => {
    const response = await context.app.inject({ url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', database: mode });
  });
});

describe('the database timeouts, as configured', () => {
  it('default to 30 s a statement, 35 s for an answer, 5 s to connect and 60 s idle in a transaction', () => {
    expect(loadConfig({}).databaseTimeouts).toEqual({
      statementMs: 30_000,
      queryMs: 35_000,
      connectMs: 5_000,
      idleInTransactionMs: 60_000,
    });
  });

  it('are read from the environment, the answer awaited 5 s longer than a statement may run unless set', () => {
    const env = {
      DATABASE_STATEMENT_TIMEOUT_MS: '120000',
      DATABASE_CONNECT_TIMEOUT_MS: '2000',
      DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '0',
    };
    expect(loadConfig(env).databaseTimeouts).toEqual({
      statementMs: 120_000,
      queryMs: 125_000,
      connectMs: 2_000,
      idleInTransactionMs: 0,
    });
    expect(loadConfig({ ...env, DATABASE_QUERY_TIMEOUT_MS: '200000' }).databaseTimeouts.queryMs).toBe(200_000);
  });

  it('refuse at start a value that is not a whole number of milliseconds', () => {
    expect(() => loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '30s' })).toThrow(
      'DATABASE_STATEMENT_TIMEOUT_MS must be a whole number of milliseconds, not "30s".',
    );
  });
});

/**
 * A TCP relay in front of the PostgreSQL server that the test can cut (every connection closed, the port shut)
 * and restore, or partition (nothing forwarded any more, nothing closed: packets lost on the way, as when a
 * network fails between two machines) and heal, to see the API lose its database and get it back.
 */
class CuttableRelay {
  #server: net.Server | undefined;
  #sockets = new Set<net.Socket>();
  /** Each client connection and its upstream one; upstream is null for a connection accepted while partitioned. */
  #pairs = new Set<{ client: net.Socket; upstream: net.Socket | null }>();
  #partitioned = false;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  #track(socket: net.Socket): void {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  #forward(pair: { client: net.Socket; upstream: net.Socket | null }): void {
    if (!pair.upstream) {
      pair.upstream = net.connect(this.target);
      this.#track(pair.upstream);
    }
    pair.client.pipe(pair.upstream).pipe(pair.client);
  }

  async open(): Promise<void> {
    this.#server = net.createServer((client) => {
      this.#track(client);
      const pair: { client: net.Socket; upstream: net.Socket | null } = { client, upstream: null };
      this.#pairs.add(pair);
      client.on('close', () => {
        this.#pairs.delete(pair);
        // The application gave the connection up: let the server know, so that it ends the session at once.
        pair.upstream?.destroy();
      });
      if (this.#partitioned) client.pause();
      else this.#forward(pair);
    });
    await new Promise<void>((resolve) => this.#server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.#server.address() as net.AddressInfo).port;
  }

  async cut(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server!.close(() => resolve()));
  }

  /** Stops forwarding in both directions without closing anything; new connections are accepted and held. */
  partition(): void {
    this.#partitioned = true;
    for (const { client, upstream } of this.#pairs) {
      client.unpipe();
      upstream?.unpipe();
      client.pause();
      upstream?.pause();
    }
  }

  /** Forwards again, what was held back included. */
  heal(): void {
    this.#partitioned = false;
    for (const pair of this.#pairs) this.#forward(pair);
  }
}

/** Short limits, so that the test sees in seconds what takes DATABASE_*_TIMEOUT_MS in production. */
const testTimeouts: DatabaseTimeouts = {
  statementMs: 1000,
  queryMs: 4000,
  connectMs: 1000,
  idleInTransactionMs: 10_000,
};
/** Far above every limit: a request still waiting by then is hanging. */
const HANG_MS = 15_000;

describe.skipIf(!process.env.DATABASE_URL)('losing the database server', () => {
  let database: TestDatabase;
  let relay: CuttableRelay;
  let app: Awaited<ReturnType<typeof buildApp>>;
  /** A connection of its own to the test database, beside the relay, to hold locks and look at the server. */
  let direct: pg.Client;

  /** The answer to `request`, and how long it took; fails the test when it takes longer than HANG_MS. */
  async function timed(request: InjectOptions) {
    const started = Date.now();
    const response = await app.inject(request);
    const elapsedMs = Date.now() - started;
    expect(elapsedMs).toBeLessThan(HANG_MS);
    return response;
  }

  /** Waits until the application's statement on `table` waits for a lock held by `direct`. */
  async function waitingForLock(table: string): Promise<void> {
    await expect
      .poll(
        async () => {
          // Inside a transaction, pg_stat_activity is read once and then repeated: read it afresh.
          await direct.query('select pg_stat_clear_snapshot()');
          return (
            await direct.query(
              `select count(*)::int as waiting from pg_stat_activity
                where wait_event_type = 'Lock' and query ilike $1 and pid <> pg_backend_pid()`,
              [`%${table}%`],
            )
          ).rows[0].waiting;
        },
        { timeout: 5000, interval: 20 },
      )
      .toBe(1);
  }

  beforeAll(async () => {
    database = await createTestDatabase('server');
    await loadDemoData(database.db, await readDemoData(miniDataDir));
    await ensureAdminToken(database.db, testAdminToken);
    const url = new URL(process.env.DATABASE_URL!);
    relay = new CuttableRelay({ host: url.hostname, port: Number(url.port || 5432) });
    await relay.open();
    const relayed = new URL(database.url!);
    relayed.host = `127.0.0.1:${relay.port}`;
    const handle = openDatabase({
      databaseUrl: relayed.toString(),
      embeddedDataDir: '',
      databaseTimeouts: testTimeouts,
    });
    app = await buildApp({ config: { ...loadConfig({}), dataDir: miniDataDir }, database: handle, logger: false });
    app.addHook('onClose', () => handle.close());
    await app.ready();
    direct = new pg.Client({ connectionString: database.url });
    await direct.connect();
  });

  afterAll(async () => {
    await direct?.end();
    await app?.close();
    await database?.dispose();
  });

  it('answers 503 with a clear message while the database is away, and recovers when it is back', async () => {
    expect((await app.inject({ url: '/api/health' })).statusCode).toBe(200);

    await relay.cut();
    const down = await app.inject({ url: '/api/health' });
    expect(down.statusCode).toBe(503);
    expect(down.json().message).toBe('The database cannot be reached right now. Try again shortly.');
    const listing = await app.inject({ url: '/api/services' });
    expect(listing.statusCode).toBe(503);

    await relay.open();
    expect((await app.inject({ url: '/api/health' })).statusCode).toBe(200);
  });

  it('answers 503 within the timeouts, not a hang, while the network loses everything, and recovers', async () => {
    expect((await app.inject({ url: '/api/health' })).statusCode).toBe(200);

    relay.partition();
    try {
      // On the connection the pool already had: no answer comes, the query timeout gives up on it.
      const onOpenConnection = await timed({ url: '/api/health' });
      expect(onOpenConnection.statusCode, onOpenConnection.body).toBe(503);
      expect(onOpenConnection.json().message).toBe('The database cannot be reached right now. Try again shortly.');
      // On a new connection: it never completes, the connect timeout gives up on it.
      const onNewConnection = await timed({ url: '/api/services' });
      expect(onNewConnection.statusCode, onNewConnection.body).toBe(503);
    } finally {
      relay.heal();
    }
    expect((await app.inject({ url: '/api/health' })).statusCode).toBe(200);
  });

  it('answers 503 to a change cut off in the middle of its transaction, and writes nothing', async () => {
    await direct.query('begin');
    try {
      await direct.query('lock table organization in exclusive mode');
      const change = timed({
        method: 'POST',
        url: '/api/organizations',
        headers: adminHeaders,
        payload: { alliance: 'testland', name: 'Cut off midway' },
      });
      await waitingForLock('organization');
      relay.partition();
      await direct.query('rollback');
      const response = await change;
      expect(response.statusCode, response.body).toBe(503);
      expect(response.json().message).toBe('The database cannot be reached right now. Try again shortly.');
    } finally {
      await direct.query('rollback');
      relay.heal();
    }
    const written = await direct.query(`select count(*)::int as count from organization where name = 'Cut off midway'`);
    expect(written.rows[0].count).toBe(0);
    expect((await app.inject({ url: '/api/health' })).statusCode).toBe(200);
  });

  it('answers 503 when a statement runs longer than the statement timeout', async () => {
    await direct.query('begin');
    try {
      await direct.query('lock table alliance in access exclusive mode');
      const response = await timed({ url: '/api/alliances' });
      expect(response.statusCode, response.body).toBe(503);
      expect(response.json().message).toBe('The database took too long to answer. Try again shortly.');
    } finally {
      await direct.query('rollback');
    }
    expect((await app.inject({ url: '/api/alliances' })).statusCode).toBe(200);
  });
});
