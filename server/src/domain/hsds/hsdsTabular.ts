import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { strToU8, Zip, ZipDeflate } from 'fflate';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { csvField } from '../exports/csvField.js';
import type { PointReader } from '../locations/hiddenAddresses.js';
import { fullServiceObjects, organizationObjects } from './hsdsAssembly.js';
import type { HsdsObject } from './hsdsObjects.js';
import { organizationBatch, serviceBatch } from './hsdsRepository.js';
import { hsdsTaxonomies, knownTerms } from './taxonomies.js';
import { type TabularResource, tabularResources } from './tabularResources.js';

/** Records read per query while a file is written: memory stays bounded whatever the alliance's size. */
const batchSize = 500;

type Objects = (object: HsdsObject) => HsdsObject[];

const list = (value: unknown): HsdsObject[] => (Array.isArray(value) ? (value as HsdsObject[]) : []);
const nested =
  (field: string): Objects =>
  (object) =>
    list(object[field]);
const one =
  (field: string): Objects =>
  (object) =>
    object[field] ? [object[field] as HsdsObject] : [];
const then =
  (first: Objects, second: Objects): Objects =>
  (object) =>
    first(object).flatMap(second);

const serviceLocations = then(nested('service_at_locations'), one('location'));
const organizationLocations = nested('locations');

/**
 * Where each file's rows come from in the nested objects: a service's (fully nested) and an organisation's (with its
 * own locations). A row reached twice (a location two services share) is written once.
 */
const rowsOf: Record<string, { service?: Objects; organization?: Objects; fixed?: () => HsdsObject[] }> = {
  organization: { organization: (object) => [object] },
  service: { service: (object) => [object] },
  attribute: { service: nested('attributes') },
  service_at_location: { service: nested('service_at_locations') },
  location: { service: serviceLocations, organization: organizationLocations },
  phone: { service: nested('phones'), organization: then(nested('contacts'), nested('phones')) },
  contact: { organization: nested('contacts') },
  address: {
    service: then(serviceLocations, nested('addresses')),
    organization: then(organizationLocations, nested('addresses')),
  },
  schedule: {
    service: (object) => [
      ...list(object.schedules),
      ...list(object.service_at_locations).flatMap(nested('schedules')),
      ...serviceLocations(object).flatMap(nested('schedules')),
    ],
    organization: then(organizationLocations, nested('schedules')),
  },
  service_area: { service: nested('service_areas') },
  language: { service: nested('languages') },
  accessibility: {
    service: then(serviceLocations, nested('accessibility')),
    organization: then(organizationLocations, nested('accessibility')),
  },
  taxonomy_term: {
    fixed: () => knownTerms.map((known) => ({ ...known.term })),
    service: then(nested('attributes'), one('taxonomy_term')),
  },
  metadata: { service: nested('metadata'), organization: nested('metadata') },
  cost_option: { service: nested('cost_options') },
  organization_identifier: { organization: nested('organization_identifiers') },
  taxonomy: { fixed: () => Object.values(hsdsTaxonomies).map((taxonomy) => ({ ...taxonomy })) },
};

/** One CSV line of a row, in the resource's field order; what the row lacks is an empty cell. */
function csvLine(resource: TabularResource, row: HsdsObject): string {
  return `${resource.fields
    .map((field) => {
      const value = row[field.name];
      if (typeof value === 'number') return csvField(value);
      return csvField(value === undefined || value === null ? null : String(value));
    })
    .join(',')}\r\n`;
}

/** The Frictionless data package describing the files, as HSDS's tabular form does. */
export function dataPackage(name: string): object {
  return {
    profile: 'tabular-data-package',
    name,
    title: 'HSDS 3.0 tabular data',
    resources: tabularResources.map((resource) => ({
      name: resource.name,
      path: resource.path,
      profile: 'tabular-data-resource',
      format: 'csv',
      mediatype: 'text/csv',
      encoding: 'utf-8',
      schema: {
        fields: resource.fields.map((field) => ({
          name: field.name,
          type: field.format === 'date-time' ? 'datetime' : field.type,
          ...(field.format && field.format !== 'date-time' ? { format: field.format } : {}),
          ...(field.required ? { constraints: { required: true } } : {}),
        })),
        ...(resource.fields.some((field) => field.name === 'id') ? { primaryKey: 'id' } : {}),
      },
    })),
  };
}

interface TabularSource {
  db: Kysely<Database>;
  allianceId: string;
  reader: PointReader;
}

async function* serviceObjectBatches({ db, allianceId, reader }: TabularSource): AsyncGenerator<HsdsObject[]> {
  let afterId: string | undefined;
  for (;;) {
    const rows = await serviceBatch(db, reader, allianceId, afterId, batchSize);
    if (rows.length === 0) return;
    yield await fullServiceObjects(db, rows, { reader });
    afterId = rows.at(-1)!.id;
  }
}

async function* organizationObjectBatches({ db, allianceId, reader }: TabularSource): AsyncGenerator<HsdsObject[]> {
  let afterId: string | undefined;
  for (;;) {
    const rows = await organizationBatch(db, allianceId, afterId, batchSize);
    if (rows.length === 0) return;
    yield await organizationObjects(db, rows, { reader, full: true });
    afterId = rows.at(-1)!.id;
  }
}

/** Every row of one file, batch by batch, each id once. */
async function* resourceRows(resource: TabularResource, source: TabularSource): AsyncGenerator<HsdsObject[]> {
  const from = rowsOf[resource.name];
  if (!from) return;
  const written = new Set<string>();
  const firstTime = (row: HsdsObject) => {
    const id = row.id as string;
    if (written.has(id)) return false;
    written.add(id);
    return true;
  };
  if (from.fixed) yield from.fixed().filter(firstTime);
  if (from.organization) {
    for await (const batch of organizationObjectBatches(source))
      yield batch.flatMap(from.organization).filter(firstTime);
  }
  if (from.service) {
    for await (const batch of serviceObjectBatches(source)) yield batch.flatMap(from.service).filter(firstTime);
  }
}

/**
 * The alliance's records as HSDS 3.0 tabular data, streamed: `datapackage.json`, then one CSV per resource of the
 * tabular form in its order (with a header line even when empty), each written batch by batch, so that the zip is
 * sent as it is made and memory holds a batch, not the alliance. The reader sees what the API shows them.
 */
export function hsdsTabularZip(
  db: Kysely<Database>,
  allianceId: string,
  reader: PointReader,
  log: FastifyBaseLogger,
): Readable {
  const output = new PassThrough();
  const zip = new Zip((error, chunk, final) => {
    if (error) {
      output.destroy(error);
      return;
    }
    output.write(chunk);
    if (final) output.end();
  });
  const writeFile = async (path: string, parts: AsyncIterable<string> | Iterable<string>) => {
    const file = new ZipDeflate(path, { level: 6 });
    zip.add(file);
    for await (const part of parts) {
      file.push(strToU8(part));
      // The client reads slower than the database answers: wait for it rather than fill memory.
      if (output.writableNeedDrain) await once(output, 'drain');
    }
    file.push(new Uint8Array(0), true);
  };
  const source = { db, allianceId, reader };
  (async () => {
    await writeFile('datapackage.json', [JSON.stringify(dataPackage('hsds'), null, 2)]);
    for (const resource of tabularResources) {
      await writeFile(
        resource.path,
        (async function* () {
          yield `${resource.fields.map((field) => field.name).join(',')}\r\n`;
          for await (const rows of resourceRows(resource, source)) {
            yield rows.map((row) => csvLine(resource, row)).join('');
          }
        })(),
      );
    }
    zip.end();
  })().catch((error: unknown) => {
    log.error({ err: error }, 'the HSDS download failed while it was being sent');
    output.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return output;
}
