import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'csv-parse/sync';
import { strFromU8, unzipSync } from 'fflate';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/src/config.js';
import type { CategoryId } from '../../server/src/db/schema.js';
import { publicsOf, thematiquesOf } from '../../server/src/domain/exports/dataInclusionVocabulary.js';
import { openIntervals } from '../../server/src/domain/schedules/openIntervals.js';
import { signedInAs, type TestActor } from '../support/accounts.js';
import { multipart } from '../support/importRecords.js';
import { databaseModes } from '../support/testDatabase.js';
import { adminHeaders, demoDataDir, type TestApp, useTestApp } from '../support/testApp.js';

/**
 * Issue 10's end-to-end checks: what Passerelle gives out (HSDS tabular, data·inclusion) comes back in the same
 * when imported into another alliance; a coordinator's import of a data·inclusion extract, reviewed, committed,
 * found in the directory and the gap analysis, imported again newer, given back valid, and undone.
 */

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const fixtures = path.join(projectRoot, 'tests/fixtures/imports');
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const diSchemas = path.join(projectRoot, 'tests/fixtures/standards/data-inclusion-schema/schemas/v1');
const validStructure = ajv.compile(readJson(path.join(diSchemas, 'structure.json')));
const validDiService = ajv.compile(readJson(path.join(diSchemas, 'service.json')));
const hsdsCompiled = path.join(projectRoot, 'tests/fixtures/standards/hsds-3.0/schema/compiled');

/**
 * The tabular zip's rows against the published tabular schema, one resource at a time: the CSV cells are text,
 * so ajv coerces numbers and booleans; an empty cell is an absent value. HSDS requires an address's street, postal
 * code and state or province; we keep no state or province and a town-level place has no street (docs/hsds-api.md).
 */
function tabularProblems(zip: Uint8Array) {
  const tabular = readJson(path.join(hsdsCompiled, 'tabular.json'));
  const coercing = new Ajv({ strict: false, allErrors: true, coerceTypes: true });
  addFormats(coercing);
  const entries = unzipSync(zip);
  const problems: { file: string; row: Record<string, string>; errors: unknown }[] = [];
  let rows = 0;
  for (const { items } of Object.values(tabular.properties as Record<string, any>)) {
    const text = entries[items.path];
    if (!text) continue;
    const flat = Object.fromEntries(
      Object.entries(items.properties as Record<string, any>).filter(
        ([, field]) => field.type !== 'array' && field.type !== 'object',
      ),
    );
    const required = ((items.required ?? []) as string[]).filter(
      (field) => !(items.name === 'address' && ['address_1', 'postal_code', 'state_province'].includes(field)),
    );
    const validate = coercing.compile({ type: 'object', properties: flat, required });
    for (const row of parse(strFromU8(text), { columns: true }) as Record<string, string>[]) {
      rows += 1;
      const present = Object.fromEntries(Object.entries(row).filter(([, value]) => value !== ''));
      if (!validate(present)) problems.push({ file: items.path, row, errors: validate.errors });
    }
  }
  return { rows, problems };
}

interface DataInclusionFile {
  structures: Record<string, unknown>[];
  services: Record<string, unknown>[];
}

function dataInclusionProblems(file: DataInclusionFile) {
  const problems: { id: unknown; errors: unknown }[] = [];
  for (const structure of file.structures) {
    const { id } = structure;
    if (!validStructure(structure)) problems.push({ id, errors: validStructure.errors });
  }
  for (const service of file.services) {
    const { id } = service;
    if (!validDiService(service)) problems.push({ id, errors: validDiService.errors });
  }
  return problems;
}

/** An alliance's directory as plain values, sorted, for comparing two alliances. */
async function directoryOf(context: TestApp, slug: string) {
  const { rows } = await sql<{
    organization: string;
    service: string;
    category: CategoryId;
    topics: string[];
    audiences: string[];
    languages: string[];
    free: boolean | null;
    description: string | null;
    url: string | null;
    email: string | null;
    phone: string | null;
    status: string;
    opening_hours: string[];
    places: { lat: number; lon: number; address: string | null; city: string | null; postal_code: string | null }[];
  }>`
    select o.name as organization, s.name as service, s.category, s.topics, s.audiences, s.languages, s.free,
      s.description, s.url, s.email, s.phone, s.status,
      coalesce((select array_agg(sc.opening_hours order by sc.opening_hours) from schedule sc
        where sc.service_id = s.id and sc.opening_hours is not null), '{}') as opening_hours,
      coalesce((select json_agg(json_build_object('lat', ST_Y(l.geog::geometry), 'lon', ST_X(l.geog::geometry),
          'address', l.address_1, 'city', l.city, 'postal_code', l.postal_code)
          order by l.city, l.address_1, ST_Y(l.geog::geometry))
        from service_at_location sal join location l on l.id = sal.location_id where sal.service_id = s.id), '[]')
        as places
    from service s join organization o on o.id = s.organization_id join alliance a on a.id = o.alliance_id
    where a.slug = ${slug}
    order by o.name, s.name, s.description`.execute(context.database.db);
  return rows.map((row) => ({
    ...row,
    opening_hours: openingsOf(row.opening_hours),
    topics: [...row.topics].sort(),
    audiences: [...row.audiences].sort(),
    languages: [...row.languages].sort(),
  }));
}

/**
 * When a service is open over two weeks of Bordeaux with a public holiday (11 November 2027): HSDS schedules say
 * `Mo-Fr` as `BYDAY=MO,TU,WE,TH,FR`, so the text comes back written otherwise; the hours must be the same.
 */
function openingsOf(schedules: string[]) {
  const region = { timeZone: 'Europe/Paris', countryCode: 'FR' };
  const period = { from: new Date('2027-11-08T00:00:00Z'), to: new Date('2027-11-22T00:00:00Z') };
  return schedules.flatMap((text) => openIntervals(text, region, period)).sort((a, b) => a[0].localeCompare(b[0]));
}

async function locationCount(context: TestApp, slug: string) {
  const { rows } = await sql<{ count: number }>`select count(*)::int as count from location l
    join organization o on o.id = l.organization_id join alliance a on a.id = o.alliance_id
    where a.slug = ${slug}`.execute(context.database.db);
  return rows[0]!.count;
}

async function organizationNames(context: TestApp, slug: string) {
  const rows = await context.database.db
    .selectFrom('organization as o')
    .innerJoin('alliance as a', 'a.id', 'o.alliance_id')
    .select('o.name')
    .where('a.slug', '=', slug)
    .orderBy('o.name')
    .execute();
  return rows.map((row) => row.name);
}

/** Within 1 m: 1e-5° is about 1.1 m of latitude, so 8e-6° each way keeps well inside. */
function expectSamePlace(
  actual: { lat: number; lon: number; address: string | null; city: string | null; postal_code: string | null },
  expected: { lat: number; lon: number; address: string | null; city: string | null; postal_code: string | null },
  label: string,
) {
  const metresPerDegree = 111_320;
  const north = (actual.lat - expected.lat) * metresPerDegree;
  const east = (actual.lon - expected.lon) * metresPerDegree * Math.cos((expected.lat * Math.PI) / 180);
  expect(Math.hypot(north, east), `${label}: ${JSON.stringify({ actual, expected })}`).toBeLessThan(1);
  expect({ address: actual.address, city: actual.city, postal_code: actual.postal_code }, label).toEqual({
    address: expected.address,
    city: expected.city,
    postal_code: expected.postal_code,
  });
}

describe.each(databaseModes())('data exchange, end to end (%s database)', (mode) => {
  const context = useTestApp(mode, demoDataDir);
  let member: TestActor;
  let coordinator: TestActor;

  const get = (url: string, headers: Record<string, string> = {}) => context.app.inject({ url, headers });

  async function upload(
    slug: string,
    actor: TestActor,
    files: { name: string; content: string | Buffer }[],
    fields: Record<string, string> = {},
  ) {
    const body = multipart(files, fields);
    const started = await context.app.inject({
      method: 'POST',
      url: `/api/alliances/${slug}/imports`,
      headers: { ...actor.headers, ...body.headers },
      payload: body.payload,
    });
    expect(started.statusCode, started.body).toBe(202);
    const preview = await settled(slug, actor, started.json().id);
    expect(preview.status, preview.error).toBe('preview');
    return preview;
  }

  async function settled(slug: string, actor: TestActor, id: string) {
    await context.app.backgroundTasksSettled();
    const answer = await get(`/api/alliances/${slug}/imports/${id}`, actor.headers);
    expect(answer.statusCode, answer.body).toBe(200);
    return answer.json();
  }

  async function commit(slug: string, actor: TestActor, id: string) {
    const answer = await context.app.inject({
      method: 'POST',
      url: `/api/alliances/${slug}/imports/${id}/commit`,
      headers: actor.headers,
    });
    expect(answer.statusCode, answer.body).toBe(202);
    const committed = await settled(slug, actor, id);
    expect(committed.status, committed.error).toBe('committed');
    return committed;
  }

  /** A new alliance over Bordeaux's region, created through the API; its founder coordinates it. */
  async function allianceOverBordeaux(slug: string) {
    const founder = await signedInAs(context.database.db, null, 'bordeaux');
    const { rows } = await sql<{ box: string }>`
      select ST_AsGeoJSON(ST_Envelope(ST_Buffer(boundary::geometry, 0.05))) as box from alliance
      where slug = 'bordeaux'`.execute(context.database.db);
    const created = await context.app.inject({
      method: 'POST',
      url: '/api/alliances',
      headers: founder.headers,
      payload: {
        slug,
        name: `Round trip — ${slug}`,
        country: 'FR',
        timezone: 'Europe/Paris',
        languages: ['fr'],
        boundary: JSON.parse(rows[0]!.box),
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    return founder;
  }

  beforeAll(async () => {
    member = await signedInAs(context.database.db, 'member', 'bordeaux');
    coordinator = await signedInAs(context.database.db, 'coordinator', 'bordeaux');
  });

  it('brings the Bordeaux directory back whole from its HSDS tabular download', async () => {
    const zip = await get('/api/alliances/bordeaux/exports/hsds.zip', member.headers);
    expect(zip.statusCode, zip.body).toBe(200);
    const founder = await allianceOverBordeaux('bordeaux-hsds');
    const preview = await upload('bordeaux-hsds', founder, [{ name: 'hsds.zip', content: zip.rawPayload }], {
      format: 'hsds-tabular',
    });
    expect(preview.counts).toMatchObject({ errors: 0, updated: 0, gone: 0, duplicates: 0 });
    await commit('bordeaux-hsds', founder, preview.id);

    expect(await organizationNames(context, 'bordeaux-hsds')).toEqual(await organizationNames(context, 'bordeaux'));
    const original = await directoryOf(context, 'bordeaux');
    const copy = await directoryOf(context, 'bordeaux-hsds');
    expect(copy.length).toBe(original.length);
    const withoutPlaces = (rows: typeof original) => rows.map(({ places: _places, ...fields }) => fields);
    expect(withoutPlaces(copy)).toEqual(withoutPlaces(original));
    for (const [index, service] of original.entries()) {
      expect(copy[index]!.places).toHaveLength(service.places.length);
      service.places.forEach((place, at) => expectSamePlace(copy[index]!.places[at]!, place, service.service));
    }
  });

  it('brings back from its data·inclusion download what data·inclusion can carry', async () => {
    const download = await get('/api/alliances/bordeaux/exports/data-inclusion.json', member.headers);
    expect(download.statusCode, download.body).toBe(200);
    const founder = await allianceOverBordeaux('bordeaux-di');
    const preview = await upload(
      'bordeaux-di',
      founder,
      [{ name: 'data-inclusion.json', content: download.rawPayload }],
      { format: 'data-inclusion-json' },
    );
    expect(preview.counts).toMatchObject({ errors: 0, updated: 0, gone: 0 });
    await commit('bordeaux-di', founder, preview.id);

    expect(await organizationNames(context, 'bordeaux-di')).toEqual(await organizationNames(context, 'bordeaux'));
    // data·inclusion gives active services only, one record per service and place; they come back as one service.
    const original = (await directoryOf(context, 'bordeaux')).filter((service) => service.status === 'active');
    const copy = await directoryOf(context, 'bordeaux-di');
    const carried = ({ category: _c, topics: _t, audiences: _a, languages: _l, ...fields }: (typeof copy)[number]) =>
      fields;
    expect(copy.map(carried)).toEqual(original.map(carried));
    for (const [index, service] of original.entries()) {
      const back = copy[index]!;
      // Our three categories and fifteen topics are filed under data·inclusion's themes, several of ours sharing
      // one (mediation and legal aid both "accès aux droits", sports and culture both "activités sportives et
      // culturelles"), so a theme comes back as the first topic filed under it, and the category as that topic's.
      // What survives is the themes: the copy is filed under every theme the original was.
      expect(thematiquesOf(back.category, back.topics), service.service).toEqual(
        expect.arrayContaining(thematiquesOf(service.category, service.topics)),
      );
      // Every group of newcomers is "personnes-exilees" there: the audience comes back as that public.
      expect(publicsOf(back.audiences), service.service).toEqual(publicsOf(service.audiences));
      // data·inclusion v1 has no field for the languages a service is offered in.
      expect(back.languages).toEqual([]);
    }
    // Services without topics are filed under their category's theme, and come back in the same category.
    const categoryOnly = original.filter((service) => service.topics.length === 0);
    expect(categoryOnly.length).toBeGreaterThan(0);
    for (const service of categoryOnly) {
      expect(copy[original.indexOf(service)]!.category, service.service).toBe(service.category);
    }
  });

  describe("a Bordeaux coordinator's data·inclusion extract of Gironde", () => {
    const structures = readJson(path.join(fixtures, 'data-inclusion-gironde/structures.json'));
    const services = readJson(path.join(fixtures, 'data-inclusion-gironde/services.json')) as Record<string, any>[];
    const asFiles = (serviceRecords: Record<string, any>[]) => [
      { name: 'structures.json', content: JSON.stringify(structures) },
      { name: 'services.json', content: JSON.stringify(serviceRecords) },
    ];
    const source = { source: 'data·inclusion Gironde' };
    let before: Awaited<ReturnType<typeof directoryOf>>;
    let organizationsBefore: string[];
    let locationsBefore: number;
    let firstImport = '';
    let secondImport = '';
    let afterFirstImport: Awaited<ReturnType<typeof directoryOf>>;

    /** A gap analysis of Bordeaux by its three categories: how many service places each counted. */
    async function gapAnalysisPlaces() {
      const accepted = await context.app.inject({
        method: 'POST',
        url: '/api/alliances/bordeaux/gap-analyses',
        payload: { units: { kind: 'h3', resolution: 6 } },
        headers: adminHeaders,
      });
      expect(accepted.statusCode, accepted.body).toBe(202);
      await context.app.backgroundTasksSettled();
      let run = (await get(accepted.json().progressUrl)).json();
      while (run.status === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 100));
        run = (await get(accepted.json().progressUrl)).json();
      }
      expect(run.status, run.error).toBe('done');
      return Object.fromEntries(
        (run.summary.subjects as { subject: string; serviceLocations: number }[]).map((subject) => [
          subject.subject,
          subject.serviceLocations,
        ]),
      );
    }

    it('is reviewed, committed, and found in the directory, the map and the gap analysis', async () => {
      before = await directoryOf(context, 'bordeaux');
      organizationsBefore = await organizationNames(context, 'bordeaux');
      locationsBefore = await locationCount(context, 'bordeaux');
      const placesBefore = await gapAnalysisPlaces();

      const preview = await upload('bordeaux', coordinator, asFiles(services), source);
      expect(preview.format).toBe('data-inclusion-json');
      expect(preview.counts).toMatchObject({ organizations: 8, services: 15, errors: 0, updated: 0, gone: 0 });
      expect(preview.counts.new).toBe(
        preview.counts.organizations + preview.counts.services + preview.counts.locations,
      );
      const committed = await commit('bordeaux', coordinator, preview.id);
      expect(committed.report).toMatchObject({ created: preview.counts.new, errors: 0 });
      firstImport = preview.id;
      afterFirstImport = await directoryOf(context, 'bordeaux');

      const names = services.map((service) => service.nom as string);
      const listed = (await get('/api/services?alliance=bordeaux&limit=500')).json();
      expect(listed.items.map((item: { name: string }) => item.name)).toEqual(expect.arrayContaining(names));
      const map = (await get('/api/services.geojson?alliance=bordeaux')).json();
      const onMap = map.features.map((feature: { properties: { name: string } }) => feature.properties.name);
      // A service given only at a distance (the driving licence aid) has no place on the map.
      const remote = services.filter((service) => !service.modes_accueil.includes('en-presentiel'));
      expect(remote.map((service) => service.id)).toEqual(['france-travail--permis-b']);
      expect(onMap).toEqual(expect.arrayContaining(names.filter((name) => name !== remote[0]!.nom)));

      // The gap analysis counts every place of every new active service, in its category.
      const placesAfter = await gapAnalysisPlaces();
      const { rows } = await sql<{ category: string; places: number }>`
        select s.category, count(*)::int as places from service s
          join service_at_location sal on sal.service_id = s.id
          join import_source src on src.id = s.import_source_id
        where src.name = 'data·inclusion Gironde' and s.status = 'active'
        group by s.category`.execute(context.database.db);
      expect(rows.length).toBeGreaterThan(0);
      for (const { category, places } of rows) {
        expect(placesAfter[category]! - placesBefore[category]!, category).toBe(places);
      }
    }, 240_000);

    it('imports a newer copy: one service changed, one gone, one new; gives back valid HSDS and data·inclusion', async () => {
      const newer = services
        .filter((service) => service.id !== 'soliguide--31044-velo-ecole')
        .map((service) =>
          service.id === 'dora--svc-ccas-aide-alimentaire'
            ? { ...service, description: `${service.description} Sur rendez-vous le mardi.`, date_maj: '2026-11-30' }
            : service,
        );
      newer.push({
        ...services.find((service) => service.id === 'dora--svc-ccas-domiciliation'),
        id: 'dora--svc-ccas-ecrivain-public',
        nom: 'Écrivain public',
        description: 'Aide à la rédaction de courriers administratifs, sans rendez-vous le jeudi matin.',
        date_maj: '2026-11-30',
      });
      const preview = await upload('bordeaux', coordinator, asFiles(newer), source);
      expect(preview.counts).toMatchObject({ new: 1, updated: 1, gone: 1, errors: 0 });
      const decided = await context.app.inject({
        method: 'PATCH',
        url: `/api/alliances/bordeaux/imports/${preview.id}`,
        headers: coordinator.headers,
        payload: { archiveGone: 'all' },
      });
      expect(decided.statusCode, decided.body).toBe(200);
      const committed = await commit('bordeaux', coordinator, preview.id);
      expect(committed.report).toMatchObject({ created: 1, updated: 1, archived: 1 });
      secondImport = preview.id;

      const statusOf = async (sourceId: string) =>
        (
          await context.database.db
            .selectFrom('service')
            .select(['status', 'description'])
            .where('source_record_id', '=', sourceId)
            .executeTakeFirstOrThrow()
        ).status;
      expect(await statusOf('soliguide--31044-velo-ecole')).toBe('inactive');
      expect(await statusOf('dora--svc-ccas-ecrivain-public')).toBe('active');

      const zip = await get('/api/alliances/bordeaux/exports/hsds.zip', coordinator.headers);
      expect(zip.statusCode).toBe(200);
      const tabular = tabularProblems(zip.rawPayload);
      expect(tabular.rows).toBeGreaterThan(100);
      expect(tabular.problems).toEqual([]);
      const hsdsService = ajv.compile(readJson(path.join(hsdsCompiled, 'service.json')));
      const page = (
        await get('/api/hsds/services?alliance=bordeaux&search=public&full=true', coordinator.headers)
      ).json();
      const writer = page.contents.find((item: { name: string }) => item.name === 'Écrivain public');
      expect(writer).toBeDefined();
      expect(hsdsService(writer), JSON.stringify(hsdsService.errors)).toBe(true);

      const file = (await get('/api/alliances/bordeaux/exports/data-inclusion.json', coordinator.headers)).json();
      expect(dataInclusionProblems(file)).toEqual([]);
      const exported = file.services.map((service: { nom: string }) => service.nom);
      expect(exported).toContain('Écrivain public');
      expect(exported).not.toContain(services.find((service) => service.id === 'soliguide--31044-velo-ecole')!.nom);
    }, 120_000);

    it('is undone, the newer copy first: the directory is as the first import left it', async () => {
      const undone = await context.app.inject({
        method: 'POST',
        url: `/api/alliances/bordeaux/imports/${secondImport}/undo`,
        headers: coordinator.headers,
      });
      expect(undone.statusCode, undone.body).toBe(200);
      expect(undone.json().status).toBe('undone');
      expect(await directoryOf(context, 'bordeaux')).toEqual(afterFirstImport);
    });

    // Undoing the newer copy changed the first import's records back to what it wrote: no reason to refuse.
    it('is undone, then the first import: the directory is as it was before', async () => {
      const undone = await context.app.inject({
        method: 'POST',
        url: `/api/alliances/bordeaux/imports/${firstImport}/undo`,
        headers: coordinator.headers,
      });
      expect(undone.statusCode, undone.body).toBe(200);
      expect(await organizationNames(context, 'bordeaux')).toEqual(organizationsBefore);
      expect(await locationCount(context, 'bordeaux')).toBe(locationsBefore);
      expect(await directoryOf(context, 'bordeaux')).toEqual(before);
    });
  });

  it('undoes an import of the Gironde extract: exactly what it added is removed', async () => {
    // The alliance copied from Bordeaux's HSDS download (first test) holds records of its own.
    const slug = 'bordeaux-hsds';
    const founder = await signedInAs(context.database.db, 'coordinator', slug);
    const directory = await directoryOf(context, slug);
    const organizations = await organizationNames(context, slug);
    const locations = await locationCount(context, slug);
    expect(directory.length).toBeGreaterThan(0);
    const files = ['structures.json', 'services.json'].map((name) => ({
      name,
      content: fs.readFileSync(path.join(fixtures, 'data-inclusion-gironde', name)),
    }));
    const preview = await upload(slug, founder, files, { source: 'data·inclusion Gironde' });
    await commit(slug, founder, preview.id);
    expect((await directoryOf(context, slug)).length).toBe(directory.length + 15);
    const undone = await context.app.inject({
      method: 'POST',
      url: `/api/alliances/${slug}/imports/${preview.id}/undo`,
      headers: founder.headers,
    });
    expect(undone.statusCode, undone.body).toBe(200);
    expect(await organizationNames(context, slug)).toEqual(organizations);
    expect(await locationCount(context, slug)).toBe(locations);
    expect(await directoryOf(context, slug)).toEqual(directory);
  });

  it('lets a Roscommon coordinator import the Roscommon spreadsheet and find its services', async () => {
    const irish = await signedInAs(context.database.db, 'coordinator', 'roscommon');
    const content = fs.readFileSync(path.join(fixtures, 'spreadsheets/roscommon-services.csv'));
    const preview = await upload('roscommon', irish, [{ name: 'roscommon-services.csv', content }]);
    expect(preview.format).toBe('spreadsheet-csv');
    expect(preview.counts.errors).toBe(0);
    await commit('roscommon', irish, preview.id);
    const listed = (await get('/api/services?alliance=roscommon&limit=500')).json();
    const names = listed.items.map((item: { name: string }) => item.name);
    expect(names).toEqual(expect.arrayContaining(['English conversation classes', 'Drop-in information clinic']));
  });
});
