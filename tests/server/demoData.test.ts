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
    const before = (await context.app.inject({ url: '/api/services?limit=1' })).json().total;
    await loadDemoData(context.database.db, await readDemoData(demoDataDir));
    const after = (await context.app.inject({ url: '/api/services?limit=1' })).json().total;
    expect(after).toBe(before);
    expect(before).toBe(57);
  });

  it('serves the offline base map layers', async () => {
    const countries = await context.app.inject({ url: '/api/basemap/countries.geojson' });
    expect(countries.statusCode).toBe(200);
    expect(countries.json().features.length).toBeGreaterThan(200);
    const towns = (await context.app.inject({ url: '/api/basemap/towns.geojson' })).json();
    expect(towns.features.map((town: { properties: { name: string } }) => town.properties.name)).toContain('Växjö');
  });
});
