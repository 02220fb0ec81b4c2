import path from 'node:path';
import { describe, expect, it } from 'vitest';
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
    expect((await refusal(openImportFiles([]))).message).toBe('No file was sent.');
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
