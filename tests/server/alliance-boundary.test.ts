import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/src/config.js';
import { signedInAs, type TestActor } from '../support/accounts.js';
import { databaseModes } from '../support/testDatabase.js';
import { useTestApp } from '../support/testApp.js';

const fixtureDir = path.join(projectRoot, 'tests/fixtures/gap-analysis');

function rectangle(west: number, south: number, east: number, north: number) {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [west, south],
        [east, south],
        [east, north],
        [west, north],
        [west, south],
      ],
    ],
  };
}

describe.each(databaseModes())("an alliance's region boundary (%s database)", (mode) => {
  const context = useTestApp(mode, fixtureDir);
  let coordinator: TestActor;

  const inject = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    context.app.inject({ method, url, headers: coordinator.headers, ...(payload ? { payload } : {}) });

  async function settings(): Promise<{ version: number; boundary: unknown; bbox: number[] | null }> {
    return (await inject('GET', '/api/alliances/testland')).json();
  }

  async function changeBoundary(boundary: object | null) {
    const { version } = await settings();
    const response = await inject('PATCH', '/api/alliances/testland', { version, boundary });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  }

  /** Runs an H3 analysis of Testland at resolution 6 to the end; its unit set and the codes of its areas. */
  async function gridRun(): Promise<{ runId: string; unitSetId: string; codes: string[] }> {
    const started = await inject('POST', '/api/alliances/testland/gap-analyses', {
      units: { kind: 'h3', resolution: 6 },
    });
    expect(started.statusCode, started.body).toBe(202);
    const runId = started.json().id as string;
    for (let attempt = 0; attempt < 600; attempt++) {
      const run = (await inject('GET', `/api/gap-analyses/${runId}`)).json();
      if (run.status === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      expect(run.status, run.error).toBe('done');
      const units = await context.database.db
        .selectFrom('analysis_unit')
        .select('code')
        .where('set_id', '=', run.unitSetId)
        .orderBy('code')
        .execute();
      const codes = units.map((unit) => unit.code);
      return { runId, unitSetId: run.unitSetId as string, codes };
    }
    throw new Error(`Run ${runId} did not finish`);
  }

  beforeAll(async () => {
    coordinator = await signedInAs(context.database.db, 'coordinator', 'testland', { displayName: 'Claire Martin' });
  });

  it('cuts a new H3 grid once the boundary changes, and reuses it while the boundary stays', async () => {
    const first = await gridRun();
    expect((await gridRun()).unitSetId).toBe(first.unitSetId);

    await changeBoundary(rectangle(-0.8, 44.7, -0.3, 45.0));
    const second = await gridRun();
    expect(second.unitSetId).not.toBe(first.unitSetId);
    expect(second.codes).not.toEqual(first.codes);
    expect(second.codes.length).toBeLessThan(first.codes.length);
    expect((await gridRun()).unitSetId).toBe(second.unitSetId);

    // The first run keeps the grid it was measured on.
    const earlier = (await inject('GET', `/api/gap-analyses/${first.runId}`)).json();
    expect(earlier).toMatchObject({ status: 'done', unitSetId: first.unitSetId });
  });

  it('clears the boundary at the version read, recording the change in the history', async () => {
    const before = await settings();
    const cleared = await changeBoundary(null);
    expect(cleared).toMatchObject({ boundary: null, bbox: null, version: before.version + 1 });
    expect(await settings()).toMatchObject({ boundary: null, bbox: null });

    const history = (await inject('GET', `/api/history/alliance/${cleared.id}`)).json();
    expect(history.items[0]).toMatchObject({
      action: 'update',
      changedFields: ['boundary'],
      author: { displayName: 'Claire Martin' },
      new: { boundary: null },
    });
    expect(history.items[0].old.boundary).not.toBeNull();
  });

  it('refuses to clear the boundary at a stale version (409)', async () => {
    await changeBoundary(rectangle(-0.9, 44.6, -0.2, 45.1));
    const { version } = await settings();
    const stale = await inject('PATCH', '/api/alliances/testland', { version: version - 1, boundary: null });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().message).toMatch(/^Claire Martin changed this alliance /);
    expect((await settings()).boundary).not.toBeNull();
  });

  it('refuses an H3 gap analysis once the boundary is cleared (400), and grids again once one is set', async () => {
    const withBoundary = await gridRun();
    await changeBoundary(null);
    const refused = await inject('POST', '/api/alliances/testland/gap-analyses', {
      units: { kind: 'h3', resolution: 6 },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toBe('This alliance has no region boundary, so no grid can be laid over it.');

    await changeBoundary(rectangle(-0.6, 44.8, -0.4, 44.95));
    const again = await gridRun();
    expect(again.unitSetId).not.toBe(withBoundary.unitSetId);
    expect(again.codes).not.toEqual(withBoundary.codes);
  });

  it('lists an alliance without boundary with no extent, and shows it without boundary', async () => {
    await changeBoundary(null);
    const listed = (await context.app.inject({ url: '/api/alliances' })).json().items;
    expect(listed.find((alliance: { slug: string }) => alliance.slug === 'testland')).toMatchObject({ bbox: null });
    const detail = (await context.app.inject({ url: '/api/alliances/testland' })).json();
    expect(detail).toMatchObject({ boundary: null, bbox: null });
  });
  it('finds duplication in metres at the latitude of its places when there is no boundary', async () => {
    await changeBoundary(null);
    // Two language cafés 600 m apart east-west at 59.33° N (Stockholm), where a degree of longitude is ~56.8 km.
    // Measured at the equator's scale they would be ~1,180 m apart, outside the 1,000 m radius.
    for (const [name, lon] of [
      ['Café North', 18.06],
      ['Café South', 18.07056],
    ] as const) {
      const organization = await inject('POST', '/api/organizations', {
        alliance: 'testland',
        name,
        location: { lat: 59.33, lon, town: 'Stockholm', precision: 'exact' },
      });
      expect(organization.statusCode, organization.body).toBe(201);
      const service = await inject('POST', '/api/services', {
        organizationId: organization.json().id,
        name: `${name} conversation`,
        category: 'socio_cultural_sports',
      });
      expect(service.statusCode, service.body).toBe(201);
    }
    const imported = await inject('POST', '/api/alliances/testland/analysis-units', {
      name: 'Stockholm',
      areas: {
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { name: 'Centre', population: 1000 },
            geometry: rectangle(18, 59.3, 18.1, 59.4),
          },
        ],
      },
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const started = await inject('POST', '/api/alliances/testland/gap-analyses', {
      units: { kind: 'imported', unitSetId: imported.json().unitSet.id },
      duplicationRadiusM: 1000,
    });
    expect(started.statusCode, started.body).toBe(202);
    let run = (await inject('GET', `/api/gap-analyses/${started.json().id}`)).json();
    for (let attempt = 0; run.status === 'running' && attempt < 600; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      run = (await inject('GET', `/api/gap-analyses/${run.id}`)).json();
    }
    expect(run.status, run.error).toBe('done');
    const names = run.summary.duplication.clusters.map((cluster: { services: { name: string }[] }) =>
      cluster.services.map((service) => service.name),
    );
    expect(names).toContainEqual(['Café North conversation', 'Café South conversation']);
  });
});
