import type { Kysely } from 'kysely';
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
 * Brings the schema up to date; throws with the failing migration's name. A new, empty database starts from the
 * baseline schema, in the same transaction as the migrations after it (see `baseline.ts`).
 */
export async function migrateToLatest(db: Kysely<any>, options: MigrateOptions = {}): Promise<string[]> {
  const migrations = options.migrations ?? allMigrations;
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
