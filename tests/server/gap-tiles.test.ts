import path from 'node:path';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/src/config.js';
import { databaseModes } from '../support/testDatabase.js';
import { signedInAs } from '../support/accounts.js';
import { adminHeaders, useTestApp } from '../support/testApp.js';

const fixtureDir = path.join(projectRoot, 'tests/fixtures/gap-analysis');

/** Three areas along 0.5° E (the gap analysis tests' meridian fixture), as rectangles 0.1° wide. */
function rectangle(south: number, north: number) {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [0.45, south],
        [0.55, south],
        [0.55, north],
        [0.45, north],
        [0.45, south],
      ],
    ],
  };
}
const areas = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { name: 'A', population: 1000 }, geometry: rectangle(44.98, 45.02) },
    { type: 'Feature', properties: { name: 'B', population: 2000 }, geometry: rectangle(45.02, 45.1) },
    { type: 'Feature', properties: { name: 'C', population: 4000 }, geometry: rectangle(45.1, 45.22) },
  ],
};

/** The tile of a point, and its pixel in the tile (extent 4096), by the Web Mercator formula. */
function tileOf(lat: number, lon: number, z: number) {
  const n = 2 ** z;
  const fx = ((lon + 180) / 360) * n;
  const latRad = (lat * Math.PI) / 180;
  const fy = ((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * n;
  const x = Math.floor(fx);
  const y = Math.floor(fy);
  return { z, x, y, px: (fx - x) * 4096, py: (fy - y) * 4096 };
}

interface DecodedArea {
  type: number;
  properties: Record<string, string | number | boolean>;
  rings: { x: number; y: number }[][];
}

function decode(body: Buffer): DecodedArea[] {
  if (body.length === 0) return [];
  const layer = new VectorTile(new PbfReader(body)).layers.units;
  if (!layer) return [];
  expect(layer.extent).toBe(4096);
  return Array.from({ length: layer.length }, (_, i) => {
    const feature = layer.feature(i);
    return {
      type: feature.type,
      properties: feature.properties as DecodedArea['properties'],
      rings: feature.loadGeometry().map((ring) => ring.map((p) => ({ x: p.x, y: p.y }))),
    };
  });
}

/** Whether a pixel is inside a ring (even-odd rule). */
function inside(ring: { x: number; y: number }[], x: number, y: number): boolean {
  let result = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i]!;
    const b = ring[j]!;
    if (a.y > y !== b.y > y && x < ((b.x - a.x) * (y - a.y)) / (b.y - a.y) + a.x) result = !result;
  }
  return result;
}

/** Twice the signed area in tile coordinates: positive for the outer rings the specification asks for. */
function ringArea(ring: { x: number; y: number }[]): number {
  let area = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
    area += ring[j]!.x * ring[i]!.y - ring[i]!.x * ring[j]!.y;
  return area;
}

describe.each(databaseModes())('gap analysis tiles (%s database)', (mode) => {
  const context = useTestApp(mode, fixtureDir);
  const get = (url: string, headers: Record<string, string> = {}) => context.app.inject({ url, headers });

  async function finishedRun(): Promise<{ id: string; units: Record<string, string> }> {
    const imported = await context.app.inject({
      method: 'POST',
      url: '/api/alliances/meridian/analysis-units',
      headers: adminHeaders,
      payload: { name: 'Tile areas', areas },
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const started = await context.app.inject({
      method: 'POST',
      url: '/api/alliances/meridian/gap-analyses',
      headers: adminHeaders,
      payload: {
        units: { kind: 'imported', unitSetId: imported.json().unitSet.id },
        thresholdM: 10_000,
        decay: 'stepped',
        method: '2sfca',
        belowMeanFraction: 0.6,
      },
    });
    expect(started.statusCode, started.body).toBe(202);
    const { id } = started.json();
    let run = (await get(`/api/gap-analyses/${id}`)).json();
    while (run.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 50));
      run = (await get(`/api/gap-analyses/${id}`)).json();
    }
    expect(run.status, run.error).toBe('done');
    const geojson = (await get(`/api/gap-analyses/${id}/results.geojson`)).json();
    const units = Object.fromEntries(
      geojson.features.map((f: { properties: { name: string; unitId: string } }) => [
        f.properties.name,
        f.properties.unitId,
      ]),
    );
    return { id, units };
  }

  it("draws a run's areas as polygons with their unit id and measures, as the GeoJSON has them", async () => {
    const { id, units } = await finishedRun();
    const geojson = (await get(`/api/gap-analyses/${id}/results.geojson?subject=social_action`)).json();
    const expected = geojson.features.find((f: { properties: { name: string } }) => f.properties.name === 'C')
      .properties as Record<string, unknown>;

    // The zoom-10 tile of C's middle (45.16° N, 0.5° E) holds B and C; A, south of 45.02° N, is in the next row.
    const middle = tileOf(45.16, 0.5, 10);
    const response = await get(
      `/api/tiles/gap-analyses/${id}/${middle.z}/${middle.x}/${middle.y}.mvt?subject=social_action`,
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    const decoded = decode(response.rawPayload);
    expect(decoded.map((area) => area.properties.name).sort()).toEqual(['B', 'C']);
    const c = decoded.find((area) => area.properties.unitId === units.C)!;
    expect(c.type).toBe(3);
    expect(c.properties).toMatchObject({ code: expected.code, name: 'C', population: 4000 });
    for (const measure of ['score2sfca', 'scoreE2sfca', 'supplyPer10k', 'countWithin', 'nearestDistanceM']) {
      expect(c.properties[`social_action.${measure}`], measure).toBeCloseTo(
        Number(expected[`social_action.${measure}`]),
        6,
      );
    }
    expect(c.properties['social_action.flags']).toBe('below_regional_mean');
    // One subject asked: no other subject's measures.
    expect(Object.keys(c.properties).some((key) => key.startsWith('professional_integration.'))).toBe(false);
    expect(c.rings[0]!.length).toBeGreaterThanOrEqual(4);
    expect(ringArea(c.rings[0]!)).toBeGreaterThan(0);
    expect(inside(c.rings[0]!, middle.px, middle.py)).toBe(true);
    for (const other of decoded.filter((area) => area !== c)) {
      expect(inside(other.rings[0]!, middle.px, middle.py)).toBe(false);
    }

    // Without a subject, every subject's measures; a tile away from the areas is empty.
    const all = decode((await get(`/api/tiles/gap-analyses/${id}/${middle.z}/${middle.x}/${middle.y}.mvt`)).rawPayload);
    const allC = all.find((area) => area.properties.unitId === units.C)!;
    expect(Object.keys(allC.properties)).toEqual(
      expect.arrayContaining(['social_action.score2sfca', 'professional_integration.score2sfca']),
    );
    const away = tileOf(-30, 120, 10);
    const empty = await get(`/api/tiles/gap-analyses/${id}/10/${away.x}/${away.y}.mvt`);
    expect(empty.statusCode).toBe(200);
    expect(decode(empty.rawPayload)).toEqual([]);
  });

  it('gives a finished run a long-lived ETag and 304; refuses bad tiles, unknown runs and subjects', async () => {
    const { id } = await finishedRun();
    const t = tileOf(45.16, 0.5, 12);
    const url = `/api/tiles/gap-analyses/${id}/${t.z}/${t.x}/${t.y}.mvt`;
    const first = await get(url);
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^".+"$/);
    const again = await get(url, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
    expect((await get(`${url}?subject=social_action`)).headers.etag).not.toBe(etag);

    for (const bad of [`3/8/0.mvt`, `3/0/8.mvt`, `23/0/0.mvt`, `-1/0/0.mvt`, `2/1/1.png`, `a/1/1.mvt`]) {
      const response = await get(`/api/tiles/gap-analyses/${id}/${bad}`);
      expect(response.statusCode, bad).toBe(400);
      expect(response.json().code, bad).toBeTruthy();
    }
    expect((await get(`/api/tiles/gap-analyses/${id}/3/8/0.mvt`)).json().code).toBe('basemap.tile-out-of-range');
    expect((await get(`${url}?subject=housing`)).statusCode).toBe(400);
    const unknown = await get(`/api/tiles/gap-analyses/00000000-0000-4000-8000-000000000000/${t.z}/${t.x}/${t.y}.mvt`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('not-found.gap-analysis');
  });

  it("gives one area as its GeoJSON feature, and one subject's measures as columns in the areas' code order", async () => {
    const { id, units } = await finishedRun();
    const geojson = (await get(`/api/gap-analyses/${id}/results.geojson`)).json();
    const expected = geojson.features.find((f: { properties: { name: string } }) => f.properties.name === 'B');
    const unit = await get(`/api/gap-analyses/${id}/units/${units.B}`);
    expect(unit.statusCode, unit.body).toBe(200);
    expect(unit.json()).toEqual(expected);
    const other = await get(`/api/gap-analyses/${id}/units/00000000-0000-4000-8000-000000000000`);
    expect(other.statusCode).toBe(404);
    expect(other.json().code).toBe('not-found.gap-analysis-area');

    const columns = await get(`/api/gap-analyses/${id}/measures?subject=social_action`);
    expect(columns.statusCode, columns.body).toBe(200);
    const body = columns.json();
    // The GeoJSON lists the areas in the order of their codes, as the columns do.
    const byCode = [...geojson.features].sort(
      (a: { properties: { code: string } }, b: { properties: { code: string } }) =>
        a.properties.code < b.properties.code ? -1 : 1,
    );
    expect(body.population).toEqual(byCode.map((f: { properties: { population: number } }) => f.properties.population));
    expect(body.population.slice().sort()).toEqual([1000, 2000, 4000]);
    for (const measure of ['nearestDistanceM', 'countWithin', 'supplyPer10k', 'score2sfca', 'scoreE2sfca']) {
      expect(body[measure], measure).toEqual(
        byCode.map((f: { properties: Record<string, unknown> }) => f.properties[`social_action.${measure}`]),
      );
    }
    expect(body.bbox[0]).toBeCloseTo(0.45, 6);
    expect(body.bbox[1]).toBeCloseTo(44.98, 6);
    expect(body.bbox[2]).toBeCloseTo(0.55, 6);
    expect(body.bbox[3]).toBeCloseTo(45.22, 6);
    expect((await get(`/api/gap-analyses/${id}/measures`)).statusCode).toBe(400);
    expect((await get(`/api/gap-analyses/${id}/measures?subject=housing`)).statusCode).toBe(400);
  });

  it("lets exactly whoever may read the run's GeoJSON read its tiles, one area and its measures (today: anyone)", async () => {
    const { id, units } = await finishedRun();
    const t = tileOf(45.16, 0.5, 12);
    const urls = [
      `/api/gap-analyses/${id}/results.geojson`,
      `/api/tiles/gap-analyses/${id}/${t.z}/${t.x}/${t.y}.mvt`,
      `/api/gap-analyses/${id}/units/${units.C}`,
      `/api/gap-analyses/${id}/measures?subject=social_action`,
    ];
    const outsider = await signedInAs(context.app.db, null, 'meridian');
    const member = await signedInAs(context.app.db, 'member', 'meridian');
    for (const headers of [{}, outsider.headers, member.headers, adminHeaders]) {
      const statuses = await Promise.all(urls.map(async (url) => (await get(url, headers)).statusCode));
      // The run's GeoJSON is the rule (today: anyone, signed in or not); the tiles follow it exactly.
      expect(statuses).toEqual(urls.map(() => statuses[0]));
      expect(statuses[0]).toBe(200);
    }
  });
});
