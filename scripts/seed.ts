import { loadConfig } from '../server/src/config.js';
import { openDatabase, scriptDatabaseTimeouts } from '../server/src/db/database.js';
import { migrateToLatest } from '../server/src/db/migrate.js';
import { loadDemoData } from '../server/src/domain/demo-data/loadDemoData.js';
import { readDemoData } from '../server/src/domain/demo-data/demoDataFiles.js';

/**
 * `npm run db:seed`: loads the demo alliances from data/ again. Records keep
 * stable ids, so running it twice changes nothing and adds no copies; other
 * records are left alone. Stop the server first in embedded mode: the embedded
 * database has one user at a time. Without the statement limits of requests, as migrations.
 */
const config = loadConfig();
const database = openDatabase({ ...config, databaseTimeouts: scriptDatabaseTimeouts });
try {
  await migrateToLatest(database.db);
  const counts = await loadDemoData(database.db, await readDemoData(config.dataDir));
  console.log(
    `Demo data loaded: ${counts.alliances} alliances, ${counts.organizations} organisations, ${counts.services} services.`,
  );
} finally {
  await database.close();
}
