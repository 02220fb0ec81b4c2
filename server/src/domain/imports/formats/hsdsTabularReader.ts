import type { ImportItem, ImportReader, ReadOptions } from '../importRecord.js';
import { csvRows, type CsvLayout } from './csvRows.js';
import { HsdsRecords } from './hsdsRecords.js';
import { ReadingState } from './readingState.js';
import type { SourceFile } from './sourceFiles.js';

export interface HsdsTable {
  /** The table's name, from its file name (`services`, `service_at_location`). */
  table: string;
  source: SourceFile;
  csv: CsvLayout;
}

type Raw = Record<string, unknown>;

/** The rows of a table as objects keyed by its header, with their row number. */
async function* tableRows(table: HsdsTable): AsyncGenerator<{ row: number; raw: Raw }> {
  let header: string[] | null = null;
  for await (const { row, cells } of csvRows(table.source, table.csv)) {
    if (!header) {
      header = cells.map((cell) => cell.trim());
      continue;
    }
    const raw: Raw = {};
    header.forEach((field, column) => {
      const value = cells[column]?.trim() ?? '';
      if (field !== '' && value !== '') raw[field] = value;
    });
    yield { row, raw };
  }
}

/** Rows of a linking table grouped by one of their columns (phones by `service_id`, addresses by `location_id`). */
class Links {
  private readonly byKey = new Map<string, Raw[]>();

  add(key: unknown, raw: Raw): void {
    if (typeof key !== 'string' || key === '') return;
    const list = this.byKey.get(key);
    if (list) list.push(raw);
    else this.byKey.set(key, [raw]);
  }

  of(key: unknown): Raw[] {
    return typeof key === 'string' ? (this.byKey.get(key) ?? []) : [];
  }
}

/** Only the fields the records use are kept from the linking tables, so that holding them costs little. */
function pick(raw: Raw, fields: string[]): Raw {
  const kept: Raw = {};
  for (const field of fields) if (raw[field] !== undefined) kept[field] = raw[field];
  return kept;
}

const scheduleFields = [
  'freq',
  'byday',
  'bymonthday',
  'interval',
  'count',
  'dtstart',
  'until',
  'valid_from',
  'valid_to',
  'opens_at',
  'closes_at',
  'description',
  'notes',
  'rrule',
];

type TablesNamed = (...names: string[]) => HsdsTable[];

/** The linking tables, each held by the id its rows link to (a service's phones, a location's addresses). */
async function linkTables(named: TablesNamed) {
  const terms = new Map<string, Raw>();
  for (const table of named('taxonomy_terms')) {
    for await (const { raw } of tableRows(table))
      terms.set(String(raw.id), pick(raw, ['id', 'code', 'name', 'taxonomy']));
  }
  const attributes = new Links();
  for (const table of named('attributes')) {
    for await (const { raw } of tableRows(table)) {
      const term = terms.get(String(raw.taxonomy_term_id));
      if (term) attributes.add(raw.link_id, { taxonomy_term: term, value: raw.value });
    }
  }
  const addresses = new Links();
  const accessibility = new Links();
  const phones = new Links();
  const schedules = new Links();
  const languages = new Links();
  const costOptions = new Links();
  const identifiers = new Links();
  const serviceAtLocations = new Links();
  const serviceAtLocationSchedules = new Links();
  const read = async (names: string[], each: (raw: Raw) => void) => {
    for (const table of named(...names)) for await (const { raw } of tableRows(table)) each(raw);
  };
  await read(['addresses'], (raw) =>
    addresses.add(
      raw.location_id,
      pick(raw, ['address_1', 'address_2', 'city', 'postal_code', 'country', 'address_type']),
    ),
  );
  await read(['accessibility'], (raw) => accessibility.add(raw.location_id, pick(raw, ['description', 'details'])));
  await read(['phones'], (raw) => {
    const phone = pick(raw, ['number', 'extension']);
    phones.add(raw.service_id, phone);
    phones.add(raw.organization_id, phone);
  });
  await read(['schedules'], (raw) => {
    const schedule = pick(raw, scheduleFields);
    schedules.add(raw.service_id, schedule);
    serviceAtLocationSchedules.add(raw.service_at_location_id, schedule);
  });
  await read(['languages'], (raw) => languages.add(raw.service_id, pick(raw, ['name', 'code'])));
  await read(['cost_options'], (raw) =>
    costOptions.add(raw.service_id, pick(raw, ['option', 'amount', 'currency', 'amount_description'])),
  );
  await read(['organization_identifiers'], (raw) =>
    identifiers.add(raw.organization_id, pick(raw, ['identifier_scheme', 'identifier_type', 'identifier'])),
  );
  await read(['service_at_location', 'service_at_locations'], (raw) =>
    serviceAtLocations.add(raw.service_id, {
      location_id: raw.location_id,
      schedules: serviceAtLocationSchedules.of(raw.id),
      attributes: attributes.of(raw.id),
    }),
  );
  return {
    attributes,
    addresses,
    accessibility,
    phones,
    schedules,
    languages,
    costOptions,
    identifiers,
    serviceAtLocations,
  };
}

/**
 * HSDS 3 tabular data: the CSV tables of a zip or folder (`schema/compiled/tabular.json`). The linking tables
 * (phones, addresses, schedules, languages, attributes and their taxonomy terms, service-at-locations, cost
 * options, identifiers) are read first and held by the id they link to; organisations, locations and services,
 * the large tables, are then read row by row and given as the same nested objects as HSDS JSON.
 */
export function hsdsTabularReader(tables: HsdsTable[], options: ReadOptions): ImportReader {
  const named = (...names: string[]) => tables.filter((table) => names.includes(table.table));
  return {
    format: 'hsds-tabular',
    async *items(): AsyncGenerator<ImportItem> {
      const {
        attributes,
        addresses,
        accessibility,
        phones,
        schedules,
        languages,
        costOptions,
        identifiers,
        serviceAtLocations,
      } = await linkTables(named);

      const state = new ReadingState(options);
      const records = new HsdsRecords(state);
      for (const table of named('organizations')) {
        for await (const { row, raw } of tableRows(table)) {
          yield* records.organization(
            {
              ...raw,
              organization_identifiers: identifiers.of(raw.id),
              phones: phones.of(raw.id),
              attributes: attributes.of(raw.id),
            },
            { row, file: table.source.name },
            true,
          );
        }
      }
      for (const table of named('locations')) {
        for await (const { row, raw } of tableRows(table)) {
          yield* records.location(
            { ...raw, addresses: addresses.of(raw.id), accessibility: accessibility.of(raw.id) },
            { row, file: table.source.name },
            null,
            true,
          );
        }
      }
      for (const table of named('services')) {
        for await (const { row, raw } of tableRows(table)) {
          yield* records.service(
            {
              ...raw,
              phones: phones.of(raw.id),
              schedules: schedules.of(raw.id),
              languages: languages.of(raw.id),
              cost_options: costOptions.of(raw.id),
              attributes: attributes.of(raw.id),
              service_at_locations: serviceAtLocations.of(raw.id),
            },
            { row, file: table.source.name },
            null,
            true,
          );
        }
      }
      yield* state.unresolvedReferences();
    },
  };
}
