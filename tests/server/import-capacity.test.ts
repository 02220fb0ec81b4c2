import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/src/config.js';
import { openImportFiles } from '../../server/src/domain/imports/formats/index.js';
import type { ImportedService, ImportItem, RowProblem } from '../../server/src/domain/imports/importRecord.js';
import { signedInAs, type TestActor } from '../support/accounts.js';
import { multipart } from '../support/importRecords.js';
import { useTestApp } from '../support/testApp.js';
import { databaseModes } from '../support/testDatabase.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'passerelle-import-capacity-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function scratchFile(name: string, content: string | Uint8Array) {
  const filePath = path.join(scratch, name);
  writeFileSync(filePath, content);
  return { path: filePath, name };
}

async function read(name: string, content: string | Uint8Array) {
  const reader = await openImportFiles([scratchFile(name, content)]);
  const services: ImportedService[] = [];
  const problems: RowProblem[] = [];
  for await (const item of reader.items() as AsyncIterable<ImportItem>) {
    if (item.kind === 'service') services.push(item.record);
    else if (item.kind === 'problem') problems.push(item.problem);
  }
  return { reader, services, problems };
}

/** A French spreadsheet as Excel saves it (semicolons, decimal commas), with a "Nombre de places" column. */
const frenchSheet = [
  'Structure;Service;Catégorie;Ville;Nombre de places',
  'Secours Populaire;Hébergement d’urgence;Action sociale;Bordeaux;12',
  'Le Relais;Accueil de jour;Action sociale;Bordeaux;7,5',
  'La Cloche;Douches;Action sociale;Bordeaux;-3',
  'Emmaüs;Vestiaire;Action sociale;Bordeaux;beaucoup',
  'Restos du Cœur;Repas;Action sociale;Bordeaux;',
].join('\r\n');

describe('a capacity in a spreadsheet', () => {
  it('is read from a "Nombre de places" column, counted in places', async () => {
    const { reader, services } = await read('partenaires.csv', frenchSheet);
    expect(reader.columns?.find((column) => column.header === 'Nombre de places')?.field).toBe('service.capacity');
    const byName = new Map(services.map((service) => [service.name, service]));
    expect(byName.get('Hébergement d’urgence')).toMatchObject({ capacity: 12, capacityUnit: 'places' });
    expect(byName.get('Accueil de jour')).toMatchObject({ capacity: 7.5, capacityUnit: 'places' });
    expect(byName.get('Repas')).toMatchObject({ capacity: null, capacityUnit: null });
  });

  it('is an error on its row when negative or not a number', async () => {
    const { problems } = await read('partenaires.csv', frenchSheet);
    expect(problems.filter((problem) => problem.severity === 'error')).toEqual([
      expect.objectContaining({
        row: 4,
        field: 'Nombre de places',
        message: 'The capacity -3 is not above 0: give how many the service can take, or leave it empty.',
      }),
      expect.objectContaining({
        row: 5,
        field: 'Nombre de places',
        message:
          'The capacity "beaucoup" is not a number: give how many the service can take (places, hours), e.g. 12.',
      }),
    ]);
  });

  it('takes its unit from a "Capacity unit" column, and the French "Capacité" header', async () => {
    const english =
      'Organisation,Service,Category,Town,Capacity,Capacity unit\nNight Shelter,Beds,Housing,Galway,24,beds\n';
    const { reader, services } = await read('services.csv', english);
    expect(reader.columns?.map((column) => column.field).slice(4)).toEqual([
      'service.capacity',
      'service.capacityUnit',
    ]);
    expect(services[0]).toMatchObject({ capacity: 24, capacityUnit: 'beds' });
    const french = 'Structure,Service,Catégorie,Ville,Capacité\nLe Relais,Accueil,Action sociale,Bordeaux,1 200\n';
    expect((await read('services.csv', french)).services[0]).toMatchObject({ capacity: 1200, capacityUnit: null });
  });

  it('is left absent when the spreadsheet has no capacity column', async () => {
    const { services } = await read('services.csv', 'Organisation,Service,Town\nNight Shelter,Beds,Galway\n');
    expect(services[0]).not.toHaveProperty('capacity');
  });
});

/**
 * The HSDS 3.0 tabular fixture (tests/fixtures/imports/hsds-tabular) with Passerelle's extension columns x_capacity and
 * x_capacity_unit added to services.csv, as its HSDS export writes them, zipped with its datapackage.json.
 */
function hsdsZipWithCapacities(values: [string, string][]): Uint8Array {
  const folder = path.join(projectRoot, 'tests/fixtures/imports/hsds-tabular');
  const entries: Record<string, Uint8Array> = {};
  for (const name of readdirSync(folder)) entries[name] = readFileSync(path.join(folder, name));
  const lines = readFileSync(path.join(folder, 'services.csv'), 'utf8').trimEnd().split(/\r?\n/);
  const withCapacities = lines.map((line, index) =>
    index === 0 ? `${line},x_capacity,x_capacity_unit` : `${line},${values[index - 1]!.join(',')}`,
  );
  entries['services.csv'] = Buffer.from(`${withCapacities.join('\r\n')}\r\n`);
  return zipSync(entries);
}

describe('a capacity in HSDS tabular data', () => {
  it('is read from x_capacity and x_capacity_unit; text or zero is an error on the service', async () => {
    const zip = hsdsZipWithCapacities([
      ['20', 'places'],
      ['lots', ''],
      ['0', ''],
      ['', ''],
    ]);
    const { reader, services, problems } = await read('directory-hsds.zip', zip);
    expect(reader.format).toBe('hsds-tabular');
    const byName = new Map(services.map((service) => [service.name, service]));
    expect(byName.get('English language classes')).toMatchObject({ capacity: 20, capacityUnit: 'places' });
    // The tabular reader reads an empty cell as no value: the service says nothing of its capacity.
    expect(byName.get('Football for all')).not.toHaveProperty('capacity');
    expect(problems.filter((problem) => problem.severity === 'error')).toEqual([
      expect.objectContaining({
        file: 'services.csv',
        row: 3,
        field: 'x_capacity',
        message: 'The capacity "lots" is not a number: give how many the service can take (places, hours), e.g. 12.',
      }),
      expect.objectContaining({
        file: 'services.csv',
        row: 4,
        field: 'x_capacity',
        message: 'The capacity 0 is not above 0: give how many the service can take, or leave it empty.',
      }),
    ]);
  });
});

describe.each(databaseModes())('importing capacities (%s database)', (mode) => {
  const context = useTestApp(mode);
  let editor: TestActor;

  beforeAll(async () => {
    editor = await signedInAs(context.database.db, 'editor', 'testland');
  });

  it('writes a spreadsheet’s capacities with the services, and leaves out a service whose capacity is wrong', async () => {
    const body = multipart([{ name: 'partenaires.csv', content: frenchSheet }], { source: 'Partenaires' });
    const started = await context.app.inject({
      method: 'POST',
      url: '/api/alliances/testland/imports',
      headers: { ...editor.headers, ...body.headers },
      payload: body.payload,
    });
    expect(started.statusCode, started.body).toBe(202);
    await context.app.backgroundTasksSettled();
    const id = started.json().id as string;
    const preview = await context.app.inject({ url: `/api/alliances/testland/imports/${id}`, headers: editor.headers });
    expect(preview.json()).toMatchObject({ status: 'preview', counts: { services: 5, errors: 2 } });
    const committed = await context.app.inject({
      method: 'POST',
      url: `/api/alliances/testland/imports/${id}/commit`,
      headers: editor.headers,
    });
    expect(committed.statusCode, committed.body).toBe(202);
    await context.app.backgroundTasksSettled();
    const { rows } = await sql<{ name: string; capacity: number | null; capacity_unit: string | null }>`
      select s.name, s.capacity, s.capacity_unit from service s
      join import_source src on src.id = s.import_source_id where src.name = 'Partenaires'
      order by s.name`.execute(context.database.db);
    expect(rows).toEqual([
      { name: 'Accueil de jour', capacity: 7.5, capacity_unit: 'places' },
      { name: 'Hébergement d’urgence', capacity: 12, capacity_unit: 'places' },
      { name: 'Repas', capacity: null, capacity_unit: null },
    ]);
  });
});
