import fs from 'node:fs';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import { projectRoot } from '../projectRoot.js';
import { scriptMarker } from './embeddedPool.js';

/**
 * The baseline schema: the schema that the first migrations make, squashed into one SQL script (`baseline.sql`,
 * written by `npm run db:baseline`, scripts/db-baseline.ts). A new, empty database runs it in one go instead of
 * those migrations one by one, and records each of them as done; the migrations after the last one it covers then
 * run step by step, as they do for every database made before. A database that has run any migration never runs
 * the baseline. tests/server/baseline-schema.test.ts proves that both ways give the same schema.
 */
export interface Baseline {
  /** The migrations the script stands for, in the order they run: the first ones of `migrations/index.ts`. */
  covers: string[];
  /** The SQL text, of several statements. */
  script: string;
  /** The settings the script changes for its transaction (`set local`), put back after it. */
  settings: string[];
}

export const baselineFile = path.join(projectRoot, 'server/src/db/baseline.sql');

/** Reads a baseline script: the migrations it covers are named in its `-- covers:` lines. */
export function parseBaseline(script: string): Baseline {
  if (!script.startsWith(scriptMarker)) throw new Error(`A baseline script must begin with "${scriptMarker}".`);
  const covers = [...script.matchAll(/^-- covers: (\S+)$/gm)].map((match) => match[1]!);
  const settings = new Set<string>();
  for (const match of script.matchAll(/^SET LOCAL (\w+) =/gm)) settings.add(match[1]!);
  for (const match of script.matchAll(/^SELECT pg_catalog\.set_config\('(\w+)'/gm)) settings.add(match[1]!);
  return { covers, script, settings: [...settings] };
}

let cached: Baseline | undefined;

/** The committed baseline (`baseline.sql`), read once. */
export function readBaseline(): Baseline {
  cached ??= parseBaseline(fs.readFileSync(baselineFile, 'utf8'));
  return cached;
}

/** Whether `covers` names the first migrations of `names`, in the same order. */
export function coversFirstMigrations(covers: readonly string[], names: readonly string[]): boolean {
  return covers.length > 0 && covers.length <= names.length && covers.every((name, index) => names[index] === name);
}

async function runBaseline(db: Kysely<any>, baseline: Baseline): Promise<void> {
  const before = new Map<string, string>();
  for (const name of baseline.settings) {
    const { rows } = await sql<{ value: string }>`select current_setting(${name}) as value`.execute(db);
    before.set(name, rows[0]!.value);
  }
  await sql.raw(baseline.script).execute(db);
  // The migrations after the baseline run in the same transaction: they get the settings they would have had.
  for (const [name, value] of before) await sql`select set_config(${name}, ${value}, true)`.execute(db);
}

/**
 * The migrations, with those the baseline covers standing for it: the first runs the baseline script, and the
 * others, which Kysely then runs in the same call (they are all pending, since the first is), only get recorded.
 * The first runs only on a database where no migration has run, so a database that has already run some keeps
 * running the real migrations. Their `down` stays the migrations' own. When the baseline does not cover the first
 * migrations (it was made from another list), every migration runs step by step.
 */
export function migrationsWithBaseline(
  migrations: Record<string, Migration>,
  baseline: Baseline,
  onBaseline?: (covers: string[]) => void,
): Record<string, Migration> {
  if (!coversFirstMigrations(baseline.covers, Object.keys(migrations))) return migrations;
  let ranBaseline = false;
  const covered = new Set(baseline.covers);
  const first = baseline.covers[0];
  return Object.fromEntries(
    Object.entries(migrations).map(([name, migration]): [string, Migration] => {
      if (!covered.has(name)) return [name, migration];
      const up =
        name === first
          ? async (db: Kysely<any>) => {
              await runBaseline(db, baseline);
              ranBaseline = true;
              onBaseline?.(baseline.covers);
            }
          : async (db: Kysely<any>) => {
              if (!ranBaseline) await migration.up(db);
            };
      return [name, { ...migration, up }];
    }),
  );
}
