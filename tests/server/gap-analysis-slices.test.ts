import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/src/config.js';
import { serverSlicing, type Slicing } from '../../server/src/domain/gap-analysis/batchSizer.js';
import { createRun, executeRun } from '../../server/src/domain/gap-analysis/gapAnalysisRepository.js';
import type { GapAnalysisParameters } from '../../server/src/domain/gap-analysis/gapParameters.js';
import { databaseModes } from '../support/testDatabase.js';
import { adminHeaders, useTestApp } from '../support/testApp.js';

const fixtureDir = path.join(projectRoot, 'tests/fixtures/gap-analysis');

/** One area, one row or one cell per statement: the finest slicing there is. */
const oneAtATime: Slicing = { statementMs: 0 };

const testlandGrid: GapAnalysisParameters = {
  units: { kind: 'h3', resolution: 6 },
  thresholdM: 30_000,
  method: 'e2sfca',
  decay: 'dai_gaussian',
  belowMeanFraction: 0.5,
  duplicationRadiusM: 500,
  categories: ['social_action', 'socio_cultural_sports', 'professional_integration'],
  topics: ['language_courses'],
};

describe.each(databaseModes())('a gap analysis cut into short statements (%s database)', (mode) => {
  const context = useTestApp(mode, fixtureDir);

  async function testlandId(): Promise<string> {
    const { db } = context.database;
    return (await db.selectFrom('alliance').select('id').where('slug', '=', 'testland').executeTakeFirstOrThrow()).id;
  }

  async function runWith(slicing: Slicing, parameters: GapAnalysisParameters) {
    const { db } = context.database;
    const runId = await createRun(db, await testlandId(), parameters);
    await executeRun(db, runId, { dataDir: fixtureDir, slicing });
    return db.selectFrom('gap_analysis_run').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();
  }

  async function resultsOf(runId: string) {
    return context.database.db
      .selectFrom('gap_analysis_result')
      .selectAll()
      .where('run_id', '=', runId)
      .orderBy('subject')
      .orderBy('unit_id')
      .execute();
  }

  it('gives the results of one statement per subject when it measures one area per statement', async () => {
    const whole = await runWith(serverSlicing, testlandGrid);
    const sliced = await runWith(oneAtATime, testlandGrid);
    expect([whole.status, sliced.status]).toEqual(['done', 'done']);
    expect(sliced.unit_set_id).toBe(whole.unit_set_id);
    const [expected, actual] = [await resultsOf(whole.id), await resultsOf(sliced.id)];
    expect(actual.length).toBe(expected.length);
    expect(expected.filter((row) => row.count_within > 1).length).toBeGreaterThan(10);
    const close = (a: number | null, b: number | null) =>
      a === null || b === null ? a === b : Math.abs(a - b) <= Math.max(Math.abs(b) * 1e-12, 1e-12);
    actual.forEach((row, index) => {
      const reference = expected[index]!;
      expect({ ...row, run_id: reference.run_id }).toEqual({
        ...reference,
        nearest_distance_m: row.nearest_distance_m,
        supply_per_10k: row.supply_per_10k,
        score_2sfca: row.score_2sfca,
        score_e2sfca: row.score_e2sfca,
      });
      for (const column of ['nearest_distance_m', 'supply_per_10k', 'score_2sfca', 'score_e2sfca'] as const) {
        expect(close(row[column], reference[column]), `${column}: ${row[column]} vs ${reference[column]}`).toBe(true);
      }
    });
  });

  it('leaves no half-built grid behind when building one fails, and lists none meanwhile', async () => {
    const { db } = context.database;
    await sql`create function fail_demand_assignment() returns trigger language plpgsql as $$
      begin raise exception 'disk full (test)'; end $$`.execute(db);
    await sql`create trigger fail_demand_assignment before update on analysis_unit
      for each row execute function fail_demand_assignment()`.execute(db);
    try {
      const run = await runWith(oneAtATime, { ...testlandGrid, units: { kind: 'h3', resolution: 7 } });
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/no result was kept/);
    } finally {
      await sql`drop trigger fail_demand_assignment on analysis_unit`.execute(db);
      await sql`drop function fail_demand_assignment`.execute(db);
    }
    const left = await db
      .selectFrom('analysis_unit_set')
      .select(['id', 'complete'])
      .where('h3_resolution', '=', 7)
      .execute();
    expect(left).toEqual([]);
    const listed = (await context.app.inject({ url: '/api/alliances/testland/analysis-units' })).json();
    expect(listed.items.map((set: { h3Resolution: number }) => set.h3Resolution)).not.toContain(7);
  });
});

describe('an analysis running in the embedded database', () => {
  const context = useTestApp('embedded', fixtureDir);
  const get = (url: string) => context.app.inject({ url });

  it("lets the finder's directory be answered in the middle of building a grid and of measuring a subject", async () => {
    // Resolution 8 over Testland: some 8,900 areas, built and measured a batch per statement, so the requests
    // queued for the one embedded session are answered between two batches, with the run still running.
    const started = await context.app.inject({
      method: 'POST',
      url: '/api/alliances/testland/gap-analyses',
      payload: { units: { kind: 'h3', resolution: 8 } },
      headers: adminHeaders,
    });
    expect(started.statusCode, started.body).toBe(202);
    const runUrl = started.json().progressUrl as string;
    const seenWhileRunning: { stage: string; progress: number }[] = [];
    let run;
    for (let attempt = 0; attempt < 5000; attempt++) {
      // Requests reach a server as network events, each in its own turn of the event loop; app.inject alone would
      // chain them in promise callbacks and never let the run's own turns (setImmediate) come.
      await new Promise((resolve) => setImmediate(resolve));
      const directory = await get('/api/alliances/testland/directory');
      expect(directory.statusCode, directory.body).toBe(200);
      run = (await get(runUrl)).json();
      if (run.status !== 'running') break;
      seenWhileRunning.push({ stage: run.stage, progress: run.progress });
    }
    expect(run.status, run.error).toBe('done');
    const progressDuring = (stage: string) =>
      new Set(seenWhileRunning.filter((seen) => seen.stage.startsWith(stage)).map((seen) => seen.progress));
    // Answered between two batches of the same step: that step had made progress, and had more to do.
    expect(progressDuring('Building the H3 grid (resolution 8)').size).toBeGreaterThan(2);
    expect(progressDuring('Measuring Social action').size).toBeGreaterThan(2);
  }, 180_000);
});
