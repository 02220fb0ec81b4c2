import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { openDatabase } from '../../server/src/db/database.js';
import { createTestDatabase, databaseModes, type TestDatabase } from '../support/testDatabase.js';
import { useTestApp } from '../support/testApp.js';

describe.each(databaseModes())('health (%s database)', (mode) => {
  const context = useTestApp(mode);

  it('reports ok and which kind of database answers', async () => {
    const response = await context.app.inject({ url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', database: mode });
  });
});

/**
 * A TCP relay in front of the PostgreSQL server that the test can cut and
 * restore, to see the API lose its database and get it back.
 */
class CuttableRelay {
  #server: net.Server | undefined;
  #sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    this.#server = net.createServer((client) => {
      const upstream = net.connect(this.target);
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.#server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.#server.address() as net.AddressInfo).port;
  }

  async cut(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server!.close(() => resolve()));
  }
}

describe.skipIf(!process.env.DATABASE_URL)('losing the database server', () => {
  let database: TestDatabase;
  let relay: CuttableRelay;
  let app: Awaited<ReturnType<typeof buildApp>>;

  beforeAll(async () => {
    database = await createTestDatabase('server');
    const url = new URL(process.env.DATABASE_URL!);
    relay = new CuttableRelay({ host: url.hostname, port: Number(url.port || 5432) });
    await relay.open();
    const relayed = new URL(database.url!);
    relayed.host = `127.0.0.1:${relay.port}`;
    const handle = openDatabase({ databaseUrl: relayed.toString(), embeddedDataDir: '' });
    app = await buildApp({ config: loadConfig({}), database: handle, logger: false });
    app.addHook('onClose', () => handle.close());
  });

  afterAll(async () => {
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
});
