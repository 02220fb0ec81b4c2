import path from 'node:path';
import type { Polygon } from 'geojson';
import { cellToBoundary, gridDisk, latLngToCell } from 'h3-js';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/src/config.js';
import { GeoFileError } from '../../server/src/domain/geo-files/geoFileError.js';
import { readGeoFile } from '../../server/src/domain/geo-files/readGeoFile.js';
import {
  type GeoPackageFeatureLayer,
  geoPackage,
  gpkgSystems,
  type PolygonRings,
} from '../support/geoPackageWriter.js';
import { multipart } from '../support/importRecords.js';
import { adminHeaders, useTestApp } from '../support/testApp.js';
import { databaseModes } from '../support/testDatabase.js';

const fixtureDir = path.join(projectRoot, 'tests/fixtures/gap-analysis');

const rectangle = (west: number, south: number, east: number, north: number): PolygonRings => [
  [
    [west, south],
    [west, north],
    [east, north],
    [east, south],
    [west, south],
  ],
];

/** Two communes in Lambert-93 on the 0.5° E meridian at 45° N (as the Shapefile tests), with their populations. */
const communes = (populations: [number | string, number | string] = [1200, 450]): GeoPackageFeatureLayer => ({
  table: 'communes',
  system: gpkgSystems.lambert93,
  columns: { nom: 'TEXT', population: 'INTEGER' },
  features: [
    {
      polygons: [rectangle(500000, 6437000, 504000, 6441000)],
      attributes: { nom: 'Saint-Méard', population: populations[0] },
    },
    {
      polygons: [rectangle(504000, 6437000, 508000, 6441000)],
      attributes: { nom: 'Échourgnac', population: populations[1] },
    },
  ],
});

const squares: GeoPackageFeatureLayer = {
  table: 'squares',
  system: gpkgSystems.wgs84,
  columns: { name: 'TEXT' },
  features: [
    { polygons: [rectangle(0.4, 44.9, 0.6, 45.1), rectangle(0.7, 44.9, 0.8, 45.0)], attributes: { name: 'Two' } },
  ],
};

/** Spherical ("web") Mercator, EPSG:3857, forward. */
const earthRadius = 6378137;
const mercator = ([lon, lat]: number[]) => [
  (earthRadius * lon! * Math.PI) / 180,
  earthRadius * Math.log(Math.tan(Math.PI / 4 + (lat! * Math.PI) / 360)),
];

/** Seven resolution-8 H3 cells at Bordeaux, as Kontur publishes its population: h3 index, population, EPSG:3857. */
const bordeauxCells = gridDisk(latLngToCell(44.84, -0.58, 8), 1).sort();
const kontur: GeoPackageFeatureLayer = {
  table: 'population',
  system: gpkgSystems.pseudoMercator,
  columns: { h3: 'TEXT', population: 'REAL' },
  features: bordeauxCells.map((cell, index) => ({
    polygons: [[cellToBoundary(cell, true).map(mercator)]],
    attributes: { h3: cell, population: 100 * (index + 1) },
  })),
};

describe('reading GeoPackages', () => {
  it('reads the first feature layer in Lambert-93 and gives its corners in WGS84 to the centimetre', async () => {
    const reading = await readGeoFile(new Uint8Array(await geoPackage([communes(), squares])), 'communes.gpkg');
    if (reading.format !== 'geopackage') throw new Error('expected a GeoPackage');
    expect(reading.layer).toBe('communes');
    expect(reading.coordinateSystem.epsg).toBe(2154);
    const [first] = reading.geojson.features;
    expect(first!.properties).toEqual({ fid: 1, nom: 'Saint-Méard', population: 1200 });
    // PROJ 9: cs2cs EPSG:2154 EPSG:4326 gives 45.003292618 N, 0.461322289 E for (500000, 6437000).
    const [lon, lat] = (first!.geometry as Polygon).coordinates[0]![0]!;
    expect(lon).toBeCloseTo(0.461322289, 7);
    expect(lat).toBeCloseTo(45.003292618, 7);
  });

  it('reads the layer chosen by name, a MultiPolygon in WGS84 as written', async () => {
    const reading = await readGeoFile(new Uint8Array(await geoPackage([communes(), squares])), 'a.gpkg', {
      layer: 'squares',
    });
    expect(reading.format).toBe('geopackage');
    const geometry = (reading.geojson as { features: { geometry: unknown }[] }).features[0]!.geometry;
    expect(geometry).toEqual({
      type: 'MultiPolygon',
      coordinates: [squares.features[0]!.polygons[0], squares.features[0]!.polygons[1]],
    });
  });

  it('reads a Kontur-like layer of H3 cells in Pseudo-Mercator back onto the cells', async () => {
    const reading = await readGeoFile(new Uint8Array(await geoPackage([kontur])), 'kontur.gpkg');
    if (reading.format !== 'geopackage') throw new Error('expected a GeoPackage');
    expect(reading.coordinateSystem.epsg).toBe(3857);
    expect(reading.geojson.features).toHaveLength(7);
    reading.geojson.features.forEach((feature, index) => {
      const cell = bordeauxCells[index]!;
      expect(feature.properties).toMatchObject({ h3: cell, population: 100 * (index + 1) });
      const ring = (feature.geometry as Polygon).coordinates[0]!;
      cellToBoundary(cell, true).forEach(([lon, lat], corner) => {
        expect(Math.abs(ring[corner]![0]! - lon!)).toBeLessThan(1e-9);
        expect(Math.abs(ring[corner]![1]! - lat!)).toBeLessThan(1e-9);
      });
    });
  });

  it.each([
    ['an SQLite database that is not a GeoPackage', () => plainSqlite(), /is an SQLite database but not a GeoPackage/],
    [
      'a GeoPackage without feature table',
      () => geoPackage([], { attributeTables: ['notes'] }),
      /without any feature table/,
    ],
    [
      'an unknown coordinate system',
      () => geoPackage([{ ...communes(), system: gpkgSystems.utm10n }]),
      /“NAD83 \/ UTM zone 10N” \(EPSG:26910\), which this import does not know/,
    ],
  ])('refuses %s with a sentence', async (_case, file, message) => {
    const reading = readGeoFile(new Uint8Array(await file()), 'areas.gpkg');
    await expect(reading).rejects.toThrow(GeoFileError);
    await expect(reading).rejects.toThrow(message);
  });

  it('names the layers when the one asked for is not there', async () => {
    const reading = readGeoFile(new Uint8Array(await geoPackage([communes(), squares])), 'a.gpkg', { layer: 'roads' });
    await expect(reading).rejects.toThrow('a.gpkg has no layer named “roads”; its layers are: communes, squares.');
  });
});

async function plainSqlite(): Promise<Buffer> {
  const { default: initSqlJs } = await import('sql.js');
  const db = new (await initSqlJs()).Database();
  db.run('create table towns (name text)');
  const bytes = Buffer.from(db.export());
  db.close();
  return bytes;
}

describe.each(databaseModes())('GeoPackage uploads (%s database)', (mode) => {
  const context = useTestApp(mode, fixtureDir);

  const upload = (url: string, content: Buffer, formFields: Record<string, string> = {}) => {
    const body = multipart([{ name: 'areas.gpkg', content }], formFields);
    return context.app.inject({
      method: 'POST',
      url,
      payload: body.payload,
      headers: { ...adminHeaders, ...body.headers },
    });
  };
  const storedUnits = async () =>
    (await sql<{ units: number }>`select count(*)::int as units from analysis_unit`.execute(context.database.db))
      .rows[0]!.units;

  it('imports a Kontur-like H3 population layer as analysis areas', async () => {
    const response = await upload('/api/alliances/meridian/analysis-units/file', await geoPackage([kontur]), {
      name: 'Kontur H3',
      nameProperty: 'h3',
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().unitSet).toMatchObject({ name: 'Kontur H3', unitCount: 7, totalPopulation: 2800 });
  });

  it('imports the chosen layer in Lambert-93', async () => {
    const response = await upload(
      '/api/alliances/meridian/analysis-units/file',
      await geoPackage([squares, communes()]),
      {
        name: 'Communes',
        nameProperty: 'nom',
        layer: 'communes',
      },
    );
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().unitSet).toMatchObject({ unitCount: 2, totalPopulation: 1650 });
  });

  it('imports nothing from a layer with one bad row, and names the row', async () => {
    const before = await storedUnits();
    const response = await upload(
      '/api/alliances/meridian/analysis-units/file',
      await geoPackage([communes([1200, 'beaucoup'])]),
      {
        name: 'Communes',
        nameProperty: 'nom',
      },
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().problems).toEqual([
      {
        feature: 1,
        code: 'areas.feature-population-not-number',
        params: { feature: 1, property: 'population', value: '"beaucoup"' },
        message: 'Feature 1: the property "population" must be a number, not "beaucoup".',
      },
    ]);
    expect(await storedUnits()).toBe(before);
  });

  it('refuses an SQLite file that is not a GeoPackage with 400, and stores nothing', async () => {
    const before = await storedUnits();
    const response = await upload('/api/alliances/meridian/analysis-units/file', await plainSqlite(), { name: 'X' });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/areas\.gpkg is an SQLite database but not a GeoPackage/);
    expect(await storedUnits()).toBe(before);
  });

  it('reads a region boundary from a GeoPackage in Lambert-93', async () => {
    const response = await upload('/api/boundary-files', await geoPackage([communes()]));
    expect(response.statusCode, response.body).toBe(200);
    const read = response.json();
    expect(read).toMatchObject({ format: 'geopackage', coordinateSystem: 'RGF93 / Lambert-93 (EPSG:2154)' });
    expect(read.boundary.type).toBe('MultiPolygon');
    expect(read.boundary.coordinates).toHaveLength(2);
    expect(read.boundary.coordinates[0][0][0][0]).toBeCloseTo(0.461322289, 7);
  });
});
