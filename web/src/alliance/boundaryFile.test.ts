import { beforeAll, describe, expect, it } from 'vitest';
import { pageLanguage } from '../i18n/pageLanguage.svelte';
import {
  MAX_BOUNDARY_FILE_BYTES,
  asMultiPolygon,
  boundaryFileProblem,
  boundaryFromGeoJson,
  boundaryFromText,
  pointCount,
  polygonFromPoints,
} from './boundaryFile';

const square = [
  [
    [4.8, 52.3],
    [5.0, 52.3],
    [5.0, 52.45],
    [4.8, 52.45],
    [4.8, 52.3],
  ],
];
const triangle = [
  [
    [-0.6, 44.8],
    [-0.5, 44.8],
    [-0.55, 44.9],
    [-0.6, 44.8],
  ],
];

beforeAll(async () => {
  await pageLanguage.use('en');
});

describe('reading a boundary file', () => {
  it('takes a bare Polygon as a MultiPolygon of one part', () => {
    expect(boundaryFromGeoJson({ type: 'Polygon', coordinates: square })).toEqual({
      boundary: { type: 'MultiPolygon', coordinates: [square] },
      error: null,
    });
  });

  it('merges the polygons of a FeatureCollection, MultiPolygons included, into one MultiPolygon', () => {
    const reading = boundaryFromText(
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: { name: 'North' }, geometry: { type: 'Polygon', coordinates: square } },
          { type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: [triangle] } },
        ],
      }),
    );
    expect(reading.boundary?.coordinates).toEqual([square, triangle]);
  });

  it('takes a single Feature and leaves out the points and lines beside the polygons', () => {
    const reading = boundaryFromGeoJson({
      type: 'GeometryCollection',
      geometries: [
        { type: 'Point', coordinates: [4.9, 52.37] },
        {
          type: 'LineString',
          coordinates: [
            [4.8, 52.3],
            [5, 52.4],
          ],
        },
        { type: 'Polygon', coordinates: square },
      ],
    });
    expect(reading.boundary?.coordinates).toEqual([square]);
    expect(
      boundaryFromGeoJson({ type: 'Feature', properties: null, geometry: { type: 'Polygon', coordinates: square } }),
    ).toEqual({ boundary: { type: 'MultiPolygon', coordinates: [square] }, error: null });
  });

  it('closes a ring whose last point does not repeat its first, and rounds to six decimals', () => {
    const reading = boundaryFromGeoJson({
      type: 'Polygon',
      coordinates: [
        [
          [1.123456789, 2],
          [3, 2],
          [3, 4],
          [1.123456789, 4],
        ],
      ],
    });
    expect(reading.boundary?.coordinates[0]?.[0]).toEqual([
      [1.123457, 2],
      [3, 2],
      [3, 4],
      [1.123457, 4],
      [1.123457, 2],
    ]);
  });

  it('says when the file is not JSON', () => {
    expect(boundaryFromText('{"type": "FeatureCollection", "features": [').error).toMatch(/not JSON/);
    expect(boundaryFromText('<kml></kml>').error).toMatch(/not JSON/);
  });

  it('says when the JSON is not GeoJSON', () => {
    expect(boundaryFromText('{"name": "Bordeaux"}').error).toMatch(/JSON but not GeoJSON/);
    expect(boundaryFromText('[1, 2, 3]').error).toMatch(/JSON but not GeoJSON/);
    expect(boundaryFromText('"Polygon"').error).toMatch(/JSON but not GeoJSON/);
  });

  it('says when the GeoJSON holds no polygon', () => {
    expect(boundaryFromText('{"type": "Point", "coordinates": [4.9, 52.37]}').error).toMatch(/no polygon/);
    expect(boundaryFromText('{"type": "FeatureCollection", "features": []}').error).toMatch(/no polygon/);
  });

  it('says when a polygon is broken or not in longitude and latitude', () => {
    expect(
      boundaryFromGeoJson({
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 1],
            [0, 0],
          ],
        ],
      }).error,
    ).toMatch(/fewer than 4 points/);
    expect(
      boundaryFromGeoJson({
        type: 'Polygon',
        coordinates: [
          [
            ['a', 0],
            [1, 1],
            [1, 0],
            ['a', 0],
          ],
        ],
      }).error,
    ).toMatch(/not \[longitude, latitude\] pairs/);
    expect(
      boundaryFromGeoJson({
        type: 'Polygon',
        coordinates: [
          [
            [417000, 6422000],
            [418000, 6422000],
            [418000, 6423000],
            [417000, 6422000],
          ],
        ],
      }).error,
    ).toMatch(/EPSG:4326/);
  });

  it('refuses an outline too detailed to send', () => {
    const ring = Array.from({ length: 60_000 }, (_, index) => [
      Math.cos((index / 60_000) * 2 * Math.PI) + 0.123456,
      Math.sin((index / 60_000) * 2 * Math.PI) + 45.123456,
    ]);
    ring.push(ring[0]!);
    expect(boundaryFromGeoJson({ type: 'Polygon', coordinates: [ring] }).error).toMatch(/too many points.*Simplify/);
  });

  it('refuses an empty or too large file before reading it', () => {
    expect(boundaryFileProblem({ name: 'region.geojson', size: 0 })).toMatch(/empty/);
    expect(boundaryFileProblem({ name: 'region.geojson', size: MAX_BOUNDARY_FILE_BYTES + 1 })).toMatch(
      /“region.geojson” is 5\.0 MB; the limit is 5 MB/,
    );
    expect(boundaryFileProblem({ name: 'region.geojson', size: 2048 })).toBeNull();
  });
});

describe('a boundary drawn point by point', () => {
  it('needs 3 points, and closes the ring on the first', () => {
    expect(
      polygonFromPoints([
        [0, 0],
        [1, 0],
      ]),
    ).toBeNull();
    const polygon = polygonFromPoints([
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
    ]);
    expect(polygon).toEqual({
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
          [0, 0],
        ],
      ],
    });
    expect(pointCount(asMultiPolygon(polygon!))).toBe(5);
  });
});
