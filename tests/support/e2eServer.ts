import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/src/app.js';
import { type AppConfig, loadConfig, projectRoot } from '../../server/src/config.js';
import { ensureAdminToken } from '../../server/src/domain/admin/adminToken.js';
import { loadDemoData } from '../../server/src/domain/demo-data/loadDemoData.js';
import { readDemoData } from '../../server/src/domain/demo-data/demoDataFiles.js';
import { hashPassword } from '../../server/src/domain/accounts/passwords.js';
import { startFakeGeocoder } from './fakeGeocoder.js';
import { startFakeLibreTranslate } from './fakeLibreTranslate.js';
import type { DatabaseMode } from '../../server/src/db/database.js';
import { createTestDatabase, type TestDatabase } from './testDatabase.js';

/**
 * The admin token of the browser tests' server, fixed so that they can run a gap analysis. Not imported from
 * testApp.ts, which pulls in Vitest's hooks and so cannot load in the global setup.
 */
export const e2eAdminToken = 'test-admin-token-0123456789abcdef';

/**
 * People of the browser tests' Bordeaux alliance, signed in through the pages like anyone: a coordinator, an
 * editor and a member. Their passwords are test fixtures.
 */
export const e2eAccounts = {
  coordinator: { email: 'coordinator@e2e.example', password: 'coordinator password 1', name: 'Camille Coordinator' },
  editor: { email: 'editor@e2e.example', password: 'editor password 12', name: 'Eli Editor' },
  member: { email: 'member@e2e.example', password: 'member password 123', name: 'Mo Member' },
  /** Belongs to no alliance: the one who creates a new alliance, leaving the others' roles as they are. */
  founder: { email: 'founder@e2e.example', password: 'founder password 1234', name: 'Fran Founder' },
} as const;

async function addE2eAccounts(db: TestDatabase['db']): Promise<void> {
  const bordeaux = await db
    .selectFrom('alliance')
    .select('id')
    .where('slug', '=', 'bordeaux')
    .executeTakeFirstOrThrow();
  for (const role of ['coordinator', 'editor', 'member', null] as const) {
    const person = e2eAccounts[role ?? 'founder'];
    const account = await db
      .insertInto('account')
      .values({ email: person.email, display_name: person.name, password_hash: await hashPassword(person.password) })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (role) {
      await db
        .insertInto('alliance_member')
        .values({ alliance_id: bordeaux.id, account_id: account.id, role })
        .execute();
    }
  }
}

/** Starts `app` on a free loopback port; answers its origin, e.g. `http://127.0.0.1:41234`. */
export async function listenOnLoopback(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

export interface E2eServer {
  baseUrl: string;
  adminToken: string;
  stop(): Promise<void>;
}

/**
 * Starts the whole application (built front end + API) on a free loopback
 * port, over a fresh embedded database holding the demo alliances, for the
 * browser tests.
 */
export async function startE2eServer(): Promise<E2eServer> {
  // A local geocoder, so that editors can find a place from its address without the network.
  const geocoder = await startFakeGeocoder();
  // A local machine-translation service, so that editors can ask for machine drafts without the network.
  const translator = await startFakeLibreTranslate();
  // The same four people sign in from 127.0.0.1 on every run, and in watch mode this server outlives the runs:
  // more sign-ins than real people make, so those limits are raised here (the others keep their defaults).
  const env = {
    LOG_LEVEL: 'warn',
    GEOCODER_URL: geocoder.urlTemplate,
    TRANSLATOR_URL: translator.url,
    SIGN_IN_LIMIT_EMAIL: '1000/15m',
    SIGN_IN_LIMIT_IP: '1000/15m',
  };
  const { webDistDir } = loadConfig(env);
  if (!fs.existsSync(path.join(webDistDir, 'index.html'))) {
    throw new Error(
      `The browser tests need the built front end in ${path.relative(projectRoot, webDistDir)}: run "npm run build" first.`,
    );
  }
  const own = await startOwnApp(env, {
    prepare: async (db, config) => {
      await loadDemoData(db, await readDemoData(config.dataDir));
      await ensureAdminToken(db, e2eAdminToken);
      await addE2eAccounts(db);
    },
  });
  return {
    baseUrl: own.origin,
    adminToken: e2eAdminToken,
    async stop() {
      await own.stop();
      await geocoder.close();
      await translator.close();
    },
  };
}

/** An application a browser suite starts for itself: its own settings, or a database no other suite touches. */
export interface OwnApp {
  app: FastifyInstance;
  database: TestDatabase;
  /** Where it listens, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  /** Closes the application and removes its database. */
  stop(): Promise<void>;
}

/**
 * Starts the application over a fresh database of `mode` (embedded unless told), with the settings `env` given as
 * the environment would give them, once `prepare` has filled the database — with the demo alliances unless the
 * suite says otherwise — and listens on a free loopback port.
 */
export async function startOwnApp(
  env: Record<string, string | undefined>,
  options: {
    mode?: DatabaseMode;
    prepare?: (db: TestDatabase['db'], config: AppConfig) => Promise<void>;
  } = {},
): Promise<OwnApp> {
  const {
    mode = 'embedded',
    prepare = async (db: TestDatabase['db'], config: AppConfig) => loadDemoData(db, await readDemoData(config.dataDir)),
  } = options;
  const database = await createTestDatabase(mode);
  try {
    const config = loadConfig({ LOG_LEVEL: 'warn', ...env });
    await prepare(database.db, config);
    const app = await buildApp({ config, database, logger: false });
    const origin = await listenOnLoopback(app);
    return {
      app,
      database,
      origin,
      async stop() {
        await app.close();
        await database.dispose();
      },
    };
  } catch (error) {
    await database.dispose();
    throw error;
  }
}
