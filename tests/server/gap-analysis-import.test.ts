import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/src/config.js';
import { databaseModes } from '../support/testDatabase.js';
import { adminHeaders, useTestApp } from '../support/testApp.js';

const fixtureDir = path.join(projectRoot, 'tests/fixtures/gap-analysis');

const square = (west: number, south: number, size = 0.02) => ({
  type: 'Polygon',
  coordinates: [
    [
      [west, south],
      [west + size, south],
      [west + size, south + size],
      [west, south + size],
      [west, south],
    ],
  ],
});

const area = (name: string, population: unknown, geometry: unknown = square(0.45, 45)) => ({
  type: 'Feature',
  properties: { name, population },
  geometry,
});

describe.each(databaseModes())('importing analysis areas (%s database)', (mode) => {
  const context = useTestApp(mode, fixtureDir);
  const importAreas = (
    areas: unknown,
    extra: Record<string, unknown> = {},
    headers: Record<string, string> = adminHeaders,
  ) =>
    context.app.inject({
      method: 'POST',
      url: '/api/alliances/meridian/analysis-units',
      payload: { name: 'Districts', areas, ...extra },
      headers,
    });
  const countStored = async () => {
    const result = await sql<{ sets: number; units: number }>`
      select (select count(*)::int from analysis_unit_set) as sets, (select count(*)::int from analysis_unit) as units`.execute(
      context.database.db,
    );
    return result.rows[0]!;
  };

  it.each([
    ['not a FeatureCollection', { type: 'Feature' }, /must be a GeoJSON FeatureCollection/],
    ['an empty collection', { type: 'FeatureCollection', features: [] }, /has no feature/],
    [
      'a Point among areas',
      { type: 'FeatureCollection', features: [area('A', 10), area('P', 5, { type: 'Point', coordinates: [0.5, 45] })] },
      /Feature 1: its geometry is a Point; only Polygon and MultiPolygon areas can be imported\./,
    ],
    [
      'projected coordinates (Lambert-93)',
      { type: 'FeatureCollection', features: [area('L', 10, square(417000, 6420000, 1000))] },
      /Feature 0: the coordinate \(417000, 6420000\) is not a longitude\/latitude: the file seems to use a projected coordinate system.*WGS84/,
    ],
    [
      'a declared projected CRS',
      {
        type: 'FeatureCollection',
        crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::2154' } },
        features: [area('A', 10)],
      },
      /EPSG::2154.*reproject them to WGS84/,
    ],
    [
      'a missing population',
      { type: 'FeatureCollection', features: [area('A', 10), area('B', undefined)] },
      /Feature 1: the property "population" \(population\) is missing\./,
    ],
    [
      'a negative population',
      { type: 'FeatureCollection', features: [area('A', -3)] },
      /Feature 0: the property "population" must not be negative \(-3\)\./,
    ],
    [
      'an unclosed ring',
      {
        type: 'FeatureCollection',
        features: [
          area('A', 1, {
            type: 'Polygon',
            coordinates: [
              [
                [0.4, 45],
                [0.5, 45],
                [0.5, 45.1],
                [0.4, 45.1],
              ],
            ],
          }),
        ],
      },
      /Feature 0: a ring is not closed/,
    ],
    [
      'too many features',
      { type: 'FeatureCollection', features: Array.from({ length: 5001 }, (_, index) => area(`A${index}`, 1)) },
      /has 5001 features; at most 5000/,
    ],
  ])('refuses %s with a sentence, and stores nothing', async (_case, areas, message) => {
    const before = await countStored();
    const response = await importAreas(areas);
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(message);
    expect(await countStored()).toEqual(before);
  });

  it('lists every problem with its feature, not only the first', async () => {
    const response = await importAreas({
      type: 'FeatureCollection',
      features: [area('', 1), area('B', 'many'), area('C', 3)],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().problems).toEqual([
      {
        feature: 0,
        code: 'areas.feature-name-length',
        params: { feature: 0, property: 'name' },
        message: 'Feature 0: the property "name" must be a name of 1 to 300 characters.',
      },
      {
        feature: 1,
        code: 'areas.feature-population-not-number',
        params: { feature: 1, property: 'population', value: '"many"' },
        message: 'Feature 1: the property "population" must be a number, not "many".',
      },
    ]);
  });

  it('repairs a self-intersecting polygon, says so, and reads configurable property names', async () => {
    const bowTie = {
      type: 'Polygon',
      coordinates: [
        [
          [0.45, 45],
          [0.55, 45.1],
          [0.55, 45],
          [0.45, 45.1],
          [0.45, 45],
        ],
      ],
    };
    const response = await importAreas(
      {
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: { NOM: 'Sound', POP: 100 }, geometry: square(0.45, 45.15) },
          { type: 'Feature', properties: { NOM: 'Bow tie', POP: '250' }, geometry: bowTie },
        ],
      },
      { nameProperty: 'NOM', populationProperty: 'POP' },
    );
    expect(response.statusCode, response.body).toBe(201);
    const { unitSet, report } = response.json();
    expect(unitSet).toMatchObject({ unitCount: 2, totalPopulation: 350 });
    expect(report.repaired).toEqual([
      { feature: 1, name: 'Bow tie', problem: expect.stringMatching(/Self-intersection/) },
    ]);
    const repaired = await sql<{ valid: boolean; type: string }>`
      select ST_IsValid(geom) as valid, GeometryType(geom) as type from analysis_unit
      where set_id = ${unitSet.id} and name = 'Bow tie'`.execute(context.database.db);
    expect(repaired.rows[0]).toEqual({ valid: true, type: 'MULTIPOLYGON' });
  });

  it('needs the admin token and a known alliance', async () => {
    const collection = { type: 'FeatureCollection', features: [area('A', 1)] };
    expect((await importAreas(collection, {}, {})).statusCode).toBe(401);
    const unknown = await context.app.inject({
      method: 'POST',
      url: '/api/alliances/nowhere/analysis-units',
      payload: { name: 'X', areas: collection },
      headers: adminHeaders,
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('refuses an H3 resolution that would make too many hexagons for the region, naming one that fits', async () => {
    const response = await context.app.inject({
      method: 'POST',
      url: '/api/alliances/wide/gap-analyses',
      payload: { units: { kind: 'h3', resolution: 8 } },
      headers: adminHeaders,
    });
    expect(response.statusCode).toBe(400);
    // 3° × 3° at 45° N, about 78,600 km²: h3-js lists 114,482 cells at resolution 8 and 16,542 at 7.
    expect(response.json().message).toMatch(
      /^A resolution-8 grid over this region would have about 1[12]0,000 areas; the limit is 20,000\. Resolution 7 fits \(about 1[5-7],000 areas\)\.$/,
    );
  });
});
