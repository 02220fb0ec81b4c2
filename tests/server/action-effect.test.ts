import path from 'node:path';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../server/src/db/schema.js';
import { projectRoot } from '../../server/src/config.js';
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
 * The four areas and two social desks of gap-analysis-travel.test.ts (the "wide" alliance, a 3° square from 1° E
 * 44° N), on the same road network written by hand, driving:
 *   A (node 1) ⇄ north desk (2): 600 s; A → east desk (3): 1,800 s; B (4) ⇄ north: 1,500 s; B → east: 1,980 s;
 *   C (5) — node 6 (2.5° E 45.505° N): 60 s, no desk; D stands on no road.
 * An action planning a social desk on node 6 reaches C alone, in one minute: C's 4,000 people come within 10, 20
 * and 30 minutes of a social desk, and C (unreachable before) stops being flagged; nothing else changes.
 */
const areas = {
  A: { population: 1000, lon: 2.0, lat: 45.16 },
  B: { population: 2000, lon: 2.1, lat: 45.16 },
  C: { population: 4000, lon: 2.5, lat: 45.5 },
  D: { population: 500, lon: 1.5, lat: 45.0 },
} as const;
const north = { lon: 2.0, lat: 45.205 };
const east = { lon: 2.0637, lat: 45.16 };
const node6 = { lon: 2.5, lat: 45.505 };

function writeHandNetwork(db: Kysely<Database>, allianceId: string): Promise<string> {
  return writeDrivingNetwork(
    db,
    allianceId,
    [areas.A, north, east, areas.B, areas.C, node6],
    [
      [1, 2, 600, 600],
      [1, 3, 1800, -1],
      [4, 2, 1500, 1500],
      [4, 3, 1980, 1980],
      [5, 6, 60, 60],
    ],
  );
}

describe.each(databaseModes())("an action's planned place and expected effect (%s database)", (mode) => {
  const context = useTestApp(mode, fixtureDir);

  const inject = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Record<string, unknown>) =>
    context.app.inject({ method, url, ...(payload ? { payload } : {}), headers: adminHeaders });

  it('keeps a planned place, category and capacity, and refuses bad ones without writing anything', async () => {
    const created = await inject('POST', '/api/alliances/wide/actions', {
      title: 'Open a social desk in C',
      plannedPlace: node6,
      plannedCategory: 'social_action',
      plannedCapacity: 2,
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      plannedPlace: node6,
      plannedCategory: 'social_action',
      plannedCapacity: 2,
    });
    const id = created.json().id as string;
    const read = await inject('GET', `/api/actions/${id}`);
    expect(read.json()).toMatchObject({ plannedPlace: node6, plannedCategory: 'social_action', plannedCapacity: 2 });

    const refusals: [Record<string, unknown>, string | null][] = [
      [{ plannedPlace: { lon: 200, lat: 45 } }, null],
      [{ plannedPlace: { lon: 2.5, lat: -91 } }, null],
      [{ plannedPlace: { lon: 2.5 } }, null],
      [{ plannedPlace: { ...node6, alt: 3 } }, null],
      [{ plannedCategory: 'bakery' }, null],
      [{ plannedCapacity: 0 }, null],
      // Latitude and longitude swapped: in range, but thousands of kilometres from the region.
      [{ plannedPlace: { lon: 45.505, lat: 2.5 } }, 'action.planned-place-far'],
      // 60 km east of the region's edge (4° E), beyond the 50 km allowed.
      [{ plannedPlace: { lon: 4.77, lat: 45.5 } }, 'action.planned-place-far'],
    ];
    for (const [body, code] of refusals) {
      const refused = await inject('PATCH', `/api/actions/${id}`, { version: 1, ...body });
      expect(refused.statusCode, JSON.stringify(body)).toBe(400);
      if (code) expect(refused.json().code).toBe(code);
    }
    const far = await inject('POST', '/api/alliances/wide/actions', {
      title: 'Swapped',
      plannedPlace: { lon: 45.505, lat: 2.5 },
    });
    expect(far.statusCode).toBe(400);
    expect(far.json()).toMatchObject({ code: 'action.planned-place-far', params: { lon: 45.505, lat: 2.5, km: 50 } });
    const unchanged = (await inject('GET', `/api/actions/${id}`)).json();
    expect(unchanged).toMatchObject({ version: 1, plannedPlace: node6, plannedCapacity: 2 });

    // Just across the border (30 km east of 4° E) is allowed; null clears.
    const moved = await inject('PATCH', `/api/actions/${id}`, { version: 1, plannedPlace: { lon: 4.38, lat: 45.5 } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().plannedPlace).toEqual({ lon: 4.38, lat: 45.5 });
    const cleared = await inject('PATCH', `/api/actions/${id}`, {
      version: 2,
      plannedPlace: null,
      plannedCapacity: null,
    });
    expect(cleared.json()).toMatchObject({
      plannedPlace: null,
      plannedCategory: 'social_action',
      plannedCapacity: null,
    });
    const columns = await context.database.db
      .selectFrom('plan_action')
      .select(['planned_lon', 'planned_lat'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(columns).toEqual({ planned_lon: null, planned_lat: null });
  });

  it('computes the effect of an action on the latest run in minutes, as a hand computation says, and reads it back', async () => {
    const { db } = context.database;
    const allianceId = (
      await db.selectFrom('alliance').select('id').where('slug', '=', 'wide').executeTakeFirstOrThrow()
    ).id;
    const imported = await inject('POST', '/api/alliances/wide/analysis-units', {
      name: 'Four areas',
      areas: {
        type: 'FeatureCollection',
        features: Object.entries(areas).map(([name, area]) => square(name, area.population, area.lon, area.lat)),
      },
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const unitSetId = imported.json().unitSet.id as string;

    const created = await inject('POST', '/api/alliances/wide/actions', {
      title: 'A social desk for C',
      plannedPlace: node6,
      plannedCategory: 'social_action',
    });
    const action = created.json() as { id: string; number: number };
    const bare = (await inject('POST', '/api/alliances/wide/actions', { title: 'Talk to the mayor' })).json();

    expect((await inject('GET', `/api/actions/${action.id}/effect`)).json()).toEqual({ effect: null });
    const noPlace = await inject('POST', `/api/actions/${bare.id}/effect`);
    expect(noPlace.statusCode).toBe(409);
    expect(noPlace.json()).toMatchObject({ code: 'action.no-planned-service', params: { number: bare.number } });
    const noRun = await inject('POST', `/api/actions/${action.id}/effect`);
    expect(noRun.statusCode).toBe(409);
    expect(noRun.json()).toMatchObject({ code: 'action.no-travel-run', params: { category: 'social_action' } });
    const anonymous = await context.app.inject({ url: `/api/actions/${action.id}/effect` });
    expect(anonymous.statusCode).toBe(401);

    const networkId = await writeHandNetwork(db, allianceId);
    try {
      const started = await inject('POST', '/api/alliances/wide/gap-analyses', {
        units: { kind: 'imported', unitSetId },
        categories: ['social_action'],
        travel: 'drive',
        thresholdMinutes: 30,
        method: '2sfca',
        decay: 'stepped',
      });
      expect(started.statusCode, started.body).toBe(202);
      const runId = started.json().id as string;
      let run = (await inject('GET', `/api/gap-analyses/${runId}`)).json();
      for (let attempt = 0; attempt < 600 && run.status === 'running'; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        run = (await inject('GET', `/api/gap-analyses/${runId}`)).json();
      }
      expect(run.status, run.error).toBe('done');
      const unitC = await db
        .selectFrom('analysis_unit')
        .select('id')
        .where('set_id', '=', unitSetId)
        .where('name', '=', 'C')
        .executeTakeFirstOrThrow();

      const computed = await inject('POST', `/api/actions/${action.id}/effect`);
      expect(computed.statusCode, computed.body).toBe(201);
      const effect = computed.json();
      expect(effect.run).toMatchObject({ id: runId, travel: 'drive' });
      expect(effect.scenario.added).toEqual([
        {
          ...node6,
          category: 'social_action',
          label: `${action.number}. A social desk for C`,
          planActionId: action.id,
        },
      ]);
      expect(effect.scenario.outcome.unit).toBe('s');
      expect(effect.scenario.outcome.subjects).toHaveLength(1);
      expect(effect.scenario.outcome.subjects[0]).toMatchObject({
        subject: 'social_action',
        limits: [
          { limit: 600, populationNewlyWithin: 4000, populationNoLongerWithin: 0 },
          { limit: 1200, populationNewlyWithin: 4000, populationNoLongerWithin: 0 },
          { limit: 1800, populationNewlyWithin: 4000, populationNoLongerWithin: 0 },
        ],
        changedAreas: [unitC.id],
        areasNoLongerFlagged: [unitC.id],
        areasNewlyFlagged: [],
        before: { flaggedUnits: 2, populationWithoutServiceWithinReach: 4500 },
        after: { flaggedUnits: 1, populationWithoutServiceWithinReach: 500 },
      });
      const readBack = (await inject('GET', `/api/actions/${action.id}/effect`)).json();
      expect(readBack.effect.scenario.id).toBe(effect.scenario.id);
      expect(readBack.effect.run.id).toBe(runId);
      // The action's scenario is saved with the run like any other.
      const listed = (await inject('GET', `/api/gap-analyses/${runId}/scenarios`)).json();
      expect(listed.items.map((item: { id: string }) => item.id)).toContain(effect.scenario.id);

      // A later scenario made on the gap-analysis page with this action (and another desk) becomes its effect;
      // a scenario without it does not.
      const withOthers = await inject('POST', `/api/gap-analyses/${runId}/scenarios`, {
        label: 'Two desks',
        add: [
          { ...node6, category: 'social_action', planActionId: action.id },
          { lon: 2.1, lat: 45.16, category: 'social_action' },
        ],
      });
      expect(withOthers.statusCode, withOthers.body).toBe(201);
      const without = await inject('POST', `/api/gap-analyses/${runId}/scenarios`, {
        add: [{ lon: 2.1, lat: 45.16, category: 'social_action' }],
      });
      expect(without.statusCode).toBe(201);
      expect((await inject('GET', `/api/actions/${action.id}/effect`)).json().effect.scenario.id).toBe(
        withOthers.json().id,
      );

      // The desks a scenario may remove, nearest a point first; removing the east one as well as adding the action.
      const nearEast = await inject('GET', `/api/gap-analyses/${runId}/scenario-locations?lon=2.07&lat=45.16&limit=5`);
      expect(nearEast.statusCode, nearEast.body).toBe(200);
      const desks = nearEast.json().items as { locationId: string; serviceName: string; distanceM: number }[];
      expect(desks.map((desk) => desk.serviceName)).toEqual(['Wide east social desk', 'Wide north social desk']);
      expect(desks[0]!.distanceM).toBeCloseTo(500, -2);
      const swap = await inject('POST', `/api/gap-analyses/${runId}/scenarios`, {
        add: [{ ...node6, category: 'social_action', planActionId: action.id }],
        remove: [desks[0]!.locationId],
      });
      expect(swap.statusCode, swap.body).toBe(201);
      // The east desk's only pair within reach is A's (B's takes 33 minutes): A keeps the north desk in 10 minutes.
      expect(swap.json().outcome.subjects[0]).toMatchObject({ areasNoLongerFlagged: [unitC.id] });
      expect(new Set(swap.json().outcome.subjects[0].changedAreas)).toEqual(
        new Set([
          unitC.id,
          (
            await db
              .selectFrom('analysis_unit')
              .select('id')
              .where('set_id', '=', unitSetId)
              .where('name', '=', 'A')
              .executeTakeFirstOrThrow()
          ).id,
        ]),
      );

      const latest = (await inject('GET', `/api/actions/${action.id}/effect`)).json();
      expect(latest.effect.scenario.id).toBe(swap.json().id);
      expect((await inject('GET', `/api/actions/${bare.id}/effect`)).json()).toEqual({ effect: null });
    } finally {
      await db.deleteFrom('road_network').where('id', '=', networkId).execute();
    }
  });
});
