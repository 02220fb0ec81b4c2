import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, type TestActor } from '../support/accounts.js';
import { type Box, createAllianceOverBox } from '../support/alliances.js';
import { multipart } from '../support/importRecords.js';
import { useTestApp } from '../support/testApp.js';
import { databaseModes } from '../support/testDatabase.js';

/** About 50 km × 33 km around Göttingen (51.534° N, 9.932° E), which is in no demo region. */
const aroundGottingen: Box = [9.6, 51.4, 10.3, 51.7];
/**
 * Ireland has two towns named Moate 17 km apart: the bigger (2,731, GeoNames 3314017) at 53.394° N, the smaller
 * (1,504, GeoNames 2962580) at 53.55° N. This box holds the smaller; the bigger is 12 km south of it.
 */
const aroundNorthMoate: Box = [-8.0, 53.47, -7.5, 53.7];
/** This one holds both. */
const aroundBothMoates: Box = [-8.0, 53.3, -7.4, 53.6];

interface PlacedLocation {
  city: string;
  lat: number | null;
  lon: number | null;
  precision: string;
  needs_place: boolean;
}

describe.each(databaseModes())('imports placing records at their town outside the demo (%s database)', (mode) => {
  const context = useTestApp(mode);
  let founder: TestActor;

  beforeAll(async () => {
    founder = await signedInAs(context.database.db, null, 'testland');
  });

  /** Imports `csv` into a new alliance drawn over `box`, commits it, and answers its locations by town. */
  async function importIntoNewAlliance(slug: string, box: Box, country: string, csv: string) {
    await createAllianceOverBox(context.app, founder.headers, slug, box, {
      country,
      timezone: country === 'IE' ? 'Europe/Dublin' : 'Europe/Berlin',
      languages: [country === 'IE' ? 'en' : 'de'],
    });
    const body = multipart([{ name: 'services.csv', content: csv }], { source: 'Partner list' });
    const started = await context.app.inject({
      method: 'POST',
      url: `/api/alliances/${slug}/imports`,
      headers: { ...founder.headers, ...body.headers },
      payload: body.payload,
    });
    expect(started.statusCode, started.body).toBe(202);
    await context.app.backgroundTasksSettled();
    const id = started.json().id as string;
    const preview = await context.app.inject({ url: `/api/alliances/${slug}/imports/${id}`, headers: founder.headers });
    expect(preview.json().status, preview.body).toBe('preview');
    const committed = await context.app.inject({
      method: 'POST',
      url: `/api/alliances/${slug}/imports/${id}/commit`,
      headers: founder.headers,
    });
    expect(committed.statusCode, committed.body).toBe(202);
    await context.app.backgroundTasksSettled();
    const { rows } = await sql<PlacedLocation>`
      select l.city, ST_Y(l.geog::geometry) as lat, ST_X(l.geog::geometry) as lon, l.precision, l.needs_place
      from location l join organization o on o.id = l.organization_id join alliance a on a.id = o.alliance_id
      where a.slug = ${slug}`.execute(context.database.db);
    return new Map(rows.map((row) => [row.city, row]));
  }

  it('places a spreadsheet’s records at their towns around Göttingen, whatever their accents and case', async () => {
    const csv = [
      'Organisation,Service,Category,Address,Town',
      'Migrationsberatung Göttingen,Beratung,Social action,Weender Straße 1,Göttingen',
      'Sprachcafé,Deutschkurs,Social action,Groner Straße 9,GOTTINGEN',
      'Caritas Duderstadt,Sozialberatung,Social action,,duderstadt',
      'Tafel Einbeck,Lebensmittel,Social action,,Einbeck',
      'Far away,Conseil,Social action,,Bordeaux',
    ].join('\r\n');
    const places = await importIntoNewAlliance('gottingen-imports', aroundGottingen, 'DE', csv);
    expect(places.get('Göttingen')).toMatchObject({ precision: 'town', needs_place: true });
    expect(places.get('Göttingen')!.lat).toBeCloseTo(51.534, 2);
    expect(places.get('Göttingen')!.lon).toBeCloseTo(9.932, 2);
    expect(places.get('GOTTINGEN')!.lat).toBeCloseTo(51.534, 2);
    expect(places.get('duderstadt')!.lat).toBeCloseTo(51.513, 2);
    expect(places.get('duderstadt')!.lon).toBeCloseTo(10.26, 2);
    // Einbeck is 13 km north of the region: within the margin, a service just over the border.
    expect(places.get('Einbeck')!.lat).toBeCloseTo(51.82, 2);
    // Bordeaux is a town, but not one near this region: no made-up place.
    expect(places.get('Bordeaux')).toMatchObject({ lat: null, lon: null, needs_place: true });
  });

  it('takes the town of that name inside the region before a bigger one just outside', async () => {
    const csv = ['Organisation,Service,Category,Town', 'Moate Family Resource Centre,Advice,Social action,Moate'].join(
      '\n',
    );
    const places = await importIntoNewAlliance('north-moate', aroundNorthMoate, 'IE', csv);
    expect(places.get('Moate')!.lat).toBeCloseTo(53.55, 2);
  });

  it('takes the biggest of two towns of that name inside the region', async () => {
    const csv = ['Organisation,Service,Category,Town', 'Moate Family Resource Centre,Advice,Social action,Moate'].join(
      '\n',
    );
    const places = await importIntoNewAlliance('both-moates', aroundBothMoates, 'IE', csv);
    expect(places.get('Moate')!.lat).toBeCloseTo(53.394, 2);
  });
});
