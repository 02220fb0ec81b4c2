/**
 * A text a spreadsheet would run as a formula: one starting with = + - @ (or their full-width forms, which some
 * spreadsheets read as the same signs), even behind spaces, line breaks or invisible characters, which they skip;
 * and any text starting with a tab or a carriage return (OWASP's CSV injection advice).
 */
const formulaLike = /^(?:[\p{White_Space}\p{Cc}\p{Cf}]*[=+\-@＝＋－＠﹦﹢﹣﹫−]|[\t\r])/u;

/**
 * One CSV field: quoted when it holds a comma, quote or line break; a formula-like text is prefixed with an
 * apostrophe, so that a spreadsheet shows it as text instead of running it (area names come from imported files,
 * action titles from anyone who may edit the plan).
 */
export function csvField(value: string | number | null): string {
  return fieldBetween(value, ',');
}

/** What separates the fields of a line: a comma, or a semicolon for spreadsheets set up for French and others. */
export type CsvSeparator = ',' | ';';

/** csvField for a file whose fields are separated by `separator`: a field holding it is quoted as well. */
export function csvFieldSeparatedBy(separator: CsvSeparator): (value: string | number | null) => string {
  return (value) => fieldBetween(value, separator);
}

function fieldBetween(value: string | number | null, separator: CsvSeparator): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = formulaLike.test(value) ? `'${value}` : value;
  const needsQuotes = safe.includes(separator) || /[",\r\n]/.test(safe);
  return needsQuotes ? `"${safe.replaceAll('"', '""')}"` : safe;
}
