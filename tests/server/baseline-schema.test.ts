import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/src/config.js';
import { coversFirstMigrations, readBaseline } from '../../server/src/db/baseline.js';
import { type DatabaseHandle, type DatabaseMode, openDatabase } from '../../server/src/db/database.js';
import { migrateToLatest } from '../../server/src/db/migrate.js';
import { migrations } from '../../server/src/db/migrations/index.js';
import { databaseModes, databaseUrlFor } from '../support/testDatabase.js';

/**
 * A new database starts from the baseline schema (server/src/db/baseline.sql) instead of running every migration;
 * older databases keep running them step by step. Both must end with the same schema. The baseline covers the first
 * migrations up to one it names; those added after it run step by step after the baseline, as this extra one does.
 */
const afterTheBaseline = {
  async up(db: Kysely<any>) {
    await sql`create table baseline_probe (id bigint primary key, alliance_id uuid references alliance (id))`.execute(
      db,
    );
    await sql`create index baseline_probe_alliance_idx on baseline_probe (alliance_id)`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`drop table baseline_probe`.execute(db);
  },
};
const withOneMore = { ...migrations, '9999-12-31-01-after-the-baseline': afterTheBaseline };

/** Where a step-by-step database stops first, before migrating to the latest like any older database. */
const olderDatabaseStop = '2026-11-23-05-grid-boundary';

/** The schema as the catalogs describe it: every object the migrations make, by name, extensions' own left out. */
async function schemaOf(db: Kysely<any>): Promise<Record<string, unknown[]>> {
  const query = async (text: string) => (await sql.raw(text).execute(db)).rows;
  const notFromExtension = (catalog: string, oid: string) =>
    `not exists (select from pg_depend d where d.classid = '${catalog}'::regclass and d.objid = ${oid} and d.deptype = 'e')`;
  return {
    extensions: await query(`select extname from pg_extension order by 1`),
    tables: await query(`
      select c.relname, c.relkind, c.relpersistence from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
        and ${notFromExtension('pg_class', 'c.oid')} order by 1`),
    columns: await query(`
      select c.relname, a.attname, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull,
             pg_get_expr(d.adbin, d.adrelid) as default, a.attidentity, a.attgenerated,
             -- The column's place among the table's columns (numbers of dropped columns stay taken).
             row_number() over (partition by c.oid order by a.attnum) as position
      from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      where n.nspname = 'public' and a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p', 'v', 'm')
        and ${notFromExtension('pg_class', 'c.oid')} order by 1, 2`),
    constraints: await query(`
      -- PostgreSQL 18 (the embedded one) names NOT NULL constraints itself, in the order the tables were made.
      select c.relname, case when k.contype = 'n' then null else k.conname end as conname, k.contype,
             pg_get_constraintdef(k.oid) as definition, k.condeferrable
      from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and ${notFromExtension('pg_class', 'c.oid')} order by 1, 2, 4`),
    indexes: await query(`
      select tablename, indexname, indexdef from pg_indexes
      where schemaname = 'public' and tablename not in (select c.relname from pg_class c
        where ${notFromExtension('pg_class', 'c.oid').replace('not exists', 'exists')}) order by 1, 2`),
    functions: await query(`
      select p.proname, pg_get_function_identity_arguments(p.oid) as arguments, pg_get_functiondef(p.oid) as definition
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'public' and ${notFromExtension('pg_proc', 'p.oid')} order by 1, 2`),
    triggers: await query(`
      select c.relname, t.tgname, pg_get_triggerdef(t.oid) as definition, t.tgenabled
      from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and not t.tgisinternal order by 1, 2`),
    views: await query(`
      select viewname, definition from pg_views where schemaname = 'public'
        and viewname not in ('geography_columns', 'geometry_columns') order by 1`),
    types: await query(`
      select t.typname, t.typtype,
             (select array_agg(e.enumlabel order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid) as labels
      from pg_type t join pg_namespace n on n.oid = t.typnamespace
      where n.nspname = 'public' and t.typtype in ('e', 'd', 'c') and ${notFromExtension('pg_type', 't.oid')}
        and not exists (select from pg_class c where c.oid = t.typrelid and c.relkind <> 'c') order by 1`),
    comments: await query(`
      select c.relname, a.attname, d.description
      from pg_description d join pg_class c on c.oid = d.objoid and d.classoid = 'pg_class'::regclass
      join pg_namespace n on n.oid = c.relnamespace
      left join pg_attribute a on a.attrelid = c.oid and a.attnum = d.objsubid
      where n.nspname = 'public' and ${notFromExtension('pg_class', 'c.oid')} order by 1, 2`),
    rows: await rowCounts(db),
    migrationsDone: await query(`select name from kysely_migration order by name`),
    settings: await query(`select current_setting('search_path') as search_path,
      current_setting('check_function_bodies') as check_function_bodies`),
  };
}

/** How many rows each table holds: a migration may write some (none does today, and the baseline keeps them). */
async function rowCounts(db: Kysely<any>): Promise<unknown[]> {
  const { rows } = await sql<{ relname: string }>`
    select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r' and c.relname not like 'kysely_migration%'
      and not exists (select from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid
                      and d.deptype = 'e')
    order by 1`.execute(db);
  const counts = [];
  for (const { relname } of rows) {
    const { rows: counted } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(relname)}`.execute(
      db,
    );
    counts.push({ relname, rows: counted[0]!.n });
  }
  return counts;
}

interface EmptyDatabase extends DatabaseHandle {
  dispose(): Promise<void>;
}

/** Two new, empty databases of the mode (not copies of the test template, which is already migrated). */
async function twoEmptyDatabases(mode: DatabaseMode): Promise<[EmptyDatabase, EmptyDatabase]> {
  const suffix = randomBytes(6).toString('hex');
  if (mode === 'embedded') {
    const first = path.join(projectRoot, `.tmp/test-baseline-a-${suffix}`);
    const second = path.join(projectRoot, `.tmp/test-baseline-b-${suffix}`);
    // One empty cluster made (initdb), copied before any migration.
    const made = openDatabase({ databaseUrl: undefined, embeddedDataDir: first });
    await made.ping();
    await made.close();
    fs.cpSync(first, second, { recursive: true });
    return [first, second].map((dir) => {
      const handle = openDatabase({ databaseUrl: undefined, embeddedDataDir: dir });
      return {
        ...handle,
        async dispose() {
          await handle.close();
          fs.rmSync(dir, { recursive: true, force: true });
        },
      };
    }) as [EmptyDatabase, EmptyDatabase];
  }
  const names = [`passerelle_test_baseline_a_${suffix}`, `passerelle_test_baseline_b_${suffix}`];
  const onServer = async (statement: string) => {
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(statement);
    } finally {
      await admin.end();
    }
  };
  for (const name of names) await onServer(`create database ${name} template template0`);
  return names.map((name) => {
    const handle = openDatabase({ databaseUrl: databaseUrlFor(name), embeddedDataDir: '' });
    return {
      ...handle,
      async dispose() {
        await handle.close();
        await onServer(`drop database if exists ${name} with (force)`);
      },
    };
  }) as [EmptyDatabase, EmptyDatabase];
}

describe('the baseline schema file', () => {
  it('covers the first migrations, in their order, so that the later ones run after it', () => {
    const { covers } = readBaseline();
    expect(covers.length).toBeGreaterThan(0);
    expect(coversFirstMigrations(covers, Object.keys(migrations))).toBe(true);
  });

  it('is refused when it does not stand for the first migrations', () => {
    const names = Object.keys(migrations);
    expect(coversFirstMigrations(names.slice(1, 3), names)).toBe(false);
    expect(coversFirstMigrations([names[0]!, names[2]!], names)).toBe(false);
    expect(coversFirstMigrations([...names, 'a-migration-that-is-gone'], names)).toBe(false);
    expect(coversFirstMigrations([], names)).toBe(false);
  });
});

describe.each(databaseModes())('a new database from the baseline, an older one step by step (%s database)', (mode) => {
  let fromBaseline: EmptyDatabase;
  let stepByStep: EmptyDatabase;
  let baselineStoodFor: string[] | undefined;
  let appliedFromBaseline: string[];
  let stepByStepAfterStop: string[] | undefined;
  let baselineCalledForOlder = false;

  beforeAll(async () => {
    [fromBaseline, stepByStep] = await twoEmptyDatabases(mode);
    appliedFromBaseline = await migrateToLatest(fromBaseline.db, {
      migrations: withOneMore,
      onBaseline: (covers) => (baselineStoodFor = covers),
    });

    // An older database: some migrations run, one by one, before the baseline existed.
    const migrator = new Migrator({ db: stepByStep.db, provider: { getMigrations: async () => migrations } });
    const { error } = await migrator.migrateTo(olderDatabaseStop);
    if (error) throw error;
    stepByStepAfterStop = await migrateToLatest(stepByStep.db, {
      migrations: withOneMore,
      onBaseline: () => (baselineCalledForOlder = true),
    });
    // Two empty embedded databases made and migrated take a while on a busy machine.
  }, 300_000);

  afterAll(async () => {
    await fromBaseline?.dispose();
    await stepByStep?.dispose();
  });

  it('runs the baseline on the new database and records every migration it covers, then the later ones', () => {
    expect(baselineStoodFor).toEqual(readBaseline().covers);
    expect(appliedFromBaseline).toEqual(Object.keys(withOneMore));
  });

  it('keeps an older database on the migrations themselves', () => {
    expect(baselineCalledForOlder).toBe(false);
    const names = Object.keys(withOneMore);
    expect(stepByStepAfterStop).toEqual(names.slice(names.indexOf(olderDatabaseStop) + 1));
  });

  it('gives both the same schema: tables, columns, constraints, indexes, functions, triggers, extensions', async () => {
    const [baselineSchema, stepSchema] = await Promise.all([schemaOf(fromBaseline.db), schemaOf(stepByStep.db)]);
    // Not a comparison of two empty lists.
    expect(baselineSchema.tables!.length).toBeGreaterThan(20);
    expect(baselineSchema.functions!.length).toBeGreaterThan(3);
    expect(baselineSchema.triggers!.length).toBeGreaterThan(10);
    expect(baselineSchema.extensions).toEqual(
      expect.arrayContaining([{ extname: 'postgis' }, { extname: 'btree_gist' }]),
    );
    expect(baselineSchema.tables).toContainEqual(expect.objectContaining({ relname: 'baseline_probe' }));
    for (const part of Object.keys(stepSchema)) {
      expect({ part, rows: baselineSchema[part] }).toEqual({ part, rows: stepSchema[part] });
    }
  });

  it('migrates down from the baseline as from the migrations themselves', async () => {
    const migrator = new Migrator({ db: fromBaseline.db, provider: { getMigrations: async () => withOneMore } });
    const { error } = await migrator.migrateTo(olderDatabaseStop);
    expect(error).toBeUndefined();
    const back = await migrateToLatest(fromBaseline.db, { migrations: withOneMore });
    expect(back).toEqual(Object.keys(withOneMore).slice(Object.keys(withOneMore).indexOf(olderDatabaseStop) + 1));
    const [baselineSchema, stepSchema] = await Promise.all([schemaOf(fromBaseline.db), schemaOf(stepByStep.db)]);
    for (const part of Object.keys(stepSchema)) {
      if (part === 'migrationsDone') continue;
      expect({ part, rows: baselineSchema[part] }).toEqual({ part, rows: stepSchema[part] });
    }
  });
});
