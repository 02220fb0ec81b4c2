import type { FeatureCollection, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { coordinateSystemOfWkt } from '../../server/src/domain/geo-files/coordinateSystems.js';
import { GeoFileError } from '../../server/src/domain/geo-files/geoFileError.js';
import { readGeoFile } from '../../server/src/domain/geo-files/readGeoFile.js';
import { type DbfField, polygonShapefile, prjFiles, zipLayer } from '../support/shapefileWriter.js';

const fields: DbfField[] = [
  { name: 'NOM', type: 'C', length: 40 },
  { name: 'POPULATION', type: 'N', length: 10 },
];

/** A projected square given by its corners in the order west-south, west-north, east-north, east-south. */
const squareRing = (west: number, south: number, east: number, north: number) => [
  [west, south],
  [west, north],
  [east, north],
  [east, south],
  [west, south],
];

/** About 1 cm at these latitudes. */
const centimetreDegrees = 1e-7;

function expectCorners(actual: number[][], expected: number[][], tolerance = centimetreDegrees) {
  expect(actual).toHaveLength(expected.length);
  actual.forEach(([lon, lat], index) => {
    expect(Math.abs(lon! - expected[index]![0]!), `longitude of point ${index}`).toBeLessThan(tolerance);
    expect(Math.abs(lat! - expected[index]![1]!), `latitude of point ${index}`).toBeLessThan(tolerance);
  });
}

async function readZip(zip: Buffer, name = 'layer.zip') {
  const reading = await readGeoFile(new Uint8Array(zip), name);
  if (reading.format !== 'shapefile') throw new Error('expected a Shapefile');
  return reading;
}

describe('reading boundary and area files', () => {
  it('reads a zipped Shapefile of Gironde in Lambert-93 and gives its corners in WGS84 to the centimetre', async () => {
    const files = polygonShapefile(fields, [
      {
        rings: [squareRing(410000, 6410000, 430000, 6430000)],
        attributes: { NOM: 'Bordeaux–Mérignac', POPULATION: 412000 },
      },
    ]);
    const reading = await readZip(zipLayer('communes', { ...files, prj: prjFiles.lambert93, cpg: 'UTF-8' }));
    expect(reading.coordinateSystem.epsg).toBe(2154);
    expect(reading.layer).toBe('communes');
    const [feature] = reading.geojson.features;
    expect(feature!.properties).toEqual({ NOM: 'Bordeaux–Mérignac', POPULATION: 412000 });
    expect(feature!.geometry.type).toBe('Polygon');
    // PROJ 9 (cs2cs EPSG:2154 EPSG:4326), written as [longitude, latitude].
    expectCorners((feature!.geometry as Polygon).coordinates[0]!, [
      [-0.663801066, 44.728565553],
      [-0.67555419, 44.908435981],
      [-0.422396758, 44.916526544],
      [-0.411451048, 44.736629779],
      [-0.663801066, 44.728565553],
    ]);
  });

  it('reads a Dutch polygon in RD New with the datum shift of EPSG, to the centimetre', async () => {
    const files = polygonShapefile(fields, [
      { rings: [squareRing(130000, 450000, 140000, 460000)], attributes: { NOM: 'Utrecht', POPULATION: 361000 } },
    ]);
    const reading = await readZip(zipLayer('gemeenten', { ...files, prj: prjFiles.rdNew }));
    expect(reading.coordinateSystem.epsg).toBe(28992);
    // PROJ 9 (cs2cs EPSG:28992 EPSG:4326, the Helmert transformation Amersfoort to WGS 84 (3)).
    expectCorners((reading.geojson.features[0]!.geometry as Polygon).coordinates[0]!, [
      [5.022845678, 52.037764874],
      [5.022113014, 52.12764374],
      [5.168147811, 52.12800528],
      [5.168587286, 52.038125474],
      [5.022845678, 52.037764874],
    ]);
  });

  it.each([
    ['IRENET95_Irish_Transverse_Mercator', 2157, [715830, 734697], [-6.260247773, 53.349793912]],
    ['SWEREF99_TM', 3006, [674000, 6580000], [18.057965337, 59.322873218]],
    ['ETRS89-extended / LAEA Europe', 3035, [3500000, 2700000], [-0.80332795, 46.87396994]],
  ])('knows %s (EPSG:%i) by its name, and reprojects it as PROJ does', async (name, epsg, [x, y], lonLat) => {
    const files = polygonShapefile(fields, [
      { rings: [squareRing(x!, y!, x! + 100, y! + 100)], attributes: { NOM: 'A', POPULATION: 1 } },
    ]);
    const reading = await readZip(
      zipLayer('areas', { ...files, prj: `PROJCS["${name}",GEOGCS["GRS80"],UNIT["Meter",1.0]]` }),
    );
    expect(reading.coordinateSystem.epsg).toBe(epsg);
    expectCorners([(reading.geojson.features[0]!.geometry as Polygon).coordinates[0]![0]!], [lonLat]);
  });

  it('reads the .prj by its EPSG code when it gives one, whatever the name', () => {
    expect(coordinateSystemOfWkt('GEOGCS["some name",DATUM["x"],AUTHORITY["EPSG","4326"]]', 'a.prj').epsg).toBe(4326);
  });

  it('refuses an unknown coordinate system, naming it and the ones it could read', async () => {
    const files = polygonShapefile(fields, [{ rings: [squareRing(0, 0, 10, 10)], attributes: {} }]);
    await expect(readZip(zipLayer('bay', { ...files, prj: prjFiles.utm10n }))).rejects.toThrow(
      /bay\.prj gives the coordinate system “NAD83 \/ UTM zone 10N” \(EPSG:26910\), which this import does not know\. Export the file again in one of: WGS 84 \(EPSG:4326\).*RGF93 \/ Lambert-93 \(EPSG:2154\)/,
    );
  });

  it.each([
    [
      'a zip without .shp',
      () => zipLayer('notes', { txt: 'hello' }),
      /layer\.zip holds no \.shp file \(it holds notes\.txt\)/,
    ],
    [
      'a Shapefile without .prj',
      () => zipLayer('areas', polygonShapefile(fields, [{ rings: [squareRing(0, 0, 1, 1)], attributes: {} }])),
      /has areas\.shp but not areas\.prj, so the coordinate system of its points is unknown/,
    ],
    [
      'a Shapefile without .dbf',
      () => {
        const { shp, shx } = polygonShapefile(fields, [{ rings: [squareRing(0, 0, 1, 1)], attributes: {} }]);
        return zipLayer('areas', { shp, shx, prj: prjFiles.lambert93 });
      },
      /has areas\.shp but not areas\.dbf/,
    ],
    [
      'a damaged .shp',
      () => {
        const files = polygonShapefile(fields, [{ rings: [squareRing(0, 0, 1, 1)], attributes: {} }]);
        return zipLayer('areas', { ...files, shp: files.shp.subarray(0, 130), prj: prjFiles.lambert93 });
      },
      /areas\.shp is damaged: it is shorter than its header says/,
    ],
    [
      'a truncated zip',
      () => zipLayer('areas', { txt: 'x'.repeat(200) }).subarray(0, 40),
      /is not a zip file that can be opened/,
    ],
    [
      'a damaged SQLite file',
      () => Buffer.from('SQLite format 3\0 and more'),
      /starts like an SQLite database but cannot be opened/,
    ],
    ['a spreadsheet', () => Buffer.from('name;population\nA;3\n'), /is neither GeoJSON, a zip nor a GeoPackage/],
    ['broken JSON', () => Buffer.from('{"type": "FeatureCollection", "features": ['), /cannot be read as JSON/],
  ])('refuses %s with a sentence', async (_case, file, message) => {
    await expect(readGeoFile(new Uint8Array(file()), 'layer.zip')).rejects.toThrow(GeoFileError);
    await expect(readGeoFile(new Uint8Array(file()), 'layer.zip')).rejects.toThrow(message);
  });

  it('passes GeoJSON through as sent, for the callers’ checks', async () => {
    const collection: FeatureCollection = { type: 'FeatureCollection', features: [] };
    const reading = await readGeoFile(
      new TextEncoder().encode(`\uFEFF ${JSON.stringify(collection)}`),
      'areas.geojson',
    );
    expect(reading).toEqual({ format: 'geojson', geojson: collection });
  });
});
