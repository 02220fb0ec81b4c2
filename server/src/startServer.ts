import type { FastifyInstance } from 'fastify';
import type { AppConfig } from './config.js';
import type { DatabaseHandle } from './db/database.js';
import { WorkerEmbeddedPool } from './db/workerPool.js';
import type { ensureAdminAccount } from './domain/accounts/firstAdmin.js';
import type { DemoLoadCounts } from './domain/demo-data/loadDemoData.js';
import { databaseUrlIn, embeddedDataDirIn } from './projectRoot.js';

// Only light modules are imported above: the embedded database's thread starts first (see startServer), and the
// application's modules (Kysely, Fastify, the routes…) load on this thread while PGlite reopens on the other core.

/** What preparing the database did, told once the application (and its log) exists. */
interface Prepared {
  applied: string[];
  /** The migrations the baseline schema stood for, on a new database. */
  fromBaseline: string[] | undefined;
  interrupted: number;
  cutImports: number;
  loaded: DemoLoadCounts | undefined;
  newToken: string | undefined;
  firstAdmin: Awaited<ReturnType<typeof ensureAdminAccount>>;
}

/** Migrates, marks work cut off by the last stop, loads the demo data on first start, and makes the first admin. */
async function prepareDatabase(database: DatabaseHandle, config: AppConfig): Promise<Prepared> {
  const [{ migrateToLatest }, { ensureAdminAccount }, { ensureAdminToken }, { loadDemoDataIfEmpty }] =
    await Promise.all([
      import('./db/migrate.js'),
      import('./domain/accounts/firstAdmin.js'),
      import('./domain/admin/adminToken.js'),
      import('./domain/demo-data/loadDemoData.js'),
    ]);
  const [{ failInterruptedRuns }, { failInterruptedSurfaceImports }, { failInterruptedNetworkImports }] =
    await Promise.all([
      import('./domain/gap-analysis/gapAnalysisRepository.js'),
      import('./domain/population/populationSurfaces.js'),
      import('./domain/road-network/roadNetworks.js'),
    ]);
  let fromBaseline: string[] | undefined;
  const applied = await migrateToLatest(database.db, { onBaseline: (covers) => (fromBaseline = covers) });
  const interrupted = await failInterruptedRuns(database.db);
  const cutImports =
    (await failInterruptedSurfaceImports(database.db)) + (await failInterruptedNetworkImports(database.db));
  const loaded = config.seedDemoData ? await loadDemoDataIfEmpty(database.db, config.dataDir) : undefined;
  const newToken = await ensureAdminToken(database.db, process.env.ADMIN_TOKEN);
  const firstAdmin = await ensureAdminAccount(database.db, {
    email: config.adminEmail,
    password: config.adminPassword,
  });
  return { applied, fromBaseline, interrupted, cutImports, loaded, newToken, firstAdmin };
}

function tell(app: FastifyInstance, prepared: Prepared): void {
  const { applied, fromBaseline } = prepared;
  if (fromBaseline) {
    const later = applied.slice(fromBaseline.length);
    app.log.info(
      `Created the schema from the baseline (${fromBaseline.length} migrations, up to ${fromBaseline.at(-1)})` +
        (later.length > 0 ? `, then applied: ${later.join(', ')}` : ''),
    );
  } else if (applied.length > 0) {
    app.log.info(`Applied migrations: ${applied.join(', ')}`);
  }
  if (prepared.interrupted > 0) {
    app.log.warn(`${prepared.interrupted} gap analysis run(s) cut off by the last stop were marked failed`);
  }
  if (prepared.cutImports > 0) {
    app.log.warn(`${prepared.cutImports} population import(s) cut off by the last stop were marked failed`);
  }
  const { loaded, newToken, firstAdmin } = prepared;
  if (loaded) {
    app.log.info(
      `Loaded the demo data: ${loaded.alliances} alliances, ${loaded.organizations} organisations, ${loaded.services} services`,
    );
  }
  if (newToken) {
    // Shown once, on the console only: the database keeps just its hash.
    process.stdout.write(
      `\nAdmin token (shown once; keep it, it is stored only as a hash):\n\n  ${newToken}\n\n` +
        'Send it as "Authorization: Bearer <token>" to create, change or delete records.\n\n',
    );
  }
  if (firstAdmin) {
    // Like the token: shown once, on the console only. A password given as ADMIN_PASSWORD is not repeated.
    const password = firstAdmin.passwordGenerated ? firstAdmin.password : '(the one set in ADMIN_PASSWORD)';
    process.stdout.write(
      `\nPlatform admin account (shown once; the database keeps only a hash of the password):\n\n` +
        `  e-mail:   ${firstAdmin.email}\n  password: ${password}\n\n` +
        'Sign in with them at /map.\n\n',
    );
  }
}

export interface StartOptions {
  /**
   * Settles when web/dist holds the front end to serve (`npm start` builds it meanwhile, scripts/start.ts). The
   * database opens and migrates in the meantime; the application is built, and listens, once both are done.
   */
  frontEndReady?: Promise<unknown>;
}

/**
 * Opens the database, migrates it (a new one from the baseline schema), loads the demo data on first start, and
 * listens. "Ready" is logged once the finder and the workspace answer; the mail work starts after it.
 */
export async function startServer({ frontEndReady }: StartOptions = {}): Promise<FastifyInstance> {
  // The embedded database opens in a thread of its own, on the other core, while this one loads the application:
  // started before anything else is imported, so that the two overlap from the first moment.
  const embeddedPool = databaseUrlIn(process.env) ? undefined : new WorkerEmbeddedPool(embeddedDataDirIn(process.env));
  const [{ loadConfig }, { openDatabase }] = await Promise.all([import('./config.js'), import('./db/database.js')]);
  const config = loadConfig();
  const database = openDatabase(config, { embeddedPool });
  const preparing = prepareDatabase(database, config);
  // A failure is reported below, once the application's log exists.
  preparing.catch(() => {});
  let app: FastifyInstance;
  try {
    const [{ buildApp }] = await Promise.all([import('./app.js'), frontEndReady]);
    app = await buildApp({ config, database, schemaCompilation: 'on-first-use' });
  } catch (error) {
    console.error(error);
    await preparing.catch(() => {});
    await database.close().catch(() => {});
    process.exit(1);
  }
  const where =
    database.mode === 'server' ? 'PostgreSQL server (DATABASE_URL)' : `embedded, in ${config.embeddedDataDir}`;
  app.log.info(`Opening the database: ${where}`);
  try {
    tell(app, await preparing);
  } catch (error) {
    app.log.error(error, 'Could not prepare the database');
    await database.close().catch(() => {});
    process.exit(1);
  }

  let closing = false;
  async function shutDown(signal: string) {
    if (closing) return;
    closing = true;
    app.log.info(`${signal} received: closing`);
    await app.close();
    await database.close();
    process.exit(0);
  }
  process.on('SIGINT', () => void shutDown('SIGINT'));
  process.on('SIGTERM', () => void shutDown('SIGTERM'));

  await app.listen({ host: config.host, port: config.port });
  app.log.info(`Passerelle is ready at http://localhost:${config.port}`);
  // Mail delivery (when SMTP_URL is set) and the monthly digests: background work, started once the pages answer.
  app.startMailWork();
  // The road graphs of the latest travel runs, built in the background: the first what-if after a restart searches
  // in memory instead of waiting for them (seconds for a large network).
  void import('./domain/gap-analysis/travelMatrix.js')
    .then(({ prepareGraphsOfLatestTravelRuns }) => prepareGraphsOfLatestTravelRuns(database))
    .then((count) => {
      if (count > 0) app.log.info(`Road graphs of the latest ${count} travel run(s) ready for what-ifs`);
    })
    .catch((error: unknown) => app.log.warn(error, 'Could not prepare the road graphs of the latest travel runs'));
  return app;
}
