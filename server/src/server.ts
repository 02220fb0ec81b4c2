import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { ensureAdminAccount } from './domain/accounts/firstAdmin.js';
import { ensureAdminToken } from './domain/admin/adminToken.js';
import { loadDemoDataIfEmpty } from './domain/demo-data/loadDemoData.js';
import { failInterruptedRuns } from './domain/gap-analysis/gapAnalysisRepository.js';
import { failInterruptedSurfaceImports } from './domain/population/populationSurfaces.js';

const config = loadConfig();
const database = openDatabase(config);
const app = await buildApp({ config, database });

const where =
  database.mode === 'server' ? 'PostgreSQL server (DATABASE_URL)' : `embedded, in ${config.embeddedDataDir}`;
app.log.info(`Opening the database: ${where}`);
try {
  const applied = await migrateToLatest(database.db);
  if (applied.length > 0) app.log.info(`Applied migrations: ${applied.join(', ')}`);
  const interrupted = await failInterruptedRuns(database.db);
  if (interrupted > 0) app.log.warn(`${interrupted} gap analysis run(s) cut off by the last stop were marked failed`);
  const cutImports = await failInterruptedSurfaceImports(database.db);
  if (cutImports > 0) app.log.warn(`${cutImports} population import(s) cut off by the last stop were marked failed`);
  if (config.seedDemoData) {
    const loaded = await loadDemoDataIfEmpty(database.db, config.dataDir);
    if (loaded) {
      app.log.info(
        `Loaded the demo data: ${loaded.alliances} alliances, ${loaded.organizations} organisations, ${loaded.services} services`,
      );
    }
  }
  const newToken = await ensureAdminToken(database.db, process.env.ADMIN_TOKEN);
  if (newToken) {
    // Shown once, on the console only: the database keeps just its hash.
    process.stdout.write(
      `\nAdmin token (shown once; keep it, it is stored only as a hash):\n\n  ${newToken}\n\n` +
        'Send it as "Authorization: Bearer <token>" to create, change or delete records.\n\n',
    );
  }
  const firstAdmin = await ensureAdminAccount(database.db, {
    email: config.adminEmail,
    password: config.adminPassword,
  });
  if (firstAdmin) {
    // Like the token: shown once, on the console only. A password given as ADMIN_PASSWORD is not repeated.
    const password = firstAdmin.passwordGenerated ? firstAdmin.password : '(the one set in ADMIN_PASSWORD)';
    process.stdout.write(
      `\nPlatform admin account (shown once; the database keeps only a hash of the password):\n\n` +
        `  e-mail:   ${firstAdmin.email}\n  password: ${password}\n\n` +
        'Sign in with them at /map.\n\n',
    );
  }
} catch (error) {
  app.log.error(error, 'Could not prepare the database');
  await database.close().catch(() => {});
  process.exit(1);
}

// Mail delivery (when SMTP_URL is set) and the monthly digests start once the database is ready.
app.startMailWork();

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
