import path from 'node:path';
import { distance as turfDistance } from '@turf/turf';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/src/config.js';
import { serverSlicing, type Slicing } from '../../server/src/domain/gap-analysis/batchSizer.js';
import { createRun, executeRun } from '../../server/src/domain/gap-analysis/gapAnalysisRepository.js';
import type { GapAnalysisParameters } from '../../server/src/domain/gap-analysis/gapParameters.js';
import { databaseModes } from '../support/testDatabase.js';
import { adminHeaders, useTestApp } from '../support/testApp.js';
import { meridianArcMetres } from './geodesy.js';

const fixtureDir = path.join(projectRoot, 'tests/fixtures/gap-analysis');

/**
 * The "wide" alliance's two social desks, seen from the centre of a square area at 45.16° N 2° E: the north desk at
 * 45.205° N on the same meridian, the east desk at 2.0637° E on the same parallel. On PostGIS's sphere (R =
 * 6,371,008.8 m, as turf's) the east desk is nearer: 4,994.52 m against 5,003.78 m. On the WGS84 ellipsoid a degree
 * of latitude is shorter there and a degree of longitude longer, so the north desk is nearer: its distance is the
 * meridian arc (Helmert's series, geodesy.ts), the east desk's the geodesic of Vincenty's inverse formula (computed
 * apart from PostGIS, iterated to 1e-14 rad).
 */
const centre = { lat: 45.16, lon: 2.0 };
const northDesk = { lat: 45.205, lon: 2.0 };
const eastDesk = { lat: 45.16, lon: 2.0637 };
const northDeskM = meridianArcMetres(centre.lat, northDesk.lat); // 5,001.0905 m
const eastDeskM = 5008.545086219712;

/**
 * The "northland" alliance's region, a U at 70° N opening north (tests/fixtures/gap-analysis/regions/XX-NL.geojson),
 * with one place of 500 inhabitants in its bay, at 70.024° N 20.048° E: 0.008° of longitude from the west arm
 * (20.04° E) and 0.004° of latitude from the south bar (70.02° N). In degrees the bar is nearer; in metres the arm,
 * a degree of longitude being 38 km there. Distances along the parallel and the meridian, by Vincenty's inverse
 * formula (computed apart from PostGIS).
 */
const bayPlace = { lat: 70.024, lon: 20.048 };
const bayToWestArmM = 305.1410005732968;
const bayToSouthBarM = 446.2492124553044;

const square = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { name: 'Centre', population: 1000 },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [1.99, 45.15],
            [2.01, 45.15],
            [2.01, 45.17],
            [1.99, 45.17],
            [1.99, 45.15],
          ],
        ],
      },
    },
  ],
};

const sphereMetres = (to: { lat: number; lon: number }) =>
  turfDistance([centre.lon, centre.lat], [to.lon, to.lat], { units: 'meters' });

function expectClose(actual: number | null | undefined, expected: number) {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(expected * 1e-9);
}

describe.each(databaseModes())('the nearest service on the ellipsoid (%s database)', (mode) => {
  const context = useTestApp(mode, fixtureDir);
  let unitSetId = '';

  async function wideSquare() {
    if (unitSetId) return unitSetId;
    const imported = await context.app.inject({
      method: 'POST',
      url: '/api/alliances/wide/analysis-units',
      payload: { name: 'Square at 45.16° N', areas: square },
      headers: adminHeaders,
    });
    expect(imported.statusCode, imported.body).toBe(201);
    unitSetId = imported.json().unitSet.id;
    return unitSetId;
  }

  async function nearestDistanceWith(slicing: Slicing): Promise<number | null> {
    const { db } = context.database;
    const alliance = await db.selectFrom('alliance').select('id').where('slug', '=', 'wide').executeTakeFirstOrThrow();
    const parameters: GapAnalysisParameters = {
      units: { kind: 'imported', unitSetId: await wideSquare() },
      thresholdM: 10_000,
      method: 'e2sfca',
      decay: 'dai_gaussian',
      belowMeanFraction: 0.5,
      duplicationRadiusM: 500,
      categories: ['social_action'],
      topics: [],
    };
    const runId = await createRun(db, alliance.id, parameters);
    await executeRun(db, runId, { dataDir: fixtureDir, slicing });
    const rows = await db
      .selectFrom('gap_analysis_result')
      .select(['nearest_distance_m', 'count_within'])
      .where('run_id', '=', runId)
      .where('subject', '=', 'social_action')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.count_within).toBe(2);
    return rows[0]!.nearest_distance_m;
  }

  it('has a fixture whose sphere-nearest desk is not its ellipsoid-nearest', async () => {
    expect(sphereMetres(eastDesk)).toBeLessThan(sphereMetres(northDesk));
    expect(northDeskM).toBeLessThan(eastDeskM);
    const centres = await sql<{ lat: number; lon: number }>`
      select ST_Y(centroid::geometry) as lat, ST_X(centroid::geometry) as lon from analysis_unit
      where set_id = ${await wideSquare()}`.execute(context.database.db);
    expect(centres.rows).toEqual([{ lat: expect.closeTo(centre.lat, 12), lon: expect.closeTo(centre.lon, 12) }]);
    // PostGIS's own spheroid distances for the two pairs agree with the independent ones.
    const measured = await sql<{ north: number; east: number }>`
      select ST_Distance(ST_MakePoint(${centre.lon}, ${centre.lat})::geography,
                         ST_MakePoint(${northDesk.lon}, ${northDesk.lat})::geography, true) as north,
             ST_Distance(ST_MakePoint(${centre.lon}, ${centre.lat})::geography,
                         ST_MakePoint(${eastDesk.lon}, ${eastDesk.lat})::geography, true) as east`.execute(
      context.database.db,
    );
    expect(Math.abs(measured.rows[0]!.north - northDeskM)).toBeLessThan(1e-6);
    expect(Math.abs(measured.rows[0]!.east - eastDeskM)).toBeLessThan(1e-6);
  });

  it('measures the nearest distance to the desk nearest on the ellipsoid, in one statement', async () => {
    expectClose(await nearestDistanceWith(serverSlicing), northDeskM);
  });

  it('measures the nearest distance to the desk nearest on the ellipsoid, an area per statement', async () => {
    expectClose(await nearestDistanceWith({ statementMs: 0 }), northDeskM);
  });

  it("lists an area's nearest services in geodesic order", async () => {
    const start = await context.app.inject({
      method: 'POST',
      url: '/api/alliances/wide/gap-analyses',
      payload: { units: { kind: 'imported', unitSetId: await wideSquare() }, categories: ['social_action'] },
      headers: adminHeaders,
    });
    expect(start.statusCode, start.body).toBe(202);
    const runId = start.json().id as string;
    for (let attempt = 0; attempt < 600; attempt++) {
      const run = (await context.app.inject({ url: `/api/gap-analyses/${runId}` })).json();
      if (run.status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const unit = await context.database.db
      .selectFrom('analysis_unit')
      .select('id')
      .where('set_id', '=', unitSetId)
      .executeTakeFirstOrThrow();
    const nearest = async (limit: number) => {
      const response = await context.app.inject({
        url: `/api/gap-analyses/${runId}/units/${unit.id}/nearest?subject=social_action&limit=${limit}`,
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json().items as { name: string; distanceM: number }[];
    };
    const [first] = await nearest(1);
    expect(first!.name).toBe('Wide north social desk');
    expectClose(first!.distanceM, northDeskM);
    const both = await nearest(2);
    expect(both.map((item) => item.name)).toEqual(['Wide north social desk', 'Wide east social desk']);
    expectClose(both[1]!.distanceM, eastDeskM);
  });

  it('gives a place outside every hexagon to the one nearest in metres, not in degrees', async () => {
    const { db } = context.database;
    const alliance = await db
      .selectFrom('alliance')
      .select('id')
      .where('slug', '=', 'northland')
      .executeTakeFirstOrThrow();
    const runId = await createRun(db, alliance.id, {
      units: { kind: 'h3', resolution: 9 },
      thresholdM: 10_000,
      method: 'e2sfca',
      decay: 'dai_gaussian',
      belowMeanFraction: 0.5,
      duplicationRadiusM: 500,
      categories: ['social_action'],
      topics: [],
    });
    await executeRun(db, runId, { dataDir: fixtureDir, slicing: serverSlicing });
    const run = await db
      .selectFrom('gap_analysis_run')
      .select(['status', 'error', 'unit_set_id'])
      .where('id', '=', runId)
      .executeTakeFirstOrThrow();
    expect(run.status, run.error ?? '').toBe('done');
    const bay = sql`ST_SetSRID(ST_MakePoint(${bayPlace.lon}, ${bayPlace.lat}), 4326)`;
    const populated = await sql<{ population: number; metres: number }>`
      select population, ST_Distance(geom::geography, ${bay}::geography) as metres from analysis_unit
      where set_id = ${run.unit_set_id} and population > 0`.execute(db);
    expect(populated.rows).toHaveLength(1);
    expect(populated.rows[0]!.population).toBe(500);
    expect(Math.abs(populated.rows[0]!.metres - bayToWestArmM)).toBeLessThan(0.5);
    // The hexagon nearest in degrees lies on the south bar, farther in metres.
    const nearestInDegrees = await sql<{ metres: number }>`
      select ST_Distance(geom::geography, ${bay}::geography) as metres from analysis_unit
      where set_id = ${run.unit_set_id} order by geom <-> ${bay} limit 1`.execute(db);
    expect(Math.abs(nearestInDegrees.rows[0]!.metres - bayToSouthBarM)).toBeLessThan(0.5);
  });
});
