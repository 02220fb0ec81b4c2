import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CountryLayers, lowZoomCountries } from '../../server/src/domain/basemap/countryLayers.js';
import { useTestApp } from '../support/testApp.js';
import { databaseModes } from '../support/testDatabase.js';

interface Collection {
  type: 'FeatureCollection';
  features: {
    type: 'Feature';
    properties: { name: string };
    geometry: { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };
  }[];
}

const polygonsOf = (feature: Collection['features'][number]) =>
  feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
const pointCount = (collection: Collection) =>
  collection.features.reduce(
    (sum, feature) => sum + polygonsOf(feature).reduce((rings, polygon) => rings + polygon.flat().length, 0),
    0,
  );

describe('the low-zoom countries', () => {
  it('keeps a country’s outline within the tolerance and leaves out a speck of an island', () => {
    // A 10° square whose sides wobble by 0.01°, and an island of 0.01 square degree.
    const wobbly: number[][] = [];
    for (let i = 0; i <= 100; i++) wobbly.push([i / 10, i % 2 ? 0.01 : 0]);
    for (let i = 1; i <= 100; i++) wobbly.push([10, i / 10]);
    for (let i = 99; i >= 0; i--) wobbly.push([i / 10, 10]);
    for (let i = 99; i >= 0; i--) wobbly.push([0, i / 10]);
    const islet = [
      [20, 20],
      [20.1, 20],
      [20.1, 20.1],
      [20, 20.1],
      [20, 20],
    ];
    const low = lowZoomCountries({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { name: 'Squareland' },
          geometry: {
            type: 'MultiPolygon',
            coordinates: [[wobbly as [number, number][]], [islet as [number, number][]]],
          },
        },
        {
          type: 'Feature',
          properties: { name: 'Isletland' },
          geometry: { type: 'Polygon', coordinates: [islet as [number, number][]] },
        },
      ],
    });
    expect(low.features.map((feature) => feature.properties?.name)).toEqual(['Squareland']);
    const geometry = low.features[0]!.geometry;
    expect(geometry.type).toBe('Polygon');
    const ring = geometry.coordinates[0] as [number, number][];
    expect(ring).toEqual([
      [0, 0],
      [10, 0],
      [10, 10],
      [0, 10],
      [0, 0],
    ]);
  });
  it('sends the world at low zoom in a fraction of the detailed layer’s bytes, with the same large countries', async () => {
    const layers = new CountryLayers(path.resolve('data'));
    const detailed = await layers.layer('detailed');
    const low = await layers.layer('lowZoom');
    expect(low.gzip.length).toBeLessThan(80_000);
    expect(low.gzip.length * 5).toBeLessThan(detailed.gzip.length);
    await low.whenBrotli;
    expect(low.brotli!.length).toBeLessThan(low.gzip.length);

    const lowWorld = JSON.parse(gunzipSync(low.gzip).toString('utf8')) as Collection;
    const detailedWorld = JSON.parse(detailed.text) as Collection;
    expect(pointCount(lowWorld) * 3).toBeLessThan(pointCount(detailedWorld));
    const lowNames = new Set(lowWorld.features.map((feature) => feature.properties.name));
    // Every large country is still there; only specks of islands go.
    for (const name of ['France', 'Belgium', 'Sweden', 'Ukraine', 'Germany', 'Spain', 'Indonesia', 'Chile']) {
      expect(lowNames.has(name), name).toBe(true);
    }
  });
});

describe.each(databaseModes())('the base map’s countries (%s database)', (mode) => {
  const context = useTestApp(mode);

  it('answers brotli, gzip or plain text, and a 304 to a map that has the same version', async () => {
    const first = await context.app.inject({
      url: '/api/basemap/countries-low.geojson',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    // Brotli at its best setting takes a moment: the first answers are gzipped meanwhile.
    expect(['gzip', 'br']).toContain(first.headers['content-encoding']);
    await expect
      .poll(
        async () =>
          (
            await context.app.inject({
              url: '/api/basemap/countries-low.geojson',
              headers: { 'accept-encoding': 'gzip, deflate, br' },
            })
          ).headers['content-encoding'],
      )
      .toBe('br');
    const brotli = await context.app.inject({
      url: '/api/basemap/countries-low.geojson',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(brotli.headers['content-encoding']).toBe('br');
    const plain = await context.app.inject({ url: '/api/basemap/countries-low.geojson' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(brotliDecompressSync(brotli.rawPayload).toString('utf8')).toBe(plain.body);
    expect((plain.json() as Collection).type).toBe('FeatureCollection');

    const etag = brotli.headers.etag;
    expect(etag).toMatch(/^".+"$/);
    expect(plain.headers.etag).toBe(etag);
    expect(brotli.headers['cache-control']).toContain('max-age=');
    expect(brotli.headers.vary).toContain('accept-encoding');

    const again = await context.app.inject({
      url: '/api/basemap/countries-low.geojson',
      headers: { 'if-none-match': String(etag), 'accept-encoding': 'br' },
    });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);

    const detailed = await context.app.inject({
      url: '/api/basemap/countries.geojson',
      headers: { 'if-none-match': String(etag) },
    });
    expect(detailed.statusCode).toBe(200);
    expect(detailed.headers.etag).not.toBe(etag);
  });
});
