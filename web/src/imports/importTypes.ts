/**
 * What the imports API answers, as `docs/imports-api.md` writes it. Written here from the contract rather than
 * imported from the server's route schemas, so that the page and the routes could be built side by side; once the
 * routes' TypeBox schemas settle, these can become `Static<typeof …>` like the other workspace modules.
 */

export const importFormats = [
  'hsds-json',
  'hsds-tabular',
  'data-inclusion-json',
  'data-inclusion-csv',
  'spreadsheet-csv',
  'spreadsheet-xlsx',
] as const;
export type ImportFormat = (typeof importFormats)[number];

export type ImportStatus =
  'reading' | 'preview' | 'committing' | 'committed' | 'failed' | 'expired' | 'undone' | 'discarded';

export interface ImportProgress {
  done: number;
  total: number;
  stage: 'reading' | 'matching' | 'geocoding' | 'writing';
}

/** A spreadsheet column and the Passerelle field it fills (null: not imported). */
export interface ImportColumn {
  header: string;
  field: string | null;
  samples: string[];
}

/** What a value of the source's vocabulary is taken as; `ignore` drops it. */
export type TermTarget =
  | { kind: 'category'; id: string }
  | { kind: 'topic'; id: string }
  | { kind: 'audience'; id: string }
  | { kind: 'ignore' };

export interface VocabularyEntry {
  vocabulary: string;
  value: string;
  count: number;
  target: TermTarget | null;
}

export interface ImportCounts {
  organizations: number;
  services: number;
  locations: number;
  new: number;
  updated: number;
  unchanged: number;
  gone: number;
  errors: number;
  warnings: number;
  duplicates: number;
  needsPlace: number;
  conflicts: number;
}

/** The figures the preview shows as such; the record totals are said in a sentence. */
export type CountKey = Exclude<keyof ImportCounts, 'organizations' | 'services' | 'locations'>;

export interface ImportReport {
  created: number;
  updated: number;
  archived: number;
  skipped: number;
  /** Records left out because of an error. */
  errors?: number;
  changeSet: string | null;
}

export interface ImportJob {
  id: string;
  status: ImportStatus;
  format: ImportFormat | null;
  fileNames: string[];
  source: { id: string | null; name: string; previousImportAt: string | null } | null;
  createdAt: string;
  expiresAt?: string;
  progress?: ImportProgress | null;
  columns?: ImportColumn[] | null;
  availableFields?: { id: string; label: string }[] | null;
  defaultCategory?: string | null;
  vocabulary?: VocabularyEntry[] | null;
  counts: ImportCounts | null;
  geocoding?: { configured: boolean; done: number; total: number } | null;
  report: ImportReport | null;
  error?: string | null;
}

export type RowsShown =
  'problems' | 'duplicates' | 'new' | 'updated' | 'unchanged' | 'gone' | 'conflicts' | 'needs-place';

export type DuplicateAction = 'merge' | 'skip' | 'create';

export interface DuplicateCandidate {
  id: string;
  name: string;
  reason: 'source-id' | 'identifier' | 'name-nearby';
  distanceM?: number | null;
}

export interface ImportRowProblem {
  field: string;
  message: string;
  /** The problem's stable code and its values, for the reader's language (`imports.problem.<code>`). */
  code?: string;
  params?: Record<string, string | number>;
  severity: 'error' | 'warning';
}

export interface FieldChange {
  field: string;
  /** The record's value and the file's: text mostly, lists or numbers for some fields. */
  current: unknown;
  incoming: unknown;
  editedLocally: boolean;
  /** Whether the file's value is to replace the editor's. */
  overwrite?: boolean;
}

export interface ImportRow {
  /** The row's number in this import, unique across its files: decisions and overwrites name it. */
  key: number;
  /** Where the record is in its file (line, sheet row, position); cell edits name it. */
  row: number | null;
  file?: string | null;
  kind: 'service' | 'organization' | 'location' | null;
  sourceId?: string | null;
  name: string | null;
  outcome: 'new' | 'updated' | 'unchanged' | 'error' | 'skipped' | 'gone';
  problems: ImportRowProblem[];
  /** Spreadsheets: the row as read, by column header, so that a cell can be fixed. */
  cells?: Record<string, string> | null;
  duplicate?: {
    candidates: DuplicateCandidate[];
    decision: DuplicateAction | null;
    targetId: string | null;
  } | null;
  changes?: FieldChange[] | null;
  existingId?: string | null;
  needsPlace?: boolean;
}

export interface ImportRowsPage {
  total: number;
  page: number;
  perPage: number;
  rows: ImportRow[];
}

/** The parts of `PATCH …/imports/:id`; each is optional. */
export interface ImportChanges {
  columnMapping?: Record<string, string | null>;
  vocabularyMapping?: Record<string, TermTarget>;
  defaultCategory?: string | null;
  cellEdits?: { row: number; header: string; value: string }[];
  /** `targetId` only with a merge: the API takes no null. */
  decisions?: { key: number; action: DuplicateAction; targetId?: string }[];
  overwrite?: { key: number; field: string }[];
  archiveGone?: string[] | 'all' | 'none';
}
