import ExcelJS from 'exceljs';
import { ImportFileError } from '../importRecord.js';
import { said } from '../../messages/userError.js';
import type { CsvRow } from './csvRows.js';

/** A cell as the text a person sees: rich text joined, a link's text, a formula's result, a date as YYYY-MM-DD. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value !== 'object') return String(value);
  const cell = value as {
    richText?: { text: string }[];
    text?: unknown;
    result?: unknown;
    error?: string;
    hyperlink?: string;
  };
  if (cell.richText) return cell.richText.map((part) => part.text).join('');
  // A link shown as its address without the scheme ("example.org") is the address it links to.
  const text = cell.text === undefined ? undefined : cellText(cell.text);
  if (text !== undefined && cell.hyperlink && /^https?:\/\//i.test(cell.hyperlink) && !/\s/.test(text))
    return cell.hyperlink;
  if (text !== undefined) return text;
  if ('result' in cell) return cellText(cell.result);
  return '';
}

function cellsOf(values: unknown): string[] {
  // ExcelJS numbers columns from 1: index 0 is always empty.
  return Array.isArray(values)
    ? Array.from({ length: Math.max(values.length - 1, 0) }, (_, at) => cellText(values[at + 1]))
    : [];
}

export interface XlsxSheet {
  /** 1-based position of the first sheet that holds data; null when none does. */
  position: number | null;
  name: string | null;
}

function workbookReader(path: string) {
  return new ExcelJS.stream.xlsx.WorkbookReader(path, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
}

function unreadable(fileName: string, error: unknown): ImportFileError {
  const reason = String(error instanceof Error ? error.message : error);
  return new ImportFileError(said('import.xlsx-unreadable', { fileName, reason }));
}

/** The first sheet of a workbook with a non-empty cell, found by reading the sheets in order. */
export async function firstSheetWithData(path: string, fileName: string): Promise<XlsxSheet> {
  let position = 0;
  try {
    for await (const worksheet of workbookReader(path)) {
      position += 1;
      for await (const row of worksheet) {
        if (cellsOf(row.values).some((cell) => cell.trim() !== '')) {
          return { position, name: (worksheet as unknown as { name?: string }).name ?? null };
        }
      }
    }
  } catch (error) {
    throw unreadable(fileName, error);
  }
  return { position: null, name: null };
}

/** The rows of one sheet, streaming (ExcelJS' WorkbookReader): row numbers as the spreadsheet program shows them. */
export async function* xlsxRows(path: string, fileName: string, sheet: XlsxSheet): AsyncGenerator<CsvRow> {
  if (sheet.position === null) return;
  let position = 0;
  try {
    for await (const worksheet of workbookReader(path)) {
      position += 1;
      if (position < sheet.position) {
        for await (const _row of worksheet) void _row;
        continue;
      }
      for await (const row of worksheet) yield { row: row.number, cells: cellsOf(row.values) };
      return;
    }
  } catch (error) {
    throw unreadable(fileName, error);
  }
}
