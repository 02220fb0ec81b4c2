import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../server/src/db/schema.js';
import { describe, expect, it, vi } from 'vitest';
import { projectRoot } from '../../server/src/config.js';
import { serverSlicing, type Slicing } from '../../server/src/domain/gap-analysis/batchSizer.js';
import { createRun, executeRun, findRun } from '../../server/src/domain/gap-analysis/gapAnalysisRepository.js';
import type { GapAnalysisParameters } from '../../server/src/domain/gap-analysis/gapParameters.js';
import { createScenario } from '../../server/src/domain/gap-analysis/scenarios.js';
import {
  networksOfLatestTravelRuns,
  prepareGraphsOfLatestTravelRuns,
} from '../../server/src/domain/gap-analysis/travelMatrix.js';
import { builtProfileGraph, forgetProfileGraphs } from '../../server/src/domain/travel-time/graph.js';
import type {
  TravelMatrix,
  TravelMatrixRequest,
  TravelPoint,
} from '../../server/src/domain/gap-analysis/travelMeasures.js';
import { databaseModes } from '../support/testDatabase.js';
import { adminHeaders, useTestApp } from '../support/testApp.js';
import { writeDrivingNetwork } from '../support/handRoadNetwork.js';

const fixtureDir = path.join(projectRoot, 'tests/fixtures/gap-analysis');

const square = (name: string, population: number, lon: number, lat: number) => ({
  type: 'Feature',
  properties: { name, population },
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [lon - 0.01, lat - 0.01],
        [lon + 0.01, lat - 0.01],
        [lon + 0.01, lat + 0.01],
        [lon - 0.01, lat + 0.01],
        [lon - 0.01, lat - 0.01],
      ],
    ],
  },
});

/**
 * Four areas around the "wide" alliance's two social desks (north at 45.205° N 2° E, east at 45.16° N 2.0637° E) and
 * a planned desk P at 45.52° N 2.5° E. The travel times are given (the matrix is the travel-time engine's, tested on
 * its own): A reaches the north desk in exactly 10 minutes and the east desk in exactly 30, the limit (included); B
 * the north desk in 25 minutes and the east desk in 33 (beyond); C nothing but P, in 15 minutes; D is off the network.
 */
const areas = {
  A: { population: 1000, lon: 2.0, lat: 45.16 },
  B: { population: 2000, lon: 2.1, lat: 45.16 },
  C: { population: 4000, lon: 2.5, lat: 45.5 },
  D: { population: 500, lon: 1.5, lat: 45.0 },
} as const;
type AreaName = keyof typeof areas;
const destinations = {
  north: { lon: 2.0, lat: 45.205 },
  east: { lon: 2.0637, lat: 45.16 },
  planned: { lon: 2.5, lat: 45.52 },
} as const;
type Destination = keyof typeof destinations;
const seconds: Record<AreaName, Partial<Record<Destination, number>>> = {
  A: { north: 600, east: 1800, planned: 4000 },
  B: { north: 1500, east: 1980 },
  C: { planned: 900 },
  D: {},
};

const nearestOf = <T extends string>(point: TravelPoint, named: Record<T, { lon: number; lat: number }>): T =>
  (Object.keys(named) as T[]).reduce((best, name) =>
    Math.hypot(named[name].lon - point.lon, named[name].lat - point.lat) <
    Math.hypot(named[best].lon - point.lon, named[best].lat - point.lat)
      ? name
      : best,
  );

/** The matrix of the table above, as travelTimeMatrix answers: pairs within the limit (included), off-network D. */
function givenMatrix(asked: TravelMatrixRequest[]): TravelMatrix {
  return async (request) => {
    asked.push(request);
    const from: number[] = [];
    const to: number[] = [];
    const times: number[] = [];
    const offNetworkFrom: number[] = [];
    request.from.forEach((point, i) => {
      const area = nearestOf(point, areas);
      if (area === 'D') offNetworkFrom.push(i);
      request.to.forEach((target, j) => {
        const time = seconds[area][nearestOf(target, destinations)];
        if (time === undefined || time > request.limitSeconds) return;
        from.push(i);
        to.push(j);
        times.push(time);
      });
    });
    return {
      length: times.length,
      from: Int32Array.from(from),
      to: Int32Array.from(to),
      seconds: Float64Array.from(times),
      offNetworkFrom,
      offNetworkTo: [],
      engine: 'typescript',
    };
  };
}

const closeTo = (value: number) => expect.closeTo(value, 9);

describe.each(databaseModes())('gap analyses in minutes (%s database)', (mode) => {
  const context = useTestApp(mode, fixtureDir);
  let unitSetId = '';
  let allianceId = '';

  async function setUp() {
    if (unitSetId) return;
    const { db } = context.database;
    allianceId = (await db.selectFrom('alliance').select('id').where('slug', '=', 'wide').executeTakeFirstOrThrow()).id;
    const imported = await context.app.inject({
      method: 'POST',
      url: '/api/alliances/wide/analysis-units',
      payload: {
        name: 'Four areas',
        areas: {
          type: 'FeatureCollection',
          features: (Object.keys(areas) as AreaName[]).map((name) =>
            square(name, areas[name].population, areas[name].lon, areas[name].lat),
          ),
        },
      },
      headers: adminHeaders,
    });
    expect(imported.statusCode, imported.body).toBe(201);
    unitSetId = imported.json().unitSet.id;
  }

  const parameters = (overrides: Partial<GapAnalysisParameters> = {}): GapAnalysisParameters => ({
    units: { kind: 'imported', unitSetId },
    travel: 'drive',
    thresholdM: 10_000,
    thresholdMinutes: 30,
    method: '2sfca',
    decay: 'stepped',
    belowMeanFraction: 0.5,
    duplicationRadiusM: 500,
    categories: ['social_action'],
    topics: [],
    ...overrides,
  });

  async function withNetwork<T>(work: () => Promise<T>): Promise<T> {
    const { db } = context.database;
    const network = await db
      .insertInto('road_network')
      .values({
        alliance_id: allianceId,
        source_name: 'wide.osm.pbf',
        status: 'active',
        speeds: JSON.stringify({}),
        imported_at: '2026-11-30T10:00:00Z',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    try {
      return await work();
    } finally {
      await db.deleteFrom('road_network').where('id', '=', network.id).execute();
    }
  }

  async function travelRun(slicing: Slicing, asked: TravelMatrixRequest[] = []) {
    await setUp();
    const { db } = context.database;
    return withNetwork(async () => {
      const runId = await createRun(db, allianceId, parameters());
      await executeRun(db, runId, { dataDir: fixtureDir, slicing, travelMatrix: givenMatrix(asked) });
      const run = await findRun(db, runId);
      expect(run?.status, run?.error ?? '').toBe('done');
      return runId;
    });
  }

  async function resultsByArea(runId: string) {
    const response = await context.app.inject({
      url: `/api/gap-analyses/${runId}/results?limit=10&sort=population`,
    });
    expect(response.statusCode, response.body).toBe(200);
    const items = response.json().items as {
      unit: { name: string };
      nearestSeconds: number | null;
      nearestDistanceM: number | null;
      countWithin: number;
      score2sfca: number;
      scoreE2sfca: number;
      flags: string[];
      reasonCode: string | null;
      reasonParams: Record<string, unknown> | null;
      reason: string | null;
    }[];
    return Object.fromEntries(items.map((item) => [item.unit.name, item]));
  }

  for (const [name, slicing] of [
    ['in one statement per step', serverSlicing],
    ['a batch per statement', { statementMs: 0 }],
  ] as const) {
    it(`measures from the travel times, the limit included, ${name}`, async () => {
      const asked: TravelMatrixRequest[] = [];
      const runId = await travelRun(slicing, asked);
      expect(asked).toHaveLength(1);
      expect(asked[0]).toMatchObject({ profile: 'drive', limitSeconds: 1800 });
      expect(asked[0]!.from).toHaveLength(4);
      expect(asked[0]!.to).toHaveLength(2);
      const byArea = await resultsByArea(runId);
      // Nearest: A 10 min, B 25 min; C and D reach nothing within 30 minutes.
      expect(byArea.A).toMatchObject({ nearestSeconds: 600, nearestDistanceM: null, countWithin: 2 });
      expect(byArea.B).toMatchObject({ nearestSeconds: 1500, countWithin: 1 });
      expect(byArea.C).toMatchObject({ nearestSeconds: null, countWithin: 0 });
      // 2SFCA: R_north = 1/(1000 + 2000), R_east = 1/1000 (A at exactly 30 minutes is within).
      expect(byArea.A!.score2sfca).toEqual(closeTo((1 / 3000 + 1 / 1000) * 10000));
      expect(byArea.B!.score2sfca).toEqual(closeTo((1 / 3000) * 10000));
      // Stepped E2SFCA over 0–10–20–30 minutes: A–north 10 min → 1, A–east 30 → 0.22, B–north 25 → 0.22.
      // R_north = 1/(1000 + 2000 × 0.22) = 1/1440, R_east = 1/(1000 × 0.22) = 1/220.
      expect(byArea.A!.scoreE2sfca).toEqual(closeTo((1 / 1440 + 0.22 / 220) * 10000));
      expect(byArea.B!.scoreE2sfca).toEqual(closeTo((0.22 / 1440) * 10000));
      expect(byArea.A!.flags).toEqual([]);
      expect(byArea.B!.flags).toEqual([]);
      expect(byArea.C).toMatchObject({
        flags: ['no_service_within_reach', 'unreachable'],
        reasonCode: 'unreachable',
        reasonParams: { travel: 'drive', thresholdMinutes: 30, population: 4000 },
        reason: 'No social action service within 30 minutes by car for ~4,000 inhabitants',
      });
      expect(byArea.D).toMatchObject({
        flags: ['no_service_within_reach', 'off_network'],
        reasonCode: 'off-network',
        reasonParams: { travel: 'drive', population: 500 },
      });
      const pairs = await context.database.db
        .selectFrom('gap_travel_pair')
        .select(['seconds'])
        .where('run_id', '=', runId)
        .orderBy('seconds')
        .execute();
      expect(pairs.map((pair) => pair.seconds)).toEqual([600, 1500, 1800]);
      const run = await context.app.inject({ url: `/api/gap-analyses/${runId}` });
      expect(run.json().parameters).toMatchObject({ travel: 'drive', thresholdMinutes: 30 });
      expect(run.json().summary.travel).toMatchObject({
        mode: 'drive',
        network: { sourceName: 'wide.osm.pbf', importedAt: '2026-11-30T10:00:00.000Z' },
        limitMinutes: 30,
        offNetworkAreas: 1,
        pairs: 3,
        outerDemand: 'none',
      });
      expect(run.json().summary.subjects[0]).toMatchObject({
        meanNearestSeconds: closeTo((1000 * 600 + 2000 * 1500) / 3000),
        populationWithoutServiceWithinReach: 4500,
      });
      const csv = await context.app.inject({ url: `/api/gap-analyses/${runId}/results.csv` });
      const [header, ...lines] = csv.body.trim().split('\r\n');
      expect(header).toContain('nearest_distance_m,nearest_minutes,count_within');
      expect(lines.find((line) => line.includes(',A,'))).toContain(',,10,2,');
    });
  }

  it('refuses a travel mode without an active road network, and minutes with straight lines', async () => {
    await setUp();
    const asked = (body: Record<string, unknown>) =>
      context.app.inject({
        method: 'POST',
        url: '/api/alliances/wide/gap-analyses',
        payload: { units: { kind: 'imported', unitSetId }, categories: ['social_action'], ...body },
        headers: adminHeaders,
      });
    const walking = await asked({ travel: 'walk' });
    expect(walking.statusCode).toBe(400);
    expect(walking.json().code).toBe('gap.no-road-network');
    const minutes = await asked({ thresholdMinutes: 20 });
    expect(minutes.statusCode).toBe(400);
    expect(minutes.json().code).toBe('gap.minutes-need-travel');
  });

  it('a what-if adds a planned desk and removes the east one, and changes exactly the areas it reaches', async () => {
    const runId = await travelRun(serverSlicing);
    const { db } = context.database;
    const run = (await findRun(db, runId))!;
    const east = await db
      .selectFrom('service_at_location as sal')
      .innerJoin('service as s', 's.id', 'sal.service_id')
      .select('sal.id')
      .where('s.name', '=', 'Wide east social desk')
      .executeTakeFirstOrThrow();
    const scenarioRun = { ...run, unitSetId: run.unitSetId!, networkId: run.summary!.travel!.network.id };
    const unitIds = Object.fromEntries(
      (await db.selectFrom('analysis_unit').select(['id', 'name']).where('set_id', '=', unitSetId).execute()).map(
        (unit) => [unit.name, unit.id],
      ),
    );
    const asked: TravelMatrixRequest[] = [];
    const added = await createScenario(
      db,
      scenarioRun,
      { add: [{ ...destinations.planned, category: 'social_action' }], remove: [] },
      { accountId: null, travelMatrix: givenMatrix(asked) },
    );
    // Only the planned desk is measured: one destination.
    expect(asked).toHaveLength(1);
    expect(asked[0]!.to).toHaveLength(1);
    const [outcome] = added.outcome.subjects;
    // P reaches C in 15 minutes (A in 4,000 s, beyond 30 minutes): C's 4,000 people come within 20 and 30 minutes.
    expect(outcome!.limits).toEqual([
      { limit: 600, populationNewlyWithin: 0, populationNoLongerWithin: 0 },
      { limit: 1200, populationNewlyWithin: 4000, populationNoLongerWithin: 0 },
      { limit: 1800, populationNewlyWithin: 4000, populationNoLongerWithin: 0 },
    ]);
    expect(outcome!.changedAreas).toEqual([unitIds.C]);
    expect(outcome!.areasNoLongerFlagged).toEqual([unitIds.C]);
    expect(outcome!.before).toMatchObject({ flaggedUnits: 2, populationWithoutServiceWithinReach: 4500 });
    expect(outcome!.after).toMatchObject({ flaggedUnits: 1, populationWithoutServiceWithinReach: 500 });

    // Removing the east desk: its only pair in reach is A's (B's is beyond 30 minutes), so only A changes.
    const removed = await createScenario(
      db,
      scenarioRun,
      { add: [], remove: [east.id] },
      { accountId: null, travelMatrix: givenMatrix([]) },
    );
    expect(removed.outcome.subjects[0]!.changedAreas).toEqual([unitIds.A]);
    expect(removed.outcome.subjects[0]!.areasNoLongerFlagged).toEqual([]);
    expect(removed.outcome.subjects[0]!.limits.map((limit) => limit.populationNoLongerWithin)).toEqual([0, 0, 0]);

    const listed = await context.app.inject({ url: `/api/gap-analyses/${runId}/scenarios` });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items.map((item: { id: string }) => item.id)).toEqual([added.id, removed.id]);
  });

  it('a what-if on a straight-line run, through the API', async () => {
    await setUp();
    const created = await context.app.inject({
      method: 'POST',
      url: '/api/alliances/wide/gap-analyses',
      payload: {
        units: { kind: 'imported', unitSetId },
        categories: ['social_action'],
        thresholdM: 10_000,
        method: '2sfca',
        decay: 'none',
      },
      headers: adminHeaders,
    });
    expect(created.statusCode, created.body).toBe(202);
    const runId = created.json().id as string;
    for (let attempt = 0; attempt < 600; attempt++) {
      const status = (await context.app.inject({ url: `/api/gap-analyses/${runId}` })).json().status;
      if (status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const ask = (payload: Record<string, unknown>) =>
      context.app.inject({
        method: 'POST',
        url: `/api/gap-analyses/${runId}/scenarios`,
        payload,
        headers: adminHeaders,
      });
    expect((await ask({ add: [], remove: [] })).json().code).toBe('gap.scenario-empty');
    const stranger = await ask({ remove: ['00000000-0000-4000-8000-000000000000'] });
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json().code).toBe('gap.scenario-unknown-location');
    const answer = await ask({ label: 'A desk at C', add: [{ ...destinations.planned, category: 'social_action' }] });
    expect(answer.statusCode, answer.body).toBe(201);
    const unitC = await context.database.db
      .selectFrom('analysis_unit')
      .select('id')
      .where('set_id', '=', unitSetId)
      .where('name', '=', 'C')
      .executeTakeFirstOrThrow();
    // P stands 2.2 km north of C's centre and more than 10 km from every other area: only C changes.
    const [outcome] = answer.json().outcome.subjects;
    expect(answer.json().outcome.unit).toBe('m');
    expect(outcome.changedAreas).toEqual([unitC.id]);
    expect(outcome.areasNoLongerFlagged).toEqual([unitC.id]);
    expect(outcome.limits).toEqual([{ limit: 10_000, populationNewlyWithin: 4000, populationNoLongerWithin: 0 }]);
    const anonymous = await context.app.inject({
      method: 'POST',
      url: `/api/gap-analyses/${runId}/scenarios`,
      payload: { add: [{ ...destinations.planned, category: 'social_action' }] },
    });
    expect(anonymous.statusCode).toBe(401);
  });

  /**
   * The same four areas and desks on a road network written by hand, the times by the engine itself (h2's
   * travelTimeMatrix, TypeScript or pgRouting): every area centre and desk stands on a node (no access leg), and
   *   A (1) ⇄ north (2): 600 s; A (1) → east (3): 1,800 s, one-way (east to A may not); B (4) ⇄ north: 1,500 s;
   *   B → east: 1,980 s (beyond 30 minutes); C (5) — node 6: 60 s, no desk; D has no node within a kilometre.
   */
  function writeHandNetwork(db: Kysely<Database>): Promise<string> {
    const nodes = [areas.A, destinations.north, destinations.east, areas.B, areas.C, { lon: 2.5, lat: 45.505 }];
    return writeDrivingNetwork(db, allianceId, nodes, [
      [1, 2, 600, 600],
      [1, 3, 1800, -1],
      [4, 2, 1500, 1500],
      [4, 3, 1980, 1980],
      [5, 6, 60, 60],
    ]);
  }

  it('runs a driving analysis through the API on a road network, with the travel-time engine', async () => {
    await setUp();
    const { db } = context.database;
    const networkId = await writeHandNetwork(db);
    try {
      const network = await context.app.inject({ url: '/api/alliances/wide/gap-analyses/road-network' });
      expect(network.json()).toEqual({
        network: { id: networkId, sourceName: 'hand.osm', importedAt: '2026-12-01T08:00:00.000Z' },
      });
      const created = await context.app.inject({
        method: 'POST',
        url: '/api/alliances/wide/gap-analyses',
        payload: {
          units: { kind: 'imported', unitSetId },
          categories: ['social_action'],
          travel: 'drive',
          thresholdMinutes: 30,
          method: '2sfca',
          decay: 'stepped',
        },
        headers: adminHeaders,
      });
      expect(created.statusCode, created.body).toBe(202);
      const runId = created.json().id as string;
      let run = (await context.app.inject({ url: `/api/gap-analyses/${runId}` })).json();
      for (let attempt = 0; attempt < 600 && run.status === 'running'; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        run = (await context.app.inject({ url: `/api/gap-analyses/${runId}` })).json();
      }
      expect(run.status, run.error).toBe('done');
      expect(run.summary.travel).toMatchObject({ mode: 'drive', network: { id: networkId }, offNetworkAreas: 1 });
      // The graph the run's what-ifs search is built by the run itself, even where pgRouting answered the run.
      await vi.waitFor(async () => expect(await builtProfileGraph(db, networkId, 'drive')).not.toBeNull(), {
        timeout: 20_000,
        interval: 50,
      });
      // After a restart (no graph in memory), the start builds the graphs of the latest travel runs.
      forgetProfileGraphs();
      expect(await networksOfLatestTravelRuns(db)).toEqual([{ networkId, profile: 'drive' }]);
      expect(await prepareGraphsOfLatestTravelRuns(context.database)).toBe(1);
      expect(await builtProfileGraph(db, networkId, 'drive')).not.toBeNull();
      const byArea = await resultsByArea(runId);
      expect(byArea.A!.nearestSeconds).toBeCloseTo(600, 6);
      expect(byArea.A!.countWithin).toBe(2);
      expect(byArea.B!.nearestSeconds).toBeCloseTo(1500, 6);
      expect(byArea.B!.countWithin).toBe(1);
      expect(byArea.A!.score2sfca).toBeCloseTo((1 / 3000 + 1 / 1000) * 10000, 9);
      expect(byArea.B!.score2sfca).toBeCloseTo((1 / 3000) * 10000, 9);
      expect(byArea.A!.scoreE2sfca).toBeCloseTo((1 / 1440 + 0.22 / 220) * 10000, 9);
      expect(byArea.C).toMatchObject({ countWithin: 0, reasonCode: 'unreachable' });
      expect(byArea.D).toMatchObject({ countWithin: 0, reasonCode: 'off-network' });

      // The planned desk P, on no road, reaches nobody; one on node 6 reaches C in 60 s.
      const onNode6 = await context.app.inject({
        method: 'POST',
        url: `/api/gap-analyses/${runId}/scenarios`,
        payload: { add: [{ lon: 2.5, lat: 45.505, category: 'social_action' }] },
        headers: adminHeaders,
      });
      expect(onNode6.statusCode, onNode6.body).toBe(201);
      const unitC = await db
        .selectFrom('analysis_unit')
        .select('id')
        .where('set_id', '=', unitSetId)
        .where('name', '=', 'C')
        .executeTakeFirstOrThrow();
      expect(onNode6.json().outcome.subjects[0]).toMatchObject({
        changedAreas: [unitC.id],
        areasNoLongerFlagged: [unitC.id],
        limits: [
          { limit: 600, populationNewlyWithin: 4000 },
          { limit: 1200, populationNewlyWithin: 4000 },
          { limit: 1800, populationNewlyWithin: 4000 },
        ],
      });
      const offRoad = await context.app.inject({
        method: 'POST',
        url: `/api/gap-analyses/${runId}/scenarios`,
        payload: { add: [{ lon: 3.2, lat: 46.2, category: 'social_action' }] },
        headers: adminHeaders,
      });
      expect(offRoad.json().outcome).toMatchObject({ unit: 's', addedOffNetwork: [0] });
      expect(offRoad.json().outcome.subjects[0].changedAreas).toEqual([]);
    } finally {
      await db.deleteFrom('road_network').where('id', '=', networkId).execute();
    }
  });
});
