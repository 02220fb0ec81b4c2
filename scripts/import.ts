import { loadConfig } from '../server/src/config.js';
import { openDatabase, scriptDatabaseTimeouts } from '../server/src/db/database.js';
import { migrateToLatest } from '../server/src/db/migrate.js';
import { slicingFor } from '../server/src/domain/gap-analysis/batchSizer.js';
import { geocode, geocoderSettingsOf } from '../server/src/domain/geocoding/geocode.js';
import { PoliteGeocoder } from '../server/src/domain/geocoding/politeGeocoder.js';
import { runImportCommand } from '../server/src/domain/imports/importCommand.js';
import { ImportFileStore } from '../server/src/domain/imports/importFiles.js';
import { openImportReader } from '../server/src/domain/imports/readerAdapter.js';

/**
 * `npm run import -- --alliance <slug> <file…>`: imports files into an alliance as the import page does (see
 * docs/imports-api.md and `importCommand.ts`). Stop the server first in embedded mode: the embedded database has
 * one user at a time. Without the statement limits of requests, as migrations.
 */
const config = loadConfig();
const database = openDatabase({ ...config, databaseTimeouts: scriptDatabaseTimeouts });
const geocoder = geocoderSettingsOf(config);
const polite = geocoder
  ? new PoliteGeocoder((query, bbox) => geocode(geocoder, query, bbox), { minIntervalMs: geocoder.minIntervalMs })
  : undefined;
let code: number;
try {
  await migrateToLatest(database.db);
  code = await runImportCommand(
    process.argv.slice(2),
    {
      db: database.db,
      // The command is alone with the database (the server is stopped in embedded mode): no need to cut the work.
      slicing: slicingFor('server'),
      openReader: openImportReader,
      files: new ImportFileStore(config.importDir),
      findPlaces: polite ? (query, bbox) => polite.find(query, bbox) : undefined,
    },
    { log: (line) => console.log(line), error: (line) => console.error(line) },
  );
} finally {
  await database.close();
}
process.exit(code);
