import { buildApp } from '../../../server/src/app.js';
import { loadConfig } from '../../../server/src/config.js';
import { openDatabase } from '../../../server/src/db/database.js';

/**
 * The application as `server.ts` runs it, minus logging, migrations and demo
 * data: started by the benchmark in a process of its own so that the load
 * generator does not share its event loop. Reports its port over IPC and
 * closes when the parent disconnects.
 */
async function serveForBenchmark(): Promise<void> {
  const config = { ...loadConfig(), logLevel: 'silent' };
  const database = openDatabase({
    databaseUrl: process.env.BENCH_DATABASE_URL,
    embeddedDataDir: process.env.BENCH_EMBEDDED_DIR ?? '',
  });
  const app = await buildApp({ config, database, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('The server has no TCP address.');

  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('disconnect', () => void close());
  process.on('SIGTERM', () => void close());
  process.send!({ port: address.port });
}

await serveForBenchmark();
