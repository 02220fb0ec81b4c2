import path from 'node:path';
import { latLngToCell } from 'h3-js';
import { sql } from 'kysely';
import proj4 from 'proj4';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/src/config.js';
import { multipart } from '../support/importRecords.js';
import {
  geoTiff,
  importPopulationFile,
  removePopulationSurface,
  uploadPopulationFile,
  waitForPopulationSurface,
} from '../support/populationSurfaces.js';
import { databaseModes } from '../support/testDatabase.js';
import { adminHeaders, useTestApp } from '../support/testApp.js';
import { createAllianceOverBox } from '../support/alliances.js';

const fixtureDir = path.join(projectRoot, 'tests/fixtures/gap-analysis');

/**
 * Over the meridian region (0.4–0.6° E, 44.95–45.25° N), cells of 0.1° centred on 0.47, 0.57 … 1.17° E and
 * 45.15, 45.05° N. Kept: 300 at (0.47, 45.15), 100 at (0.47, 45.05), 200 at (0.57, 45.05) inside; 50 at
 * (0.67, 45.15), 5.5 km beyond the boundary, within the 30 km margin. Dropped: 70 at (1.17, 45.15), 45 km beyond.
 * Skipped: nodata (-99999) and zeros.
 */
const meridianRaster = () =>
  geoTiff([300, 0, 50, -99999, 0, 0, 0, 70, 100, 200, -99999, 0, 0, 0, 0, 0], {
    width: 8,
    height: 2,
    origin: [0.42, 45.2],
    cell: 0.1,
  });

const laea = '+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 +ellps=GRS80 +units=m +no_defs';

/** The INSEE id of the 200 m cell holding a point: its south-west corner in ETRS89-LAEA. */
function inseeId(lon: number, lat: number): { id: string; centre: [number, number] } {
  const [x, y] = proj4('WGS84', laea, [lon, lat]) as [number, number];
  const east = Math.floor(x / 200) * 200;
  const north = Math.floor(y / 200) * 200;
  const centre = proj4(laea, 'WGS84', [east + 100, north + 100]) as [number, number];
  return { id: `CRS3035RES200mN${north}E${east}`, centre };
}

describe.each(databaseModes())('population surfaces (%s database)', (mode) => {
  const context = useTestApp(mode, fixtureDir);
  const db = () => context.database.db;
  const get = (url: string) => context.app.inject({ url });

  const upload = (name: string, content: Buffer | string, fields: Record<string, string> = {}) =>
    uploadPopulationFile(context.app, 'meridian', name, content, fields);

  /** Uploads, previews and imports a file; answers the preview and the surface once the import has ended. */
  const importFile = (name: string, content: Buffer | string, populationField?: string) =>
    importPopulationFile(context.app, 'meridian', name, content, populationField);

  async function waitForRun(id: string) {
    for (let attempt = 0; attempt < 600; attempt++) {
      const run = (await get(`/api/gap-analyses/${id}`)).json();
      if (run.status !== 'running') return run;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`Run ${id} did not finish`);
  }

  async function h3Run(alliance: string) {
    const started = await context.app.inject({
      method: 'POST',
      url: `/api/alliances/${alliance}/gap-analyses`,
      payload: { units: { kind: 'h3', resolution: 7 }, categories: ['social_action'] },
      headers: adminHeaders,
    });
    expect(started.statusCode, started.body).toBe(202);
    const run = await waitForRun(started.json().id);
    expect(run.status, run.error).toBe('done');
    const results = (await get(`/api/gap-analyses/${run.id}/results?limit=500`)).json();
    return { run, items: results.items as { unit: { code: string }; population: number; [key: string]: unknown }[] };
  }

  it('previews a GeoTIFF: format, system, cells and population in the box of the region and its margin', async () => {
    const response = await upload('worldpop.tif', meridianRaster());
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      format: 'geotiff',
      crs: 'EPSG:4326',
      // The box of the boundary and its margin reaches about 0.98° E: the column at 1.17° E is not even read.
      cellsRead: 14,
      cellsFound: 4,
      population: 650,
      marginM: 30_000,
    });
  });

  it('imports a GeoTIFF clipped to the boundary and margin, and the H3 grid counts its people', async () => {
    const { surface } = await importFile('worldpop.tif', meridianRaster());
    expect(surface).toMatchObject({ status: 'active', format: 'geotiff', cellsKept: 4, totalPopulation: 650 });
    const cells = await sql<{ lon: number; lat: number; population: number }>`
      select round(ST_X(geog::geometry)::numeric, 6)::float8 as lon, round(ST_Y(geog::geometry)::numeric, 6)::float8 as lat,
             population from population_cell where surface_id = ${surface.id} order by population`.execute(db());
    expect(cells.rows).toEqual([
      { lon: 0.67, lat: 45.15, population: 50 },
      { lon: 0.47, lat: 45.05, population: 100 },
      { lon: 0.57, lat: 45.05, population: 200 },
      { lon: 0.47, lat: 45.15, population: 300 },
    ]);

    const { run, items } = await h3Run('meridian');
    // The three cells inside; the one 5.5 km beyond the edge is kept but belongs to no area of the region.
    expect(run.summary.totalPopulation).toBe(600);
    expect(run.summary.populationSource).toMatch(
      /^Population surface “worldpop\.tif” \(GeoTIFF grid, EPSG:4326, 7,858 m cells, imported \d{4}-\d\d-\d\d\): ~600 inhabitants counted, in 3 of \d+ areas\.$/,
    );
    // The same sentence as a code with its figures, for pages to say in their reader's language.
    expect(run.summary.populationSourceParts).toEqual([
      {
        code: 'surface-counted',
        params: {
          name: 'worldpop.tif',
          format: 'geotiff',
          crs: 'EPSG:4326',
          cellSizeM: 7858,
          importedAt: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
          population: 600,
          populatedUnits: 3,
          units: run.summary.unitCount,
        },
      },
    ]);
    const populated = Object.fromEntries(
      items.filter((item) => item.population > 0).map((i) => [i.unit.code, i.population]),
    );
    expect(populated).toEqual({
      [latLngToCell(45.15, 0.47, 7)]: 300,
      [latLngToCell(45.05, 0.47, 7)]: 100,
      [latLngToCell(45.05, 0.57, 7)]: 200,
    });
    // Areas without counted people still have their distance and count measures; only per-inhabitant ones are empty.
    const empty = items.find((item) => item.population === 0)!;
    expect(empty.nearestDistanceM).toEqual(expect.any(Number));
    expect(empty.countWithin).toEqual(expect.any(Number));
    expect(empty.supplyPer10k).toBeNull();
  });

  it('replaces the surface with a Kontur H3 CSV all at once, deleting the old cells', async () => {
    const before = (await get('/api/alliances/meridian/population-surface')).json().active;
    const inside = latLngToCell(45.1, 0.5, 8);
    const far = latLngToCell(45.1, 1.5, 8);
    const { preview, surface } = await importFile('kontur.csv', `h3,population\n${inside},500\n${far},999\n`);
    expect(preview).toMatchObject({ format: 'kontur_h3', crs: 'H3 (WGS84)', cellsFound: 1, population: 500 });
    expect(surface).toMatchObject({ status: 'active', cellsRead: 2, cellsKept: 1, totalPopulation: 500 });
    const old = (await get(`/api/population-surfaces/${before.id}`)).json();
    expect(old.status).toBe('replaced');
    const left = await db().selectFrom('population_cell').select('id').where('surface_id', '=', before.id).execute();
    expect(left).toHaveLength(0);
    const { run } = await h3Run('meridian');
    expect(run.summary.totalPopulation).toBe(500);
  });

  it('reads an INSEE 200 m grid at the centre of each cell its id names in ETRS89-LAEA', async () => {
    const inside = inseeId(0.5, 45.1);
    const far = inseeId(2.5, 45.1);
    const csv = `idcar_200m;idcar_1km;ind;men\n${inside.id};x;42.5;20\n${far.id};y;10;4\n`;
    const { preview, surface } = await importFile('filosofi.csv', csv);
    expect(preview).toMatchObject({ format: 'insee_grid', crs: 'EPSG:3035', cellSizeM: 200, population: 42.5 });
    expect(surface).toMatchObject({ cellsRead: 2, cellsKept: 1, totalPopulation: 42.5 });
    const point = await sql<{ metres: number }>`
      select ST_Distance(geog, ST_SetSRID(ST_MakePoint(${inside.centre[0]}, ${inside.centre[1]}), 4326)::geography) as metres
      from population_cell where surface_id = ${surface.id}`.execute(db());
    expect(point.rows[0]!.metres).toBeLessThan(0.01);
  });

  it('imports census areas by the field the person names, offering the numeric fields', async () => {
    const square = (west: number, south: number) => ({
      type: 'Polygon',
      coordinates: [
        [
          [west, south],
          [west + 0.02, south],
          [west + 0.02, south + 0.02],
          [west, south + 0.02],
          [west, south],
        ],
      ],
    });
    const areas = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { code: 'A1', P21_POP: 1200, name: 'North' }, geometry: square(0.45, 45.15) },
        { type: 'Feature', properties: { code: 'A2', P21_POP: 800, name: 'South' }, geometry: square(0.45, 45.0) },
      ],
    });
    const preview = await upload('communes.geojson', areas);
    expect(preview.json()).toMatchObject({
      format: 'census_areas',
      numericFields: ['P21_POP'],
      populationField: null,
      population: null,
    });
    const unnamed = await context.app.inject({
      method: 'POST',
      url: '/api/alliances/meridian/population-surface',
      payload: { uploadId: preview.json().uploadId },
      headers: adminHeaders,
    });
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.json().message).toMatch(
      /Choose the field of communes\.geojson that holds the population: one of P21_POP/,
    );
    const { surface } = await importFile('communes.geojson', areas, 'P21_POP');
    expect(surface).toMatchObject({
      format: 'census_areas',
      populationField: 'P21_POP',
      cellsKept: 2,
      totalPopulation: 2000,
    });
  });

  it('reads a GHSL raster in World Mollweide named by its citation', async () => {
    const [x, y] = proj4('WGS84', '+proj=moll +lon_0=0 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs', [0.5, 45.1]);
    const raster = geoTiff([1234], {
      width: 1,
      height: 1,
      origin: [x! - 50, y! + 50],
      cell: 100,
      keys: { GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 32767, GTCitationGeoKey: 'World_Mollweide' },
    });
    const response = await upload('GHS_POP.tif', raster);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ format: 'geotiff', crs: 'ESRI:54009', cellSizeM: 100, population: 1234 });
  });

  it.each([
    [
      'an unknown coordinate system',
      'utm.tif',
      () =>
        geoTiff([5], {
          width: 1,
          height: 1,
          origin: [500000, 5000000],
          cell: 100,
          keys: { ProjectedCSTypeGeoKey: 32631 },
        }),
      /utm\.tif is in the coordinate system EPSG:32631, which this import does not know/,
    ],
    [
      'a negative population',
      'kontur.csv',
      () => `h3,population\n${latLngToCell(45.1, 0.5, 8)},-3\n`,
      /line 2: the population is negative \(-3\)/,
    ],
    [
      'a population that is not a number',
      'kontur.csv',
      () => `h3,population\n${latLngToCell(45.1, 0.5, 8)},many\n`,
      /line 2: the population is not a number/,
    ],
    [
      'no population column',
      'grid.csv',
      () => 'idcar_200m;men\nCRS3035RES200mN2029800E4252400;3\n',
      /has no population column "ind"; its columns are idcar_200m, men/,
    ],
    [
      'a file of another type',
      'photo.png',
      () => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]),
      /photo\.png is not a population file this import reads/,
    ],
    ['an empty file', 'empty.csv', () => '', /empty\.csv is empty/],
  ])('refuses %s with a sentence saying so', async (_, name, content, message) => {
    const response = await upload(name, content());
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().message).toMatch(message);
  });

  it('answers 409 with a sentence to the second of two imports started at the same time', async () => {
    const kontur = `h3,population\n${latLngToCell(45.1, 0.5, 8)},500\n`;
    const uploads = await Promise.all([1, 2].map(() => upload('kontur.csv', kontur)));
    for (const uploaded of uploads) expect(uploaded.statusCode, uploaded.body).toBe(201);
    const answers = await Promise.all(
      uploads.map((uploaded) =>
        context.app.inject({
          method: 'POST',
          url: '/api/alliances/meridian/population-surface',
          payload: { uploadId: uploaded.json().uploadId },
          headers: adminHeaders,
        }),
      ),
    );
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([202, 409]);
    const refused = answers.find((answer) => answer.statusCode === 409)!;
    expect(refused.json().message).toBe('A population file is being imported already: wait for it to end.');
    const started = answers.find((answer) => answer.statusCode === 202)!;
    expect((await waitForPopulationSurface(context.app, started.json().id)).status).toBe('active');
  });

  it('refuses to import a file with nobody in the region or its margin', async () => {
    const far = latLngToCell(48.8, 2.35, 8);
    const previewed = await upload('paris.csv', `h3,population\n${far},999\n`);
    expect(previewed.json()).toMatchObject({ cellsFound: 0, population: 0 });
    const refused = await context.app.inject({
      method: 'POST',
      url: '/api/alliances/meridian/population-surface',
      payload: { uploadId: previewed.json().uploadId },
      headers: adminHeaders,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toMatch(
      /Nobody in paris\.csv lives inside the alliance's region or within 30 km of it/,
    );
  });

  it('removes the surface: runs count populated places again', async () => {
    const removed = await removePopulationSurface(context.app, 'meridian');
    expect(removed.statusCode).toBe(204);
    expect((await get('/api/alliances/meridian/population-surface')).json().active).toBeNull();
    const { run } = await h3Run('meridian');
    // Places A, B and C of the fixture.
    expect(run.summary.totalPopulation).toBe(7000);
    expect(run.summary.populationSource).toMatch(/Test places on the 0\.5° E meridian/);
    const [sources, counted] = run.summary.populationSourceParts;
    expect(sources.code).toBe('places-sources');
    expect(sources.params.sources).toMatch(/Test places on the 0\.5° E meridian/);
    expect(counted).toMatchObject({ code: 'places-counted', params: { population: 7000 } });
    expect(counted.params.empty).toBe(counted.params.units - counted.params.populatedUnits);
    const again = await removePopulationSurface(context.app, 'meridian');
    expect(again.statusCode).toBe(404);
  });

  it('says a run counts nobody instead of finding no gap', async () => {
    // Over open sea: no populated place, not even a GeoNames town within reach, and no population surface.
    await createAllianceOverBox(context.app, adminHeaders, 'open-sea', [-30, 30, -29.6, 30.4], {
      country: 'PT',
      timezone: 'Atlantic/Azores',
      languages: ['pt'],
    });
    const { run } = await h3RunOn('open-sea');
    expect(run.summary.totalPopulation).toBe(0);
    expect(run.summary.populationSource).toMatch(/^This run counts nobody/);
    expect(run.summary.populationSourceParts).toEqual([{ code: 'places-nobody', params: {} }]);
    expect(run.summary.notes[0]).toMatch(/^This run counts nobody/);
  });

  async function h3RunOn(alliance: string) {
    const started = await context.app.inject({
      method: 'POST',
      url: `/api/alliances/${alliance}/gap-analyses`,
      payload: { units: { kind: 'h3', resolution: 5 }, categories: ['social_action'] },
      headers: adminHeaders,
    });
    expect(started.statusCode, started.body).toBe(202);
    const run = await waitForRun(started.json().id);
    expect(run.status, run.error).toBe('done');
    return { run };
  }
});

describe.each(databaseModes())('population upload limit (%s database)', (mode) => {
  const context = useTestApp(mode, fixtureDir, { config: { populationMaxBytes: 1000 } });

  it('refuses a file over the limit with 413', async () => {
    const body = multipart([{ name: 'big.csv', content: `h3,population\n${'8818400000fffff,1\n'.repeat(100)}` }]);
    const response = await context.app.inject({
      method: 'POST',
      url: '/api/alliances/meridian/population-surface/uploads',
      payload: body.payload,
      headers: { ...adminHeaders, ...body.headers },
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().message).toBe('The file is too large: the limit is 1,000 bytes.');
  });
});
