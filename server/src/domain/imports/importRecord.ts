/**
 * The contract between the file readers (`formats/`, one per format) and the import pipeline (preview, duplicates,
 * commit, undo): every format is read into these records, whatever its own shape. Readers know files and
 * vocabularies; the pipeline knows the database. Neither reaches into the other.
 */
import type { AreaScope, CategoryId, OrganizationIdentifier, ServiceStatus } from '../../db/schema.js';
import { type CodedMessage, type MessageParams, UserError } from '../messages/userError.js';

export const importFormats = [
  'hsds-json',
  'hsds-tabular',
  'data-inclusion-json',
  'data-inclusion-csv',
  'spreadsheet-csv',
  'spreadsheet-xlsx',
] as const;
export type ImportFormat = (typeof importFormats)[number];

/** Where a record stands in the file, for messages a person can act on. */
export interface RecordPlace {
  /** 1-based: the line of a CSV (header = 1), the row of a sheet, or the position in a JSON list. */
  row: number;
  /** The file inside a zip or folder (`services.csv`), or the sheet's name, when there are several. */
  file?: string;
  /** The record's id in the source, when it has one. */
  sourceId?: string;
}

export interface RowProblem extends RecordPlace {
  /** The field as the source names it (`latitude`, `thematiques`, a spreadsheet column's header). */
  field: string;
  /** A sentence a person understands, e.g. "The latitude 100 is not between -90 and 90." */
  message: string;
  /** The sentence as a code with parameters (errorMessages.ts). */
  code: string;
  params: MessageParams;
  /** An error keeps the record out of the import; a warning lets it in (e.g. a place outside the region). */
  severity: 'error' | 'warning';
}

/** A value of the source's own vocabulary, e.g. `{ vocabulary: 'thematiques', value: 'apprendre-francais' }`. */
export interface SourceTerm {
  vocabulary: string;
  value: string;
}

/** What a source term is taken as in Passerelle; `ignore` is a person's decision to drop it. */
export type TermTarget =
  | { kind: 'category'; id: CategoryId }
  /** `category`: the category this term implies along with its topic (else the topic's usual one). */
  | { kind: 'topic'; id: string; category?: CategoryId }
  | { kind: 'audience'; id: string }
  | { kind: 'ignore' };

export interface ImportedOrganization {
  place: RecordPlace;
  /** The source's id; for a spreadsheet without one, derived from the name (stable across files). */
  sourceId: string;
  name: string;
  alternateName: string | null;
  description: string | null;
  website: string | null;
  email: string | null;
  phone: string | null;
  legalStatus: string | null;
  identifiers: OrganizationIdentifier[];
  /** The source's own last update (ISO 8601), when it says. */
  sourceUpdatedAt: string | null;
}

export interface ImportedLocation {
  place: RecordPlace;
  sourceId: string;
  organizationSourceId: string | null;
  name: string | null;
  description: string | null;
  address1: string | null;
  city: string | null;
  postalCode: string | null;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string | null;
  /** Both null when the source gives no usable coordinates (the pipeline geocodes or marks "needs a place"). */
  lat: number | null;
  lon: number | null;
  accessibility: string | null;
  sourceUpdatedAt: string | null;
}

export interface ImportedSchedule {
  /** OSM `opening_hours`, or null when the source's schedule cannot be written that way (see `note`). */
  openingHours: string | null;
  description: string | null;
  /** Why a schedule could not be converted, for the preview ("Monthly schedules are kept as text."). */
  note: string | null;
}

export interface ImportedService {
  place: RecordPlace;
  sourceId: string;
  organizationSourceId: string;
  name: string;
  alternateName: string | null;
  /** Plain text or safe Markdown: readers turn HTML into text and never keep markup that could run. */
  description: string | null;
  url: string | null;
  email: string | null;
  phone: string | null;
  status: ServiceStatus;
  /** null when no source term maps to a category (the preview asks, or the import's default category applies). */
  category: CategoryId | null;
  topics: string[];
  audiences: string[];
  /** ISO 639-1 codes. */
  languages: string[];
  free: boolean | null;
  feesDescription: string | null;
  eligibilityDescription: string | null;
  applicationProcess: string | null;
  /** HSDS `interpretation_services`: which interpreters the service offers (absent when the format has no such field). */
  interpretationServices?: string | null;
  /**
   * What the service can take at each location (places, staff hours), more than 0, with what it counts (`capacityUnit`);
   * absent when the source has no such field, so that a re-import leaves a capacity typed in Passerelle alone.
   */
  capacity?: number | null;
  capacityUnit?: string | null;
  areaScope: AreaScope;
  locationSourceIds: string[];
  schedules: ImportedSchedule[];
  /** Every vocabulary value the source gave, mapped or not; the preview lists the unmapped ones. */
  sourceTerms: SourceTerm[];
  sourceUpdatedAt: string | null;
}

export type ImportItem =
  | { kind: 'organization'; record: ImportedOrganization }
  | { kind: 'location'; record: ImportedLocation }
  | { kind: 'service'; record: ImportedService }
  | { kind: 'problem'; problem: RowProblem };

/** A spreadsheet column and the Passerelle field it fills (null: not imported). */
export interface ColumnMapping {
  header: string;
  field: string | null;
  /** The first few non-empty values, for a person choosing the field. */
  samples: string[];
}

export interface ReadOptions {
  /** The format the person announced; the reader checks the file is that format (400 otherwise). */
  format?: ImportFormat;
  /** Spreadsheets: column header → field id (or null to skip), overriding the guess. */
  columnMapping?: Record<string, string | null>;
  /** `${vocabulary}:${value}` → target, overriding the built-in mapping. */
  vocabularyMapping?: Record<string, TermTarget>;
  /** Spreadsheets: cell corrections made in the preview, by row (as in RecordPlace.row) and column header. */
  cellEdits?: { row: number; header: string; value: string }[];
}

export interface ImportReader {
  format: ImportFormat;
  /** Spreadsheets: the columns found and the field each fills; undefined for structured formats. */
  columns?: ColumnMapping[];
  /** Spreadsheets: the fields a column can fill, for the mapping choice. */
  availableFields?: { id: string; label: string }[];
  /** Sentences about the file as a whole, for the preview ("No column names the organisation: …"). */
  notes?: string[];
  /**
   * Every record of the file(s), read as it goes (bounded memory: never the whole file in memory). References
   * (a service's organisation and locations) may come before or after the record they name: the pipeline stages
   * everything, then resolves them.
   */
  items(): AsyncIterable<ImportItem>;
}

/** A file given to an import: a data·inclusion extract may come as two files (structures and services) or a zip. */
export interface ImportFile {
  /** Where the upload was saved. */
  path: string;
  /** The name the person's file had, for format detection and messages. */
  name: string;
}

/** A file the readers refuse as a whole: the route answers 400 (415 for a format it does not know) with `message`. */
export class ImportFileError extends UserError {
  constructor(
    message: CodedMessage,
    override readonly statusCode: 400 | 413 | 415 = 400,
  ) {
    super(statusCode, message);
  }
}
