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
    expect(response.json()).toMatchObject({ status: 'failed', error: expect.stringMatching(/Start it again/) });
    const untouched = await db.selectFrom('gap_analysis_run').select('status').where('id', '=', done!.id).execute();
    expect(untouched).toEqual([{ status: 'done' }]);
  });
});
