import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

/** Records read per query: memory holds one batch of nested objects whatever the alliance's size. */
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

/**
 * Writes every file's rows to a file of its own in `directory`, in one walk over the alliance's organisations and
 * one over its services, a batch at a time; a row reached twice (a location two services share) is written once.
 */
async function spoolRows(source: TabularSource, directory: string): Promise<void> {
  const files = new Map(
    tabularResources.map((resource) => {
      const file = fs.createWriteStream(path.join(directory, resource.path));
      file.write(`${resource.fields.map((field) => field.name).join(',')}\r\n`);
      return [resource.name, { resource, file, written: new Set<string>() }];
    }),
  );
  const write = async (kind: 'fixed' | 'organization' | 'service', objects: HsdsObject[]) => {
    for (const { resource, file, written } of files.values()) {
      const from = rowsOf[resource.name]?.[kind];
      if (!from) continue;
      const rows = (kind === 'fixed' ? (from as () => HsdsObject[])() : objects.flatMap(from as Objects)).filter(
        (row) => !written.has(row.id as string) && written.add(row.id as string),
      );
      if (rows.length > 0 && !file.write(rows.map((row) => csvLine(resource, row)).join(''))) {
        await once(file, 'drain');
      }
    }
  };
  await write('fixed', []);
  for await (const batch of organizationObjectBatches(source)) await write('organization', batch);
  for await (const batch of serviceObjectBatches(source)) await write('service', batch);
  await Promise.all([...files.values()].map(({ file }) => new Promise((resolve) => file.end(resolve))));
}

/**
 * The alliance's records as HSDS 3.0 tabular data, streamed: `datapackage.json`, then one CSV per resource of the
 * tabular form in its order (with a header line even when empty). The rows are first written to temporary files,
 * batch by batch, in one walk over the data, then zipped one file after the other as the client reads, so that
 * memory holds a batch, not the alliance. The reader sees what the API shows them.
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
  const addFile = async (name: string, parts: AsyncIterable<Uint8Array> | Iterable<Uint8Array>) => {
    const file = new ZipDeflate(name, { level: 6 });
    zip.add(file);
    for await (const part of parts) {
      file.push(part);
      // The client reads slower than the disk: wait for it rather than fill memory.
      if (output.writableNeedDrain) await once(output, 'drain');
    }
    file.push(new Uint8Array(0), true);
  };
  (async () => {
    const directory = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'passerelle-hsds-'));
    try {
      await spoolRows({ db, allianceId, reader }, directory);
      await addFile('datapackage.json', [strToU8(JSON.stringify(dataPackage('hsds'), null, 2))]);
      for (const resource of tabularResources) {
        await addFile(resource.path, fs.createReadStream(path.join(directory, resource.path)));
      }
      zip.end();
    } finally {
      await fs.promises.rm(directory, { recursive: true, force: true });
    }
  })().catch((error: unknown) => {
    log.error({ err: error }, 'the HSDS download failed while it was being made');
    output.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return output;
}
