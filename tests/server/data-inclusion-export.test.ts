import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import formatsPlugin from 'ajv-formats';
import { sql } from 'kysely';
import { projectRoot } from '../../server/src/config.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { departmentOfPostalCode } from '../../server/src/domain/exports/dataInclusionExport.js';
import { publicsOf, thematiquesOf } from '../../server/src/domain/exports/dataInclusionVocabulary.js';
import { audiences, categoryIds, topics } from '#contract/taxonomy/categories.js';
import { signedInAs, type TestActor } from '../support/accounts.js';
import { databaseModes } from '../support/testDatabase.js';
import { adminHeaders, demoDataDir, useTestApp } from '../support/testApp.js';

/** The published schema, beside the project (../shared/data-inclusion-schema). */
const schemaDir = path.join(projectRoot, 'tests/fixtures/standards/data-inclusion-schema/schemas/v1');
const readSchema = (name: string) => JSON.parse(fs.readFileSync(path.join(schemaDir, name), 'utf8'));

const ajv = new Ajv({ strict: false, allErrors: true });
formatsPlugin.default(ajv);
const validStructure = ajv.compile(readSchema('structure.json'));
const validService = ajv.compile(readSchema('service.json'));

interface DataInclusionFile {
  structures: Record<string, unknown>[];
  services: Record<string, unknown>[];
}

/** Every record that the schema refuses, with the reasons, so that a failure names them. */
function refused(file: DataInclusionFile) {
  const problems: { id: unknown; errors: unknown }[] = [];
  for (const structure of file.structures) {
    const { id } = structure;
    if (!validStructure(structure)) problems.push({ id, errors: validStructure.errors });
  }
  for (const service of file.services) {
    const { id } = service;
    if (!validService(service)) problems.push({ id, errors: validService.errors });
  }
  return problems;
}

describe('the data·inclusion schemas as compiled here', () => {
  it('refuse what the published schema refuses', () => {
    const structure = { source: 'passerelle', id: '1', nom: 'Centre', date_maj: '2026-12-02' };
    expect(validStructure(structure)).toBe(true);
    expect(validStructure({ ...structure, code_postal: '8911 AB' })).toBe(false);
    expect(validStructure({ ...structure, courriel: 'not an email' })).toBe(false);
    expect(validStructure({ ...structure, date_maj: '2026-12-02T10:00:00Z' })).toBe(false);
    expect(validService({ ...structure, structure_id: '1', description: 'Tiny', thematiques: ['sante'] })).toBe(false);
  });
});

describe("data·inclusion's vocabulary and codes", () => {
  it('files a service by its topics, else by its category', () => {
    expect(thematiquesOf('socio_cultural_sports', ['language_courses'])).toEqual([
      'lecture-ecriture-calcul--maitriser-le-francais',
    ]);
    // Interpreting has no theme of its own: the category says where the service belongs.
    expect(thematiquesOf('social_action', ['interpreting'])).toEqual([
      'difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits',
    ]);
  });

  it('names every newcomer audience once, and no public for no audience', () => {
    expect(publicsOf(['refugees', 'asylum_seekers', 'women'])).toEqual(['personnes-exilees', 'femmes']);
    expect(publicsOf([])).toBeNull();
  });

  it("gives a French postal code's department, Corsica's and overseas ones included", () => {
    expect(['33000', '20090', '20200', '97400', '75001', '8911 AB', null].map(departmentOfPostalCode)).toEqual([
      '33',
      '2A',
      '2B',
      '974',
      '75',
      null,
      null,
    ]);
  });
});

describe.each(databaseModes())('data·inclusion export of the demo data (%s database)', (mode) => {
  const context = useTestApp(mode, demoDataDir);

  it('gives every organisation and active service of every alliance, valid against schema v1', async () => {
    const alliances = await context.database.db.selectFrom('alliance').select(['id', 'slug']).execute();
    expect(alliances.map((alliance) => alliance.slug).sort()).toEqual([
      'bordeaux',
      'friesland',
      'kronoberg-kalmar-skane',
      'roscommon',
    ]);
    let structures = 0;
    let services = 0;
    for (const alliance of alliances) {
      for (const headers of [{}, adminHeaders]) {
        const response = await context.app.inject({
          url: `/api/alliances/${alliance.slug}/exports/data-inclusion.json`,
          headers,
        });
        expect(response.statusCode, response.body).toBe(200);
        expect(response.headers['content-type']).toMatch(/^application\/json/);
        const file = response.json<DataInclusionFile>();
        expect(refused(file)).toEqual([]);
        if (headers === adminHeaders) continue;
        structures += file.structures.length;
        services += file.services.length;
      }
      const counts = await context.database.db
        .selectFrom('organization as o')
        .select([
          sql<number>`count(*)::int`.as('organizations'),
          sql<number>`(select count(*)::int from service s join service_at_location sal on sal.service_id = s.id
            join organization o2 on o2.id = s.organization_id
            where o2.alliance_id = ${alliance.id} and s.status = 'active')`.as('servicePlaces'),
        ])
        .where('o.alliance_id', '=', alliance.id)
        .executeTakeFirstOrThrow();
      const file = (
        await context.app.inject({ url: `/api/alliances/${alliance.slug}/exports/data-inclusion.json` })
      ).json<DataInclusionFile>();
      expect(file.structures).toHaveLength(counts.organizations);
      expect(file.services).toHaveLength(counts.servicePlaces);
    }
    // The guide's partners: dozens of organisations, 57 services.
    expect(structures).toBeGreaterThan(30);
    expect(services).toBeGreaterThanOrEqual(57);
  });

  it('answers 404 for an alliance that does not exist', async () => {
    const response = await context.app.inject({ url: '/api/alliances/atlantis/exports/data-inclusion.json' });
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toBe('There is no alliance "atlantis".');
  });
});

describe.each(databaseModes())('data·inclusion export of the test region (%s database)', (mode) => {
  const context = useTestApp(mode);
  let member: TestActor;
  const exportAs = async (headers: Record<string, string> = {}) => {
    const response = await context.app.inject({ url: '/api/alliances/testland/exports/data-inclusion.json', headers });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<DataInclusionFile>();
  };

  beforeAll(async () => {
    member = await signedInAs(context.database.db, 'member', 'testland');
    await context.database.db
      .updateTable('organization')
      .set({ identifiers: JSON.stringify([{ scheme: 'FR-SIRET', type: 'siret', identifier: '123 456 789 00012' }]) })
      .where('name', '=', 'Centre Alpha')
      .execute();
    // A hidden address whose rounded public point differs from the door.
    await context.database.db
      .updateTable('location')
      .set({ geog: sql`ST_SetSRID(ST_MakePoint(-0.58123, 44.64371), 4326)::geography` })
      .where('address_1', '=', '3 impasse Discrète')
      .execute();
  });

  it("maps a service's fields to data·inclusion's", async () => {
    const file = await exportAs();
    const alpha = file.structures.find((structure) => structure.nom === 'Centre Alpha')!;
    expect(alpha).toMatchObject({
      source: 'passerelle',
      siret: '12345678900012',
      commune: 'Bordeaux',
      code_postal: '33000',
      adresse: '12 rue des Essais',
      latitude: 44.84,
      longitude: -0.58,
      site_web: 'https://alpha.example.org/',
      telephone: null,
      date_maj: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    const housing = file.services.find((service) => service.nom === 'Alpha housing advice')!;
    expect(housing).toMatchObject({
      structure_id: alpha.id,
      description: 'Housing advice.',
      thematiques: [
        'logement-hebergement--rechercher-une-solution-dhebergement-temporaire',
        'logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement',
      ],
      publics: ['personnes-exilees'],
      frais: 'gratuit',
      horaires_accueil: 'Mo-Fr 09:00-12:00,14:00-17:00',
      modes_accueil: ['en-presentiel'],
      zone_eligibilite: ['33'],
      conditions_acces: 'For anyone without a stable home.',
      telephone: '+33 5 00 00 00 01',
      type: 'accompagnement',
    });
    const football = file.services.find((service) => service.nom === 'Alpha football club')!;
    expect(football).toMatchObject({
      frais: 'payant',
      frais_precisions: '20 euros for the season.',
      publics: ['jeunes'],
      thematiques: ['remobilisation--activites-sportives-et-culturelles'],
    });
  });

  it('gives the public a hidden address without street or postal code, at its rounded point', async () => {
    const gamma = (await exportAs()).services.find((service) => service.nom === 'Gamma social desk')!;
    expect(gamma).toMatchObject({
      adresse: null,
      code_postal: null,
      commune: 'Langon',
      latitude: 44.64,
      longitude: -0.58,
    });
  });

  it("gives the alliance's members the hidden address in full", async () => {
    const gamma = (await exportAs(member.headers)).services.find((service) => service.nom === 'Gamma social desk')!;
    expect(gamma).toMatchObject({
      adresse: '3 impasse Discrète',
      code_postal: '33210',
      latitude: 44.64371,
      longitude: -0.58123,
    });
  });

  it('leaves out services that are not active, for everyone', async () => {
    await context.database.db
      .updateTable('service')
      .set({ status: 'inactive' })
      .where('name', '=', 'Beta job coaching')
      .execute();
    for (const headers of [{}, member.headers]) {
      const names = (await exportAs(headers)).services.map((service) => service.nom);
      expect(names).not.toContain('Beta job coaching');
      expect(names).toContain('Alpha housing advice');
    }
    await context.database.db
      .updateTable('service')
      .set({ status: 'active' })
      .where('name', '=', 'Beta job coaching')
      .execute();
  });

  it('stays valid over a large generated set with every shape of field we hold', async () => {
    const db = context.database.db;
    const alliance = await db
      .selectFrom('alliance')
      .select('id')
      .where('slug', '=', 'testland')
      .executeTakeFirstOrThrow();
    const names = ['A', 'Hé', 'Centre social.', `Très ${'long '.repeat(60)}nom`, '  spaced   out  ', 'Ōsaka – 大阪'];
    const descriptions = [null, '', 'Tiny', 'A description long enough.', 'x'.repeat(12_000)];
    const postalCodes = [null, '33000', '20090', '20200', '97400', '8911 AB', 'F42 X123', '352 30', '123'];
    const emails = [null, 'contact@example.org', 'not an email', 'a@b', ' spaced@example.org '];
    const websites = [null, 'https://example.org/', 'javascript:alert(1)', 'www.example.org'];
    const organizations = 120;
    for (let index = 0; index < organizations; index++) {
      const organization = await db
        .insertInto('organization')
        .values({
          alliance_id: alliance.id,
          name: `${names[index % names.length]} ${index}`.slice(0, index % 7 === 0 ? 2 : 300),
          description: descriptions[index % descriptions.length]!,
          email: emails[index % emails.length]!,
          website: websites[index % websites.length]!,
          identifiers: JSON.stringify(
            index % 3 === 0 ? [{ type: 'siret', identifier: String(10_000_000_000_000 + index) }] : [],
          ),
          contact_person: 'Private Person',
          contact_phone: '+33 6 00 00 00 00',
          contact_email: 'private@example.org',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const locationIds = [];
      for (let place = 0; place < index % 4; place++) {
        const location = await db
          .insertInto('location')
          .values({
            organization_id: organization.id,
            address_1: place % 2 === 0 ? `${index} rue du Test` : null,
            city: index % 5 === 0 ? null : 'Bordeaux',
            postal_code: postalCodes[(index + place) % postalCodes.length]!,
            geog: sql<string>`ST_SetSRID(ST_MakePoint(${-0.9 + (index % 50) * 0.01}, ${44.6 + place * 0.1}), 4326)::geography`,
            hide_address: (index + place) % 6 === 0,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        locationIds.push(location.id);
      }
      for (let number = 0; number < 5; number++) {
        const seed = index * 5 + number;
        const service = await db
          .insertInto('service')
          .values({
            organization_id: organization.id,
            name: `${names[seed % names.length]} service ${number}`.slice(0, seed % 11 === 0 ? 1 : 300),
            description: descriptions[seed % descriptions.length]!,
            category: categoryIds[seed % categoryIds.length]!,
            topics: topics.filter((_, topic) => (seed + topic) % 5 === 0),
            audiences: audiences.filter((_, audience) => (seed + audience) % 3 === 0),
            languages: ['fr', 'en', 'ar'].slice(0, seed % 4),
            free: [null, true, false][seed % 3]!,
            email: emails[seed % emails.length]!,
            url: websites[seed % websites.length]!,
            phone: seed % 2 === 0 ? '+33 5 56 00 00 00' : null,
            status: seed % 9 === 0 ? 'inactive' : 'active',
            area_scope: seed % 2 === 0 ? 'local' : 'region',
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const at = locationIds.slice(0, seed % (locationIds.length + 1));
        if (at.length > 0) {
          await db
            .insertInto('service_at_location')
            .values(at.map((locationId) => ({ service_id: service.id, location_id: locationId })))
            .execute();
        }
        if (seed % 4 === 0) {
          await db
            .insertInto('schedule')
            .values({ service_id: service.id, opening_hours: 'Mo-Fr 09:00-17:00; PH off' })
            .execute();
        }
      }
    }
    for (const headers of [{}, member.headers]) {
      const file = await exportAs(headers);
      expect(file.structures.length).toBeGreaterThan(organizations);
      expect(file.services.length).toBeGreaterThan(organizations * 3);
      expect(refused(file)).toEqual([]);
      expect(new Set(file.services.map((service) => service.id)).size).toBe(file.services.length);
      expect(JSON.stringify(file)).not.toMatch(/Private Person|private@example\.org|\+33 6 00/);
    }
  }, 120_000);
});
