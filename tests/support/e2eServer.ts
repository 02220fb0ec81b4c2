import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/src/app.js';
import { loadConfig, projectRoot } from '../../server/src/config.js';
import { loadDemoData } from '../../server/src/domain/demo-data/loadDemoData.js';
import { readDemoData } from '../../server/src/domain/demo-data/demoDataFiles.js';
import { createTestDatabase, type TestDatabase } from './testDatabase.js';

export interface E2eServer {
  baseUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts the whole application (built front end + API) on a free loopback
 * port, over a fresh embedded database holding the demo alliances, for the
 * browser tests.
 */
export async function startE2eServer(): Promise<E2eServer> {
  const config = loadConfig({ LOG_LEVEL: 'warn' });
  if (!fs.existsSync(path.join(config.webDistDir, 'index.html'))) {
    throw new Error(
      `The browser tests need the built front end in ${path.relative(projectRoot, config.webDistDir)}: run "npm run build" first.`,
    );
  }
  const database: TestDatabase = await createTestDatabase('embedded');
  await loadDemoData(database.db, await readDemoData(config.dataDir));
  const app: FastifyInstance = await buildApp({ config, database, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    async stop() {
      await app.close();
      await database.dispose();
    },
  };
}
