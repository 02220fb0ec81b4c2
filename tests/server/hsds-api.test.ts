import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/src/config.js';
import { signedInAs, type TestActor } from '../support/accounts.js';
import { databaseModes } from '../support/testDatabase.js';
import { demoDataDir, useTestApp } from '../support/testApp.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const schemaDir = path.join(projectRoot, 'tests/fixtures/standards/hsds-3.0/schema');
const readSchema = (file: string) => JSON.parse(fs.readFileSync(path.join(schemaDir, file), 'utf8'));

/** The published HSDS 3.0 schemas: the compiled objects, and the Page of openapi.json with every field required. */
function hsdsValidators() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const compiled = (name: string) => ajv.compile(readSchema(`compiled/${name}.json`));
  const service = readSchema('compiled/service.json');
  const term = service.properties.attributes.items.properties.taxonomy_term;
  const page = readSchema('openapi.json').components.schemas.Page;
  return {
    service: compiled('service'),
    serviceList: compiled('service_list'),
    organization: compiled('organization'),
    organizationList: compiled('organization_list'),
    serviceAtLocation: compiled('service_at_location'),
    serviceAtLocationList: compiled('service_at_location_list'),
    taxonomyTerm: ajv.compile(term),
    taxonomy: ajv.compile(term.properties.taxonomy_detail),
    page: ajv.compile({ ...page, required: Object.keys(page.properties) }),
  };
}

const validators = hsdsValidators();

function expectValid(validate: ValidateFunction, object: unknown) {
  const valid = validate(object);
  expect(validate.errors ?? [], JSON.stringify(object).slice(0, 400)).toEqual([]);
  expect(valid).toBe(true);
}

interface HsdsPage {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  first_page: boolean;
  last_page: boolean;
  empty: boolean;
  contents: Record<string, any>[];
}

describe.each(databaseModes())('HSDS 3.0 read API (%s database)', (mode) => {
  const context = useTestApp(mode, demoDataDir);
  let member: TestActor;
  let otherMember: TestActor;
  const secret = {
    street: '12 rue du Refuge Secret',
    postalCode: '33999',
    contactEmail: 'directrice.refuge@example.org',
    contactPhone: '+33 5 99 99 99 99',
    contactPerson: 'Madame Refuge',
    lat: 44.83731,
    lon: -0.57917,
  };
  const ids = { organization: '', service: '', inactiveService: '', location: '', serviceAtLocation: '' };

  const get = async (url: string, headers: Record<string, string> = {}) => {
    const response = await context.app.inject({ url, headers });
    return { status: response.statusCode, body: response.json(), text: response.body };
  };

  /** Every object of a list, page by page. */
  async function everyObject(url: string, headers: Record<string, string> = {}) {
    const objects: Record<string, any>[] = [];
    for (let page = 1; ; page++) {
      const separator = url.includes('?') ? '&' : '?';
      const { status, body } = await get(`${url}${separator}per_page=200&page=${page}`, headers);
      expect(status).toBe(200);
      expectValid(validators.page, body);
      objects.push(...body.contents);
      if (body.last_page) {
        expect(objects).toHaveLength(body.total_items);
        return objects;
      }
    }
  }

  beforeAll(async () => {
    const { db } = context.database;
    member = await signedInAs(db, 'member', 'bordeaux');
    otherMember = await signedInAs(db, 'member', 'roscommon');
    const alliance = await db
      .selectFrom('alliance')
      .select('id')
      .where('slug', '=', 'bordeaux')
      .executeTakeFirstOrThrow();
    const organization = await db
      .insertInto('organization')
      .values({
        alliance_id: alliance.id,
        name: 'Refuge des femmes (test)',
        description: 'A shelter whose address only the alliance knows.',
        contact_person: secret.contactPerson,
        contact_email: secret.contactEmail,
        contact_phone: secret.contactPhone,
        identifiers: JSON.stringify([{ scheme: 'FR-SIRET', type: 'siret', identifier: '12345678900011' }]),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.organization = organization.id;
    const location = await db
      .insertInto('location')
      .values({
        organization_id: organization.id,
        name: 'Refuge',
        address_1: secret.street,
        postal_code: secret.postalCode,
        city: 'Bordeaux',
        country: 'FR',
        hide_address: true,
        precision: 'exact',
        geog: sql<string>`ST_SetSRID(ST_MakePoint(${secret.lon}, ${secret.lat}), 4326)::geography`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.location = location.id;
    for (const [key, status] of [
      ['service', 'active'],
      ['inactiveService', 'inactive'],
    ] as const) {
      const service = await db
        .insertInto('service')
        .values({
          organization_id: organization.id,
          name: `Hébergement d'urgence (${status})`,
          category: 'social_action',
          topics: ['housing'],
          audiences: ['women'],
          languages: ['fr', 'ar'],
          status,
          phone: '+33 5 00 00 00 00',
          free: true,
          capacity: 24,
          capacity_unit: 'beds',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids[key] = service.id;
      const link = await db
        .insertInto('service_at_location')
        .values({ service_id: service.id, location_id: location.id })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (key === 'service') ids.serviceAtLocation = link.id;
      await db
        .insertInto('schedule')
        .values({ service_id: service.id, opening_hours: 'Mo-Fr 09:00-12:00,14:00-17:00; We 09:00-12:00; PH off' })
        .execute();
    }
  });

  it('says which HSDS version it follows and where its OpenAPI document is', async () => {
    const { status, body } = await get('/api/hsds');
    expect(status).toBe(200);
    expect(body.version).toBe('3.0');
    expect(new URL(body.openapi_url).pathname).toBe('/docs/json');
    expect((await get(new URL(body.openapi_url).pathname)).status).toBe(200);
  });

  it('gives every service of the demo data as a valid HSDS service, listed, nested and one by one', async () => {
    const listed = await everyObject('/api/hsds/services');
    expect(listed.length).toBeGreaterThan(50);
    for (const service of listed) expectValid(validators.serviceList, service);
    const nested = await everyObject('/api/hsds/services?full=true');
    expect(nested.map((service) => service.id)).toEqual(listed.map((service) => service.id));
    for (const service of nested) expectValid(validators.service, service);
    for (const { id } of listed) {
      const { status, body } = await get(`/api/hsds/services/${id}`);
      expect(status).toBe(200);
      expectValid(validators.service, body);
    }
    const withHours = nested.filter((service) => service.schedules.length > 0);
    expect(withHours.length).toBeGreaterThan(10);
  });

  it("gives a service's capacity as the extension fields x_capacity and x_capacity_unit, still valid HSDS", async () => {
    const { status, body } = await get(`/api/hsds/services/${ids.service}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ x_capacity: 24, x_capacity_unit: 'beds' });
    expectValid(validators.service, body);
  });

  it('gives every organisation and every service at a location as valid HSDS objects', async () => {
    const organizations = await everyObject('/api/hsds/organizations');
    for (const organization of organizations) expectValid(validators.organizationList, organization);
    for (const organization of await everyObject('/api/hsds/organizations?full=true')) {
      expectValid(validators.organization, organization);
    }
    for (const { id } of organizations) {
      const { body } = await get(`/api/hsds/organizations/${id}`);
      expectValid(validators.organization, body);
    }
    const links = await everyObject('/api/hsds/service_at_locations');
    expect(links.length).toBeGreaterThan(50);
    for (const link of links) expectValid(validators.serviceAtLocationList, link);
    for (const { id } of links.slice(0, 40)) {
      const { body } = await get(`/api/hsds/service_at_locations/${id}`);
      expectValid(validators.serviceAtLocation, body);
    }
  });

  it('publishes the categories, topics and audiences as three taxonomies with stable term ids', async () => {
    const taxonomies = await everyObject('/api/hsds/taxonomies');
    expect(taxonomies).toHaveLength(3);
    for (const taxonomy of taxonomies) expectValid(validators.taxonomy, taxonomy);
    const terms = await everyObject('/api/hsds/taxonomy_terms');
    for (const term of terms) expectValid(validators.taxonomyTerm, term);
    expect(terms.filter((term) => term.code === 'social_action')).toHaveLength(1);
    const again = await everyObject('/api/hsds/taxonomy_terms');
    expect(again.map((term) => term.id)).toEqual(terms.map((term) => term.id));
    const categories = taxonomies.find((taxonomy) => /categories/.test(taxonomy.name))!;
    const categoryTerms = await everyObject(`/api/hsds/taxonomy_terms?taxonomy_id=${categories.id}`);
    expect(categoryTerms.map((term) => term.code).sort()).toEqual([
      'professional_integration',
      'social_action',
      'socio_cultural_sports',
    ]);
  });

  it('filters services by taxonomy term, and attaches the terms to services as attributes', async () => {
    const terms = await everyObject('/api/hsds/taxonomy_terms');
    const housing = terms.find((term) => term.code === 'housing')!;
    const { body } = await get(`/api/hsds/services?full=true&per_page=200&taxonomy_term_id=${housing.id}`);
    const { count } = await context.database.db
      .selectFrom('service')
      .select(sql<number>`count(*)::int`.as('count'))
      .where(sql<boolean>`'housing' = any(topics)`)
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    expect(body.total_items).toBe(count);
    expect(count).toBeGreaterThan(0);
    for (const service of body.contents) {
      expect(service.attributes.map((attribute: any) => attribute.taxonomy_term_id)).toContain(housing.id);
    }
    const unknown = await get('/api/hsds/services?taxonomy_term_id=00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/no taxonomy term/);
  });

  it('pages: sizes, flags, disjoint pages, an empty page past the end, bounded page sizes', async () => {
    const first = (await get('/api/hsds/services?per_page=7')).body as HsdsPage;
    const second = (await get('/api/hsds/services?per_page=7&page=2')).body as HsdsPage;
    expect(first).toMatchObject({ page_number: 1, size: 7, first_page: true, last_page: false, empty: false });
    expect(second).toMatchObject({ page_number: 2, size: 7, first_page: false });
    expect(first.total_pages).toBe(Math.ceil(first.total_items / 7));
    const firstIds = new Set(first.contents.map((service) => service.id));
    expect(second.contents.some((service) => firstIds.has(service.id))).toBe(false);
    const last = (await get(`/api/hsds/services?per_page=7&page=${first.total_pages}`)).body as HsdsPage;
    expect(last).toMatchObject({ last_page: true, empty: false });
    expect(last.size).toBe(first.total_items - 7 * (first.total_pages - 1));
    const past = (await get(`/api/hsds/services?per_page=7&page=${first.total_pages + 1}`)).body as HsdsPage;
    expect(past).toMatchObject({ empty: true, size: 0, contents: [] });
    for (const query of ['per_page=201', 'per_page=0', 'page=0', 'page=abc', 'full=maybe']) {
      const { status, body } = await get(`/api/hsds/services?${query}`);
      expect(status, query).toBe(400);
      expect(body.message).toEqual(expect.any(String));
    }
  });

  it('searches names and descriptions, with % and _ taken literally', async () => {
    const { body } = await get('/api/hsds/services?search=CADA&per_page=200');
    expect(body.total_items).toBeGreaterThan(0);
    for (const service of body.contents) expect(`${service.name} ${service.description ?? ''}`).toMatch(/cada/i);
    expect((await get('/api/hsds/services?search=%25')).body.total_items).toBe(0);
    const organizations = (await get('/api/hsds/organizations?search=refuge des femmes')).body;
    expect(organizations.contents.map((organization: any) => organization.id)).toEqual([ids.organization]);
  });

  it('lists what changed after a time, and refuses a time it cannot read', async () => {
    const { db } = context.database;
    const before = new Date().toISOString();
    const service = await db
      .selectFrom('service')
      .select('id')
      .where('status', '=', 'active')
      .where('id', '!=', ids.service)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    // The version trigger stamps the change with the database's time.
    await db.updateTable('service').set({ alternate_name: 'Changed' }).where('id', '=', service.id).execute();
    const { body } = await get(`/api/hsds/services?modified_after=${encodeURIComponent(before)}`);
    expect(body.contents.map((row: any) => row.id)).toEqual([service.id]);
    expect(Date.parse(body.contents[0].last_modified)).toBeGreaterThanOrEqual(Date.parse(before));
    for (const value of ['yesterday', '2026-13-01T00:00:00Z', '2026-01-01']) {
      const answer = await get(`/api/hsds/services?modified_after=${value}`);
      expect(answer.status, value).toBe(400);
      expect(answer.body.message).toMatch(/modified_after/);
    }
  });

  it("narrows to one alliance's records, and answers 404 for an alliance that does not exist", async () => {
    const { db } = context.database;
    const bordeaux = await db
      .selectFrom('organization as o')
      .innerJoin('alliance as a', 'a.id', 'o.alliance_id')
      .select('o.id')
      .where('a.slug', '=', 'bordeaux')
      .execute();
    const bordeauxIds = new Set(bordeaux.map((row) => row.id));
    const services = await everyObject('/api/hsds/services?alliance=bordeaux');
    expect(services.length).toBeGreaterThan(5);
    for (const service of services) expect(bordeauxIds.has(service.organization_id)).toBe(true);
    const organizations = await everyObject('/api/hsds/organizations?alliance=bordeaux');
    expect(organizations.map((organization) => organization.id).sort()).toEqual([...bordeauxIds].sort());
    for (const url of ['/api/hsds/services', '/api/hsds/organizations', '/api/hsds/service_at_locations']) {
      const { status, body } = await get(`${url}?alliance=atlantis`);
      expect(status).toBe(404);
      expect(body.message).toBe('There is no alliance "atlantis".');
    }
  });

  it('never shows the public a contact person, a hidden street or an inactive service', async () => {
    const texts = [
      (await get(`/api/hsds/organizations/${ids.organization}`)).text,
      (await get(`/api/hsds/organizations?full=true&search=refuge`)).text,
      (await get(`/api/hsds/services/${ids.service}`)).text,
      (await get(`/api/hsds/services?full=true&per_page=200&alliance=bordeaux`)).text,
      (await get(`/api/hsds/service_at_locations/${ids.serviceAtLocation}`)).text,
      (await get(`/api/hsds/service_at_locations?per_page=200&alliance=bordeaux`)).text,
      (await get(`/api/hsds/services/${ids.service}`, otherMember.headers)).text,
    ];
    for (const text of texts) {
      for (const value of [
        secret.street,
        secret.postalCode,
        secret.contactEmail,
        secret.contactPhone,
        secret.contactPerson,
      ]) {
        expect(text).not.toContain(value);
      }
      expect(text).not.toContain(String(secret.lat));
      expect(text).not.toContain(ids.inactiveService);
    }
    const service = (await get(`/api/hsds/services/${ids.service}`)).body;
    const location = service.service_at_locations[0].location;
    expect(location.latitude).toBeCloseTo(44.84, 6);
    expect(location.longitude).toBeCloseTo(-0.58, 6);
    expect(location.addresses[0]).toMatchObject({ city: 'Bordeaux', address_1: '', postal_code: '' });
    const organization = (await get(`/api/hsds/organizations/${ids.organization}`)).body;
    expect(organization.contacts).toEqual([]);
    expect(organization.organization_identifiers[0]).toMatchObject({ identifier: '12345678900011' });
    const inactive = await get(`/api/hsds/services/${ids.inactiveService}`);
    expect(inactive.status).toBe(404);
    expect(inactive.body.message).toBe(`There is no service with id ${ids.inactiveService}.`);
  });

  it("shows the alliance's members its records in full: contact person, exact address, every status", async () => {
    const organization = (await get(`/api/hsds/organizations/${ids.organization}`, member.headers)).body;
    expectValid(validators.organization, organization);
    expect(organization.contacts[0]).toMatchObject({ name: secret.contactPerson, email: secret.contactEmail });
    expect(organization.contacts[0].phones[0].number).toBe(secret.contactPhone);
    const inactive = await get(`/api/hsds/services/${ids.inactiveService}`, member.headers);
    expect(inactive.status).toBe(200);
    expectValid(validators.service, inactive.body);
    const location = inactive.body.service_at_locations[0].location;
    expect(location.latitude).toBeCloseTo(secret.lat, 6);
    expect(location.addresses[0]).toMatchObject({ address_1: secret.street, postal_code: secret.postalCode });
    const listed = await everyObject('/api/hsds/services?alliance=bordeaux', member.headers);
    expect(listed.map((service) => service.id)).toContain(ids.inactiveService);
  });

  it('gives opening hours as weekly HSDS schedules, and the OSM text whole when HSDS cannot say it', async () => {
    const { db } = context.database;
    const service = (await get(`/api/hsds/services/${ids.service}`)).body;
    expect(service.schedules).toHaveLength(1);
    expect(service.schedules[0].description).toBe('Mo-Fr 09:00-12:00,14:00-17:00; We 09:00-12:00; PH off');
    await db
      .updateTable('schedule')
      .set({ opening_hours: 'Mo-Fr 09:00-12:00,14:00-17:00; We 09:00-12:00' })
      .where('service_id', '=', ids.service)
      .execute();
    const weekly = (await get(`/api/hsds/services/${ids.service}`)).body;
    expectValid(validators.service, weekly);
    const slots = weekly.schedules.map((schedule: any) => [
      schedule.freq,
      schedule.byday,
      schedule.opens_at,
      schedule.closes_at,
    ]);
    expect(slots).toEqual([
      ['WEEKLY', 'MO,TU,WE,TH,FR', '09:00', '12:00'],
      ['WEEKLY', 'MO,TU,TH,FR', '14:00', '17:00'],
    ]);
  });

  it('gives texts in the language asked for where a translation exists', async () => {
    const { db } = context.database;
    const translation = await db
      .selectFrom('translation')
      .select(['entity_id', 'text'])
      .where('entity_type', '=', 'service')
      .where('language', '=', 'fr')
      .where('field', '=', 'description')
      .executeTakeFirstOrThrow();
    const { body } = await get(`/api/hsds/services/${translation.entity_id}?lang=fr`);
    expect(body.description).toBe(translation.text);
    expect((await get(`/api/hsds/services/${translation.entity_id}`)).body.description).not.toBe(translation.text);
  });

  it('answers 404 with a sentence for unknown ids and 400 for ids that are not ids', async () => {
    const unknown = '11111111-1111-4111-8111-111111111111';
    for (const [url, noun] of [
      ['services', 'service'],
      ['organizations', 'organisation'],
      ['service_at_locations', 'service at a location'],
    ]) {
      const { status, body } = await get(`/api/hsds/${url}/${unknown}`);
      expect(status).toBe(404);
      expect(body.message).toBe(`There is no ${noun} with id ${unknown}.`);
      expect((await get(`/api/hsds/${url}/not-an-id`)).status).toBe(400);
    }
  });

  // 3,000 services walked page by page, every object validated: longer than most tests, in embedded mode above all.
  it('gives a large generated directory as valid HSDS objects', async () => {
    const { db } = context.database;
    const alliance = await db
      .selectFrom('alliance')
      .select('id')
      .where('slug', '=', 'roscommon')
      .executeTakeFirstOrThrow();
    await sql`
      with organizations as (
        insert into organization (alliance_id, name, description, website, email)
        select ${alliance.id}, 'Generated organisation ' || n, case when n % 3 = 0 then null else 'Generated' end,
          case when n % 2 = 0 then 'https://example.org/' || n end, 'contact' || n || '@example.org'
        from generate_series(1, 300) as n
        returning id, name),
      services as (
        insert into service (organization_id, name, description, category, topics, audiences, languages, status,
                             url, email, phone, free, area_scope)
        select o.id, o.name || ' service ' || k, 'Generated service', (array['social_action',
          'socio_cultural_sports', 'professional_integration'])[1 + k % 3], array['health', 'mentoring'],
          array['refugees'], array['en', 'uk'], (array['active', 'inactive', 'active'])[1 + k % 3],
          'https://example.org/s/' || k, null, '+353 90 000 ' || k, k % 2 = 0,
          (array['local', 'region'])[1 + k % 2]
        from organizations o, generate_series(1, 10) as k
        returning id, organization_id),
      locations as (
        insert into location (organization_id, name, city, country, postal_code, address_1, hide_address, geog)
        select o.id, 'Office', 'Roscommon', 'IE', 'F42', 'Main Street', o.name like '%7', 
          ST_SetSRID(ST_MakePoint(-8.19, 53.63), 4326)::geography
        from organizations o
        returning id, organization_id)
      insert into service_at_location (service_id, location_id)
      select s.id, l.id from services s join locations l on l.organization_id = s.organization_id`.execute(db);
    const services = await everyObject('/api/hsds/services?full=true&alliance=roscommon', member.headers);
    expect(services.length).toBeGreaterThan(1500);
    for (const service of services) expectValid(validators.service, service);
    const links = await everyObject('/api/hsds/service_at_locations?alliance=roscommon');
    expect(links.length).toBeGreaterThan(1500);
    for (const link of links) expectValid(validators.serviceAtLocationList, link);
    for (const organization of await everyObject('/api/hsds/organizations?alliance=roscommon&full=true')) {
      expectValid(validators.organization, organization);
    }
  }, 90_000);
});
