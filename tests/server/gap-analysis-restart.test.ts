import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { failInterruptedRuns } from '../../server/src/domain/gap-analysis/gapAnalysisRepository.js';
import type { GapAnalysisParameters } from '../../server/src/domain/gap-analysis/gapParameters.js';
import { databaseModes } from '../support/testDatabase.js';
import { useTestApp } from '../support/testApp.js';

const parameters: GapAnalysisParameters = {
  units: { kind: 'h3', resolution: 6 },
  thresholdM: 10_000,
  method: 'e2sfca',
  decay: 'stepped',
  belowMeanFraction: 0.5,
  duplicationRadiusM: 500,
  categories: ['social_action'],
  topics: [],
};

describe.each(databaseModes())('gap analysis runs cut off by a restart (%s database)', (mode) => {
  const context = useTestApp(mode);

  it('are marked failed with a message saying to start them again; finished runs are left alone', async () => {
    const { db } = context.database;
    const alliance = await db.selectFrom('alliance').select('id').executeTakeFirstOrThrow();
    const [running, done] = await db
      .insertInto('gap_analysis_run')
      .values([
        { alliance_id: alliance.id, parameters: JSON.stringify(parameters), status: 'running' },
        { alliance_id: alliance.id, parameters: JSON.stringify(parameters), status: 'done' },
      ])
      .returning('id')
      .execute();

    expect(await failInterruptedRuns(db)).toBe(1);

    const response = await context.app.inject({ url: `/api/gap-analyses/${running!.id}` });
    expect(response.json()).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/Start it again/),
      errorCode: 'gap.run-interrupted',
      errorParams: {},
    });
    const untouched = await db.selectFrom('gap_analysis_run').select('status').where('id', '=', done!.id).execute();
    expect(untouched).toEqual([{ status: 'done' }]);
  });

  it('leave nothing half-written: their results and the grids not completed are deleted', async () => {
    const { db } = context.database;
    const alliance = await db.selectFrom('alliance').select('id').executeTakeFirstOrThrow();
    const gridOf = async (complete: boolean) => {
      const set = await db
        .insertInto('analysis_unit_set')
        .values({
          alliance_id: alliance.id,
          kind: 'h3',
          h3_resolution: 6,
          name: 'H3 grid, resolution 6',
          population_source: 'test',
          complete,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const unit = await sql<{ id: string }>`
        insert into analysis_unit (set_id, code, geom, centroid, population)
        values (${set.id}, 'a', ST_Multi(ST_Buffer(ST_MakePoint(0, 45), 0.01)), ST_MakePoint(0, 45)::geography, 10)
        returning id`.execute(db);
      return { setId: set.id, unitId: unit.rows[0]!.id };
    };
    const building = await gridOf(false);
    const built = await gridOf(true);
    const [running, done] = await db
      .insertInto('gap_analysis_run')
      .values([
        { alliance_id: alliance.id, parameters: JSON.stringify(parameters), status: 'running' },
        { alliance_id: alliance.id, parameters: JSON.stringify(parameters), status: 'done' },
      ])
      .returning('id')
      .execute();
    const result = (runId: string) => ({
      run_id: runId,
      unit_id: built.unitId,
      subject_kind: 'category' as const,
      subject: 'social_action',
      population: 10,
      count_within: 0,
      supply_count: 0,
      score_2sfca: 0,
      score_e2sfca: 0,
      flags: [],
    });
    await db
      .insertInto('gap_analysis_result')
      .values([result(running!.id), result(done!.id)])
      .execute();

    await failInterruptedRuns(db);

    const results = await db.selectFrom('gap_analysis_result').select('run_id').execute();
    expect(results).toEqual([{ run_id: done!.id }]);
    const sets = await db
      .selectFrom('analysis_unit_set')
      .select('id')
      .where('id', 'in', [building.setId, built.setId])
      .execute();
    expect(sets).toEqual([{ id: built.setId }]);
  });
});
