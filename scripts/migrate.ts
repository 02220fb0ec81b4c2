import { loadConfig } from '../server/src/config.js';
import { openDatabase, scriptDatabaseTimeouts } from '../server/src/db/database.js';
import { migrateToLatest } from '../server/src/db/migrate.js';

/**
 * `npm run db:migrate`: brings the configured database's schema up to date. A migration of a large database may
 * run longer than a request is allowed to, so the statement limits are off.
 */
const config = loadConfig();
const database = openDatabase({ ...config, databaseTimeouts: scriptDatabaseTimeouts });
try {
  const applied = await migrateToLatest(database.db);
  console.log(applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'The schema is up to date.');
} finally {
  await database.close();
}
