import path from 'node:path';
import { distance as turfDistance } from '@turf/turf';
import { sql } from 'kysely';
import { latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/src/config.js';
import { serverSlicing, type Slicing } from '../../server/src/domain/gap-analysis/batchSizer.js';
import { createRun, executeRun } from '../../server/src/domain/gap-analysis/gapAnalysisRepository.js';
import type { GapAnalysisParameters } from '../../server/src/domain/gap-analysis/gapParameters.js';
import { signedInAs } from '../support/accounts.js';
import { createAllianceOverBox } from '../support/alliances.js';
import { geoTiff, importPopulationFile, removePopulationSurface } from '../support/populationSurfaces.js';
import { databaseModes } from '../support/testDatabase.js';
import { adminHeaders, useTestApp } from '../support/testApp.js';
import { meridianArcMetres } from './geodesy.js';

const fixtureDir = path.join(projectRoot, 'tests/fixtures/gap-analysis');

/**
 * The meridian fixture, all on 0.5° E: areas A, B, C (populations 1000, 2000, 4000) whose demand points, hence
 * centres, are at 45.00°, 45.04° and 45.16° N; service S1 (social action) at 45.00° N, in A; service S2 (social
 * action, language courses) at 45.12° N, in C. Geodesic distances (WGS84 meridian arcs, Helmert's series, metres):
 */
const d = {
  A_S1: 0,
  B_S1: 4445.28673, // 45.00 → 45.04
  C_S2: 4445.380535, // 45.12 → 45.16
  B_S2: 8890.667265, // 45.04 → 45.12
  A_S2: 13335.953995, // 45.00 → 45.12
  C_S1: 17781.33453, // 45.00 → 45.16
};

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

const meridianAreas = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { name: 'A', population: 1000 }, geometry: rectangle(44.98, 45.02) },
    { type: 'Feature', properties: { name: 'B, "the middle"', population: 2000 }, geometry: rectangle(45.02, 45.1) },
    { type: 'Feature', properties: { name: 'C', population: 4000 }, geometry: rectangle(45.1, 45.22) },
  ],
};

/** Relative comparison at 1e-9 (absolute for zero). */
function expectClose(actual: number | null | undefined, expected: number) {
  expect(actual).not.toBeNull();
  const tolerance = Math.max(Math.abs(expected) * 1e-9, 1e-12);
  expect(Math.abs(actual! - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

interface ResultItem {
  unit: { id: string; code: string; name: string };
  subject: string;
  population: number;
  nearestDistanceM: number | null;
  countWithin: number;
  supplyCount: number;
  supplyPer10k: number | null;
  score2sfca: number;
  scoreE2sfca: number;
  flags: string[];
  reason: string | null;
  reasonCode: string | null;
  reasonParams: Record<string, string | number> | null;
}

describe.each(databaseModes())('gap analysis (%s database)', (mode) => {
  const context = useTestApp(mode, fixtureDir);
  let meridianSetId = '';

  const post = (url: string, payload: unknown, headers: Record<string, string> = adminHeaders) =>
    context.app.inject({ method: 'POST', url, payload: payload as object, headers });
  const get = (url: string) => context.app.inject({ url });

  async function waitForRun(id: string) {
    for (let attempt = 0; attempt < 600; attempt++) {
      const run = (await get(`/api/gap-analyses/${id}`)).json();
      if (run.status !== 'running') return run;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`Run ${id} did not finish`);
  }

  async function startRun(alliance: string, parameters: Record<string, unknown>) {
    const response = await post(`/api/alliances/${alliance}/gap-analyses`, parameters);
    expect(response.statusCode, response.body).toBe(202);
    return response.json() as { id: string; status: string; progressUrl: string; resultsUrl: string };
  }

  async function meridianRun(parameters: Record<string, unknown>) {
    if (!meridianSetId) {
      const imported = await post('/api/alliances/meridian/analysis-units', {
        name: 'Meridian areas',
        areas: meridianAreas,
      });
      expect(imported.statusCode, imported.body).toBe(201);
      meridianSetId = imported.json().unitSet.id;
    }
    const { id } = await startRun('meridian', { units: { kind: 'imported', unitSetId: meridianSetId }, ...parameters });
    const run = await waitForRun(id);
    expect(run.status, run.error).toBe('done');
    const results = (await get(`/api/gap-analyses/${id}/results?limit=500&sort=population`)).json();
    const byArea = (subject: string) =>
      Object.fromEntries(
        (results.items as ResultItem[])
          .filter((item) => item.subject === subject)
          .map((item) => [item.unit.name.slice(0, 1), item]),
      ) as Record<'A' | 'B' | 'C', ResultItem>;
    return { run, results, byArea };
  }

  it('imports areas with their population and centres them on their demand points', async () => {
    const imported = await post('/api/alliances/meridian/analysis-units', {
      name: 'Meridian areas',
      areas: meridianAreas,
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const { unitSet, report } = imported.json();
    meridianSetId = unitSet.id;
    expect(unitSet).toMatchObject({ kind: 'imported', unitCount: 3, totalPopulation: 7000 });
    expect(unitSet.populationSource).toMatch(/Imported with the areas/);
    expect(report).toEqual({ repaired: [], outsideRegion: [] });
    const centres = await sql<{ name: string; lat: number; lon: number }>`
      select name, ST_Y(centroid::geometry) as lat, ST_X(centroid::geometry) as lon from analysis_unit
      where set_id = ${meridianSetId} order by code`.execute(context.database.db);
    expect(centres.rows.map((row) => [row.lat, row.lon])).toEqual([
      [expect.closeTo(45, 12), expect.closeTo(0.5, 12)],
      [expect.closeTo(45.04, 12), expect.closeTo(0.5, 12)],
      [expect.closeTo(45.16, 12), expect.closeTo(0.5, 12)],
    ]);
  });

  it('measures distances, counts, supply and 2SFCA / stepped E2SFCA at 10 km as computed by hand', async () => {
    const { run, byArea } = await meridianRun({
      thresholdM: 10_000,
      decay: 'stepped',
      method: '2sfca',
      belowMeanFraction: 0.6,
    });
    const social = byArea('social_action');
    // Nearest service: A has S1 inside; B is nearer S1 (4445 m) than S2 (8891 m); C is nearer S2.
    expectClose(social.A.nearestDistanceM, d.A_S1);
    expectClose(social.B.nearestDistanceM, d.B_S1);
    expectClose(social.C.nearestDistanceM, d.C_S2);
    // Within 10 km: A–S1, B–S1, B–S2, C–S2 (A–S2 13.3 km and C–S1 17.8 km are out).
    expect([social.A.countWithin, social.B.countWithin, social.C.countWithin]).toEqual([1, 2, 1]);
    // Supply per 10,000: one service in A (1/1000 × 10,000 = 10), none in B, one in C (1/4000 × 10,000 = 2.5).
    expect([social.A.supplyPer10k, social.B.supplyPer10k, social.C.supplyPer10k]).toEqual([10, 0, 2.5]);
    // 2SFCA: R1 = 1/(1000 + 2000) = 1/3000, R2 = 1/(2000 + 4000) = 1/6000; ×10,000:
    expectClose(social.A.score2sfca, 10_000 / 3000); // A = R1 = 3.333…
    expectClose(social.B.score2sfca, 5); // B = R1 + R2 = 1/2000 → 5
    expectClose(social.C.score2sfca, 10_000 / 6000); // C = R2 = 1.666…
    // Stepped E2SFCA, bands of 10/3 km weighted 1, 0.68, 0.22: A–S1 0 m → 1; B–S1 4445 m → 0.68;
    // B–S2 8891 m → 0.22; C–S2 4445 m → 0.68.
    // R1 = 1/(1000×1 + 2000×0.68) = 1/2360; R2 = 1/(2000×0.22 + 4000×0.68) = 1/3160.
    expectClose(social.A.scoreE2sfca, 10_000 / 2360); // 1 × R1
    expectClose(social.B.scoreE2sfca, 10_000 * (0.68 / 2360 + 0.22 / 3160));
    expectClose(social.C.scoreE2sfca, (10_000 * 0.68) / 3160);
    // Regional mean (population-weighted 2SFCA): (1000×10/3 + 2000×5 + 4000×10/6) / 7000 = 20000/7000 = 2.857…;
    // 0.6 × 2.857 = 1.714 > C's 1.667, so C alone is below the mean: 1.667 / 2.857 = 58 %.
    const summary = run.summary.subjects.find((item: { subject: string }) => item.subject === 'social_action');
    expectClose(summary.regionalMean2sfca, 20_000 / 7000);
    expect([social.A.flags, social.B.flags, social.C.flags]).toEqual([[], [], ['below_regional_mean']]);
    expect(social.C.reason).toBe(
      'Access to social action services (2SFCA) is 58% of the regional mean for ~4,000 inhabitants',
    );
    expect(social.C.reasonCode).toBe('below-regional-mean');
    expect(social.C.reasonParams).toEqual({
      subjectKind: 'category',
      subject: 'social_action',
      method: '2sfca',
      percent: 58,
      population: 4000,
    });
    expect(social.A.reasonCode).toBeNull();
  });

  it('leaves out the services not checked within N months when asked, and counts those past their cycle', async () => {
    const db = context.database.db;
    const meridian = sql`(select o.id from organization o join alliance a on a.id = o.alliance_id
                          where a.slug = 'meridian')`;
    // Every service of the region checked today, except S1, last checked two years ago.
    await sql`update service set verified_at = now(), verified_via = 'editor' where organization_id in ${meridian}`.execute(
      db,
    );
    await sql`update service set verified_at = now() - interval '2 years' where name = 'S1 social desk'`.execute(db);
    try {
      const parameters = { thresholdM: 10_000, decay: 'stepped', method: '2sfca', categories: ['social_action'] };
      const all = await meridianRun(parameters);
      expect([all.byArea('social_action').A.countWithin, all.byArea('social_action').B.countWithin]).toEqual([1, 2]);
      expect(all.run.summary.freshness).toEqual({ olderThanCycle: 1, leaveOutUncheckedMonths: null, leftOut: 0 });

      const fresh = await meridianRun({ ...parameters, leaveOutUncheckedMonths: 12 });
      const social = fresh.byArea('social_action');
      // Without S1 (at 45.00° N), only S2 (45.12° N) is supply: A is 13.3 km from it, B 8.9 km, C 4.4 km.
      expect([social.A.countWithin, social.B.countWithin, social.C.countWithin]).toEqual([0, 1, 1]);
      expect(social.A.flags).toEqual(['no_service_within_reach']);
      expect(fresh.run.summary.freshness).toEqual({ olderThanCycle: 1, leaveOutUncheckedMonths: 12, leftOut: 1 });
      expect(fresh.run.parameters.freshness).toEqual({
        leaveOutUncheckedMonths: 12,
        checkedSince: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      });
    } finally {
      await sql`update service set verified_at = null, verified_via = null where organization_id in ${meridian}`.execute(
        db,
      );
    }
  });

  it('refuses a freshness option that is not a whole number of months from 1 to 60', async () => {
    for (const months of [0, 61, 1.5, '6']) {
      const response = await post('/api/alliances/meridian/gap-analyses', {
        units: { kind: 'h3', resolution: 6 },
        leaveOutUncheckedMonths: months,
      });
      expect(response.statusCode, String(months)).toBe(400);
    }
  });

  it('flags every populated area when a category has no service, and says why', async () => {
    const { byArea } = await meridianRun({ thresholdM: 10_000 });
    const professional = byArea('professional_integration');
    expect(professional.C).toMatchObject({
      nearestDistanceM: null,
      countWithin: 0,
      score2sfca: 0,
      scoreE2sfca: 0,
      flags: ['no_service_within_reach'],
      reason: 'No professional & economic integration service within 10 km for ~4,000 inhabitants',
      reasonCode: 'no-service-within',
      reasonParams: {
        subjectKind: 'category',
        subject: 'professional_integration',
        thresholdM: 10_000,
        population: 4000,
      },
    });
  });

  it('computes stepped E2SFCA at 15 km (bands 0–5, 5–10, 10–15 km) as by hand', async () => {
    const { byArea } = await meridianRun({ thresholdM: 15_000, decay: 'stepped' });
    const social = byArea('social_action');
    // 2SFCA at 15 km: S1 reaches A, B → R1 = 1/3000; S2 reaches A, B, C → R2 = 1/7000.
    expectClose(social.A.score2sfca, 10_000 * (1 / 3000 + 1 / 7000));
    expectClose(social.B.score2sfca, 10_000 * (1 / 3000 + 1 / 7000));
    expectClose(social.C.score2sfca, 10_000 / 7000);
    // Weights: A–S1 0 → 1, B–S1 4.4 km → 1, A–S2 13.3 km → 0.22, B–S2 8.9 km → 0.68, C–S2 4.4 km → 1.
    // R1 = 1/(1000 + 2000) = 1/3000; R2 = 1/(1000×0.22 + 2000×0.68 + 4000×1) = 1/5580.
    expectClose(social.A.scoreE2sfca, 10_000 * (1 / 3000 + 0.22 / 5580));
    expectClose(social.B.scoreE2sfca, 10_000 * (1 / 3000 + 0.68 / 5580));
    expectClose(social.C.scoreE2sfca, 10_000 / 5580);
    expect([social.A.countWithin, social.B.countWithin, social.C.countWithin]).toEqual([2, 2, 1]);
  });

  it("computes Dai's Gaussian E2SFCA at 15 km from the same distances", async () => {
    const { byArea } = await meridianRun({ thresholdM: 15_000, decay: 'dai_gaussian' });
    const social = byArea('social_action');
    // G(d) = (exp(-½(d/d0)²) − exp(-½)) / (1 − exp(-½)), d0 = 15,000 m; C–S1 is beyond d0.
    const G = (distance: number) => (Math.exp(-0.5 * (distance / 15_000) ** 2) - Math.exp(-0.5)) / (1 - Math.exp(-0.5));
    const R1 = 1 / (1000 * G(d.A_S1) + 2000 * G(d.B_S1));
    const R2 = 1 / (1000 * G(d.A_S2) + 2000 * G(d.B_S2) + 4000 * G(d.C_S2));
    expectClose(social.A.scoreE2sfca, 10_000 * (R1 * G(d.A_S1) + R2 * G(d.A_S2)));
    expectClose(social.B.scoreE2sfca, 10_000 * (R1 * G(d.B_S1) + R2 * G(d.B_S2)));
    expectClose(social.C.scoreE2sfca, 10_000 * R2 * G(d.C_S2));
  });

  it('saves the former decay name "gaussian" as dai_gaussian, with the same scores', async () => {
    const { run, byArea } = await meridianRun({ thresholdM: 15_000, decay: 'gaussian' });
    expect(run.parameters.decay).toBe('dai_gaussian');
    const dai = await meridianRun({ thresholdM: 15_000, decay: 'dai_gaussian' });
    for (const area of ['A', 'B', 'C'] as const) {
      expect(byArea('social_action')[area].scoreE2sfca).toBe(dai.byArea('social_action')[area].scoreE2sfca);
    }
  });

  it('computes E2SFCA with the unscaled Gaussian of width σ as by hand', async () => {
    const { run, byArea } = await meridianRun({ thresholdM: 10_000, decay: 'gaussian_sigma', decaySigmaM: 5_000 });
    expect(run.parameters).toMatchObject({ decay: 'gaussian_sigma', decaySigmaM: 5_000 });
    const social = byArea('social_action');
    // W(d) = exp(−d²/(2σ²)), σ = 5 km, not rescaled. Pairs within 10 km: A–S1, B–S1, B–S2, C–S2.
    // W(0) = 1, W(B–S1) = exp(−0.3952115) = 0.673538, W(B–S2) = exp(−1.5808793) = 0.205794, W(C–S2) ≈ W(B–S1).
    const W = (distance: number) => Math.exp(-(distance ** 2) / (2 * 5_000 ** 2));
    const R1 = 1 / (1000 * W(d.A_S1) + 2000 * W(d.B_S1));
    const R2 = 1 / (2000 * W(d.B_S2) + 4000 * W(d.C_S2));
    expectClose(social.A.scoreE2sfca, 10_000 * R1);
    expectClose(social.B.scoreE2sfca, 10_000 * (R1 * W(d.B_S1) + R2 * W(d.B_S2)));
    expectClose(social.C.scoreE2sfca, 10_000 * R2 * W(d.C_S2));
  });

  it('refuses a σ with a decay that has none', async () => {
    const response = await post('/api/alliances/meridian/gap-analyses', {
      units: { kind: 'h3', resolution: 6 },
      decay: 'stepped',
      decaySigmaM: 5_000,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe(
      '"decaySigmaM" is the σ of the gaussian_sigma decay; the other decays take none.',
    );
  });

  it('measures geodesic distances that match the meridian arc to 1 mm and turf (sphere) to 0.5 %', async () => {
    const rows = await sql<{ from: number; to: number; distance: number }>`
      select a.lat::float8 as from, b.lat::float8 as to,
             ST_Distance(ST_SetSRID(ST_MakePoint(0.5, a.lat), 4326)::geography,
                         ST_SetSRID(ST_MakePoint(0.5, b.lat), 4326)::geography) as distance
      from (values (45.0), (45.04), (45.12)) a(lat), (values (45.04), (45.12), (45.16)) b(lat)
      where b.lat > a.lat`.execute(context.database.db);
    expect(rows.rows).toHaveLength(6);
    for (const row of rows.rows) {
      expect(Math.abs(row.distance - meridianArcMetres(row.from, row.to))).toBeLessThan(1e-3);
      // turf's haversine uses a sphere of radius 6,371,008.8 m; along a meridian at 45° it differs from the
      // ellipsoid by about 0.1 %, so 0.5 % is the stated tolerance.
      const sphere = turfDistance([0.5, row.from], [0.5, row.to], { units: 'meters' });
      expect(Math.abs(row.distance - sphere) / sphere).toBeLessThan(0.005);
    }
    expect(meridianArcMetres(45, 45.04)).toBeCloseTo(d.B_S1, 5);
    expect(meridianArcMetres(45, 45.16)).toBeCloseTo(d.C_S1, 5);
  });

  it('measures topics across categories', async () => {
    const { byArea } = await meridianRun({
      thresholdM: 10_000,
      topics: ['language_courses'],
      categories: ['social_action'],
    });
    const language = byArea('language_courses');
    // Only S2 teaches French: R = 1/(2000 + 4000); A (13.3 km away) has none within 10 km.
    expectClose(language.B.score2sfca, 10_000 / 6000);
    expectClose(language.C.score2sfca, 10_000 / 6000);
    expect(language.A.reason).toBe('No language courses within 10 km for ~1,000 inhabitants');
  });

  it('runs in the background: 202 with a progress URL, then done with a summary; listed with the alliance', async () => {
    const accepted = await startRun('meridian', { units: { kind: 'h3', resolution: 7 } });
    expect(accepted).toMatchObject({ status: 'running', progressUrl: `/api/gap-analyses/${accepted.id}` });
    const first = (await get(accepted.progressUrl)).json();
    expect(['running', 'done']).toContain(first.status);
    expect(first.progress).toBeGreaterThanOrEqual(0);
    const run = await waitForRun(accepted.id);
    expect(run).toMatchObject({ status: 'done', progress: 1, error: null });
    expect(run.parameters).toMatchObject({
      thresholdM: 10_000,
      method: 'e2sfca',
      decay: 'dai_gaussian',
      belowMeanFraction: 0.5,
    });
    expect(Date.parse(run.finishedAt)).toBeGreaterThanOrEqual(Date.parse(run.startedAt));
    expect(run.summary.totalPopulation).toBe(7000);
    expect(run.summary.populationSource).toMatch(/^Approximate/);
    expect(run.summary.missingActors.categories.map((item: { id: string }) => item.id)).toEqual([
      'socio_cultural_sports',
      'professional_integration',
    ]);
    expect(run.summary.missingActors.noteCode).toEqual({ code: 'gap.note.missing-actors-by-category', params: {} });
    expect(run.summary.noteCodes.map((note: { code: string }) => note.code)).toEqual([
      'gap.note.distances',
      'gap.note.scores',
    ]);
    expect(run.summary.notes).toHaveLength(2);
    const listed = (await get('/api/alliances/meridian/gap-analyses')).json().items;
    expect(listed.map((item: { id: string }) => item.id)).toContain(accepted.id);
  });

  it('exports CSV (quoted, one row per area × subject) and GeoJSON (areas with flat measures)', async () => {
    const { run } = await meridianRun({
      thresholdM: 10_000,
      decay: 'stepped',
      method: '2sfca',
      belowMeanFraction: 0.6,
    });
    const csv = await get(`/api/gap-analyses/${run.id}/results.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'unit_id,unit_code,unit_name,centroid_lat,centroid_lon,subject_kind,subject,population,nearest_distance_m,nearest_minutes,' +
        'count_within,supply_count,supply_per_10k,score_2sfca_per_10k,score_e2sfca_per_10k,flags,reason',
    );
    expect(lines).toHaveLength(1 + 3 * 3);
    expect(csv.body).toContain(',"B, ""the middle""",');
    expect(lines.some((line) => line.includes('social_action,2000,4445.28') && line.includes(',2,0,0,5,'))).toBe(true);

    const geojson = await get(`/api/gap-analyses/${run.id}/results.geojson?subject=social_action`);
    expect(geojson.statusCode).toBe(200);
    const collection = geojson.json();
    expect(collection.features).toHaveLength(3);
    const c = collection.features.find((feature: { properties: { name: string } }) => feature.properties.name === 'C');
    expect(c.geometry.type).toBe('MultiPolygon');
    expect(c.properties).toMatchObject({ population: 4000, 'social_action.flags': 'below_regional_mean' });
    expect(c.properties['social_action.score2sfca']).toBeCloseTo(10_000 / 6000, 9);
    expect(c.properties['professional_integration.flags']).toBeUndefined();

    const bad = await get(`/api/gap-analyses/${run.id}/results?subject=housing`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/did not measure "housing"/);
  });

  it('ranks the worst-served areas first and lists the nearest services of an area', async () => {
    const { run } = await meridianRun({ thresholdM: 10_000 });
    const ranked = (await get(`/api/gap-analyses/${run.id}/results?flagged=true`)).json();
    expect(ranked.items[0]).toMatchObject({ subject: 'professional_integration', population: 4000 });
    expect(ranked.populationSource).toMatch(/Imported/);
    // The same sentence as a code with the property's name, for pages to say in their reader's language.
    expect(ranked.populationSourceParts).toEqual([{ code: 'imported', params: { property: 'population' } }]);
    expect(run.summary.populationSourceParts).toEqual(ranked.populationSourceParts);
    const unitId = ranked.items.find((item: ResultItem) => item.unit.name === 'A').unit.id;
    const nearest = (await get(`/api/gap-analyses/${run.id}/units/${unitId}/nearest?subject=social_action`)).json();
    expect(nearest.items.map((item: { name: string }) => item.name)).toEqual([
      'S1 social desk',
      'S2 social desk and French class',
    ]);
    expect(nearest.items[1].distanceM).toBeCloseTo(d.A_S2, 3);
  });

  it('marks a run that fails as failed with a message and keeps no partial result', async () => {
    const db = context.database.db;
    await sql`create function fail_second_subject() returns trigger language plpgsql as $$
      begin
        if new.subject = 'socio_cultural_sports' then raise exception 'disk full (test)'; end if;
        return new;
      end $$`.execute(db);
    await sql`create trigger fail_second_subject before insert on gap_analysis_result
      for each row execute function fail_second_subject()`.execute(db);
    try {
      const accepted = await startRun('meridian', { units: { kind: 'h3', resolution: 7 } });
      const run = await waitForRun(accepted.id);
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/could not be completed.*no result was kept/);
      expect(run.error).not.toMatch(/disk full/);
      expect(run).toMatchObject({ errorCode: 'gap.run-unexpected', errorParams: {} });
      const kept = await sql<{ count: number }>`select count(*)::int as count from gap_analysis_result
        where run_id = ${accepted.id}`.execute(db);
      expect(kept.rows[0]!.count).toBe(0);
      const results = await get(`/api/gap-analyses/${accepted.id}/results`);
      expect(results.statusCode).toBe(409);
      expect(results.json().message).toMatch(/failed/);
    } finally {
      await sql`drop trigger fail_second_subject on gap_analysis_result`.execute(db);
      await sql`drop function fail_second_subject`.execute(db);
    }
  });

  it('refuses anonymous runs, unknown alliances and runs, and impossible parameters', async () => {
    expect((await post('/api/alliances/meridian/gap-analyses', { units: { kind: 'h3' } }, {})).statusCode).toBe(401);
    expect((await post('/api/alliances/nowhere/gap-analyses', { units: { kind: 'h3' } })).statusCode).toBe(404);
    expect((await get('/api/gap-analyses/3f2b0000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    const tooFine = await post('/api/alliances/meridian/gap-analyses', { units: { kind: 'h3', resolution: 9 } });
    expect(tooFine.statusCode).toBe(400);
    expect(tooFine.json().message).toMatch(/"units.resolution" must be at most 8/);
    const tooFar = await post('/api/alliances/meridian/gap-analyses', { units: { kind: 'h3' }, thresholdM: 500_000 });
    expect(tooFar.json().message).toMatch(/"thresholdM" must be at most 100000/);
    const noSet = await post('/api/alliances/meridian/gap-analyses', { units: { kind: 'imported' } });
    expect(noSet.json().message).toMatch(/unitSetId/);
  });

  /** Any signed-in person may create an alliance, with any boundary, and coordinates it. */
  async function allianceOverBox(slug: string, west: number, south: number, east: number, north: number) {
    const founder = await signedInAs(context.database.db, null, 'meridian');
    const allianceId = await createAllianceOverBox(context.app, founder.headers, slug, [west, south, east, north], {
      country: 'FR',
      timezone: 'Europe/Paris',
      languages: ['en'],
    });
    return { allianceId, headers: founder.headers };
  }

  async function nothingBuilt(allianceId: string) {
    const db = context.database.db;
    const sets = await db.selectFrom('analysis_unit_set').select('id').where('alliance_id', '=', allianceId).execute();
    const runs = await db.selectFrom('gap_analysis_run').select('id').where('alliance_id', '=', allianceId).execute();
    return { sets: sets.length, runs: runs.length };
  }

  it('refuses at once a grid too fine for a country-sized region, naming the limit and the finest that fits', async () => {
    // 12° × 12° over France, about 1.2 million km²: about 1.8 million cells at resolution 8, 5,200 at 5.
    const { allianceId, headers } = await allianceOverBox('country-sized', -5, 42, 7, 54);
    const refused = await post(
      '/api/alliances/country-sized/gap-analyses',
      { units: { kind: 'h3', resolution: 8 } },
      headers,
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toMatch(
      /^A resolution-8 grid over this region would have about 1,8\d\d,000 areas; the limit is 20,000\. Resolution 5 fits \(about 5,\d00 areas\)\.$/,
    );
    expect(await nothingBuilt(allianceId)).toEqual({ sets: 0, runs: 0 });
  });

  it('refuses a grid over a continent-sized region, saying that no resolution fits', async () => {
    // 50° × 35° over Europe, about 13 million km²: about 20 million cells at resolution 8, 57,000 even at 5.
    const { allianceId, headers } = await allianceOverBox('continent-sized', -10, 35, 40, 70);
    const refused = await post(
      '/api/alliances/continent-sized/gap-analyses',
      { units: { kind: 'h3', resolution: 8 } },
      headers,
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toMatch(
      /^A resolution-8 grid over this region would have about (19|2\d),000,000 areas; the limit is 20,000\. Even resolution 5 would have about 5\d,000: the region is too large for an H3 grid\. Import areas of your own instead\.$/,
    );
    expect(await nothingBuilt(allianceId)).toEqual({ sets: 0, runs: 0 });
  });

  it('lays an H3 grid over the region, clipped to its boundary, keeping the whole population', async () => {
    const { id } = await startRun('testland', { units: { kind: 'h3', resolution: 6 } });
    const run = await waitForRun(id);
    expect(run.status, run.error).toBe('done');
    // Bordeaux 250,000 + Blanquefort 15,000 + Langon 7,000 + a place 1.1 km off the edge 1,000; not the far one.
    expect(run.summary.totalPopulation).toBe(273_000);
    const check = await sql<{ units: number; outside: number; area_ratio: number; overlaps: number }>`
      select count(*)::int as units,
             count(*) filter (where not ST_CoveredBy(u.geom, a.boundary))::int as outside,
             ST_Area(ST_Union(u.geom)) / ST_Area(a.boundary) as area_ratio,
             (select count(*)::int from analysis_unit x join analysis_unit y on x.set_id = y.set_id and x.id < y.id
               and ST_Overlaps(x.geom, y.geom) where x.set_id = ${run.unitSetId}) as overlaps
      from analysis_unit u join analysis_unit_set s on s.id = u.set_id join alliance a on a.id = s.alliance_id
      where u.set_id = ${run.unitSetId} group by a.boundary`.execute(context.database.db);
    const grid = check.rows[0]!;
    expect(grid.units).toBeGreaterThan(100);
    expect(grid.outside).toBe(0);
    expect(grid.overlaps).toBe(0);
    expect(grid.area_ratio).toBeCloseTo(1, 6);
  });

  it('reports same-category services of different organisations at one point, with the precision caveat', async () => {
    const { id } = await startRun('testland', { units: { kind: 'h3', resolution: 6 } });
    const run = await waitForRun(id);
    const { clusters, precisionNote } = run.summary.duplication;
    expect(clusters).toHaveLength(1);
    expect(clusters[0]).toMatchObject({
      category: 'social_action',
      serviceCount: 2,
      organizationCount: 2,
      townPrecision: true,
    });
    expect(clusters[0].services.map((service: { name: string }) => service.name)).toEqual([
      'Alpha housing advice',
      'Delta housing help',
    ]);
    expect(precisionNote).toMatch(/town level/);
    expect(run.summary.duplication.precisionNoteCode).toEqual({ code: 'gap.note.town-precision-clusters', params: {} });
  });

  it("uses each service's capacity as its supply in 2SFCA and E2SFCA, as computed by hand", async () => {
    const desks = await context.database.db
      .selectFrom('service')
      .select(['id', 'name'])
      .where('name', 'in', ['S1 social desk', 'S2 social desk and French class'])
      .orderBy('name')
      .execute();
    const setCapacity = async (id: string, capacity: number | null, capacityUnit: string | null) => {
      const { version } = (await get(`/api/services/${id}`)).json();
      const response = await context.app.inject({
        method: 'PATCH',
        url: `/api/services/${id}`,
        payload: { version, capacity, capacityUnit },
        headers: adminHeaders,
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json();
    };
    const [s1, s2] = desks;
    expect(await setCapacity(s1!.id, 12, 'places')).toMatchObject({ capacity: 12, capacityUnit: 'places' });
    await setCapacity(s2!.id, 2.5, 'places');
    try {
      const { run, byArea } = await meridianRun({ thresholdM: 10_000, decay: 'stepped', method: '2sfca' });
      const social = byArea('social_action');
      // Within 10 km as before: A–S1, B–S1, B–S2, C–S2. S_1 = 12, S_2 = 2.5.
      // 2SFCA: R1 = 12/(1000 + 2000) = 1/250, R2 = 2.5/(2000 + 4000) = 1/2400; ×10,000:
      expectClose(social.A.score2sfca, 10_000 / 250);
      expectClose(social.B.score2sfca, 10_000 * (1 / 250 + 1 / 2400));
      expectClose(social.C.score2sfca, 10_000 / 2400);
      // Stepped E2SFCA: R1 = 12/(1000×1 + 2000×0.68) = 12/2360; R2 = 2.5/(2000×0.22 + 4000×0.68) = 2.5/3160.
      expectClose(social.A.scoreE2sfca, (10_000 * 12) / 2360);
      expectClose(social.B.scoreE2sfca, 10_000 * ((0.68 * 12) / 2360 + (0.22 * 2.5) / 3160));
      expectClose(social.C.scoreE2sfca, (10_000 * 0.68 * 2.5) / 3160);
      // Counts stay counts of services.
      expect([social.A.countWithin, social.B.countWithin, social.C.countWithin]).toEqual([1, 2, 1]);
      expect([social.A.supplyPer10k, social.B.supplyPer10k, social.C.supplyPer10k]).toEqual([10, 0, 2.5]);
      expect(run.summary.capacities).toEqual({ used: true, servicesWithCapacity: 2, units: ['places'] });
    } finally {
      await setCapacity(s1!.id, null, null);
      await setCapacity(s2!.id, null, null);
    }
  });

  /**
   * People on the 0.5° E meridian, one 0.01° GeoTIFF cell each (the boundary runs from 44.95 to 45.25° N), so that
   * every distance to S1 (45.00° N) and S2 (45.12° N) is a meridian arc: inside, 100 at 45.01, 200 at 45.05 and 300
   * at 45.20, each alone in its resolution-7 area, hence its centre; 40 at 44.93, 2.2 km beyond the edge, which the
   * nearest area counts (within 3 km); beyond the boundary, 1000 at 44.92 (3.3 km beyond, 8.9 km from S1) and 5000
   * at 44.90 (11.1 km from S1, beyond d0 = 10 km).
   */
  const borderPeople = { 45.2: 300, 45.05: 200, 45.01: 100, 44.93: 40, 44.92: 1000, 44.9: 5000 };

  /** Rows of 0.01° centred on 45.28 − 0.01 r (r = 0 … 38), one column centred on 0.5° E. */
  function borderRaster() {
    const values = new Array<number>(39).fill(0);
    for (const [lat, population] of Object.entries(borderPeople))
      values[Math.round((45.28 - Number(lat)) / 0.01)] = population;
    return geoTiff(values, { width: 1, height: 39, origin: [0.495, 45.285], cell: 0.01 });
  }

  it('counts the people beyond the boundary within d0 of a service near the edge in its ratio, in both ways of measuring', async () => {
    const { db } = context.database;
    const { surface } = await importPopulationFile(context.app, 'meridian', 'border.tif', borderRaster());
    expect(surface).toMatchObject({ status: 'active', cellsKept: 6, totalPopulation: 6640 });
    try {
      const alliance = await db
        .selectFrom('alliance')
        .select('id')
        .where('slug', '=', 'meridian')
        .executeTakeFirstOrThrow();
      const parameters: GapAnalysisParameters = {
        units: { kind: 'h3', resolution: 7 },
        thresholdM: 10_000,
        method: '2sfca',
        decay: 'stepped',
        belowMeanFraction: 0.5,
        duplicationRadiusM: 500,
        categories: ['social_action'],
        topics: ['language_courses'],
      };
      const oneAtATime: Slicing = { statementMs: 0 };
      const arc = (lat: number, service: number) => meridianArcMetres(lat, service);
      let lastRunId = '';
      for (const [slicing, decay] of [
        [serverSlicing, 'stepped'],
        [oneAtATime, 'stepped'],
        [serverSlicing, 'dai_gaussian'],
        [oneAtATime, 'dai_gaussian'],
      ] as const) {
        const runId = await createRun(db, alliance.id, { ...parameters, decay });
        await executeRun(db, runId, { dataDir: fixtureDir, slicing });
        lastRunId = runId;
        const run = (await get(`/api/gap-analyses/${runId}`)).json();
        expect(run.status, run.error).toBe('done');
        // Inside and within 3 km: 100 + 200 + 300 + 40. Beyond: only the 1000 within 10 km of S1.
        expect(run.summary.totalPopulation).toBe(640);
        expect(run.summary.outerPopulation).toBe(1000);
        expect(run.summary.populationSource).toMatch(
          /~640 inhabitants counted, in 4 of \d+ areas\. ~1,000 people living within reach beyond the boundary share the services near the edge: they count in those services’ demand, not as areas of this run\.$/,
        );
        const items = (await get(`/api/gap-analyses/${runId}/results?limit=500&subject=social_action`)).json()
          .items as ResultItem[];
        const area = (lat: number) => items.find((item) => item.unit.code === latLngToCell(lat, 0.5, 7))!;
        const [p1, p2, p3] = [area(45.01), area(45.05), area(45.2)];
        const edge = items.find((item) => item.population === 40)!;
        expect([p1.population, p2.population, p3.population]).toEqual([100, 200, 300]);
        expect(edge.nearestDistanceM).toBeCloseTo(arc(44.93, 45.0), 3);

        // Pairs within 10 km: 45.01–S1 1.1 km, 45.05–S1 5.6 km, 45.05–S2 7.8 km, 45.20–S2 8.9 km, edge area–S1
        // 7.8 km; beyond the boundary 44.92–S1 8.9 km (44.90–S1 is 11.1 km).
        // 2SFCA: R1 = 1/(100 + 200 + 40 + 1000) = 1/1340 (1/340 without the people beyond); R2 = 1/(200 + 300) = 1/500.
        expectClose(p1.score2sfca, 10_000 / 1340);
        expectClose(p2.score2sfca, 10_000 * (1 / 1340 + 1 / 500));
        expectClose(p3.score2sfca, 10_000 / 500);
        expectClose(edge.score2sfca, 10_000 / 1340);
        // E2SFCA, the weight of each person beyond the boundary from their own distance to the service.
        const W =
          decay === 'stepped'
            ? (distance: number) => (distance <= 10_000 / 3 ? 1 : distance <= 20_000 / 3 ? 0.68 : 0.22)
            : (distance: number) => (Math.exp(-0.5 * (distance / 10_000) ** 2) - Math.exp(-0.5)) / (1 - Math.exp(-0.5));
        const [w1, w2, w2b, w3, wEdge, wBeyond] = [
          W(arc(45.01, 45.0)),
          W(arc(45.05, 45.0)),
          W(arc(45.05, 45.12)),
          W(arc(45.2, 45.12)),
          W(arc(44.93, 45.0)),
          W(arc(44.92, 45.0)),
        ];
        if (decay === 'stepped') expect([w1, w2, w2b, w3, wEdge, wBeyond]).toEqual([1, 0.68, 0.22, 0.22, 0.22, 0.22]);
        const R1 = 1 / (100 * w1 + 200 * w2 + 40 * wEdge + 1000 * wBeyond); // stepped: 1/464.8
        const R2 = 1 / (200 * w2b + 300 * w3); // stepped: 1/110
        expectClose(p1.scoreE2sfca, 10_000 * R1 * w1);
        expectClose(p2.scoreE2sfca, 10_000 * (R1 * w2 + R2 * w2b));
        expectClose(p3.scoreE2sfca, 10_000 * R2 * w3);
        expectClose(edge.scoreE2sfca, 10_000 * R1 * wEdge);
      }

      // The people beyond the boundary were listed once, with the grid: alone in their 0.01° squares, each keeps
      // its exact position.
      const setId = await runSet(lastRunId);
      const cells = await outerCells(surface.id);
      expect(await outerRows(setId)).toEqual(
        cells.filter((cell) => cell.population === 1000 || cell.population === 5000),
      );
      // A grid made before they were kept has them listed at its next run.
      await sql`update analysis_unit_set set outer_demand_ready = false where id = ${setId}`.execute(db);
      await db.deleteFrom('analysis_outer_demand').where('set_id', '=', setId).execute();
      const runId = await meridianGridRun({ decay: 'stepped' });
      expect((await get(`/api/gap-analyses/${runId}`)).json().summary.outerPopulation).toBe(1000);
      expect(await runSet(runId)).toBe(setId);
      expect(await outerRows(setId)).toEqual(
        cells.filter((cell) => cell.population === 1000 || cell.population === 5000),
      );
    } finally {
      const removed = await removePopulationSurface(context.app, 'meridian');
      expect(removed.statusCode).toBe(204);
    }
  });

  /** A run over a resolution-7 grid of the meridian region at 10 km (2SFCA, social action), once it is done. */
  async function meridianGridRun(parameters: Partial<GapAnalysisParameters>): Promise<string> {
    const { db } = context.database;
    const alliance = await db
      .selectFrom('alliance')
      .select('id')
      .where('slug', '=', 'meridian')
      .executeTakeFirstOrThrow();
    const runId = await createRun(db, alliance.id, {
      units: { kind: 'h3', resolution: 7 },
      thresholdM: 10_000,
      method: '2sfca',
      decay: 'stepped',
      belowMeanFraction: 0.5,
      duplicationRadiusM: 500,
      categories: ['social_action'],
      topics: ['language_courses'],
      ...parameters,
    });
    await executeRun(db, runId, { dataDir: fixtureDir, slicing: serverSlicing });
    const run = (await get(`/api/gap-analyses/${runId}`)).json();
    expect(run.status, run.error).toBe('done');
    return runId;
  }

  async function runSet(runId: string): Promise<string> {
    const row = await context.database.db
      .selectFrom('gap_analysis_run')
      .select('unit_set_id')
      .where('id', '=', runId)
      .executeTakeFirstOrThrow();
    return row.unit_set_id!;
  }

  type Located = { population: number; lon: number; lat: number };

  async function outerRows(setId: string): Promise<Located[]> {
    const { rows } = await sql<Located>`
      select population, ST_X(centroid::geometry) as lon, ST_Y(centroid::geometry) as lat
      from analysis_outer_demand where set_id = ${setId} order by lat, lon`.execute(context.database.db);
    return rows;
  }

  async function outerCells(surfaceId: string): Promise<Located[]> {
    const { rows } = await sql<Located>`
      select population, ST_X(geog::geometry) as lon, ST_Y(geog::geometry) as lat
      from population_cell where surface_id = ${surfaceId} order by lat, lon`.execute(context.database.db);
    return rows;
  }

  it('groups the people beyond the boundary in the same 0.01° square at their weighted mean position', async () => {
    // Two 0.005° cells centred on 44.91° N, 0.4975° and 0.5025° E (4 km beyond the boundary): one 0.01° square.
    const raster = geoTiff([100, 300], { width: 2, height: 1, origin: [0.495, 44.9125], cell: 0.005 });
    const { surface } = await importPopulationFile(context.app, 'meridian', 'pair.tif', raster);
    expect(surface).toMatchObject({ status: 'active', cellsKept: 2, totalPopulation: 400 });
    try {
      const runId = await meridianGridRun({ decay: 'none', topics: [] });
      const [west, east] = await outerCells(surface.id);
      expect([west!.population, east!.population]).toEqual([100, 300]);
      const [merged, ...others] = await outerRows(await runSet(runId));
      expect(others).toEqual([]);
      expect(merged!.population).toBe(400);
      expectClose(merged!.lon, (west!.lon * 100 + east!.lon * 300) / 400);
      expectClose(merged!.lat, (west!.lat * 100 + east!.lat * 300) / 400);
    } finally {
      const removed = await removePopulationSurface(context.app, 'meridian');
      expect(removed.statusCode).toBe(204);
    }
  });

  it('counts nobody beyond imported areas, which carry their own population', async () => {
    const { run, byArea } = await meridianRun({ thresholdM: 10_000, decay: 'stepped', method: '2sfca' });
    expect(run.summary.outerPopulation).toBeUndefined();
    expect(run.summary.populationSource).not.toMatch(/beyond the boundary/);
    expectClose(byArea('social_action').A.score2sfca, 10_000 / 3000);
  });
});
