/**
 * The finder's compact directory: the same services as the whole directory (`/api/alliances/:slug/directory`), in
 * far fewer bytes, cut into large fixed cells so that each part can be fetched, revalidated (ETag) and saved for
 * offline use on its own, and each part in two packs:
 *
 * - the **search pack** (`SearchPack`): what finding, ranking and listing need (name, organisation, category,
 *   topics, audiences, languages, cost, town, point, precision, open intervals, the closure's days, the month
 *   checked, the name's translations). No id: a service is its position in its cell (`searchId`).
 * - the **details pack** (`DetailsPack`), row for row: what only a service's card shows (ids, description,
 *   contacts, address, opening-hours text, the other translations, the closure's hours and note).
 *
 * Rows of values in a fixed order (`searchColumns`, `detailsColumns`) instead of objects with their keys repeated;
 * repeated words, opening-hours texts and open intervals once per pack, referred to by position; intervals in
 * whole minutes from the directory's `openFrom`; points in millionths of a degree from the cell's corner; a
 * translation as `[text, flags]` (flags: 1 = written by a machine, 2 = not reviewed yet).
 *
 * `decodeSearchPack` then `withDetails` give back, field by field, the services of the whole directory (points to
 * 6 decimals): web/src/find/search/compactDirectory.test.ts checks it, and that the search pack alone gives the
 * same matches, order, open status, closure notices and names in each language.
 */
import type { directorySchemas } from '../api.js';
import type { Static } from 'typebox';

type Service = Static<typeof directorySchemas.DirectoryService>;
type Place = Static<typeof directorySchemas.DirectoryPlace>;
type Alliance = Static<typeof directorySchemas.Directory>['alliance'];
type Closure = NonNullable<Service['closure']>;
type Texts = Service['translations'][string];
type TextField = keyof Texts;

/** Bumped when a part's layout changes; a phone holding parts of another format fetches them again. */
export const compactFormat = 2;

/**
 * The side of a cell, in degrees of latitude and longitude: about 55 km north to south, 35–40 km east to west in
 * Europe. What a phone fetches names cells this large, never a point.
 */
export const cellDegrees = 0.5;

/** The cell a point lies in, as `<row>_<column>` of the fixed world grid (row from latitude, column from longitude). */
export function cellOf(lat: number, lon: number): string {
  return `${Math.floor(lat / cellDegrees)}_${Math.floor(lon / cellDegrees)}`;
}

export interface CompactPartSummary {
  /** The cell, as `cellOf` names it. */
  id: string;
  /** Services (at a location) in the part. */
  services: number;
  /** The search pack's ETag, so that a phone knows which parts changed without asking for each. */
  etag: string;
  /** The details pack's ETag. */
  detailsEtag: string;
}

/** What the finder fetches first: the region, the period of the opening times, the towns and the list of parts. */
export interface CompactIndex {
  format: number;
  alliance: Alliance;
  generatedAt: string;
  openFrom: string;
  openUntil: string;
  cellDegrees: number;
  places: Place[];
  parts: CompactPartSummary[];
}

/** A value of a row of a pack; the layouts are `searchColumns` and `detailsColumns`. */
export type CompactValue = string | number | boolean | null | CompactValue[] | { [key: string]: CompactValue };
export type CompactRow = CompactValue[];

/**
 * What a part's search pack holds of each service, in this order: what matching, ordering, a result row, the
 * open-now status and the map need, and nothing else. Repeated words (organisations, towns, categories, topics,
 * audiences, languages, precisions) are positions in the pack's `words`.
 */
export const searchColumns = [
  'name',
  'organization',
  'textLanguage',
  'nameTranslations',
  'category',
  'topics',
  'audiences',
  'languages',
  'free',
  'city',
  'lat',
  'lon',
  'precision',
  'addressHidden',
  'openIntervals',
  'closure',
  'checkedMonth',
] as const;

/** What a part's details pack holds of each service, row for row with its search pack: what only a card shows. */
export const detailsColumns = [
  'id',
  'serviceId',
  'description',
  'translations',
  'feesDescription',
  'eligibilityDescription',
  'applicationProcess',
  'openingHoursNote',
  'phone',
  'email',
  'url',
  'address',
  'postalCode',
  'openingHours',
  'closureHours',
  'closureNote',
  'verifiedAt',
] as const;

/** The search pack of one cell: enough to find, rank and list its services, in far fewer bytes than all they hold. */
export interface SearchPack {
  format: number;
  id: string;
  /** The start of the period the intervals count from (ISO instant), the index's `openFrom`. */
  openFrom: string;
  /** Repeated words, referred to by position. */
  words: string[];
  /** Open intervals, each list flat: [opens, closes, opens, closes…] in minutes from `openFrom`. */
  intervals: number[][];
  /** One row per service at a location, values in the order of `searchColumns`. */
  services: CompactRow[];
}

/** The details pack of one cell: the rest of each service, fetched when a card opens, then kept for offline use. */
export interface DetailsPack {
  format: number;
  id: string;
  /** The ETag of the search pack these rows go with, row for row; another means the cell changed in between. */
  searchEtag: string;
  /** Opening-hours texts (OpenStreetMap syntax), referred to by position. */
  hours: string[];
  /** One row per service, in its search pack's order, values in the order of `detailsColumns`. */
  services: CompactRow[];
}

/**
 * A service as the search pack gives it: every field of the whole directory's, with those only the details pack
 * holds empty (null, or no translation but the name's) until `withDetails` fills them. Its `id` is short and
 * local (`searchId`): the details give the service's own.
 */
export type SearchService = Service;

const minute = 60_000;
const machineFlag = 1;
const draftFlag = 2;
/** Points are written in millionths of a degree from their cell's south-west corner. */
const micro = 1e6;

/** The short id of the service at `position` of a cell's search pack, until its details give its own. */
export function searchId(cell: string, position: number): string {
  return `${cell}.${position}`;
}

/** The cell and position a short id names, or null for a service's own id. */
export function parseSearchId(id: string): { cell: string; position: number } | null {
  const match = /^(-?\d+_-?\d+)\.(\d+)$/.exec(id);
  return match ? { cell: match[1]!, position: Number(match[2]) } : null;
}

/** The south-west corner of a cell, in millionths of a degree. */
function cornerOf(cell: string): [number, number] {
  const [row, column] = cell.split('_').map(Number) as [number, number];
  return [Math.round(row * cellDegrees * micro), Math.round(column * cellDegrees * micro)];
}

/** Hands out positions in a list of distinct values, by a key. */
class Table<T> {
  readonly values: T[] = [];
  readonly #positions = new Map<string, number>();

  positionOf(value: T, key: string): number {
    let position = this.#positions.get(key);
    if (position === undefined) {
      position = this.values.length;
      this.values.push(value);
      this.#positions.set(key, position);
    }
    return position;
  }
}

const flagsOf = (text: NonNullable<Texts[TextField]>) =>
  (text.origin === 'machine' ? machineFlag : 0) | (text.reviewState === 'machine-draft' ? draftFlag : 0);

const textOf = (pair: [string, number]): NonNullable<Texts[TextField]> => ({
  text: pair[0],
  origin: pair[1] & machineFlag ? 'machine' : 'human',
  reviewState: pair[1] & draftFlag ? 'machine-draft' : 'reviewed',
});

/** Translations as `{ language: { field: [text, flags] } }`, the fields `keep` says only; 0 when none. */
function encodeTranslations(translations: Service['translations'], keep: (field: string) => boolean): CompactValue {
  const encoded: Record<string, CompactValue> = {};
  for (const [language, texts] of Object.entries(translations)) {
    const fields: Record<string, CompactValue> = {};
    for (const [field, text] of Object.entries(texts))
      if (text && keep(field)) fields[field] = [text.text, flagsOf(text)];
    if (Object.keys(fields).length > 0) encoded[language] = fields;
  }
  return Object.keys(encoded).length === 0 ? 0 : encoded;
}

function decodeTranslations(value: CompactValue, into: Service['translations']): void {
  if (value === 0 || value === null || typeof value !== 'object' || Array.isArray(value)) return;
  for (const [language, fields] of Object.entries(value)) {
    const texts: Texts = (into[language] ??= {});
    for (const [field, pair] of Object.entries(fields as Record<string, [string, number]>)) {
      texts[field as TextField] = textOf(pair);
    }
  }
}

/**
 * The two packs of one cell: the services given, all of that cell, in the order given. `searchEtag` is filled in
 * by whoever gives the search pack its ETag.
 */
export function encodePacks(
  cell: string,
  openFrom: string,
  services: readonly Service[],
): { search: SearchPack; details: DetailsPack } {
  const start = Date.parse(openFrom);
  const [south, west] = cornerOf(cell);
  const words = new Table<string>();
  const word = (value: string) => words.positionOf(value, value);
  const intervals = new Table<number[]>();
  const hours = new Table<string>();
  const searchRows: CompactRow[] = [];
  const detailRows: CompactRow[] = [];
  for (const service of services) {
    const flat = service.openIntervals?.flatMap(([opens, closes]) => [
      Math.round((Date.parse(opens) - start) / minute),
      Math.round((Date.parse(closes) - start) / minute),
    ]);
    const closure = service.closure;
    searchRows.push([
      service.name,
      word(service.organizationName),
      word(service.textLanguage),
      encodeTranslations(service.translations, (field) => field === 'name'),
      word(service.category),
      service.topics.map(word),
      service.audiences.map(word),
      service.languages.map(word),
      service.free === null ? null : service.free ? 1 : 0,
      service.city === null ? null : word(service.city),
      Math.round(service.lat * micro) - south,
      Math.round(service.lon * micro) - west,
      word(service.precision),
      service.addressHidden ? 1 : 0,
      flat === undefined ? null : intervals.positionOf(flat, flat.join(',')),
      closure ? [closure.startsOn, closure.endsOn, closure.reopensOn, closure.openingHours === null ? 0 : 1] : 0,
      service.checkedMonth,
    ]);
    detailRows.push([
      service.id,
      service.serviceId,
      service.description,
      encodeTranslations(service.translations, (field) => field !== 'name'),
      service.feesDescription,
      service.eligibilityDescription,
      service.applicationProcess,
      service.openingHoursNote,
      service.phone,
      service.email,
      service.url,
      service.address,
      service.postalCode,
      service.openingHours === null ? null : hours.positionOf(service.openingHours, service.openingHours),
      closure?.openingHours ?? null,
      closure?.note ?? null,
      service.verifiedAt === null ? null : Date.parse(service.verifiedAt),
    ]);
  }
  return {
    search: {
      format: compactFormat,
      id: cell,
      openFrom,
      words: words.values,
      intervals: intervals.values,
      services: searchRows,
    },
    details: { format: compactFormat, id: cell, searchEtag: '', hours: hours.values, services: detailRows },
  };
}

type SearchRow = [
  string,
  number,
  number,
  CompactValue,
  number,
  number[],
  number[],
  number[],
  0 | 1 | null,
  number | null,
  number,
  number,
  number,
  0 | 1,
  number | null,
  [string, string, string, 0 | 1] | 0,
  string | null,
];

/** The services of a search pack, with short ids (`searchId`) and the details' fields empty. */
export function decodeSearchPack(pack: SearchPack): SearchService[] {
  const start = Date.parse(pack.openFrom);
  const [south, west] = cornerOf(pack.id);
  const words = pack.words;
  const instant = (minutes: number) => new Date(start + minutes * minute).toISOString();
  const intervals = pack.intervals.map((flat) => {
    const pairs: [string, string][] = [];
    for (let index = 0; index + 1 < flat.length; index += 2)
      pairs.push([instant(flat[index]!), instant(flat[index + 1]!)]);
    return pairs;
  });
  return pack.services.map((row, position): SearchService => {
    const [
      name,
      organization,
      textLanguage,
      nameTranslations,
      category,
      topics,
      audiences,
      languages,
      free,
      city,
      lat,
      lon,
      precision,
      addressHidden,
      openIntervals,
      closure,
      checkedMonth,
    ] = row as SearchRow;
    const translations: Service['translations'] = {};
    decodeTranslations(nameTranslations, translations);
    return {
      id: searchId(pack.id, position),
      serviceId: '',
      name,
      organizationName: words[organization]!,
      description: null,
      textLanguage: words[textLanguage]!,
      translations,
      category: words[category] as Service['category'],
      topics: topics.map((index) => words[index]!),
      audiences: audiences.map((index) => words[index]!),
      languages: languages.map((index) => words[index]!),
      free: free === null ? null : free === 1,
      feesDescription: null,
      eligibilityDescription: null,
      applicationProcess: null,
      openingHoursNote: null,
      phone: null,
      email: null,
      url: null,
      address: null,
      city: city === null ? null : words[city]!,
      postalCode: null,
      lat: (south + lat) / micro,
      lon: (west + lon) / micro,
      precision: words[precision] as Service['precision'],
      addressHidden: addressHidden === 1,
      openingHours: null,
      openIntervals:
        openIntervals === null ? null : intervals[openIntervals]!.map(([opens, closes]) => [opens, closes]),
      // The exceptional hours' text comes with the details; whether there are any is all a result row needs.
      closure: closure
        ? {
            startsOn: closure[0],
            endsOn: closure[1],
            reopensOn: closure[2],
            openingHours: closure[3] === 1 ? '' : null,
            note: null,
          }
        : null,
      verifiedAt: null,
      checkedMonth,
    };
  });
}

type DetailsRow = [
  string,
  string,
  string | null,
  CompactValue,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  number | null,
  string | null,
  string | null,
  number | null,
];

/** A service of a search pack with the details of the same position in its cell's details pack: the whole service. */
export function withDetails(service: SearchService, pack: DetailsPack, position: number): Service {
  const [
    id,
    serviceId,
    description,
    translations,
    feesDescription,
    eligibilityDescription,
    applicationProcess,
    openingHoursNote,
    phone,
    email,
    url,
    address,
    postalCode,
    openingHours,
    closureHours,
    closureNote,
    verifiedAt,
  ] = pack.services[position] as DetailsRow;
  const allTranslations: Service['translations'] = {};
  decodeTranslations(translations, allTranslations);
  for (const [language, texts] of Object.entries(service.translations)) {
    allTranslations[language] = { ...texts, ...allTranslations[language] };
  }
  const closure: Closure | null = service.closure
    ? { ...service.closure, openingHours: closureHours, note: closureNote }
    : null;
  return {
    ...service,
    id,
    serviceId,
    description,
    translations: allTranslations,
    feesDescription,
    eligibilityDescription,
    applicationProcess,
    openingHoursNote,
    phone,
    email,
    url,
    address,
    postalCode,
    openingHours: openingHours === null ? null : pack.hours[openingHours]!,
    closure,
    verifiedAt: verifiedAt === null ? null : new Date(verifiedAt).toISOString(),
  };
}

/** The services of a directory grouped by cell, each cell's services in the directory's order, cells in name order. */
export function servicesByCell(services: readonly Service[]): Map<string, Service[]> {
  const cells = new Map<string, Service[]>();
  for (const service of services) {
    const cell = cellOf(service.lat, service.lon);
    const list = cells.get(cell);
    if (list) list.push(service);
    else cells.set(cell, [service]);
  }
  return new Map([...cells.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
