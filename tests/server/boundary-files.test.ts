import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/src/config.js';
import { multipart } from '../support/importRecords.js';
import {
  type DbfField,
  polygonShapefile,
  prjFiles,
  type ShapefileRecord,
  zipLayer,
} from '../support/shapefileWriter.js';
import { adminHeaders, useTestApp } from '../support/testApp.js';
import { databaseModes } from '../support/testDatabase.js';

const fixtureDir = path.join(projectRoot, 'tests/fixtures/gap-analysis');

const fields: DbfField[] = [
  { name: 'NOM', type: 'C', length: 40 },
  { name: 'POP', type: 'C', length: 12 },
];

/** A projected rectangle, clockwise as Shapefile outer rings are: west-south, west-north, east-north, east-south. */
const rectangle = (west: number, south: number, east: number, north: number) => [
  [west, south],
  [west, north],
  [east, north],
  [east, south],
  [west, south],
];

/** Two communes in Lambert-93 on the 0.5° E meridian, at 45° N, as a zipped Shapefile. */
function lambert93Areas(populations: [string, string], prj: string | null = prjFiles.lambert93): Buffer {
  const records: ShapefileRecord[] = [
    { rings: [rectangle(500000, 6437000, 504000, 6441000)], attributes: { NOM: 'Saint-Méard', POP: populations[0] } },
    { rings: [rectangle(504000, 6437000, 508000, 6441000)], attributes: { NOM: 'Échourgnac', POP: populations[1] } },
  ];
  const files = polygonShapefile(fields, records);
  return zipLayer('communes', prj === null ? files : { ...files, prj, cpg: 'UTF-8' });
}

describe.each(databaseModes())('boundary and area files (%s database)', (mode) => {
  const context = useTestApp(mode, fixtureDir);

  const importFile = (content: Buffer, fileName = 'communes.zip', formFields: Record<string, string> = {}) => {
    const body = multipart([{ name: fileName, content }], {
      name: 'Communes',
      nameProperty: 'NOM',
      populationProperty: 'POP',
      ...formFields,
    });
    return context.app.inject({
      method: 'POST',
      url: '/api/alliances/meridian/analysis-units/file',
      payload: body.payload,
      headers: { ...adminHeaders, ...body.headers },
    });
  };
  const readBoundary = (content: Buffer, fileName: string, headers: Record<string, string> = adminHeaders) => {
    const body = multipart([{ name: fileName, content }]);
    return context.app.inject({
      method: 'POST',
      url: '/api/boundary-files',
      payload: body.payload,
      headers: { ...headers, ...body.headers },
    });
  };
  const storedUnits = async () =>
    (await sql<{ units: number }>`select count(*)::int as units from analysis_unit`.execute(context.database.db))
      .rows[0]!.units;

  it('imports a zipped Shapefile in Lambert-93 as areas in WGS84', async () => {
    const response = await importFile(lambert93Areas(['1200', '450']));
    expect(response.statusCode, response.body).toBe(201);
    const { unitSet } = response.json();
    expect(unitSet).toMatchObject({ name: 'Communes', unitCount: 2, totalPopulation: 1650 });
    const corner = await sql<{ lon: number; lat: number }>`
      select ST_X(p) as lon, ST_Y(p) as lat from (
        select ST_PointN(ST_ExteriorRing(ST_GeometryN(geom, 1)), 1) as p from analysis_unit
        where set_id = ${unitSet.id} and name = 'Saint-Méard') as first_point`.execute(context.database.db);
    // PROJ 9: cs2cs EPSG:2154 EPSG:4326 gives 45.003292618 N, 0.461322289 E for (500000, 6437000).
    expect(corner.rows[0]!.lon).toBeCloseTo(0.461322289, 7);
    expect(corner.rows[0]!.lat).toBeCloseTo(45.003292618, 7);
  });

  it('imports nothing from a file with one bad row, and names the row', async () => {
    const before = await storedUnits();
    const response = await importFile(lambert93Areas(['1200', 'beaucoup']));
    expect(response.statusCode).toBe(400);
    expect(response.json().problems).toEqual([
      {
        feature: 1,
        code: 'areas.feature-population-not-number',
        params: { feature: 1, property: 'POP', value: '"beaucoup"' },
        message: 'Feature 1: the property "POP" must be a number, not "beaucoup".',
      },
    ]);
    expect(await storedUnits()).toBe(before);
  });

  it.each([
    [
      'an unknown coordinate system',
      () => lambert93Areas(['1', '2'], prjFiles.utm10n),
      /communes\.prj gives the coordinate system “NAD83 \/ UTM zone 10N” \(EPSG:26910\), which this import does not know/,
    ],
    ['a missing .prj', () => lambert93Areas(['1', '2'], null), /not communes\.prj, so the coordinate system/],
    ['a zip without .shp', () => zipLayer('readme', { txt: 'areas' }), /holds no \.shp file \(it holds readme\.txt\)/],
    ['a broken zip', () => lambert93Areas(['1', '2']).subarray(0, 200), /is not a zip file that can be opened/],
    ['a file of another format', () => Buffer.from('%PDF-1.7\n'), /is neither GeoJSON, a zip nor a GeoPackage/],
  ])('refuses %s with a sentence, and stores nothing', async (_case, file, message) => {
    const before = await storedUnits();
    const response = await importFile(file());
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(message);
    expect(await storedUnits()).toBe(before);
  });

  it('imports GeoJSON sent as a file, as the JSON import does', async () => {
    const collection = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { NOM: 'A', POP: 10 },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [0.45, 45],
                [0.47, 45],
                [0.47, 45.02],
                [0.45, 45.02],
                [0.45, 45],
              ],
            ],
          },
        },
      ],
    };
    const response = await importFile(Buffer.from(JSON.stringify(collection)), 'areas.geojson');
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().unitSet).toMatchObject({ unitCount: 1, totalPopulation: 10 });
  });

  it('needs a name for the set, and a file no larger than 5 MiB', async () => {
    const unnamed = await importFile(lambert93Areas(['1', '2']), 'communes.zip', { name: ' ' });
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.json().message).toMatch(/Give the set of areas a name/);
    const large = await importFile(Buffer.alloc(5 * 1024 * 1024 + 1, 0x20), 'large.geojson');
    expect(large.statusCode).toBe(413);
    expect(large.json().message).toMatch(/the limit is 5 MiB/);
  });

  it('reads a boundary in RD New as a WGS84 MultiPolygon, which the alliance then saves', async () => {
    const files = polygonShapefile(fields, [{ rings: [rectangle(130000, 450000, 140000, 460000)], attributes: {} }]);
    const response = await readBoundary(zipLayer('provincie', { ...files, prj: prjFiles.rdNew }), 'provincie.zip');
    expect(response.statusCode, response.body).toBe(200);
    const { boundary, format, coordinateSystem } = response.json();
    expect(format).toBe('shapefile');
    expect(coordinateSystem).toBe('Amersfoort / RD New (EPSG:28992)');
    // PROJ 9: cs2cs EPSG:28992 EPSG:4326 for (130000, 450000), (130000, 460000), (140000, 460000), (140000, 450000).
    expect(boundary.coordinates).toEqual([
      [
        [
          [5.0228457, 52.0377649],
          [5.022113, 52.1276437],
          [5.1681478, 52.1280053],
          [5.1685873, 52.0381255],
          [5.0228457, 52.0377649],
        ],
      ],
    ]);
    const settings = (
      await context.app.inject({ method: 'GET', url: '/api/alliances/meridian', headers: adminHeaders })
    ).json();
    const saved = await context.app.inject({
      method: 'PATCH',
      url: '/api/alliances/meridian',
      headers: adminHeaders,
      payload: { version: settings.version, boundary },
    });
    expect(saved.statusCode, saved.body).toBe(200);
  });

  it('refuses a boundary file without polygons, a projected GeoJSON, and anyone not signed in', async () => {
    const points = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [5, 52] } }],
    };
    const noPolygon = await readBoundary(Buffer.from(JSON.stringify(points)), 'points.geojson');
    expect(noPolygon.statusCode).toBe(400);
    expect(noPolygon.json().message).toMatch(/^points\.geojson: The file holds no polygon/);
    const projected = { ...points, crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::2154' } } };
    const refused = await readBoundary(Buffer.from(JSON.stringify(projected)), 'region.geojson');
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toMatch(/uses the coordinate system "urn:ogc:def:crs:EPSG::2154"/);
    expect((await readBoundary(Buffer.from('{}'), 'region.geojson', {})).statusCode).toBe(401);
  });
});
