import path from 'node:path';
import { distance as turfDistance } from '@turf/turf';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/src/config.js';
import { serverSlicing, type Slicing } from '../../server/src/domain/gap-analysis/batchSizer.js';
import { createRun, executeRun } from '../../server/src/domain/gap-analysis/gapAnalysisRepository.js';
import { databaseModes } from '../support/testDatabase.js';
import { adminHeaders, useTestApp } from '../support/testApp.js';

const fixtureDir = path.join(projectRoot, 'tests/fixtures/antimeridian');

/** The places of tests/fixtures/antimeridian/demand/XX-TV.json and the desks of its organizations.json. */
const eastPlace = { lon: -179.98, lat: -16.85, population: 300 };
const westPlace = { lon: 179.9, lat: -16.85, population: 200 };
const waiyevoDesk = { lon: 179.98, lat: -16.85 };

describe.each(databaseModes())('a region across the antimeridian (%s database)', (mode) => {
  const context = useTestApp(mode, fixtureDir);

  async function gridRun(slicing: Slicing): Promise<{ runId: string; unitSetId: string }> {
    const { db } = context.database;
    const alliance = await db
      .selectFrom('alliance')
      .select('id')
      .where('slug', '=', 'taveuni')
      .executeTakeFirstOrThrow();
    const runId = await createRun(db, alliance.id, {
      units: { kind: 'h3', resolution: 6 },
      thresholdM: 10_000,
      method: '2sfca',
      decay: 'none',
      belowMeanFraction: 0.5,
      duplicationRadiusM: 500,
      categories: ['social_action'],
      topics: [],
    });
    await executeRun(db, runId, { dataDir: fixtureDir, slicing });
    const run = await db
      .selectFrom('gap_analysis_run')
      .select(['status', 'unit_set_id'])
      .where('id', '=', runId)
      .executeTakeFirstOrThrow();
    expect(run.status).toBe('done');
    return { runId, unitSetId: run.unit_set_id! };
  }

  it('cuts cells across 180° in two parts whose areas sum to the region', async () => {
    const { unitSetId } = await gridRun(serverSlicing);
    const sums = await sql<{
      cells: number;
      widest: number;
      cellsM2: number;
      regionM2: number;
      cellsDeg2: number;
      regionDeg2: number;
      split: number;
    }>`
      select count(*)::int as cells,
             (select max(ST_XMax(part.geom) - ST_XMin(part.geom)) from analysis_unit cell
              cross join lateral ST_Dump(cell.geom) part where cell.set_id = ${unitSetId}) as widest,
             sum(ST_Area(u.geom::geography)) as "cellsM2",
             (select ST_Area(boundary::geography) from alliance where slug = 'taveuni') as "regionM2",
             sum(ST_Area(u.geom)) as "cellsDeg2",
             (select ST_Area(boundary) from alliance where slug = 'taveuni') as "regionDeg2",
             count(*) filter (where ST_NumGeometries(u.geom) = 2 and ST_XMin(u.geom) = -180 and ST_XMax(u.geom) = 180)::int
               as split
      from analysis_unit u where u.set_id = ${unitSetId}`.execute(context.database.db);
    const { cells, widest, cellsM2, regionM2, cellsDeg2, regionDeg2, split } = sums.rows[0]!;
    expect(cells).toBeGreaterThan(20);
    // A resolution-6 cell is about 0.1° wide; drawn flat across 180°, it would span the 359.5° between its corners.
    expect(widest).toBeLessThan(0.2);
    expect(split).toBeGreaterThan(0);
    expect(Math.abs(cellsDeg2 - regionDeg2) / regionDeg2).toBeLessThan(1e-9);
    // On the spheroid, the cells' edges along the region's add vertices there, between which the geodesic edges bow
    // apart from the region's longer ones by about a millionth of the area.
    expect(Math.abs(cellsM2 - regionM2) / regionM2).toBeLessThan(1e-5);
  });

  it.each([
    ['one statement', serverSlicing],
    ['an area per statement', { statementMs: 0 }],
  ] as const)('counts each desk in one cell and each place in the cell holding it (%s)', async (_, slicing) => {
    const { runId, unitSetId } = await gridRun(slicing);
    const { db } = context.database;
    const results = await db
      .selectFrom('gap_analysis_result')
      .select(({ fn }) => [fn.sum<number>('supply_count').as('supply'), fn.sum<number>('population').as('population')])
      .where('run_id', '=', runId)
      .executeTakeFirstOrThrow();
    expect(Number(results.supply)).toBe(2);
    expect(Number(results.population)).toBe(eastPlace.population + westPlace.population);
    for (const place of [eastPlace, westPlace]) {
      const holding = await sql<{ population: number; lon: number; lat: number }>`
        select population, ST_X(centroid::geometry) as lon, ST_Y(centroid::geometry) as lat from analysis_unit
        where set_id = ${unitSetId}
          and ST_Intersects(geom, ST_SetSRID(ST_MakePoint(${place.lon}, ${place.lat}), 4326))`.execute(db);
      expect(holding.rows).toEqual([
        { population: place.population, lon: expect.closeTo(place.lon, 9), lat: expect.closeTo(place.lat, 9) },
      ]);
    }
  });

  it('measures the nearest desk across the line, a few kilometres away', async () => {
    const { runId, unitSetId } = await gridRun(serverSlicing);
    const east = await sql<{ nearest: number; within: number }>`
      select r.nearest_distance_m as nearest, r.count_within as within
      from gap_analysis_result r join analysis_unit u on u.id = r.unit_id
      where r.run_id = ${runId} and u.set_id = ${unitSetId} and u.population = ${eastPlace.population}`.execute(
      context.database.db,
    );
    // 0.04° of longitude across 180° at 16.85° S: about 4.26 km (the sphere's length, within its 0.5 % of the ellipsoid's).
    const sphereM = turfDistance([eastPlace.lon, eastPlace.lat], [waiyevoDesk.lon, waiyevoDesk.lat], {
      units: 'meters',
    });
    expect(sphereM).toBeLessThan(4300);
    expect(east.rows).toHaveLength(1);
    expect(Math.abs(east.rows[0]!.nearest - sphereM) / sphereM).toBeLessThan(0.005);
    expect(east.rows[0]!.within).toBe(2);
  });

  it('stores a boundary drawn across 180° as two parts that meet there', async () => {
    const inject = (method: 'GET' | 'PATCH', payload?: object) =>
      context.app.inject({ method, url: '/api/alliances/taveuni', headers: adminHeaders, payload });
    const { version } = (await inject('GET')).json();
    const areaOfBoundary = async () =>
      (
        await sql<{
          areaM2: number;
        }>`select ST_Area(boundary::geography) as "areaM2" from alliance where slug = 'taveuni'`.execute(
          context.database.db,
        )
      ).rows[0]!.areaM2;
    // The fixture's boundary, written split at 180° as RFC 7946 asks.
    const expectedM2 = await areaOfBoundary();
    const across = {
      type: 'Polygon',
      coordinates: [
        [
          [179.7, -17.0],
          [-179.8, -17.0],
          [-179.8, -16.7],
          [179.7, -16.7],
          [179.7, -17.0],
        ],
      ],
    };
    const saved = await inject('PATCH', { version, boundary: across });
    expect(saved.statusCode, saved.body).toBe(200);
    const stored = await sql<{ parts: number; west: number; east: number }>`
      select ST_NumGeometries(boundary) as parts, ST_XMin(boundary) as west, ST_XMax(boundary) as east
      from alliance where slug = 'taveuni'`.execute(context.database.db);
    const { parts, west, east } = stored.rows[0]!;
    const areaM2 = await areaOfBoundary();
    expect({ parts, west, east }).toEqual({ parts: 2, west: -180, east: 180 });
    expect(Math.abs(areaM2 - expectedM2) / expectedM2).toBeLessThan(1e-9);
  });
});
