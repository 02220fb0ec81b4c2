import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import pg from 'pg';
import { baselineFile, parseBaseline } from '../server/src/db/baseline.js';
import { openDatabase, scriptDatabaseTimeouts } from '../server/src/db/database.js';
import { scriptMarker } from '../server/src/db/embeddedPool.js';
import { migrateToLatest } from '../server/src/db/migrate.js';
import { migrations } from '../server/src/db/migrations/index.js';

/**
 * `npm run db:baseline`: writes server/src/db/baseline.sql, the schema of every migration squashed into one script
 * (see server/src/db/baseline.ts). It runs the migrations step by step in a scratch database of the PostgreSQL
 * server that DATABASE_URL names, and keeps what `pg_dump` (on the PATH, the server's major version) says of it,
 * without the migrator's own tables, owners or privileges. Needs a role that may create databases and extensions.
 * Run it when the list of migrations has grown; until then, the migrations after the baseline run step by step.
 */
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  console.error('DATABASE_URL must name a PostgreSQL + PostGIS server (see scripts/ci/start-postgres.sh).');
  process.exit(1);
}

const scratchName = `passerelle_baseline_${process.pid}`;
const scratchUrl = new URL(serverUrl);
scratchUrl.pathname = `/${scratchName}`;

async function onServer(statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/** pg_dump's lines, made into a script that runs in the migrations' transaction and leaves the session as it was. */
function scriptFromDump(dump: string, covers: string[]): string {
  const statements = dump
    .split('\n')
    // psql's commands (\restrict) and pg_dump's banners and headers of each object.
    .filter((line) => !line.startsWith('\\'))
    .filter((line) => line !== '--' && !/^-- (Name|Data for Name|Dumped (from|by)|PostgreSQL database dump)/.test(line))
    // pg_dump's comment on an extension needs its owner; the migrations set none.
    .filter((line) => !line.startsWith('COMMENT ON EXTENSION '))
    .map((line) => line.replace(/^SET (\w+) = /, 'SET LOCAL $1 = '))
    .map((line) =>
      line.replace(
        /^SELECT pg_catalog\.set_config\('(\w+)', (.*), false\);$/,
        "SELECT pg_catalog.set_config('$1', $2, true);",
      ),
    )
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return [
    scriptMarker,
    '-- The schema the migrations below make, squashed into one script: written by `npm run db:baseline`',
    '-- (scripts/db-baseline.ts) from pg_dump; do not edit. A new, empty database runs it in one go and records',
    '-- these migrations as done; the migrations after them run step by step (server/src/db/baseline.ts).',
    ...covers.map((name) => `-- covers: ${name}`),
    '',
    statements,
    '',
  ].join('\n');
}

await onServer(`drop database if exists ${scratchName} with (force)`);
await onServer(`create database ${scratchName}`);
try {
  const database = openDatabase({
    databaseUrl: scratchUrl.toString(),
    embeddedDataDir: '',
    databaseTimeouts: scriptDatabaseTimeouts,
  });
  let covers: string[];
  try {
    covers = await migrateToLatest(database.db, { baseline: false });
  } finally {
    await database.close();
  }
  if (covers.join() !== Object.keys(migrations).join()) throw new Error('Not every migration ran.');
  const dump = execFileSync(
    'pg_dump',
    [
      '--no-owner',
      '--no-privileges',
      '--no-tablespaces',
      '--inserts',
      '--exclude-table=public.kysely_migration',
      '--exclude-table=public.kysely_migration_lock',
      scratchUrl.toString(),
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const script = scriptFromDump(dump, covers);
  if (parseBaseline(script).covers.length !== covers.length) throw new Error('The covered migrations did not parse.');
  fs.writeFileSync(baselineFile, script);
  console.log(`Wrote ${baselineFile}: ${covers.length} migrations, up to ${covers.at(-1)}.`);
} finally {
  await onServer(`drop database if exists ${scratchName} with (force)`);
}
