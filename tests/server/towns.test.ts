import { describe, expect, it } from 'vitest';
import { foldTownName, WorldTowns } from '../../server/src/domain/towns/worldTowns.js';
import { signedInAs } from '../support/accounts.js';
import { createAllianceOverBox } from '../support/alliances.js';
import { useTestApp } from '../support/testApp.js';
import { databaseModes } from '../support/testDatabase.js';

/** About 50 km × 33 km around Göttingen (51.534° N, 9.932° E), which is in no demo region. */
const aroundGottingen = [9.6, 51.4, 10.3, 51.7] as const;

interface TownItem {
  geonameId: number;
  name: string;
  country: string;
  population: number;
  lat: number;
  lon: number;
}

describe('town names as a search compares them', () => {
  it('drops accents and case, and reads hyphens and apostrophes as spaces', () => {
    expect(foldTownName('Göttingen')).toBe('gottingen');
    expect(foldTownName('GÖTT')).toBe('gott');
    expect(foldTownName('Saint-Médard-en-Jalles')).toBe('saint medard en jalles');
    expect(foldTownName("L'Haÿ-les-Roses")).toBe('l hay les roses');
    expect(foldTownName('Łódź')).toBe('lodz');
    expect(foldTownName('Straße')).toBe('strasse');
  });

  it('ranks a small list by band of nearness, then population', () => {
    const towns = new WorldTowns([
      { geonameId: 1, name: 'Gotham', country: 'US', population: 8_000_000, lat: 40.7, lon: -74 },
      { geonameId: 2, name: 'Gottdorf', country: 'DE', population: 1200, lat: 51.5, lon: 9.9 },
      { geonameId: 3, name: 'Gottstadt', country: 'DE', population: 30_000, lat: 51.6, lon: 10.0 },
    ]);
    expect(towns.search('got', { limit: 5 }).map((town) => town.name)).toEqual(['Gotham', 'Gottstadt', 'Gottdorf']);
    const near = towns.search('got', { limit: 5, origin: { point: { lat: 51.5, lon: 9.9 } } });
    expect(near.map((town) => town.name)).toEqual(['Gottstadt', 'Gottdorf', 'Gotham']);
    expect(towns.inBox([9, 51, 11, 52], { limit: 1 }).map((town) => town.name)).toEqual(['Gottstadt']);
  });
});

describe.each(databaseModes())('worldwide towns (%s database)', (mode) => {
  const context = useTestApp(mode);
  const get = (url: string) => context.app.inject({ url });

  async function allianceAroundGottingen(slug: string) {
    const founder = await signedInAs(context.database.db, null, 'testland');
    await createAllianceOverBox(context.app, founder.headers, slug, aroundGottingen, {
      name: `Göttingen test — ${slug}`,
      country: 'DE',
      timezone: 'Europe/Berlin',
      languages: ['de'],
    });
    return { headers: founder.headers };
  }

  it('gives the town labels of a box around Göttingen, biggest first, within the limit', async () => {
    const response = await get(`/api/basemap/towns.geojson?bbox=${aroundGottingen.join(',')}&zoom=10&limit=5`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/geo\+json/);
    const { features } = response.json();
    expect(features).toHaveLength(5);
    expect(features[0]).toMatchObject({
      type: 'Feature',
      properties: { name: 'Göttingen', country: 'DE' },
      geometry: { type: 'Point', coordinates: [expect.closeTo(9.932, 2), expect.closeTo(51.534, 2)] },
    });
    const populations = features.map(
      (feature: { properties: { population: number } }) => feature.properties.population,
    );
    expect(populations).toEqual([...populations].sort((a, b) => b - a));
  });

  it('labels only big towns when the map is zoomed out', async () => {
    const response = await get(`/api/basemap/towns.geojson?bbox=${aroundGottingen.join(',')}&zoom=5`);
    const names = response.json().features.map((feature: { properties: { name: string } }) => feature.properties.name);
    // Göttingen (122,000) is labelled at a country's view from zoom 5 on (100,000 inhabitants); its villages are not.
    expect(names).toEqual(['Göttingen']);
  });

  it('keeps the labels of a demo region (Bordeaux)', async () => {
    const response = await get('/api/basemap/towns.geojson?bbox=-0.8,44.7,-0.4,45&zoom=9');
    const names = response.json().features.map((feature: { properties: { name: string } }) => feature.properties.name);
    expect(names.slice(0, 2)).toEqual(['Bordeaux', 'Mérignac']);
  });

  it('refuses a box that is not one, and a limit over 500, with a sentence', async () => {
    const reversed = await get('/api/basemap/towns.geojson?bbox=10,51,9,52');
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().message).toMatch(/is not a valid box: give west,south,east,north with west < east/);
    expect((await get('/api/basemap/towns.geojson')).statusCode).toBe(400);
    expect((await get(`/api/basemap/towns.geojson?bbox=${aroundGottingen.join(',')}&limit=501`)).statusCode).toBe(400);
  });

  it('finds Göttingen first for "gott" near an alliance drawn around it', async () => {
    await allianceAroundGottingen('gottingen-search');
    const response = await get('/api/towns?q=gott&alliance=gottingen-search');
    expect(response.statusCode, response.body).toBe(200);
    const items = response.json().items as TownItem[];
    expect(items[0]).toMatchObject({ name: 'Göttingen', country: 'DE', geonameId: 2918632 });
    expect(items[0]!.population).toBeGreaterThan(100_000);
    expect(items.length).toBeLessThanOrEqual(10);
  });

  it('finds Göttingen whatever its accents and case', async () => {
    for (const q of ['Gött', 'GOTT', 'gött', 'Göttingen']) {
      const items = (await get(`/api/towns?q=${encodeURIComponent(q)}&near=51.53,9.93&limit=3`)).json().items;
      expect(items[0]?.name, q).toBe('Göttingen');
    }
  });

  it('ranks by nearness before population: "bord" near Bordeaux, then near Bordentown (New Jersey)', async () => {
    const nearBordeaux = (await get('/api/towns?q=bord&near=44.84,-0.58&limit=1')).json().items;
    expect(nearBordeaux[0].name).toBe('Bordeaux');
    const nearBordentown = (await get('/api/towns?q=bord&near=40.15,-74.71&limit=1')).json().items;
    expect(nearBordentown[0]).toMatchObject({ name: 'Bordentown', country: 'US' });
  });

  it('answers within the limit, and a name nobody has with no town', async () => {
    expect((await get('/api/towns?q=s&limit=50')).json().items).toHaveLength(50);
    expect((await get('/api/towns?q=zzqxw')).json().items).toEqual([]);
  });

  it('refuses bad searches with a sentence', async () => {
    const cases: [string, number, RegExp][] = [
      ['/api/towns', 400, /q/],
      ['/api/towns?q=', 400, /q/],
      ['/api/towns?q=---', 400, /at least one letter or digit/],
      ['/api/towns?q=gott&near=91,10', 400, /is not a point/],
      ['/api/towns?q=gott&near=here', 400, /near/],
      ['/api/towns?q=gott&near=51,9&alliance=testland', 400, /either near or alliance/],
      ['/api/towns?q=gott&limit=51', 400, /limit/],
      ['/api/towns?q=gott&alliance=nowhere', 404, /no alliance "nowhere"/],
    ];
    for (const [url, status, message] of cases) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(status);
      expect(response.json().message, url).toMatch(message);
    }
  });

  it("offers the finder the region's towns from the worldwide list when the base map file has none there", async () => {
    await allianceAroundGottingen('gottingen-finder');
    const response = await get('/api/alliances/gottingen-finder/directory');
    expect(response.statusCode, response.body).toBe(200);
    const places = response.json().places as { id: string; name: string; lat: number; lon: number }[];
    expect(places).toContainEqual({
      id: 'town-gottingen',
      name: 'Göttingen',
      lat: expect.closeTo(51.534, 2),
      lon: expect.closeTo(9.932, 2),
    });
    expect(places.map((place) => place.name)).not.toContain('Bordeaux');
  });

  it('counts the people of the GeoNames towns in a gap run of a new region that has no population file', async () => {
    const { headers } = await allianceAroundGottingen('gottingen-gaps');
    const started = await context.app.inject({
      method: 'POST',
      url: '/api/alliances/gottingen-gaps/gap-analyses',
      headers,
      payload: { units: { kind: 'h3', resolution: 6 } },
    });
    expect(started.statusCode, started.body).toBe(202);
    let run = started.json();
    for (let attempt = 0; attempt < 600 && run.status === 'running'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      run = (await get(`/api/gap-analyses/${run.id}`)).json();
    }
    expect(run.status, run.error).toBe('done');
    expect(run.summary.totalPopulation).toBeGreaterThan(122_149);
    expect(run.summary.populationSource).toMatch(/GeoNames towns of 1,000 inhabitants or more/);
    expect(run.summary.populationSource).toMatch(/people living outside those towns are not counted/);

    const stored = await context.database.db
      .selectFrom('demand_point')
      .select(['region_code', 'population'])
      .where('source_key', '=', 'geonames:2918632')
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ region_code: 'geonames-towns', population: 122_149 });
  });
});
