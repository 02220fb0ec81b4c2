import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { buildApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import type { DatabaseHandle } from '../server/src/db/database.js';
import type { Database } from '../server/src/db/schema.js';

/**
 * `npx tsx scripts/write-openapi.ts <file.json>`: writes the API description (what /docs/json serves) to a file,
 * for `npx @redocly/cli lint <file.json>` or a client generator. The description is built from the routes alone,
 * so no database is opened: the application gets an empty stand-in, which nothing calls.
 */
const target = process.argv[2];
if (!target) {
  console.error('Usage: npx tsx scripts/write-openapi.ts <file.json>');
  process.exit(2);
}
const noDatabase: DatabaseHandle = {
  db: {} as Kysely<Database>,
  mode: 'embedded',
  ping: async () => {
    throw new Error('Writing the API description opens no database.');
  },
  close: async () => {},
};
const app = await buildApp({ config: { ...loadConfig(), logLevel: 'silent' }, database: noDatabase, logger: false });
await app.ready();
fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
fs.writeFileSync(target, `${JSON.stringify(app.swagger(), null, 2)}\n`);
await app.close();
console.log(`Wrote the API description to ${target}.`);
