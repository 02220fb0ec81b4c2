import { type Kysely, sql } from 'kysely';
import { type Migration, Migrator } from 'kysely/migration';
import { type Baseline, migrationsWithBaseline, readBaseline } from './baseline.js';
import { migrations as allMigrations } from './migrations/index.js';

export interface MigrateOptions {
  /** The squashed schema a new database starts from (`baseline.ts`); false runs every migration step by step. */
  baseline?: Baseline | false;
  /** Told the migrations the baseline stood for, when it did. */
  onBaseline?: (covers: string[]) => void;
  /** The migrations to run: every migration of the application unless a test says otherwise. */
  migrations?: Record<string, Migration>;
}

/**
 * Whether the database has run exactly these migrations, from one read of Kysely's table: a restart then needs
 * none of the Migrator's checks of its tables, lock and transaction (several statements, some on the catalog's
 * views, on the embedded database's path to "ready"). Anything else — a new database, a migration to run, one
 * run that the application no longer has — goes to the Migrator, which decides and reports as before.
 */
async function ranExactly(db: Kysely<any>, names: readonly string[]): Promise<boolean> {
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    const ran = new Set(rows.map((row) => row.name));
    return ran.size === names.length && names.every((name) => ran.has(name));
  } catch {
    return false;
  }
}

/**
 * Brings the schema up to date; throws with the failing migration's name. A new, empty database starts from the
 * baseline schema, in the same transaction as the migrations after it (see `baseline.ts`).
 */
export async function migrateToLatest(db: Kysely<any>, options: MigrateOptions = {}): Promise<string[]> {
  const migrations = options.migrations ?? allMigrations;
  if (await ranExactly(db, Object.keys(migrations))) return [];
  const baseline = options.baseline ?? readBaseline();
  const provided = baseline ? migrationsWithBaseline(migrations, baseline, options.onBaseline) : migrations;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => provided },
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  const failed = results.find((result) => result.status === 'Error');
  if (error) {
    const name = failed ? ` "${failed.migrationName}"` : '';
    throw new Error(`Database migration${name} failed: ${String((error as Error).message ?? error)}`, {
      cause: error,
    });
  }
  return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
