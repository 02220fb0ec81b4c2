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
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = formulaLike.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
