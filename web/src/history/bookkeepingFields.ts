/**
 * Columns a change can name that tell a person nothing (book-keeping every record has, the links of imported and
 * translated rows, a translation's md5 of its original and its reviewer's id, a report's resolver's id — the change's author is the
 * reviewer or the resolver). The history lists the other fields, each with its words in `messages/<language>.json` (`field.*`):
 * tests/server/history.test.ts checks that every column of a logged table is one or the other.
 */
export const bookkeepingFields: ReadonlySet<string> = new Set([
  'version',
  'updated_at',
  'created_at',
  'id',
  'source_hash',
  'reviewed_by',
  'resolved_by',
  'alliance_id',
  'entity_type',
  'entity_id',
  'import_source_id',
  'source_record_id',
  'imported_at',
  'imported_values',
  'is_demo',
]);
