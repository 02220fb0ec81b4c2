import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { loadDemoData } from '../../server/src/domain/demo-data/loadDemoData.js';
import { readDemoData } from '../../server/src/domain/demo-data/demoDataFiles.js';
import { databaseModes } from '../support/testDatabase.js';
import { demoDataDir, useTestApp } from '../support/testApp.js';

/** Organisations and services of each alliance in the guide's partner lists (see data/SOURCES.md). */
const expectedCounts = {
  bordeaux: { organizationCount: 19, serviceCount: 20 },
  friesland: { organizationCount: 14, serviceCount: 14 },
  'kronoberg-kalmar-skane': { organizationCount: 13, serviceCount: 15 },
  roscommon: { organizationCount: 8, serviceCount: 8 },
};

describe.each(databaseModes())('the demo alliances (%s database)', (mode) => {
  const context = useTestApp(mode, demoDataDir);

  it('holds the four alliances of the guide with all their partner organisations', async () => {
    const { items } = (await context.app.inject({ url: '/api/alliances' })).json();
    const counts = Object.fromEntries(
      items.map((alliance: { slug: string; organizationCount: number; serviceCount: number }) => [
        alliance.slug,
        { organizationCount: alliance.organizationCount, serviceCount: alliance.serviceCount },
      ]),
    );
    expect(counts).toEqual(expectedCounts);
  });

  it('uses each of the three categories in every alliance that the guide lists them for', async () => {
    const { items } = (await context.app.inject({ url: '/api/services?alliance=roscommon&limit=500' })).json();
    const categories = new Set(items.map((service: { category: string }) => service.category));
    expect(categories).toEqual(new Set(['social_action', 'professional_integration']));
  });

  it('places every organisation inside its alliance region, at town precision', async () => {
    const outside = await sql<{ name: string }>`
      select o.name from organization o
      join alliance a on a.id = o.alliance_id
      join location l on l.organization_id = o.id
      where not ST_Covers(a.boundary, l.geog::geometry) or l.precision <> 'town'`.execute(context.database.db);
    expect(outside.rows).toEqual([]);
  });

  it('reloads idempotently: the same records, no copies', async () => {
    const rowCounts = async () =>
      (
        await sql<{ services: number; schedules: number; translations: number }>`
          select (select count(*)::int from service) as services,
                 (select count(*)::int from schedule) as schedules,
                 (select count(*)::int from translation) as translations`.execute(context.database.db)
      ).rows[0];
    const before = await rowCounts();
    await loadDemoData(context.database.db, await readDemoData(demoDataDir));
    expect(await rowCounts()).toEqual(before);
    // 57 services; 52 with opening hours; a description in the local language (not for Roscommon) and in Arabic.
    expect(before).toEqual({ services: 57, schedules: 52, translations: 57 + 49 });
  });

  it.each([
    ['bordeaux', 'fr', 'Bègles'],
    ['friesland', 'nl', 'Heerenveen'],
    ['kronoberg-kalmar-skane', 'sv', 'Helsingborg'],
    ['roscommon', 'en', 'Ballaghaderreen'],
  ])('publishes the %s directory as demonstration data, with its illustrative details', async (slug, local, town) => {
    const response = await context.app.inject({ url: `/api/alliances/${slug}/directory` });
    expect(response.statusCode).toBe(200);
    const directory = response.json();
    expect(directory.alliance.demo).toBe(true);
    expect(directory.places.map((place: { name: string }) => place.name)).toContain(town);
    for (const service of directory.services) {
      const languages = Object.keys(service.translations).sort();
      expect(languages).toEqual(local === 'en' ? ['ar'] : ['ar', local].sort());
      expect(service.phone).toBeNull();
      expect(service.address).toBeNull();
    }
  });

  it('serves the offline base map layers', async () => {
    const countries = await context.app.inject({ url: '/api/basemap/countries.geojson' });
    expect(countries.statusCode).toBe(200);
    expect(countries.json().features.length).toBeGreaterThan(200);
    // Kronoberg's box, at the zoom of the whole region.
    const towns = (
      await context.app.inject({ url: '/api/basemap/towns.geojson?bbox=13.3,56.3,16,57.5&zoom=7' })
    ).json();
    expect(towns.features.map((town: { properties: { name: string } }) => town.properties.name)).toContain('Växjö');
  });
});
