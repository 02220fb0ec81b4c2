/**
 * The finder's compact directory: the same services as the whole directory (`/api/alliances/:slug/directory`), in
 * far fewer bytes, and cut into large fixed cells so that each part can be fetched, revalidated (ETag) and saved
 * for offline use on its own.
 *
 * - A service is a row of values in a fixed order (`serviceColumns`) instead of an object with its keys repeated.
 * - Organisation names, opening-hours texts and open intervals are each written once per part and referred to by
 *   position: thousands of services share a few dozen weekly timetables.
 * - Open intervals are whole minutes from the directory's `openFrom`, not pairs of ISO instants.
 * - A translation is `[text, flags]` (flags: 1 = written by a machine, 2 = not reviewed yet).
 * - Points are written to 6 decimals (11 cm, finer than any address gives), the check instant in milliseconds.
 *
 * `encodePart` and `decodePart` are inverses: the services decoded are equal, field by field, to those of the whole
 * directory, points to 6 decimals (web/src/find/search/compactDirectory.test.ts checks it), so every answer the
 * finder gives is the same.
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
export const compactFormat = 1;

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
  /** The part's ETag, so that a phone knows which parts changed without asking for each. */
  etag: string;
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

/** A value of a service row; the layout is `serviceColumns`. */
export type CompactValue = string | number | boolean | null | CompactValue[] | { [key: string]: CompactValue };
export type CompactRow = CompactValue[];

export interface CompactPart {
  format: number;
  id: string;
  /** The start of the period the intervals count from (ISO instant), the index's `openFrom`. */
  openFrom: string;
  organizations: string[];
  /** Opening-hours texts (OpenStreetMap syntax). */
  hours: string[];
  /** Open intervals, each list flat: [opens, closes, opens, closes…] in minutes from `openFrom`. */
  intervals: number[][];
  services: CompactRow[];
}

/** The order of the values in a service row. */
export const serviceColumns = [
  'id',
  'serviceId',
  'name',
  'organization',
  'description',
  'textLanguage',
  'translations',
  'category',
  'topics',
  'audiences',
  'languages',
  'free',
  'feesDescription',
  'eligibilityDescription',
  'applicationProcess',
  'openingHoursNote',
  'phone',
  'email',
  'url',
  'address',
  'city',
  'postalCode',
  'lat',
  'lon',
  'precision',
  'addressHidden',
  'openingHours',
  'openIntervals',
  'closure',
  'verifiedAt',
  'checkedMonth',
] as const;

const minute = 60_000;
const machineFlag = 1;
const draftFlag = 2;

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

function encodeTranslations(translations: Service['translations']): CompactValue {
  const languages = Object.entries(translations);
  if (languages.length === 0) return 0;
  const encoded: Record<string, CompactValue> = {};
  for (const [language, texts] of languages) {
    const fields: Record<string, CompactValue> = {};
    for (const [field, text] of Object.entries(texts)) {
      if (!text) continue;
      fields[field] = [
        text.text,
        (text.origin === 'machine' ? machineFlag : 0) | (text.reviewState === 'machine-draft' ? draftFlag : 0),
      ];
    }
    encoded[language] = fields;
  }
  return encoded;
}

function decodeTranslations(value: CompactValue): Service['translations'] {
  if (value === 0 || value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  const translations: Service['translations'] = {};
  for (const [language, fields] of Object.entries(value)) {
    const texts: Texts = {};
    for (const [field, pair] of Object.entries(fields as Record<string, [string, number]>)) {
      texts[field as TextField] = {
        text: pair[0],
        origin: pair[1] & machineFlag ? 'machine' : 'human',
        reviewState: pair[1] & draftFlag ? 'machine-draft' : 'reviewed',
      };
    }
    translations[language] = texts;
  }
  return translations;
}

/** One part: the services given, all of one cell, in the order given. */
export function encodePart(id: string, openFrom: string, services: readonly Service[]): CompactPart {
  const start = Date.parse(openFrom);
  const organizations = new Table<string>();
  const hours = new Table<string>();
  const intervals = new Table<number[]>();
  const rows = services.map((service): CompactRow => {
    const flat = service.openIntervals?.flatMap(([opens, closes]) => [
      Math.round((Date.parse(opens) - start) / minute),
      Math.round((Date.parse(closes) - start) / minute),
    ]);
    const closure = service.closure;
    return [
      service.id,
      service.serviceId,
      service.name,
      organizations.positionOf(service.organizationName, service.organizationName),
      service.description,
      service.textLanguage,
      encodeTranslations(service.translations),
      service.category,
      service.topics,
      service.audiences,
      service.languages,
      service.free,
      service.feesDescription,
      service.eligibilityDescription,
      service.applicationProcess,
      service.openingHoursNote,
      service.phone,
      service.email,
      service.url,
      service.address,
      service.city,
      service.postalCode,
      Math.round(service.lat * 1e6) / 1e6,
      Math.round(service.lon * 1e6) / 1e6,
      service.precision,
      service.addressHidden ? 1 : 0,
      service.openingHours === null ? null : hours.positionOf(service.openingHours, service.openingHours),
      flat === undefined ? null : intervals.positionOf(flat, flat.join(',')),
      closure ? [closure.startsOn, closure.endsOn, closure.reopensOn, closure.openingHours, closure.note] : null,
      service.verifiedAt === null ? null : Date.parse(service.verifiedAt),
      service.checkedMonth,
    ];
  });
  return {
    format: compactFormat,
    id,
    openFrom,
    organizations: organizations.values,
    hours: hours.values,
    intervals: intervals.values,
    services: rows,
  };
}

/** The services of a part, exactly as the whole directory lists them. */
export function decodePart(part: CompactPart): Service[] {
  const start = Date.parse(part.openFrom);
  const instant = (minutes: number) => new Date(start + minutes * minute).toISOString();
  const intervals = part.intervals.map((flat) => {
    const pairs: [string, string][] = [];
    for (let index = 0; index + 1 < flat.length; index += 2)
      pairs.push([instant(flat[index]!), instant(flat[index + 1]!)]);
    return pairs;
  });
  return part.services.map((row): Service => {
    const [
      id,
      serviceId,
      name,
      organization,
      description,
      textLanguage,
      translations,
      category,
      topics,
      audiences,
      languages,
      free,
      feesDescription,
      eligibilityDescription,
      applicationProcess,
      openingHoursNote,
      phone,
      email,
      url,
      address,
      city,
      postalCode,
      lat,
      lon,
      precision,
      addressHidden,
      openingHours,
      openIntervals,
      closure,
      verifiedAt,
      checkedMonth,
    ] = row as [
      string,
      string,
      string,
      number,
      string | null,
      string,
      CompactValue,
      Service['category'],
      string[],
      string[],
      string[],
      boolean | null,
      string | null,
      string | null,
      string | null,
      string | null,
      string | null,
      string | null,
      string | null,
      string | null,
      string | null,
      string | null,
      number,
      number,
      Service['precision'],
      number,
      number | null,
      number | null,
      [string, string, string, string | null, string | null] | null,
      number | null,
      string | null,
    ];
    const decodedClosure: Closure | null = closure
      ? { startsOn: closure[0], endsOn: closure[1], reopensOn: closure[2], openingHours: closure[3], note: closure[4] }
      : null;
    return {
      id,
      serviceId,
      name,
      organizationName: part.organizations[organization]!,
      description,
      textLanguage,
      translations: decodeTranslations(translations),
      category,
      topics,
      audiences,
      languages,
      free,
      feesDescription,
      eligibilityDescription,
      applicationProcess,
      openingHoursNote,
      phone,
      email,
      url,
      address,
      city,
      postalCode,
      lat,
      lon,
      precision,
      addressHidden: addressHidden === 1,
      openingHours: openingHours === null ? null : part.hours[openingHours]!,
      openIntervals:
        openIntervals === null ? null : intervals[openIntervals]!.map(([opens, closes]) => [opens, closes]),
      closure: decodedClosure,
      verifiedAt: verifiedAt === null ? null : new Date(verifiedAt).toISOString(),
      checkedMonth,
    };
  });
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
