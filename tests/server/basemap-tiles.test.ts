import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../support/testApp.js';
import { databaseModes } from '../support/testDatabase.js';
import {
  arabicStreetName,
  buildTownStreetTiles,
  residentialStreetName,
  streetToolsInstalled,
  streetTownBox,
} from '../support/streetTiles.js';

/** The tile holding a point (https://wiki.openstreetmap.org/wiki/Slippy_map_tilenames). */
function tileOf(lon: number, lat: number, z: number) {
  const n = 2 ** z;
  const latRad = (lat * Math.PI) / 180;
  return {
    x: Math.floor(((lon + 180) / 360) * n),
    y: Math.floor(((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * n),
  };
}

/** Every value of a property in one layer of a tile. */
function layerValues(tile: Buffer, layerName: string, property: string): unknown[] {
  const layer = new VectorTile(new PbfReader(tile)).layers[layerName];
  if (!layer) return [];
  return Array.from({ length: layer.length }, (_, i) => layer.feature(i).properties[property]);
}

// osmium and tilemaker are Debian packages that CI installs; elsewhere the suite runs when they are there.
const runs = streetToolsInstalled || process.env.REQUIRE_ALL_TESTS === '1';
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'passerelle-street-tiles-'));
const tilesFile = runs ? buildTownStreetTiles(workDir) : '';
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

describe.runIf(runs).each(databaseModes())('the street base map from BASEMAP_TILES (%s database)', (mode) => {
  const context = useTestApp(mode, undefined, { config: { basemapTiles: tilesFile } });

  it('describes the tiles in a TileJSON read from the file: extent, zooms and layers', async () => {
    const response = await context.app.inject({ url: '/api/basemap/tiles.json', headers: { host: 'maps.test' } });
    expect(response.statusCode).toBe(200);
    const tileJson = response.json();
    expect(tileJson.tiles).toEqual(['http://maps.test/api/basemap/tiles/{z}/{x}/{y}.mvt']);
    expect(tileJson.minzoom).toBe(0);
    expect(tileJson.maxzoom).toBe(14);
    tileJson.bounds.forEach((value: number, i: number) => expect(value).toBeCloseTo(streetTownBox[i]!, 5));
    expect(tileJson.vector_layers.map((layer: { id: string }) => layer.id)).toEqual(
      expect.arrayContaining(['transportation', 'transportation_name', 'place', 'landcover']),
    );
  });

  it("serves a tile gzipped as stored, whose transportation_name layer holds the street's name", async () => {
    const { x, y } = tileOf(-0.575, 44.84, 14);
    const response = await context.app.inject({
      url: `/api/basemap/tiles/14/${x}/${y}.mvt`,
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers['cache-control']).toMatch(/max-age=\d+/);
    const tile = gunzipSync(response.rawPayload);
    expect(layerValues(tile, 'transportation_name', 'name:latin')).toEqual(
      expect.arrayContaining([residentialStreetName, arabicStreetName]),
    );
    expect(layerValues(tile, 'transportation', 'class')).toEqual(expect.arrayContaining(['minor', 'primary']));
  });

  it('answers 204 for a tile with nothing in it, 404 past the deepest zoom and 400 for an impossible tile', async () => {
    const empty = await context.app.inject({ url: '/api/basemap/tiles/14/0/0.mvt' });
    expect(empty.statusCode).toBe(204);
    const tooDeep = await context.app.inject({ url: '/api/basemap/tiles/15/0/0.mvt' });
    expect(tooDeep.statusCode).toBe(404);
    const outside = await context.app.inject({ url: '/api/basemap/tiles/2/4/0.mvt' });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().message).toBe('At zoom 2, the column and row of a tile go from 0 to 3.');
    const notATile = await context.app.inject({ url: '/api/basemap/tiles/2/1/1.png' });
    expect(notATile.statusCode).toBe(400);
  });

  it('tells the pages that street tiles are served here', async () => {
    const response = await context.app.inject({ url: '/find' });
    if (response.statusCode === 503) return; // the pages are not built: nothing to tell
    expect(response.body).toContain('"streetTiles":true');
  });
});

describe.each(databaseModes())('the street base map glyphs (%s database)', (mode) => {
  const context = useTestApp(mode);

  it('serves Latin, Arabic and Ethiopic glyph ranges made from the fonts installed with the app', async () => {
    for (const [range, codePoint] of [
      ['0-255', 0x61],
      ['1536-1791', 0x0634],
      ['4608-4863', 0x1200],
    ] as const) {
      const response = await context.app.inject({ url: `/api/basemap/fonts/Noto%20Sans%20Regular/${range}.pbf` });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/x-protobuf');
      expect(glyphIds(response.rawPayload)).toContain(codePoint);
    }
  });

  it('refuses a range that is not 256 characters from a multiple of 256, and an unknown font', async () => {
    const badRange = await context.app.inject({ url: '/api/basemap/fonts/Noto%20Sans%20Regular/10-20.pbf' });
    expect(badRange.statusCode).toBe(400);
    const unknownFont = await context.app.inject({ url: '/api/basemap/fonts/Comic%20Sans/0-255.pbf' });
    expect(unknownFont.statusCode).toBe(404);
  });
});

/** The character codes of a glyphs.proto message (glyphs.stacks[].glyphs[].id), decoded by hand. */
function glyphIds(bytes: Buffer): number[] {
  const ids: number[] = [];
  const glyph = (tag: number, result: { id: number }, pbf: PbfReader) => {
    if (tag === 1) result.id = pbf.readVarint();
  };
  const stack = (tag: number, result: number[], pbf: PbfReader) => {
    if (tag === 3) result.push(pbf.readMessage(glyph, { id: -1 }).id);
  };
  new PbfReader(bytes).readFields((tag, result, pbf) => {
    if (tag === 1) pbf.readMessage(stack, result);
  }, ids);
  return ids;
}
