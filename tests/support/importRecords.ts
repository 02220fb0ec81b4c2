import fs from 'node:fs/promises';
import type {
  ImportedLocation,
  ImportedOrganization,
  ImportedService,
  ImportItem,
} from '../../server/src/domain/imports/importRecord.js';
import { ImportFileError } from '../../server/src/domain/imports/importRecord.js';
import { said } from '../../server/src/domain/messages/userError.js';
import type { OpenImportReader } from '../../server/src/domain/imports/readerAdapter.js';

/**
 * Records as the file readers give them, built in the test: the pipeline's tests do not depend on any format.
 * A test "file" is the JSON of `{ items: ImportItem[] }`; `openTestReader` reads it back.
 */
export function organization(sourceId: string, fields: Partial<ImportedOrganization> = {}): ImportItem {
  return {
    kind: 'organization',
    record: {
      place: { row: 1, sourceId },
      sourceId,
      name: `Organisation ${sourceId}`,
      alternateName: null,
      description: null,
      website: null,
      email: null,
      phone: null,
      legalStatus: null,
      identifiers: [],
      sourceUpdatedAt: null,
      ...fields,
    },
  };
}

export function location(sourceId: string, fields: Partial<ImportedLocation> = {}): ImportItem {
  return {
    kind: 'location',
    record: {
      place: { row: 1, sourceId },
      sourceId,
      organizationSourceId: null,
      name: null,
      description: null,
      address1: null,
      city: null,
      postalCode: null,
      country: 'FR',
      lat: null,
      lon: null,
      accessibility: null,
      sourceUpdatedAt: null,
      ...fields,
    },
  };
}

export function service(sourceId: string, fields: Partial<ImportedService> = {}): ImportItem {
  return {
    kind: 'service',
    record: {
      place: { row: 1, sourceId },
      sourceId,
      organizationSourceId: 'org-1',
      name: `Service ${sourceId}`,
      alternateName: null,
      description: null,
      url: null,
      email: null,
      phone: null,
      status: 'active',
      category: 'social_action',
      topics: [],
      audiences: [],
      languages: [],
      free: null,
      feesDescription: null,
      eligibilityDescription: null,
      applicationProcess: null,
      areaScope: 'local',
      locationSourceIds: [],
      schedules: [],
      sourceTerms: [],
      sourceUpdatedAt: null,
      ...fields,
    },
  };
}

/** Numbers the rows as a reader would: each record's position in the file. */
export function testFile(items: ImportItem[]): string {
  return JSON.stringify({
    items: items.map((item, index) =>
      item.kind === 'problem'
        ? item
        : { ...item, record: { ...item.record, place: { ...item.record.place, row: index + 1 } } },
    ),
  });
}

/** Reads test files back; anything else is refused as a reader refuses a file of another format. */
export const openTestReader: OpenImportReader = async (files) => {
  const contents = await Promise.all(files.map((file) => fs.readFile(file.path, 'utf8')));
  const parsed = contents.map((text) => {
    try {
      return JSON.parse(text) as { items: ImportItem[] };
    } catch {
      throw new ImportFileError(said('import.json-not-hsds'));
    }
  });
  return {
    format: 'hsds-json',
    async *items() {
      for (const file of parsed) yield* file.items;
    },
  };
};

/** A multipart/form-data body as a browser sends it, for app.inject. */
export function multipart(
  files: { name: string; content: string | Buffer }[],
  fields: Record<string, string> = {},
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----passerelle${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const file of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${file.name}"\r\n` +
          'content-type: application/octet-stream\r\n\r\n',
      ),
      Buffer.from(file.content),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
