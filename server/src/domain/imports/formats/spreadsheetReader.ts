import type {
  ColumnMapping,
  ImportFormat,
  ImportItem,
  ImportReader,
  ImportedLocation,
  ImportedOrganization,
  ImportedService,
  ReadOptions,
  RecordPlace,
  SourceTerm,
} from '../importRecord.js';
import { languageCodes } from '../vocabulary/languages.js';
import { classifyTerms, vocabularies } from '../vocabulary/termTargets.js';
import { descriptionText, normalizedWords, slugOf, textOrNull } from './cleanText.js';
import { coordinatesOf } from './coordinates.js';
import type { CsvRow } from './csvRows.js';
import { openingHoursSchedule } from './openingHoursSchedules.js';
import { ownString, RecordProblems, ReadingState } from './readingState.js';
import { said } from '../../messages/userError.js';
import {
  availableSpreadsheetFields,
  guessFields,
  isSpreadsheetField,
  type SpreadsheetFieldId,
} from './spreadsheetFields.js';

/** The rows of a sheet or CSV file, from the start, each time it is called. */
export type RowSource = () => AsyncIterable<CsvRow>;

const sampleRows = 50;
const samplesPerColumn = 5;

/** Headers as a person will choose among them: never empty, never twice the same. */
function uniqueHeaders(cells: string[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((cell, column) => {
    const header = textOrNull(cell)?.replace(/\s+/g, ' ') ?? `Column ${column + 1}`;
    const count = (seen.get(header) ?? 0) + 1;
    seen.set(header, count);
    return count === 1 ? header : `${header} (${count})`;
  });
}

const isBlank = (cells: string[]) => cells.every((cell) => cell.trim() === '');

interface Layout {
  headerRow: number;
  headers: string[];
  columns: ColumnMapping[];
}

async function layoutOf(rows: RowSource, options: ReadOptions): Promise<Layout | null> {
  let header: { row: number; headers: string[] } | null = null;
  const samples: string[][] = [];
  let read = 0;
  for await (const { row, cells } of rows()) {
    if (!header) {
      if (!isBlank(cells)) header = { row, headers: uniqueHeaders(cells) };
      continue;
    }
    header.headers.forEach((_, column) => {
      const value = textOrNull(cells[column]);
      const list = (samples[column] ??= []);
      if (value !== null && list.length < samplesPerColumn && !list.includes(value)) list.push(value);
    });
    if ((read += 1) >= sampleRows) break;
  }
  if (!header) return null;
  const guesses = guessFields(header.headers);
  const mapping = options.columnMapping ?? {};
  const columns = header.headers.map((headerText, column) => {
    const chosen = Object.hasOwn(mapping, headerText) ? mapping[headerText] : guesses[column];
    return {
      header: headerText,
      field: chosen && isSpreadsheetField(chosen) ? chosen : null,
      samples: samples[column] ?? [],
    };
  });
  return { headerRow: header.row, headers: header.headers, columns };
}

const yes = new Set([
  'oui',
  'yes',
  'y',
  'true',
  '1',
  'x',
  'gratuit',
  'gratuite',
  'free',
  'free of charge',
  'gratis',
  'gratuito',
  'kostenlos',
  'ja',
  'si',
]);
const no = new Set([
  'non',
  'no',
  'n',
  'false',
  '0',
  'payant',
  'paid',
  'nein',
  'de pago',
  'a pagamento',
  'kostenpflichtig',
]);

const countryNames: Record<string, string> = {
  france: 'FR',
  ireland: 'IE',
  eire: 'IE',
  irlande: 'IE',
  'republic of ireland': 'IE',
  germany: 'DE',
  deutschland: 'DE',
  allemagne: 'DE',
  spain: 'ES',
  espana: 'ES',
  espagne: 'ES',
  italy: 'IT',
  italia: 'IT',
  italie: 'IT',
  belgium: 'BE',
  belgique: 'BE',
  belgie: 'BE',
  'united kingdom': 'GB',
  uk: 'GB',
  portugal: 'PT',
  switzerland: 'CH',
  suisse: 'CH',
  schweiz: 'CH',
  austria: 'AT',
  osterreich: 'AT',
  luxembourg: 'LU',
  netherlands: 'NL',
  'pays bas': 'NL',
  nederland: 'NL',
};

function countryCode(value: string | null): string | null {
  if (value === null) return null;
  if (/^[a-z]{2}$/i.test(value.trim())) return value.trim().toUpperCase();
  return countryNames[normalizedWords(value)] ?? null;
}

/** Cell values of a list column (`Housing; Health`), one term each. */
function splitList(value: string | null): string[] {
  if (value === null) return [];
  return value
    .split(/[;,|\n•]/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

class RowReader {
  private readonly columnOf = new Map<SpreadsheetFieldId, number>();
  private readonly organizations = new Set<string>();
  private readonly locations = new Set<string>();
  readonly state: ReadingState;

  constructor(
    private readonly layout: Layout,
    private readonly options: ReadOptions,
    private readonly sheet: string | undefined,
  ) {
    layout.columns.forEach((column, index) => {
      if (column.field && isSpreadsheetField(column.field)) this.columnOf.set(column.field, index);
    });
    this.state = new ReadingState(options);
  }

  get hasOrganizationColumn(): boolean {
    return this.columnOf.has('organization.name');
  }

  private headerOf(field: SpreadsheetFieldId): string {
    return this.layout.headers[this.columnOf.get(field) ?? -1] ?? field;
  }

  items(row: number, rawCells: string[]): ImportItem[] {
    const cells = [...rawCells];
    for (const edit of this.options.cellEdits ?? []) {
      const column = this.layout.headers.indexOf(edit.header);
      if (edit.row === row && column >= 0) cells[column] = edit.value;
    }
    if (isBlank(cells)) return [];
    const get = (field: SpreadsheetFieldId) => {
      const column = this.columnOf.get(field);
      return column === undefined ? null : textOrNull(cells[column]);
    };
    const place: RecordPlace = { row, ...(this.sheet ? { file: this.sheet } : {}) };
    const problems = new RecordProblems(place);

    const serviceName = get('service.name') ?? (this.columnOf.has('service.name') ? null : get('organization.name'));
    const organizationName = get('organization.name') ?? (this.hasOrganizationColumn ? null : serviceName);
    if (serviceName === null || organizationName === null) {
      const field = serviceName === null ? 'service.name' : 'organization.name';
      problems.error(
        this.headerOf(field),
        serviceName === null ? said('import.row-service-no-name') : said('import.row-organization-no-name'),
      );
      return problems.items();
    }
    const organizationSourceId = `org:${slugOf(organizationName)}`;
    const sourceId = get('service.id') ?? `${slugOf(organizationName)}/${slugOf(serviceName)}`;
    problems.place.sourceId = sourceId;
    if (this.state.isRepeated('service', place.file, sourceId)) {
      const byId = this.columnOf.has('service.id');
      problems.error(
        this.headerOf(byId ? 'service.id' : 'service.name'),
        byId ? said('import.row-id-repeated', { id: sourceId }) : said('import.row-names-repeated'),
      );
      return problems.items();
    }
    const items: ImportItem[] = [];
    if (!this.organizations.has(organizationSourceId)) {
      this.organizations.add(ownString(organizationSourceId));
      this.state.isRepeated('organization', place.file, organizationSourceId);
      items.push({
        kind: 'organization',
        record: this.organizationOf(get, place, organizationSourceId, organizationName, problems),
      });
    }
    const location = this.locationOf(get, place, organizationSourceId, problems);
    if (location && !this.locations.has(location.sourceId)) {
      this.locations.add(ownString(location.sourceId));
      items.push({ kind: 'location', record: location });
    }
    items.push({
      kind: 'service',
      record: this.serviceOf(get, { ...place, sourceId }, organizationSourceId, serviceName, location, problems),
    });
    return [...items, ...problems.items()];
  }

  private organizationOf(
    get: (field: SpreadsheetFieldId) => string | null,
    place: RecordPlace,
    sourceId: string,
    name: string,
    problems: RecordProblems,
  ): ImportedOrganization {
    const siret = get('organization.siret')?.replace(/\s/g, '') ?? null;
    const identifiers = [];
    if (siret !== null && /^\d{14}$/.test(siret))
      identifiers.push({ scheme: 'FR-SIRET', type: 'siret', identifier: siret });
    else if (siret !== null) {
      problems.warning(this.headerOf('organization.siret'), said('import.siret-not-14-digits', { siret }));
    }
    return {
      place: { ...place, sourceId },
      sourceId,
      name,
      alternateName: null,
      description: null,
      website: problems.webAddress(this.headerOf('organization.website'), get('organization.website')),
      email: null,
      phone: null,
      legalStatus: null,
      identifiers,
      sourceUpdatedAt: null,
    };
  }

  private locationOf(
    get: (field: SpreadsheetFieldId) => string | null,
    place: RecordPlace,
    organizationSourceId: string,
    problems: RecordProblems,
  ): ImportedLocation | null {
    const address1 = get('location.address');
    const city = get('location.city');
    const postalCode = get('location.postalCode');
    const name = get('location.name');
    const latitude = get('location.lat');
    const longitude = get('location.lon');
    if (!address1 && !city && !postalCode && !latitude && !longitude) return null;
    const coordinates = coordinatesOf(latitude, longitude);
    if (coordinates.problem) {
      const field = coordinates.problem.field === 'latitude' ? 'location.lat' : 'location.lon';
      problems.warning(this.headerOf(field), coordinates.problem.message);
    }
    // Services at the same address share one place; an address is the same whatever its case or punctuation.
    const key =
      address1 || postalCode || city
        ? [address1, postalCode, city].map((part) => slugOf(part ?? '')).join('|')
        : `${coordinates.lat},${coordinates.lon}`;
    const sourceId = `place:${name ? `${slugOf(name)}|` : ''}${key}`;
    return {
      place: { ...place, sourceId },
      sourceId,
      organizationSourceId,
      name,
      description: null,
      address1,
      city,
      postalCode,
      country: countryCode(get('location.country')),
      lat: coordinates.lat,
      lon: coordinates.lon,
      accessibility: null,
      sourceUpdatedAt: null,
    };
  }

  /** The unit column's, else "places" when the capacity's own header counts places ("Nombre de places"). */
  private capacityUnit(get: (field: SpreadsheetFieldId) => string | null, problems: RecordProblems): string | null {
    if (this.columnOf.has('service.capacityUnit')) {
      return problems.capacityUnit(this.headerOf('service.capacityUnit'), get('service.capacityUnit'));
    }
    return /\b(places|platze|plaetze|plazas|posti)\b/.test(normalizedWords(this.headerOf('service.capacity')))
      ? 'places'
      : null;
  }

  private serviceOf(
    get: (field: SpreadsheetFieldId) => string | null,
    place: RecordPlace,
    organizationSourceId: string,
    name: string,
    location: ImportedLocation | null,
    problems: RecordProblems,
  ): ImportedService {
    const terms: SourceTerm[] = [
      ...splitList(get('service.category')).map((value) => ({ vocabulary: vocabularies.category, value })),
      ...splitList(get('service.audiences')).map((value) => ({ vocabulary: vocabularies.audience, value })),
    ];
    const classified = classifyTerms(terms, this.options.vocabularyMapping);
    const freeText = get('service.free');
    const freeWords = freeText === null ? null : normalizedWords(freeText);
    const free = freeWords === null ? null : yes.has(freeWords) ? true : no.has(freeWords) ? false : null;
    const fees = get('service.feesDescription') ?? (free === null ? freeText : null);
    const capacity = this.columnOf.has('service.capacity')
      ? problems.capacity(this.headerOf('service.capacity'), get('service.capacity'))
      : undefined;
    return {
      place,
      sourceId: place.sourceId ?? '',
      organizationSourceId,
      name,
      alternateName: null,
      description: descriptionText(get('service.description')),
      url: problems.webAddress(this.headerOf('service.url'), get('service.url')),
      email: problems.email(this.headerOf('service.email'), get('service.email')),
      phone: get('service.phone'),
      status: 'active',
      category: classified.category,
      topics: classified.topics,
      audiences: classified.audiences,
      languages: languageCodes(splitList(get('service.languages'))),
      free,
      feesDescription: fees,
      eligibilityDescription: get('service.eligibilityDescription'),
      applicationProcess: null,
      ...(capacity === undefined
        ? {}
        : { capacity, capacityUnit: capacity === null ? null : this.capacityUnit(get, problems) }),
      areaScope: 'local',
      locationSourceIds: location ? [location.sourceId] : [],
      schedules: openingHoursSchedule(get('service.openingHours'), this.headerOf('service.openingHours'), problems),
      sourceTerms: terms,
      sourceUpdatedAt: null,
    };
  }
}

/**
 * A spreadsheet (CSV or the first sheet of an XLSX with data): its header row names the columns, each column fills
 * the field guessed from its header or chosen by a person, and each row is a service with its organisation and
 * place. Read twice: a first look for the columns and their samples, then the rows as they come.
 */
export async function spreadsheetReader(
  format: Extract<ImportFormat, 'spreadsheet-csv' | 'spreadsheet-xlsx'>,
  fileName: string,
  rows: RowSource,
  options: ReadOptions,
  sheet?: string,
): Promise<ImportReader> {
  const layout = (await layoutOf(rows, options)) ?? { headerRow: 1, headers: [], columns: [] };
  const hasOrganization = layout.columns.some((column) => column.field === 'organization.name');
  const hasName = layout.columns.some((column) => column.field === 'service.name');
  const notes: string[] = [];
  if (layout.headers.length === 0) notes.push(`"${fileName}" holds no rows.`);
  else if (!hasOrganization && hasName) {
    notes.push(
      'No column names the organisation: each service is imported as its own organisation, under its own name.',
    );
  } else if (hasOrganization && !hasName) {
    notes.push('No column names the service: each service takes the name of its organisation.');
  }
  return {
    format,
    columns: layout.columns,
    availableFields: availableSpreadsheetFields,
    notes,
    async *items(): AsyncGenerator<ImportItem> {
      const reader = new RowReader(layout, options, sheet);
      for await (const { row, cells } of rows()) {
        if (row <= layout.headerRow) continue;
        yield* reader.items(row, cells);
      }
    },
  };
}
