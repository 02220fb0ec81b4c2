import { type Kysely, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../server/src/db/migrate.js';
import { migrations } from '../../server/src/db/migrations/index.js';
import { createTestDatabase, databaseModes, type TestDatabase } from '../support/testDatabase.js';

/**
 * Databases made before gap reasons had codes hold them as English sentences; the migration turns each into a code
 * with its parameters, read from the row, its run and (for the percentage) the sentence.
 */
describe.each(databaseModes())('gap reasons of older databases (%s database)', (mode) => {
  let database: TestDatabase;
  const db = () => database.db as unknown as Kysely<any>;

  beforeAll(async () => {
    database = await createTestDatabase(mode);
    const migrator = new Migrator({ db: db(), provider: { getMigrations: async () => migrations } });
    const { error } = await migrator.migrateTo('2026-12-03-15-outer-demand');
    if (error) throw error;
    await sql`
      with alliance as (
        insert into alliance (slug, name, country, languages, timezone)
        values ('oldland', 'Oldland', 'FR', '{fr}', 'Europe/Paris') returning id),
      unit_set as (
        insert into analysis_unit_set (alliance_id, kind, name, population_source)
        select id, 'imported', 'Districts', '' from alliance returning id),
      unit as (
        insert into analysis_unit (set_id, code, geom, centroid, population)
        select id, 'A', ST_Multi(ST_MakeEnvelope(0, 44, 0.1, 44.1, 4326)), ST_Point(0.05, 44.05, 4326)::geography, 8437
        from unit_set returning id, set_id),
      run as (
        insert into gap_analysis_run (alliance_id, unit_set_id, parameters, status)
        select (select id from alliance), set_id, '{"thresholdM": 10000, "method": "e2sfca"}'::jsonb, 'done'
        from unit returning id)
      insert into gap_analysis_result (run_id, unit_id, subject_kind, subject, population, count_within,
        supply_count, score_2sfca, score_e2sfca, flags, reason)
      select run.id, unit.id, kind, subject, 8437, within, 1, 1, score, flags::text[], reason
      from run, unit, (values
        ('category', 'social_action', 0, 0, '{no_service_within_reach}',
         'No social action service within 10 km for ~8,400 inhabitants'),
        ('topic', 'language_courses', 2, 0.9, '{below_regional_mean}',
         'Access to language courses (E2SFCA) is 42% of the regional mean for ~8,400 inhabitants'),
        ('category', 'health', 3, 4, '{}', null)
      ) as r(kind, subject, within, score, flags, reason)`.execute(db());
    await migrateToLatest(db());
  }, 180_000);

  afterAll(async () => {
    await database?.dispose();
  });

  it('turns each English reason into its code and parameters, and drops the sentences', async () => {
    const rows = await db()
      .selectFrom('gap_analysis_result')
      .select(['subject', 'reason_code', 'reason_params'])
      .orderBy('subject')
      .execute();
    expect(rows).toEqual([
      { subject: 'health', reason_code: null, reason_params: null },
      {
        subject: 'language_courses',
        reason_code: 'below-regional-mean',
        reason_params: {
          subjectKind: 'topic',
          subject: 'language_courses',
          method: 'e2sfca',
          percent: 42,
          population: 8437,
        },
      },
      {
        subject: 'social_action',
        reason_code: 'no-service-within',
        reason_params: { subjectKind: 'category', subject: 'social_action', thresholdM: 10_000, population: 8437 },
      },
    ]);
    const columns = await sql<{ column_name: string }>`
      select column_name from information_schema.columns where table_name = 'gap_analysis_result'`.execute(db());
    expect(columns.rows.map((row) => row.column_name)).not.toContain('reason');
  });

  it('gives accounts a language, empty until chosen', async () => {
    const columns = await sql<{ column_name: string; is_nullable: string }>`
      select column_name, is_nullable from information_schema.columns
      where table_name = 'account' and column_name = 'language'`.execute(db());
    expect(columns.rows).toEqual([{ column_name: 'language', is_nullable: 'YES' }]);
  });
});
