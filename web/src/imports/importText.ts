import type { CountKey, ImportFormat, ImportStatus, ImportProgress, DuplicateCandidate } from './importTypes';

/** "1 place", "6 places": English has two forms; a translation brings its own rules. */
function counted(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * Every sentence of the import screen, in English, in one place: the workspace is not translated yet, and when it
 * is, this module is what becomes a message file. Sentences with figures are functions, so that a translation can
 * put the figure where its grammar wants it.
 */
export const importText = {
  title: 'Import',
  intro:
    'Bring your region’s directory in from a file: nothing is written until you confirm, and a confirmed import can be undone.',

  upload: {
    title: 'Upload a file',
    drop: 'Drop a file here, or',
    choose: 'Choose files',
    chosen: (names: string) => `Chosen: ${names}`,
    kinds:
      'HSDS 3 (JSON, or a zip of CSVs with datapackage.json), data·inclusion (structures and services: JSON, CSV or a zip), or a spreadsheet (CSV, TSV, TXT, XLSX). For data·inclusion, choose both files at once.',
    limit: (limit: string) => `Files up to ${limit} in all.`,
    limitUnknown: 'The server states no size limit.',
    format: 'Format',
    formatGuess: 'Recognise it from the file',
    source: 'Source name (optional)',
    sourceHint:
      'Who the data comes from, e.g. “data·inclusion Gironde” or “Partner spreadsheet”. Import a newer copy under the same name to update what changed.',
    start: 'Read the file',
    starting: 'Sending…',
    noFile: 'Choose a file to import first.',
    wrongKind: (name: string, kinds: string) => `“${name}” is not a kind of file Passerelle reads (${kinds}).`,
    emptyFile: (name: string) => `“${name}” is empty.`,
    tooLarge: (size: string, limit: string) => `These files weigh ${size}; the limit is ${limit}.`,
    failed: 'The file could not be sent.',
  },

  formats: {
    'hsds-json': 'HSDS 3 JSON',
    'hsds-tabular': 'HSDS 3 tabular (zip of CSVs)',
    'data-inclusion-json': 'data·inclusion JSON',
    'data-inclusion-csv': 'data·inclusion CSV',
    'spreadsheet-csv': 'Spreadsheet (CSV)',
    'spreadsheet-xlsx': 'Spreadsheet (XLSX)',
  } satisfies Record<ImportFormat, string>,

  status: {
    reading: 'Reading',
    preview: 'Preview',
    committing: 'Writing',
    committed: 'Imported',
    failed: 'Failed',
    expired: 'Expired',
    undone: 'Undone',
    discarded: 'Discarded',
  } satisfies Record<ImportStatus, string>,

  stages: {
    reading: 'Reading the file',
    matching: 'Comparing with the alliance’s records',
    geocoding: 'Finding places from addresses',
    writing: 'Writing',
  } satisfies Record<ImportProgress['stage'], string>,

  progress: {
    label: (stage: string) => `${stage}…`,
    figures: (done: string, total: string) => `${done} of ${total}`,
    busy: 'Working…',
  },

  counts: {
    new: 'New',
    updated: 'Updated',
    unchanged: 'Unchanged',
    gone: 'Gone from the source',
    errors: 'With errors',
    warnings: 'Warnings',
    duplicates: 'Possible duplicates',
    needsPlace: 'Need a place',
    conflicts: 'Edited here since',
  } satisfies Record<CountKey, string>,

  preview: {
    title: 'Preview',
    nothingWritten: 'Nothing is written yet. Check the figures and the decisions below, then confirm.',
    read: (organizations: number, services: number, locations: number) =>
      `Read ${counted(organizations, 'organisation', 'organisations')}, ${counted(services, 'service', 'services')} and ${counted(locations, 'place', 'places')}.`,
    source: (name: string) => `Source: ${name}`,
    previousImport: (date: string) => `Last imported from this source on ${date}.`,
    expires: (date: string) => `This preview is kept until ${date}.`,
    failed: 'The file could not be read.',
    expired: 'This preview has expired. Upload the file again to import it.',
    needsPlace: (count: number) =>
      `${count} ${count === 1 ? 'record has' : 'records have'} no usable position: ${count === 1 ? 'it stands' : 'they stand'} at the centre of ${count === 1 ? 'its' : 'their'} town, marked “needs a place”, until someone places ${count === 1 ? 'it' : 'them'} on the map.`,
    geocoding: (done: number, total: number) => `Places found from addresses: ${done} of ${total}.`,
    noGeocoder: 'No geocoder is configured, so addresses are not turned into positions.',
    discard: 'Discard this preview',
    discarding: 'Discarding…',
    discarded: 'The preview is discarded; nothing was written.',
    rereading: 'Reading the file again with your changes…',
  },

  columns: {
    title: 'Columns',
    intro: 'Which Passerelle field each column of the spreadsheet fills. Changing one reads the file again.',
    header: 'Column',
    samples: 'First values',
    field: 'Passerelle field',
    notImported: 'Not imported',
    fieldOf: (header: string) => `Passerelle field for the column “${header}”`,
  },

  vocabulary: {
    title: 'Vocabulary',
    intro:
      'The source’s own terms, and what each is taken as in Passerelle. Values not decided yet come first; a value left undecided is not used.',
    value: 'Value',
    count: 'Records',
    target: 'Taken as',
    notDecided: 'Not decided',
    ignore: 'Ignore',
    categories: 'Category',
    topics: 'Topic',
    audiences: 'For whom',
    targetOf: (value: string) => `What “${value}” is taken as`,
    unmapped: (count: number) => `${count} ${count === 1 ? 'value is' : 'values are'} not decided yet.`,
    apply: (count: number) => `Apply ${count} ${count === 1 ? 'choice' : 'choices'}`,
    none: 'The file uses no vocabulary of its own.',
    defaultCategory: 'Category for services the file gives none',
    noDefault: 'None: such services are left out',
  },

  problems: {
    title: 'Problems',
    intro: 'Rows with an error are left out of the import; warnings let the row in. Fix a cell to read the row again.',
    none: 'No problem found.',
    row: 'Row',
    field: 'Field',
    message: 'What is wrong',
    severity: 'Severity',
    error: 'Error',
    warning: 'Warning',
    fix: 'Fix',
    fixRow: (row: number) => `Fix row ${row}`,
    column: 'Column',
    value: 'New value',
    save: 'Save and read again',
    cancel: 'Cancel',
    inFile: (file: string) => `in ${file}`,
  },

  pages: {
    label: (what: string) => `Pages of ${what}`,
    previous: 'Previous',
    next: 'Next',
    position: (page: number, pages: number) => `Page ${page} of ${pages}`,
  },

  duplicates: {
    title: 'Possible duplicates',
    intro: 'Records that may already be in the alliance. Merge updates the existing record; create adds a new one.',
    record: 'In the file',
    candidates: 'Already in the alliance',
    decision: 'Decision',
    merge: 'Merge',
    skip: 'Skip',
    create: 'Create',
    decisionOf: (name: string) => `Decision for “${name}”`,
    mergeInto: (name: string) => `Merge “${name}” into`,
    reason: (candidate: DuplicateCandidate) =>
      candidate.reason === 'source-id'
        ? 'same source id'
        : candidate.reason === 'identifier'
          ? 'same identifier (e.g. SIRET)'
          : candidate.distanceM !== null && candidate.distanceM !== undefined
            ? `similar name, ${Math.round(candidate.distanceM)} m away`
            : 'similar name nearby',
  },

  gone: {
    title: 'Gone from the source',
    intro:
      'Records this source gave before that the new file no longer has. Nothing is archived unless you tick it; archived records are set inactive, not deleted.',
    archive: (name: string) => `Archive “${name}”`,
  },

  conflicts: {
    title: 'Edited here since the last import',
    intro:
      'Someone changed these fields in Passerelle after the last import. The local value is kept unless you tick “overwrite”.',
    field: 'Field',
    local: 'Here now',
    incoming: 'In the file',
    overwrite: 'Overwrite',
    overwriteOf: (field: string, name: string) => `Overwrite ${field} of “${name}” with the file’s value`,
  },

  confirm: {
    title: 'Confirm',
    leftOut: (count: number) =>
      `${count} ${count === 1 ? 'row has an error and is' : 'rows have errors and are'} left out of the import.`,
    allIn: 'Every row can be imported.',
    button: 'Confirm the import',
    sending: 'Starting…',
    oneChangeSet: 'Everything is written at once, as one change in the history, and can be undone.',
  },

  report: {
    title: 'Imported',
    created: 'Created',
    updated: 'Updated',
    archived: 'Archived',
    skipped: 'Skipped',
    errors: 'Left out with errors',
    history: 'See it in the history',
    undo: 'Undo this import',
    undoQuestion: 'Undo this import?',
    undoExplained:
      'Records it created are deleted and records it changed get their earlier values back. If someone changed a record since, nothing is undone and you are told which.',
    undoConfirm: 'Yes, undo it',
    undoCancel: 'Keep the import',
    undoing: 'Undoing…',
    undone: 'The import is undone.',
    failed: (message: string) => `The import failed: ${message}`,
    newImport: 'Import another file',
  },

  past: {
    title: 'Past imports',
    none: 'No import yet.',
    loading: 'Loading the imports…',
    when: 'When',
    files: 'Files',
    source: 'Source',
    status: 'Status',
    figures: 'Figures',
    actions: 'Actions',
    summary: (created: number, updated: number, archived: number) =>
      `${created} created, ${updated} updated, ${archived} archived`,
    undoOf: (names: string) => `Undo this import: ${names}`,
    open: 'Open',
    openOf: (names: string) => `Open: the preview of ${names}`,
  },

  exports: {
    title: 'Give the data back',
    intro:
      'The alliance’s directory in open formats, for a partner, a data portal or a spreadsheet. Personal contact details go only to the alliance’s members.',
    hsds: 'HSDS 3 tabular (zip of CSVs)',
    dataInclusion: 'data·inclusion (JSON)',
    spreadsheet: 'Spreadsheet (CSV)',
    spreadsheetSemicolon: 'Spreadsheet for Excel in French (CSV with semicolons)',
  },

  loadFailed: 'The imports could not be loaded.',
  tryAgain: 'Try again',
  changeFailed: 'The change could not be saved.',
} as const;
