import { Type } from 'typebox';
import { importFormats } from '../../domain/imports/importRecord.js';
import { AllianceRef, CategoryId, Nullable, Uuid, errorCodeFields } from '../commonSchemas.js';

export const AllianceParams = Type.Object({ idOrSlug: AllianceRef });
export const ImportParams = Type.Object({ idOrSlug: AllianceRef, id: Uuid });

const ImportFormat = Type.Enum([...importFormats]);
const Iso = Type.String({ format: 'date-time' });

const TermTarget = Type.Union([
  Type.Object({ kind: Type.Literal('category'), id: CategoryId }),
  Type.Object({ kind: Type.Enum(['topic', 'audience']), id: Type.String({ minLength: 1, maxLength: 100 }) }),
  Type.Object({ kind: Type.Literal('ignore') }),
]);

const Counts = Type.Object({
  organizations: Type.Integer(),
  services: Type.Integer(),
  locations: Type.Integer(),
  new: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  gone: Type.Integer(),
  errors: Type.Integer(),
  warnings: Type.Integer(),
  duplicates: Type.Integer(),
  needsPlace: Type.Integer(),
  conflicts: Type.Integer(),
});

const Report = Type.Object({
  created: Type.Integer(),
  updated: Type.Integer(),
  archived: Type.Integer(),
  skipped: Type.Integer(),
  errors: Type.Integer(),
  changeSet: Type.String({ description: 'The change set of the history that holds the whole import.' }),
});

export const Import = Type.Object(
  {
    id: Uuid,
    status: Type.Enum(['reading', 'preview', 'committing', 'committed', 'failed', 'expired', 'undone', 'discarded']),
    format: Nullable(ImportFormat),
    fileNames: Type.Array(Type.String()),
    source: Type.Object({ id: Nullable(Uuid), name: Type.String(), previousImportAt: Nullable(Iso) }),
    createdAt: Iso,
    expiresAt: Iso,
    progress: Nullable(
      Type.Object({
        done: Type.Integer(),
        total: Type.Integer(),
        stage: Type.Enum(['reading', 'matching', 'geocoding', 'writing']),
      }),
    ),
    columns: Nullable(
      Type.Array(
        Type.Object({ header: Type.String(), field: Nullable(Type.String()), samples: Type.Array(Type.String()) }),
      ),
    ),
    availableFields: Nullable(Type.Array(Type.Object({ id: Type.String(), label: Type.String() }))),
    defaultCategory: Nullable(CategoryId),
    vocabulary: Type.Array(
      Type.Object({
        vocabulary: Type.String(),
        value: Type.String(),
        count: Type.Integer(),
        target: Nullable(TermTarget),
      }),
    ),
    counts: Nullable(Counts),
    geocoding: Nullable(Type.Object({ configured: Type.Boolean(), done: Type.Integer(), total: Type.Integer() })),
    report: Nullable(Report),
    error: Nullable(Type.String()),
  },
  { description: 'An import: its files, what the preview found, and once committed its report.' },
);

export const ImportList = Type.Object({
  items: Type.Array(
    Type.Pick(Import, ['id', 'status', 'format', 'fileNames', 'source', 'createdAt', 'counts', 'report']),
  ),
});

export const RowsQuery = Type.Object({
  show: Type.Optional(
    Type.Enum(['problems', 'duplicates', 'new', 'updated', 'unchanged', 'gone', 'conflicts', 'needs-place'], {
      description: 'Only the rows of one kind; all rows when absent.',
    }),
  ),
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  per_page: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
});

const Problem = Type.Object({
  field: Type.String(),
  message: Type.String(),
  ...errorCodeFields,
  severity: Type.Enum(['error', 'warning']),
});

export const RowPage = Type.Object({
  total: Type.Integer(),
  page: Type.Integer(),
  perPage: Type.Integer(),
  rows: Type.Array(
    Type.Object({
      key: Type.Integer({ description: 'The row’s number in this import, which decisions name.' }),
      row: Nullable(Type.Integer({ description: 'Where the record is in its file (line, sheet row, position).' })),
      file: Nullable(Type.String()),
      kind: Nullable(Type.Enum(['service', 'organization', 'location'])),
      sourceId: Nullable(Type.String()),
      name: Nullable(Type.String()),
      outcome: Type.Enum(['new', 'updated', 'unchanged', 'error', 'skipped', 'gone']),
      problems: Type.Array(Problem),
      cells: Nullable(Type.Record(Type.String(), Type.String())),
      duplicate: Nullable(
        Type.Object({
          candidates: Type.Array(
            Type.Object({
              id: Uuid,
              name: Type.String(),
              reason: Type.Enum(['source-id', 'identifier', 'name-nearby']),
              distanceM: Nullable(Type.Number()),
            }),
          ),
          decision: Type.Enum(['merge', 'skip', 'create']),
          targetId: Nullable(Uuid),
        }),
      ),
      changes: Type.Array(
        Type.Object({
          field: Type.String(),
          current: Type.Unknown(),
          incoming: Type.Unknown(),
          editedLocally: Type.Boolean(),
          overwrite: Type.Boolean(),
        }),
      ),
      existingId: Nullable(Uuid),
      needsPlace: Type.Boolean(),
    }),
  ),
});

export const PatchBody = Type.Object({
  columnMapping: Type.Optional(
    Type.Record(Type.String({ maxLength: 300 }), Nullable(Type.String({ maxLength: 100 })), {
      description: 'Spreadsheets: column header → field id, or null to leave the column out.',
    }),
  ),
  vocabularyMapping: Type.Optional(
    Type.Record(Type.String({ maxLength: 400 }), TermTarget, {
      description: '`vocabulary:value` → what the term is taken as.',
    }),
  ),
  defaultCategory: Type.Optional(Nullable(CategoryId)),
  cellEdits: Type.Optional(
    Type.Array(
      Type.Object({
        row: Type.Integer({ minimum: 1 }),
        header: Type.String({ maxLength: 300 }),
        value: Type.String({ maxLength: 10_000 }),
      }),
      { maxItems: 1000 },
    ),
  ),
  decisions: Type.Optional(
    Type.Array(
      Type.Object({
        key: Type.Integer({ minimum: 1 }),
        action: Type.Enum(['merge', 'skip', 'create']),
        targetId: Type.Optional(Uuid),
      }),
      { maxItems: 10_000 },
    ),
  ),
  overwrite: Type.Optional(
    Type.Array(Type.Object({ key: Type.Integer({ minimum: 1 }), field: Type.String({ maxLength: 100 }) }), {
      maxItems: 10_000,
    }),
  ),
  archiveGone: Type.Optional(
    Type.Union([Type.Array(Uuid, { maxItems: 100_000 }), Type.Enum(['all', 'none'])], {
      description: 'Which services gone from the source are archived (status inactive) on commit.',
    }),
  ),
});

export const Limits = Type.Object({
  maxBytes: Type.Integer({ description: 'The most an import may upload, all files together.' }),
  maxSize: Type.String({ description: 'The same limit in words, e.g. "60 MB".' }),
  formats: Type.Array(ImportFormat),
});
