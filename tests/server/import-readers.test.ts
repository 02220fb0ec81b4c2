import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/src/config.js';
import { openImportFiles } from '../../server/src/domain/imports/formats/index.js';
import type {
  ImportFile,
  ImportItem,
  ImportedLocation,
  ImportedOrganization,
  ImportedService,
  ReadOptions,
  RowProblem,
} from '../../server/src/domain/imports/importRecord.js';
import { ImportFileError } from '../../server/src/domain/imports/importRecord.js';
import { builtInTarget, classifyTerms } from '../../server/src/domain/imports/vocabulary/termTargets.js';

const fixtures = path.join(projectRoot, 'tests/fixtures/imports');

function fixture(relativePath: string): ImportFile {
  return { path: path.join(fixtures, relativePath), name: path.basename(relativePath) };
}

interface Read {
  organizations: ImportedOrganization[];
  locations: ImportedLocation[];
  services: ImportedService[];
  problems: RowProblem[];
}

async function readAll(files: ImportFile[], options: ReadOptions = {}): Promise<Read & { format: string }> {
  const reader = await openImportFiles(files, options);
  const read: Read = { organizations: [], locations: [], services: [], problems: [] };
  for await (const item of reader.items() as AsyncIterable<ImportItem>) {
    if (item.kind === 'organization') read.organizations.push(item.record);
    else if (item.kind === 'location') read.locations.push(item.record);
    else if (item.kind === 'service') read.services.push(item.record);
    else read.problems.push(item.problem);
  }
  return { format: reader.format, ...read };
}

function byId<T extends { sourceId: string }>(records: T[], sourceId: string): T {
  const found = records.find((record) => record.sourceId === sourceId);
  if (!found) throw new Error(`No record ${sourceId} among ${records.map((record) => record.sourceId).join(', ')}`);
  return found;
}

async function refusal(promise: Promise<unknown>): Promise<ImportFileError> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ImportFileError);
  return error as ImportFileError;
}

const gironde = ['data-inclusion-gironde/structures.json', 'data-inclusion-gironde/services.json'].map(fixture);

describe('data·inclusion JSON', () => {
  it('reads the Gironde extract given as two files, in either order', async () => {
    const read = await readAll([...gironde].reverse());
    expect(read.format).toBe('data-inclusion-json');
    expect(read.organizations).toHaveLength(8);
    expect(read.services).toHaveLength(15);
    expect(read.problems).toEqual([]);

    const ccas = byId(read.organizations, 'dora--ccas-bordeaux');
    expect(ccas).toMatchObject({
      name: 'CCAS de Bordeaux',
      website: 'https://www.bordeaux.example.fr/ccas',
      identifiers: [{ scheme: 'FR-SIRET', type: 'siret', identifier: '26330018100016' }],
      sourceUpdatedAt: '2025-09-18',
      place: { row: 1, file: 'structures.json' },
    });
    expect(byId(read.locations, 'structure:dora--ccas-bordeaux')).toMatchObject({
      address1: '4 rue Claude Bonnier',
      postalCode: '33000',
      city: 'Bordeaux',
      country: 'FR',
      lat: 44.8433,
      lon: -0.5873,
    });
    // A structure with an address but no coordinates: kept, for the pipeline to geocode.
    expect(byId(read.locations, 'structure:dora--cada-begles')).toMatchObject({ lat: null, lon: null, city: 'Bègles' });
  });

  it('maps thematiques and publics to categories, topics and audiences, keeping every source term', async () => {
    const { services } = await readAll(gironde);
    const asl = byId(services, 'reseau-alpha--asl-bastide');
    expect(asl).toMatchObject({
      category: 'social_action',
      topics: ['language_courses'],
      audiences: ['refugees', 'women'],
      free: false,
      feesDescription: 'Adhésion annuelle de 10 €.',
      organizationSourceId: 'reseau-alpha--lire-ecrire-bastide',
      locationSourceIds: ['structure:reseau-alpha--lire-ecrire-bastide'],
      schedules: [{ openingHours: 'Mo,Th 09:30-11:30', description: null, note: null }],
    });
    expect(asl.sourceTerms).toEqual([
      { vocabulary: 'thematiques', value: 'lecture-ecriture-calcul--maitriser-le-francais' },
      { vocabulary: 'publics', value: 'personnes-exilees' },
      { vocabulary: 'publics', value: 'femmes' },
      { vocabulary: 'type', value: 'atelier' },
    ]);
    expect(byId(services, 'mission-locale--cej')).toMatchObject({
      category: 'professional_integration',
      topics: ['employment', 'training'],
      audiences: ['youth'],
      free: true,
    });
    expect(byId(services, 'dora--cada-begles-hebergement')).toMatchObject({
      category: 'social_action',
      topics: ['housing', 'legal_aid'],
      areaScope: 'region',
    });
  });

  it('gives a service its own place when it has an address, none when it is only remote', async () => {
    const { services, locations } = await readAll(gironde);
    expect(byId(services, 'dora--sante-mentale-exil').locationSourceIds).toEqual(['service:dora--sante-mentale-exil']);
    expect(byId(locations, 'service:dora--sante-mentale-exil')).toMatchObject({ lat: 44.8012, lon: -0.6321 });
    expect(byId(services, 'france-travail--permis-b').locationSourceIds).toEqual([]);
  });

  it('takes the structure’s opening hours when a service has none', async () => {
    const { services } = await readAll(gironde);
    expect(byId(services, 'dora--svc-ccas-domiciliation').schedules).toEqual([
      { openingHours: 'Mo-Fr 08:30-17:00; PH off', description: null, note: null },
    ]);
  });

  it('lets a person map a term otherwise', async () => {
    const { services } = await readAll(gironde, {
      vocabularyMapping: {
        'thematiques:mobilite--entretenir-reparer-son-vehicule': { kind: 'category', id: 'socio_cultural_sports' },
        'publics:tous-publics': { kind: 'audience', id: 'migrants' },
      },
    });
    expect(byId(services, 'soliguide--31044-reparation')).toMatchObject({
      category: 'socio_cultural_sports',
      audiences: ['migrants'],
    });
  });
});

describe('spreadsheets', () => {
  it('reads the Roscommon CSV with English headers, Eircodes and rows without coordinates', async () => {
    const reader = await openImportFiles([fixture('spreadsheets/roscommon-services.csv')]);
    expect(reader.format).toBe('spreadsheet-csv');
    expect(reader.columns?.map((column) => [column.header, column.field])).toEqual([
      ['Organisation', 'organization.name'],
      ['Service Name', 'service.name'],
      ['Type of Service', 'service.category'],
      ['Description', 'service.description'],
      ['Address', 'location.address'],
      ['Town', 'location.city'],
      ['County', null],
      ['Eircode', 'location.postalCode'],
      ['Latitude', 'location.lat'],
      ['Longitude', 'location.lon'],
      ['Phone', 'service.phone'],
      ['Email', 'service.email'],
      ['Website', 'service.url'],
      ['Opening Hours', 'service.openingHours'],
      ['Languages', 'service.languages'],
      ['Audience', 'service.audiences'],
      ['Free', 'service.free'],
    ]);
    expect(reader.columns?.[7]?.samples.slice(0, 2)).toEqual(['F42 H9T2', 'F42 E0K7']);
    const read = await readAll([fixture('spreadsheets/roscommon-services.csv')]);
    expect(read.services).toHaveLength(12);
    expect(read.organizations).toHaveLength(10);
    const classes = byId(read.services, 'roscommon-integration-network/english-conversation-classes');
    expect(classes).toMatchObject({
      organizationSourceId: 'org:roscommon-integration-network',
      category: 'social_action',
      topics: ['language_courses'],
      audiences: ['refugees', 'asylum_seekers'],
      languages: ['en', 'ar', 'uk'],
      free: true,
      place: { row: 2 },
    });
    const citizensInformation = byId(read.locations, classes.locationSourceIds[0]!.replace('abbey', 'abbey'));
    expect(citizensInformation).toMatchObject({ postalCode: 'F42 H9T2', lat: 53.6316, lon: -8.1891 });
    const jobClub = byId(read.services, 'castlerea-community-development/job-club');
    expect(byId(read.locations, jobClub.locationSourceIds[0]!)).toMatchObject({
      lat: null,
      lon: null,
      city: 'Castlerea',
    });
    expect(jobClub.url).toBe('https://www.castlerea-cdp.example.ie');
    expect(jobClub.schedules).toEqual([
      { openingHours: null, description: 'By appointment', note: 'Not in the opening_hours syntax; kept as text.' },
    ]);
    expect(read.problems).toEqual([expect.objectContaining({ row: 7, field: 'Opening Hours', severity: 'warning' })]);
  });

  it('shares one place between the services at the same address', async () => {
    const { locations, services } = await readAll([fixture('spreadsheets/roscommon-services.csv')]);
    const atAbbeyStreet = services.filter(
      (service) => service.locationSourceIds[0] === 'place:abbey-street|f42-h9t2|roscommon',
    );
    expect(atAbbeyStreet).toHaveLength(3);
    expect(locations.filter((location) => location.sourceId === 'place:abbey-street|f42-h9t2|roscommon')).toHaveLength(
      1,
    );
  });
});

describe('files refused as a whole', () => {
  it('refuses no file, an empty file and a format it does not know', async () => {
    expect((await refusal(openImportFiles([]))).code).toBe('import.no-file');
    const empty = await refusal(openImportFiles([fixture('bad/empty.json')]));
    expect(empty.message).toBe('The file "empty.json" is empty.');
    const pdf = await refusal(openImportFiles([fixture('bad/leaflet.pdf')]));
    expect(pdf.statusCode).toBe(415);
    expect(pdf.message).toMatch(/^Passerelle cannot read "leaflet.pdf": it looks like a PDF document\./);
  });

  it('refuses a broken zip', async () => {
    const error = await refusal(openImportFiles([fixture('bad/broken.zip')]));
    expect(error.statusCode).toBe(400);
    expect(error.message).toMatch(/^The zip file "broken.zip" is damaged or incomplete/);
  });

  it('says where a JSON file stops being JSON', async () => {
    // A small file is refused when it is opened; a large one as the reading reaches the mistake.
    const error = await refusal(readAll([fixture('bad/invalid-trailing-comma.json')]));
    expect(error.message).toMatch(/^The file "invalid-trailing-comma.json" is not valid JSON: .* at line 7, column 3 /);
  });

  it('refuses a file of another format than announced, saying what it looks like', async () => {
    const error = await refusal(openImportFiles(gironde, { format: 'hsds-json' }));
    expect(error.statusCode).toBe(400);
    expect(error.message).toBe(
      'The file was announced as HSDS 3 JSON, but it looks like data·inclusion JSON. Choose that format, or let Passerelle recognise it.',
    );
  });
});

// ajv-formats is CommonJS: its default export is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const scratch = mkdtempSync(path.join(tmpdir(), 'passerelle-import-readers-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function scratchFile(name: string, content: string | Buffer | Uint8Array): ImportFile {
  const filePath = path.join(scratch, name);
  writeFileSync(filePath, content);
  return { path: filePath, name };
}

describe('the fixtures follow the published schemas', () => {
  const shared = path.join(projectRoot, 'tests/fixtures/standards');
  const schema = (file: string) => JSON.parse(readFileSync(path.join(shared, file), 'utf8')) as object;
  const records = (file: string) => JSON.parse(readFileSync(path.join(fixtures, file), 'utf8')) as unknown[];

  it('data·inclusion v1 (structure.json, service.json)', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const structure = ajv.compile(schema('data-inclusion-schema/schemas/v1/structure.json'));
    const service = ajv.compile(schema('data-inclusion-schema/schemas/v1/service.json'));
    for (const record of records('data-inclusion-gironde/structures.json'))
      expect(structure(record), ajv.errorsText(structure.errors)).toBe(true);
    for (const record of records('data-inclusion-gironde/services.json'))
      expect(service(record), ajv.errorsText(service.errors)).toBe(true);
  });

  it('HSDS 3.0 (compiled service.json, service_list.json)', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const service = ajv.compile(schema('hsds-3.0/schema/compiled/service.json'));
    const listed = ajv.compile(schema('hsds-3.0/schema/compiled/service_list.json'));
    const single = JSON.parse(readFileSync(path.join(fixtures, 'hsds/service-single.json'), 'utf8')) as unknown;
    expect(service(single), ajv.errorsText(service.errors)).toBe(true);
    const page = JSON.parse(readFileSync(path.join(fixtures, 'hsds/service-list-page.json'), 'utf8')) as {
      contents: unknown[];
    };
    for (const record of page.contents) expect(listed(record), ajv.errorsText(listed.errors)).toBe(true);
  });
});

describe('data·inclusion CSV and the v0 names', () => {
  it('reads the CSV export of the Gironde extract as the JSON one', async () => {
    const csv = await readAll(
      ['structures.csv', 'services.csv'].map((name) => fixture(`data-inclusion-gironde/${name}`)),
    );
    const json = await readAll(gironde);
    expect(csv.format).toBe('data-inclusion-csv');
    expect(csv.problems).toEqual([]);
    const essentials = (read: Read) =>
      read.services.map(({ sourceId, category, topics, audiences, free, locationSourceIds, schedules, areaScope }) => ({
        sourceId,
        category,
        topics,
        audiences,
        free,
        locationSourceIds,
        schedules,
        areaScope,
      }));
    expect(essentials(csv)).toEqual(essentials(json));
    expect(csv.organizations.map((organization) => organization.identifiers)).toEqual(
      json.organizations.map((organization) => organization.identifiers),
    );
    expect(byId(csv.organizations, 'dora--ccas-bordeaux').place).toEqual({
      row: 2,
      file: 'structures.csv',
      sourceId: 'dora--ccas-bordeaux',
    });
  });

  it('reads an extract sent as a zip of the two files', async () => {
    const entries = Object.fromEntries(
      ['structures.json', 'services.json'].map((name) => [
        `gironde/${name}`,
        readFileSync(path.join(fixtures, 'data-inclusion-gironde', name)),
      ]),
    );
    const read = await readAll([scratchFile('gironde.zip', zipSync(entries))]);
    expect(read.format).toBe('data-inclusion-json');
    expect([read.organizations.length, read.services.length, read.problems.length]).toEqual([8, 15, 0]);
    expect(read.services[0]?.place.file).toBe('gironde/services.json');
  });

  it('reads an older extract with v0 field names', async () => {
    const read = await readAll([fixture('data-inclusion-v0/extract-2023.json')]);
    expect(read.format).toBe('data-inclusion-json');
    expect(read.problems).toEqual([]);
    expect(byId(read.organizations, 'dora--centre-social-bastide')).toMatchObject({
      description: expect.stringMatching(/^Le centre social accueille/),
      legalStatus: 'CS',
      identifiers: [
        { scheme: 'FR-SIRET', type: 'siret', identifier: '68862128300060' },
        { scheme: 'FR-RNA', type: 'rna', identifier: 'W332012345' },
      ],
    });
    expect(byId(read.organizations, 'soliguide--8842').website).toBe('https://www.lacimade.example.org');
    const workshops = byId(read.services, 'dora--svc-ateliers-francais');
    expect(workshops).toMatchObject({
      category: 'social_action',
      topics: ['language_courses', 'training'],
      audiences: ['migrants', 'women'],
      free: false,
      feesDescription: 'Adhésion au centre social : 5 € par an.',
      eligibilityDescription:
        'Savoir communiquer à l’oral avec quelques mots de français\n\nJustificatifs : Pièce d’identité, Justificatif de domicile',
      applicationProcess: 'https://cs-bastide.example.org/inscription',
      areaScope: 'local',
      locationSourceIds: ['structure:dora--centre-social-bastide'],
    });
    // The structure's hours (v0 `horaires_ouverture`) and the service's own words (v0 `recurrence`).
    expect(workshops.schedules).toEqual([
      { openingHours: 'Mo-Fr 09:00-12:00,14:00-18:00', description: null, note: null },
      { openingHours: null, description: 'Mardi et jeudi matin, hors vacances scolaires', note: null },
    ]);
    expect(workshops.sourceTerms).toContainEqual({
      vocabulary: 'publics',
      value: 'personnes-de-nationalite-etrangere',
    });
    expect(workshops.sourceTerms).toContainEqual({ vocabulary: 'type', value: 'formation' });
    const support = byId(read.services, 'dora--svc-accompagnement-emploi');
    expect(support).toMatchObject({
      category: 'professional_integration',
      audiences: ['youth'],
      areaScope: 'region',
      // `contact_public: false`: the contact is not published.
      email: null,
      phone: null,
    });
    expect(byId(read.services, 'soliguide--8842-juridique')).toMatchObject({
      status: 'inactive',
      topics: ['legal_aid'],
    });
  });
});

describe('HSDS 3 JSON', () => {
  it('reads a single nested service: organisation, places, phones, languages, terms, costs and schedules', async () => {
    const read = await readAll([fixture('hsds/service-single.json')]);
    expect(read.format).toBe('hsds-json');
    expect(read.problems).toEqual([]);
    expect(read.organizations).toEqual([
      expect.objectContaining({
        sourceId: 'b6d1f3a2-8c4e-4f0a-9e21-7a5c3d9e0f11',
        name: 'Welcome Centre Association',
        legalStatus: 'Registered charity',
        identifiers: [{ scheme: 'GB-CHC', type: 'Charity Number', identifier: '1043210' }],
      }),
    ]);
    // The video location is virtual: no place on the map.
    expect(read.locations).toEqual([
      expect.objectContaining({
        sourceId: 'd4e5f6a7-0000-4000-8000-000000000001',
        address1: '12 Chapeltown Road, First floor',
        city: 'Leeds',
        postalCode: 'LS7 3AP',
        country: 'GB',
        lat: 53.8135,
        lon: -1.5325,
        accessibility: 'Step-free access and a lift to the first floor.',
      }),
    ]);
    const [service] = read.services;
    expect(service).toMatchObject({
      name: 'Drop-in advice for newcomers',
      alternateName: "Newcomers' advice",
      phone: '+44 113 496 0123',
      languages: ['en', 'ar', 'fa'],
      interpretationServices: 'Arabic, Dari and Tigrinya interpreters on Tuesdays.',
      free: true,
      feesDescription: 'Free of charge.',
      category: 'social_action',
      topics: ['legal_aid', 'mentoring'],
      audiences: ['asylum_seekers'],
      locationSourceIds: ['d4e5f6a7-0000-4000-8000-000000000001'],
      sourceUpdatedAt: '2025-11-12T09:30:00Z',
    });
    expect(service?.sourceTerms).toEqual([
      { vocabulary: 'Welcome network services', value: 'Legal advice' },
      { vocabulary: 'Welcome network audiences', value: 'Asylum seekers' },
      { vocabulary: 'Welcome network services', value: 'Befriending walks' },
    ]);
  });

  it('turns HSDS schedules into opening hours, with a note on each one that cannot be', async () => {
    const [service] = (await readAll([fixture('hsds/service-single.json')])).services;
    expect(service?.schedules).toEqual([
      // Monday morning and Monday afternoon are two rows in HSDS, and two ranges of one day here.
      { openingHours: 'Mo 09:30-12:30,14:00-16:00; We 09:30-12:30', description: 'Drop-in mornings', note: null },
      {
        openingHours: null,
        description: 'Legal surgery on the 15th of each month',
        note: 'Days of the month (bymonthday) cannot be written as opening hours; kept as text.',
      },
      {
        openingHours: 'Fr[-1] 10:00-12:00',
        description: 'Family coffee morning, last Friday of the month',
        note: null,
      },
      {
        openingHours: null,
        description: 'Information evening (one date only)',
        note: 'A schedule given by its first date only (dtstart) cannot be written as opening hours; kept as text.',
      },
    ]);
  });

  it('reads RRULE strings with the rrule library', async () => {
    const service = {
      id: 'rr-1',
      organization_id: 'org-1',
      name: 'Homework club',
      status: 'active',
      schedules: [
        { id: 's1', rrule: 'RRULE:FREQ=WEEKLY;BYDAY=TU,TH', opens_at: '16:30', closes_at: '18:00' },
        { id: 's2', rrule: 'FREQ=MONTHLY;BYDAY=1SA', opens_at: '10:00', closes_at: '12:00' },
        {
          id: 's3',
          rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=WE',
          opens_at: '10:00',
          closes_at: '12:00',
          description: 'Fortnightly',
        },
        { id: 's4', rrule: 'FREQ=YEARLY;BYMONTH=7', description: 'Summer camp' },
      ],
    };
    const { services } = await readAll([scratchFile('rrule-service.json', JSON.stringify(service))]);
    expect(services[0]?.schedules).toEqual([
      { openingHours: 'Tu,Th 16:30-18:00', description: null, note: null },
      { openingHours: 'Sa[1] 10:00-12:00', description: null, note: null },
      {
        openingHours: null,
        description: 'Fortnightly',
        note: 'A schedule every 2 weeks cannot be written as opening hours; kept as text.',
      },
      {
        openingHours: null,
        description: 'Summer camp',
        note: 'Only weekly, monthly and daily schedules can be written as opening hours; kept as text.',
      },
    ]);
  });

  it('strips HTML from descriptions, never keeping a script or an event handler', async () => {
    const [service] = (await readAll([fixture('hsds/service-single.json')])).services;
    expect(service?.description).toBe(
      'Free, confidential advice on residence permits, family reunification and access to services.\n\nBring any letters you have received.',
    );
  });

  it('reads a page of the HSDS API (service_list), giving a shared organisation once and keeping Markdown', async () => {
    const read = await readAll([fixture('hsds/service-list-page.json')]);
    expect(read.format).toBe('hsds-json');
    expect(read.services.map((service) => [service.name, service.status, service.place.row])).toEqual([
      ['ESOL classes for beginners', 'active', 1],
      ['Housing advice line', 'temporarily closed', 2],
      ['Winter night shelter', 'active', 3],
    ]);
    expect(read.organizations.map((organization) => organization.name)).toEqual(['Northside College', 'Shelter North']);
    expect(read.services[0]?.description).toBe(
      'English for Speakers of Other Languages, **entry level 1 and 2**.\n\n- Tuesday and Thursday mornings\n- Crèche available',
    );
    // No taxonomy term: no category, for the preview to ask.
    expect(read.services[0]).toMatchObject({ free: true, category: null, topics: [] });
    expect(read.services[1]?.sourceUpdatedAt).toBe('2025-09-15');
  });

  it('reads a list of organisations with their services, and names services whose organisation is missing', async () => {
    const list = [
      {
        id: 'org-a',
        name: 'Riverside Refugee Forum',
        description: 'Forum',
        services: [{ id: 'svc-a', name: 'Befriending', status: 'active' }],
      },
      { id: 'svc-b', organization_id: 'org-missing', name: 'Job club', status: 'active' },
    ];
    const read = await readAll([scratchFile('organizations.json', JSON.stringify(list))]);
    expect(read.services.map((service) => [service.sourceId, service.organizationSourceId])).toEqual([
      ['svc-a', 'org-a'],
      ['svc-b', 'org-missing'],
    ]);
    expect(read.problems).toEqual([
      {
        row: 2,
        sourceId: 'svc-b',
        field: 'organization_id',
        message: 'The organisation "org-missing" that this service names is not in the file.',
        severity: 'error',
        code: 'import.organization-not-in-file',
        params: { sourceId: 'org-missing' },
      },
    ]);
  });
});

describe('what our own downloads say', () => {
  it('tells a paid HSDS service (a cost option without amount) from one whose cost is unknown', async () => {
    const service = (id: string, fields: Record<string, unknown>) => ({
      id,
      name: `Service ${id}`,
      status: 'active',
      organization: { id: 'b6f1c2a0-0000-4000-8000-000000000001', name: 'Centre' },
      ...fields,
    });
    const file = scratchFile(
      'hsds-costs.json',
      JSON.stringify([
        service('paid', {
          fees_description: 'Coming in is free; drinks and meals at low prices.',
          cost_options: [{ id: 'c1', service_id: 'paid', option: 'Fees apply', amount: null }],
        }),
        service('free', { cost_options: [{ id: 'c2', service_id: 'free', option: 'Free of charge', amount: 0 }] }),
        service('free-by-its-words', { fees_description: 'Free of charge.' }),
        service('unknown', { fees_description: 'Ask at the desk.' }),
      ]),
    );
    const read = await readAll([file]);
    expect(read.services.map((record) => [record.sourceId, record.free])).toEqual([
      ['paid', false],
      ['free', true],
      ['free-by-its-words', true],
      ['unknown', null],
    ]);
  });

  it("takes a data·inclusion service's lien_mobilisation for its web page when it has no lien_source", async () => {
    const structure = { source: 'passerelle', id: 's1', nom: 'Centre', date_maj: '2026-12-02' };
    const base = { source: 'passerelle', structure_id: 's1', date_maj: '2026-12-02', thematiques: [] };
    const file = scratchFile(
      'links.json',
      JSON.stringify({
        structures: [structure],
        services: [
          { ...base, id: 'a', nom: 'Atelier', lien_mobilisation: 'https://centre.example.org/atelier' },
          {
            ...base,
            id: 'b',
            nom: 'Bureau',
            lien_source: 'https://dora.example.org/services/bureau',
            lien_mobilisation: 'https://centre.example.org/bureau',
          },
        ],
      }),
    );
    const read = await readAll([file]);
    expect(read.services.map((record) => [record.sourceId, record.url])).toEqual([
      ['a', 'https://centre.example.org/atelier'],
      ['b', 'https://dora.example.org/services/bureau'],
    ]);
  });
});

describe('HSDS tabular', () => {
  const folder = fixture('hsds-tabular');

  it('reads a folder of CSV files with datapackage.json', async () => {
    const read = await readAll([folder]);
    expect(read.format).toBe('hsds-tabular');
    expect(read.problems).toEqual([]);
    expect(read.organizations).toHaveLength(2);
    expect(read.organizations[0]).toMatchObject({
      name: 'Athlone Refugee Support Network',
      alternateName: 'ARSN',
      phone: '090 647 1234',
      identifiers: [
        { scheme: 'IE-CRO', type: 'Company number', identifier: '598765' },
        { scheme: 'IE-CHY', type: 'Charity number', identifier: '20104567' },
        { type: 'tax_id', identifier: 'CHY 21345' },
      ],
      place: { row: 2, file: 'organizations.csv' },
    });
    // The physical address, not the PO box.
    expect(byId(read.locations, '1c1c1c1c-1a00-4c00-8000-000000000002')).toMatchObject({
      address1: 'Lanesboro Road',
      postalCode: 'F42 K2W8',
      country: 'IE',
    });
    expect(byId(read.locations, '1c1c1c1c-1a00-4c00-8000-000000000003')).toMatchObject({ lat: null, lon: null });
    const english = byId(read.services, '3e3e3e3e-1a00-4c00-8000-000000000001');
    expect(english).toMatchObject({
      topics: ['language_courses'],
      languages: ['en'],
      free: true,
      sourceUpdatedAt: '2025-10-14',
      schedules: [
        { openingHours: '2025 Sep 01-2026 Jun 30 Tu,Th 10:00-12:00', description: 'Term time only', note: null },
      ],
    });
    expect(byId(read.services, '3e3e3e3e-1a00-4c00-8000-000000000002')).toMatchObject({
      phone: '087 123 4567',
      audiences: ['asylum_seekers'],
      languages: ['en', 'ar', 'ka'],
    });
    const football = byId(read.services, '3e3e3e3e-1a00-4c00-8000-000000000004');
    expect(football.locationSourceIds).toEqual([
      '1c1c1c1c-1a00-4c00-8000-000000000002',
      '1c1c1c1c-1a00-4c00-8000-000000000003',
    ]);
    expect(football.schedules[0]?.openingHours).toBe('Mo,Fr 18:00-19:30');
    expect(byId(read.services, '3e3e3e3e-1a00-4c00-8000-000000000003').schedules).toEqual([
      {
        openingHours: null,
        description: 'Every other Saturday',
        note: 'A schedule every 2 weeks cannot be written as opening hours; kept as text.',
      },
    ]);
  });

  it('reads the same tables from a zip, whatever folder they sit in inside it', async () => {
    const entries: Record<string, Uint8Array> = { 'README.txt': Buffer.from('Exported from our directory.') };
    for (const name of readdirSync(folder.path)) entries[`export/${name}`] = readFileSync(path.join(folder.path, name));
    const zipped = await readAll([scratchFile('roscommon-hsds.zip', zipSync(entries))]);
    const plain = await readAll([folder]);
    expect(zipped.format).toBe('hsds-tabular');
    expect(zipped.services.map((service) => service.sourceId)).toEqual(
      plain.services.map((service) => service.sourceId),
    );
    expect(zipped.services[0]?.place.file).toBe('export/services.csv');
  });
});

describe('spreadsheets in other languages and encodings', () => {
  it('reads a French CSV saved by Excel: Windows-1252, semicolons, decimal commas, a SIRET column', async () => {
    const file = fixture('spreadsheets/bordeaux-partenaires-windows-1252.csv');
    const reader = await openImportFiles([file]);
    expect(reader.columns?.map((column) => column.field)).toEqual([
      'organization.name',
      'service.name',
      'service.category',
      'service.description',
      'location.address',
      'location.postalCode',
      'location.city',
      'location.lat',
      'location.lon',
      'service.phone',
      'service.email',
      'service.openingHours',
      'service.audiences',
      'service.languages',
      'service.free',
      'organization.siret',
    ]);
    const read = await readAll([file]);
    expect(read.problems).toEqual([]);
    expect(read.organizations[0]).toMatchObject({
      sourceId: 'org:coeur-de-bastide',
      name: 'Cœur de Bastide',
      identifiers: [{ scheme: 'FR-SIRET', type: 'siret', identifier: '50156342300034' }],
    });
    expect(read.locations[0]).toMatchObject({ postalCode: '33100', lat: 44.8448, lon: -0.5592 });
    expect(
      read.services.map((service) => [service.name, service.category, service.topics, service.audiences, service.free]),
    ).toEqual([
      ['Cours de français (FLE)', 'social_action', ['language_courses'], ['refugees', 'asylum_seekers'], true],
      ['Permanence logement', 'social_action', ['housing'], ['families'], true],
      ['Atelier théâtre en français', 'socio_cultural_sports', ['culture'], ['youth'], false],
      ['Football féminin', 'socio_cultural_sports', ['sports'], ['women'], true],
    ]);
    expect(read.services[2]?.description).toBe('Atelier hebdomadaire, 5 € la séance.');
    expect(read.services[0]?.languages).toEqual(['fr', 'en', 'ar']);
  });

  it('reads a German tab-separated file in UTF-8 with a byte-order mark', async () => {
    const file = fixture('spreadsheets/leipzig-angebote-utf8-bom.tsv');
    const reader = await openImportFiles([file]);
    expect(reader.columns?.[0]).toEqual({
      header: 'Träger',
      field: 'organization.name',
      samples: ['Flüchtlingsrat Leipzig e.V.', 'Volkshochschule Leipzig'],
    });
    const read = await readAll([file]);
    expect(
      read.services.map((service) => [
        service.name,
        service.topics,
        service.audiences,
        service.languages,
        service.free,
      ]),
    ).toEqual([
      ['Asylverfahrensberatung', ['legal_aid'], ['asylum_seekers'], ['de', 'ar', 'fa'], true],
      ['Deutschkurs A1', ['language_courses'], ['migrants'], ['de'], false],
    ]);
    expect(read.locations[0]).toMatchObject({
      address1: 'Karl-Liebknecht-Straße 12',
      postalCode: '04107',
      lat: 51.3302,
    });
  });

  it('keeps line breaks inside quoted cells, numbering rows as a spreadsheet program does', async () => {
    const read = await readAll([fixture('spreadsheets/malaga-servicios-saltos-de-linea.csv')]);
    expect(read.services.map((service) => [service.place.row, service.name, service.description])).toEqual([
      [
        2,
        'Clases de español',
        'Clases de español para personas adultas.\nGrupos de mañana y de tarde.\nInscripción en la sede.',
      ],
      [3, 'Orientación laboral', 'Apoyo para buscar empleo:\n- currículum\n- entrevistas'],
    ]);
    expect(read.services[0]?.languages).toEqual(['es', 'ar']);
  });

  it('reads the first sheet of a workbook that holds data, with its links and rich text', async () => {
    const file = fixture('spreadsheets/trento-servizi.xlsx');
    const reader = await openImportFiles([file]);
    expect(reader.format).toBe('spreadsheet-xlsx');
    expect(reader.columns?.map((column) => column.field)).toEqual([
      'organization.name',
      'service.name',
      'service.category',
      'location.address',
      'location.postalCode',
      'location.city',
      'location.lat',
      'location.lon',
      'service.url',
      'service.openingHours',
      'service.audiences',
      'service.languages',
    ]);
    const read = await readAll([file]);
    expect(read.problems).toEqual([]);
    expect(read.services.map((service) => [service.place, service.name, service.url, service.topics])).toEqual([
      [
        { row: 2, file: 'Servizi', sourceId: 'centro-astalli-trento/scuola-di-italiano' },
        'Scuola di italiano',
        'https://centroastalli.example.it',
        ['language_courses'],
      ],
      [
        { row: 3, file: 'Servizi', sourceId: 'cinformi/sportello-informativo' },
        'Sportello informativo',
        'https://www.cinformi.example.it',
        ['information_counselling'],
      ],
    ]);
    expect(read.locations[0]).toMatchObject({ lat: 46.0838, lon: 11.1306, city: 'Trento' });
  });
});

describe('a person’s choices: column mapping, cell edits, vocabulary', () => {
  const roscommon = fixture('spreadsheets/roscommon-services.csv');

  it('lists the fields a column can fill', async () => {
    const reader = await openImportFiles([roscommon]);
    expect(reader.availableFields).toContainEqual({ id: 'organization.name', label: 'Organisation' });
    expect(reader.availableFields).toContainEqual({ id: 'location.postalCode', label: 'Postal code' });
  });

  it('takes a column for another field, or for none', async () => {
    const options: ReadOptions = { columnMapping: { County: 'location.city', Town: null, Email: null } };
    const reader = await openImportFiles([roscommon], options);
    expect(reader.columns?.find((column) => column.header === 'County')?.field).toBe('location.city');
    expect(reader.columns?.find((column) => column.header === 'Town')?.field).toBeNull();
    const read = await readAll([roscommon], options);
    expect(read.locations[0]?.city).toBe('Co. Roscommon');
    expect(read.services.every((service) => service.email === null)).toBe(true);
  });

  it('makes each service its own organisation when no column names one, and says so', async () => {
    const options: ReadOptions = { columnMapping: { Organisation: null } };
    const reader = await openImportFiles([roscommon], options);
    expect(reader.notes).toEqual([
      'No column names the organisation: each service is imported as its own organisation, under its own name.',
    ]);
    const read = await readAll([roscommon], options);
    expect(read.organizations).toHaveLength(12);
    expect(byId(read.services, 'job-club/job-club').organizationSourceId).toBe('org:job-club');
  });

  it('applies cell edits by row and header', async () => {
    const options: ReadOptions = {
      cellEdits: [
        { row: 4, header: 'Latitude', value: '53.6330' },
        { row: 4, header: 'Longitude', value: '-8.1870' },
        { row: 7, header: 'Opening Hours', value: 'Tu 10:00-12:00' },
      ],
    };
    const read = await readAll([roscommon], options);
    expect(read.problems).toEqual([]);
    const citizensInformation = byId(read.services, 'citizens-information-roscommon/citizens-information-service');
    expect(byId(read.locations, citizensInformation.locationSourceIds[0]!)).toMatchObject({ lat: 53.633, lon: -8.187 });
  });

  it('takes a person’s mapping of a spreadsheet term', async () => {
    const read = await readAll([roscommon], {
      vocabularyMapping: { 'category:Social inclusion': { kind: 'topic', id: 'mediation' } },
    });
    const womensGroup = byId(read.services, 'ballaghaderreen-resource-centre/women-s-group');
    expect(womensGroup).toMatchObject({ category: 'social_action', topics: ['mediation'] });
    expect(womensGroup.sourceTerms).toEqual([
      { vocabulary: 'category', value: 'Social inclusion' },
      { vocabulary: 'audience', value: 'Women' },
    ]);
  });

  it('uses an id column as the source id, else the organisation and service names', async () => {
    const withIds = scratchFile(
      'with-ids.csv',
      'ID,Organisation,Service\nR-17,Boyle FRC,Youth club\nR-18,Boyle FRC,Parent and toddler group\n',
    );
    expect((await readAll([withIds])).services.map((service) => service.sourceId)).toEqual(['R-17', 'R-18']);
    const withoutIds = scratchFile('without-ids.csv', 'Organisation;Service\nBoyle FRC;Youth club\n');
    expect((await readAll([withoutIds])).services[0]?.sourceId).toBe('boyle-frc/youth-club');
  });
});

describe('rows with problems', () => {
  it('reports each problem where it is, and keeps what can be kept', async () => {
    const read = await readAll([fixture('bad/data-inclusion-problems.json')]);
    const problem = (sourceId: string | undefined, field: string) => {
      const found = read.problems.find((one) => one.sourceId === sourceId && one.field === field);
      if (!found) throw new Error(`No problem on ${field} of ${sourceId}: ${JSON.stringify(read.problems, null, 1)}`);
      return found;
    };
    // A latitude of 100: a warning, the record kept without coordinates (it will need a place).
    expect(problem('dora--asso-latitude-100', 'latitude')).toMatchObject({
      row: 1,
      file: 'structures',
      severity: 'warning',
      message:
        'The latitude 100 is not between -90 and 90; the coordinates were left out, so the place will need to be found again.',
    });
    expect(byId(read.locations, 'structure:dora--asso-latitude-100')).toMatchObject({
      lat: null,
      lon: null,
      city: 'Bordeaux',
    });
    // Swapped coordinates of a French place are read the other way round, with a warning.
    expect(byId(read.locations, 'structure:dora--asso-inversee')).toMatchObject({ lat: 44.8571, lon: -0.5295 });
    expect(problem('dora--asso-inversee', 'latitude').severity).toBe('warning');
    // Text with a decimal comma is a number.
    expect(byId(read.locations, 'structure:dora--virgule')).toMatchObject({ lat: 44.8047, lon: -0.5886 });
    // Bad addresses are dropped with a warning.
    expect(byId(read.organizations, 'dora--asso-latitude-100')).toMatchObject({
      website: null,
      email: null,
      identifiers: [],
    });
    expect(problem('dora--asso-latitude-100', 'site_web').severity).toBe('warning');
    expect(problem('dora--asso-latitude-100', 'courriel').severity).toBe('warning');
    expect(problem('dora--asso-latitude-100', 'siret').severity).toBe('warning');
    expect(problem('dora--svc-orphelin', 'lien_source').severity).toBe('warning');
    // No name: an error, and no record.
    expect(problem('dora--sans-nom', 'nom')).toMatchObject({
      severity: 'error',
      message: 'The structure has no name (nom).',
    });
    expect(read.organizations.map((organization) => organization.sourceId)).not.toContain('dora--sans-nom');
    expect(problem('dora--svc-sans-nom', 'nom').severity).toBe('error');
    // An id used twice: the second is an error and is left out.
    expect(problem('dora--svc-jardin', 'id')).toMatchObject({ row: 2, file: 'services', severity: 'error' });
    expect(read.services.filter((service) => service.sourceId === 'dora--svc-jardin')).toHaveLength(1);
    // Opening hours that cannot be read: a warning, the text kept.
    expect(problem('dora--svc-jardin', 'horaires_accueil').severity).toBe('warning');
    expect(byId(read.services, 'dora--svc-jardin').schedules).toEqual([
      {
        openingHours: null,
        description: 'du lundi au vendredi de 9h à 12h',
        note: 'Not in the opening_hours syntax; kept as text.',
      },
    ]);
    // A service naming a structure the file does not hold: an error, reported after reading.
    expect(read.problems.at(-1)).toEqual({
      row: 3,
      file: 'services',
      sourceId: 'dora--svc-orphelin',
      field: 'structure_id',
      message: 'The organisation "dora--structure-disparue" that this service names is not in the file.',
      severity: 'error',
      code: 'import.organization-not-in-file',
      params: { sourceId: 'dora--structure-disparue' },
    });
    // An unknown thematique is no problem: it is kept, for the preview to list.
    expect(byId(read.services, 'dora--svc-jardin').sourceTerms).toContainEqual({
      vocabulary: 'thematiques',
      value: 'jardinage--potager-partage',
    });
  });

  it('turns HTML into text, never keeping scripts, event handlers or links to javascript:', async () => {
    const { services } = await readAll([fixture('bad/data-inclusion-problems.json')]);
    const garden = byId(services, 'dora--svc-jardin');
    expect(garden.description).toBe('Jardiner ensemble\n\nChaque samedi matin.\n\nInscription');
    // As JSON, a NUL character would read \u0000.
    expect(JSON.stringify(services)).not.toMatch(/<\/?[a-z]|onerror|javascript:|evil\.example|\\u0000/i);
    expect(byId(services, 'dora--svc-orphelin').description).toBe(
      'Aide aux devoirs pour les collégiens, le mercredi après-midi.',
    );
  });

  it('reads opening hours written loosely, saying how they were read', async () => {
    const sheet = scratchFile('loose-hours.csv', 'Organisation,Service,Horaires\nCCAS,Accueil,lundi 9h-12h\n');
    const read = await readAll([sheet]);
    expect(read.services[0]?.schedules).toEqual([
      { openingHours: 'Mo 09:00-12:00', description: 'lundi 9h-12h', note: null },
    ]);
    expect(read.problems).toEqual([
      expect.objectContaining({
        row: 2,
        field: 'Horaires',
        severity: 'warning',
        message: 'The opening hours "lundi 9h-12h" were read as "Mo 09:00-12:00".',
      }),
    ]);
  });

  it('reports a spreadsheet row without a name, and a repeated organisation and service name', async () => {
    const sheet = scratchFile(
      'names.csv',
      'Organisation,Service,Town\nBoyle FRC,Youth club,Boyle\n,,Boyle\nBoyle FRC,Youth club,Boyle\n',
    );
    const read = await readAll([sheet]);
    expect(read.services).toHaveLength(1);
    expect(read.problems).toEqual([
      {
        row: 3,
        field: 'Service',
        message: 'The service has no name on this row.',
        code: 'import.row-service-no-name',
        params: {},
        severity: 'error',
      },
      {
        row: 4,
        sourceId: 'boyle-frc/youth-club',
        field: 'Service',
        message: 'An earlier row has the same organisation and service name; this row was left out.',
        code: 'import.row-names-repeated',
        params: {},
        severity: 'error',
      },
    ]);
  });
});

describe('more files refused as a whole', () => {
  it('names what a file looks like when it is not the announced format', async () => {
    const sheet = await refusal(
      openImportFiles([fixture('spreadsheets/trento-servizi.xlsx')], { format: 'spreadsheet-csv' }),
    );
    expect(sheet.message).toBe(
      'The file was announced as a spreadsheet saved as CSV, but it looks like an Excel workbook (XLSX). Choose that format, or let Passerelle recognise it.',
    );
    const csv = await refusal(
      openImportFiles([fixture('spreadsheets/roscommon-services.csv')], { format: 'data-inclusion-json' }),
    );
    expect(csv.message).toMatch(/but it looks like a spreadsheet saved as CSV\./);
  });

  it('refuses JSON of another shape, a zip of nothing it knows, and files of different formats together', async () => {
    const other = await refusal(openImportFiles([scratchFile('weather.json', '{"temperature": 12, "wind": "NW"}')]));
    expect(other.statusCode).toBe(415);
    expect(other.message).toMatch(/it looks like JSON that is neither HSDS 3 nor data·inclusion/);
    const zip = await refusal(
      openImportFiles([scratchFile('photos.zip', zipSync({ 'notes.txt': Buffer.from('hello') }))]),
    );
    expect(zip.statusCode).toBe(415);
    expect(zip.message).toMatch(/^The zip file "photos.zip" holds no file Passerelle can read \(notes.txt\)/);
    const mixed = await refusal(
      openImportFiles([fixture('hsds/service-list-page.json'), fixture('spreadsheets/roscommon-services.csv')]),
    );
    expect(mixed.statusCode).toBe(400);
    expect(mixed.message).toMatch(/^These files cannot be imported together/);
  });

  it('says where a large JSON file breaks, as the reading gets there', async () => {
    const records = Array.from({ length: 3000 }, (_, index) => ({
      source: 'dora',
      id: `dora--${index}`,
      nom: `Structure ${index}`,
      date_maj: '2025-01-01',
    }));
    const text = JSON.stringify(records, null, 1).replace('"Structure 2500"', '"Structure 2500" "oops"');
    const brokenLine = text.split('\n').findIndex((line) => line.includes('oops')) + 1;
    const error = await refusal(readAll([scratchFile('large-broken.json', text)]));
    expect(error.message).toMatch(new RegExp(`at line ${brokenLine}, column \\d+ `));
  });
});

describe('bounded memory', () => {
  it('reads a 40 MB data·inclusion file without holding it', async () => {
    const filePath = path.join(scratch, 'large-services.json');
    const out = createWriteStream(filePath);
    const filler = 'Accompagnement individuel vers l’emploi, la formation et l’accès aux droits. '.repeat(8);
    let written = 0;
    let count = 0;
    const structures = Array.from({ length: 500 }, (_, index) => ({
      source: 'dora',
      id: `dora--s-${index}`,
      nom: `Structure ${index}`,
      date_maj: '2025-01-01',
    }));
    out.write(`{"structures": ${JSON.stringify(structures)},\n"services": [`);
    while (written < 40 * 1024 * 1024) {
      const line = JSON.stringify({
        source: 'dora',
        id: `dora--svc-${count}`,
        structure_id: `dora--s-${count % 500}`,
        nom: `Service ${count}`,
        description: filler,
        date_maj: '2025-01-01',
        thematiques: ['lecture-ecriture-calcul--maitriser-le-francais'],
        latitude: 44.8,
        longitude: -0.57,
      });
      if (!out.write(`${count === 0 ? '' : ',\n'}${line}`))
        await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      written += line.length + 2;
      count += 1;
    }
    out.end(']}');
    await new Promise<void>((resolve) => out.once('finish', () => resolve()));

    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as () => void;
    collect();
    const before = process.memoryUsage().heapUsed;
    let peak = 0;
    let services = 0;
    const reader = await openImportFiles([{ path: filePath, name: 'services.json' }]);
    for await (const item of reader.items()) {
      if (item.kind !== 'service') continue;
      services += 1;
      if (services % 5000 === 0) {
        collect();
        peak = Math.max(peak, process.memoryUsage().heapUsed - before);
      }
    }
    expect(services).toBe(count);
    // Holding the file as text would take 40 MB (80 MB as a JS string), as objects several times that.
    expect(peak).toBeLessThan(15 * 1024 * 1024);
  }, 120_000);
});

describe('vocabulary', () => {
  const extra = (name: string) =>
    (
      JSON.parse(
        readFileSync(
          path.join(projectRoot, 'tests/fixtures/standards/data-inclusion-schema/schemas/v1/extra', `${name}.json`),
          'utf8',
        ),
      ) as { value: string }[]
    ).map(({ value }) => value);

  it('gives every data·inclusion v1 thematique a category', () => {
    const values = extra('thematiques');
    expect(values.length).toBeGreaterThan(60);
    const withoutCategory = values.filter(
      (value) => classifyTerms([{ vocabulary: 'thematiques', value }]).category === null,
    );
    expect(withoutCategory).toEqual([]);
  });

  it('decides on every data·inclusion v1 public but one, left for a person', () => {
    const undecided = extra('publics').filter((value) => builtInTarget({ vocabulary: 'publics', value }) === null);
    expect(undecided).toEqual(['personnes-en-situation-juridique-specifique']);
  });

  it('reads free text in French and English', () => {
    const cases: [string, string][] = [
      ['Cours de français', 'topic:language_courses'],
      ['FLE', 'topic:language_courses'],
      ['Language support', 'topic:language_courses'],
      ['Interprète', 'topic:interpreting'],
      ['Housing', 'topic:housing'],
      ['Logement', 'topic:housing'],
      ['Emploi', 'topic:employment'],
      ['Job search', 'topic:employment'],
      ['Sport', 'topic:sports'],
      ['Culture', 'topic:culture'],
      ['Santé', 'topic:health'],
      ['Mental health', 'topic:health'],
      ['Legal', 'topic:legal_aid'],
      ['Aide juridique', 'topic:legal_aid'],
      ['Action sociale', 'category:social_action'],
      ['Insertion professionnelle', 'category:professional_integration'],
      ['Demandeurs d’asile', 'audience:asylum_seekers'],
    ];
    const read = (value: string) => {
      const target = builtInTarget({ vocabulary: 'category', value });
      return target && target.kind !== 'ignore' ? `${target.kind}:${target.id}` : null;
    };
    expect(cases.map(([value]) => [value, read(value)])).toEqual(cases);
    expect(read('Jardinage')).toBeNull();
  });
});

describe('HSDS single objects of other kinds', () => {
  it('reads a page of organisations (organization_list)', async () => {
    const page = {
      total_items: 2,
      total_pages: 1,
      page_number: 1,
      size: 2,
      first_page: true,
      last_page: true,
      empty: false,
      contents: [
        { id: 'org-1', name: 'Galway City Partnership', description: 'Local development company.' },
        {
          id: 'org-2',
          name: 'Doras',
          description: 'Migrant rights organisation.',
          website: 'https://doras.example.ie',
        },
      ],
    };
    const read = await readAll([scratchFile('organization-list.json', JSON.stringify(page))]);
    expect(read.format).toBe('hsds-json');
    expect(read.organizations.map((organization) => [organization.name, organization.website])).toEqual([
      ['Galway City Partnership', null],
      ['Doras', 'https://doras.example.ie'],
    ]);
    expect([read.services, read.problems]).toEqual([[], []]);
  });

  it('reads a service-at-location with its service and location', async () => {
    const serviceAtLocation = {
      id: 'sal-1',
      service_id: 'svc-1',
      location_id: 'loc-1',
      service: {
        id: 'svc-1',
        organization_id: 'org-1',
        name: 'Food bank',
        status: 'active',
        email: '  food@example.org ',
      },
      location: { id: 'loc-1', location_type: 'physical', name: 'Church hall', latitude: '53.1', longitude: '-8.2' },
      schedules: [{ id: 'sch-1', freq: 'WEEKLY', byday: 'SA', opens_at: '10:00', closes_at: '12:00' }],
    };
    const read = await readAll([scratchFile('service-at-location.json', JSON.stringify(serviceAtLocation))]);
    expect(read.format).toBe('hsds-json');
    expect(read.locations.map((location) => [location.sourceId, location.lat, location.lon])).toEqual([
      ['loc-1', 53.1, -8.2],
    ]);
    expect(read.services[0]).toMatchObject({
      sourceId: 'svc-1',
      email: 'food@example.org',
      locationSourceIds: ['loc-1'],
      schedules: [{ openingHours: 'Sa 10:00-12:00', description: null, note: null }],
    });
    // Its organisation is not in the file: named after reading.
    expect(read.problems.map((problem) => problem.field)).toEqual(['organization_id']);
  });
});
