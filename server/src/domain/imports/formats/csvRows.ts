import { Transform } from 'node:stream';
import { parse } from 'csv-parse';
import { ImportFileError } from '../importRecord.js';
import { said } from '../../messages/userError.js';
import type { SourceFile } from './sourceFiles.js';

export type TextEncoding = 'utf-8' | 'windows-1252';

export interface CsvLayout {
  encoding: TextEncoding;
  delimiter: ',' | ';' | '\t';
}

export interface CsvRow {
  /** The record's number as a spreadsheet program shows it: the header is row 1. */
  row: number;
  cells: string[];
}

/**
 * UTF-8 (with or without a byte-order mark) when every byte of the file is valid UTF-8, else Windows-1252, which
 * Excel writes in Western European locales and which decodes any byte. The whole file is checked, streaming: a
 * file whose first accented letter comes late is not misread.
 */
export async function encodingOf(source: SourceFile): Promise<TextEncoding> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const stream = source.open();
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) decoder.decode(chunk, { stream: true });
    decoder.decode();
    return 'utf-8';
  } catch (error) {
    if (error instanceof TypeError) return 'windows-1252';
    throw error;
  } finally {
    stream.destroy();
  }
}

export function decodedHead(head: Buffer, encoding: TextEncoding): string {
  // A cut-off last character at the end of the head is dropped rather than shown as a replacement character.
  return new TextDecoder(encoding).decode(head).replace(/\uFFFD$/, '');
}

/** The first few lines of a CSV text, reading quoted line breaks as part of a cell. */
function logicalLines(text: string, limit: number): string[] {
  const lines: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    if ((char === '\n' || char === '\r') && !quoted) {
      if (current.trim() !== '') lines.push(current);
      current = '';
      if (lines.length >= limit) break;
      continue;
    }
    current += char;
  }
  if (lines.length < limit && current.trim() !== '') lines.push(current);
  return lines;
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let count = 0;
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (char === delimiter && !quoted) count += 1;
  }
  return count;
}

/** The delimiter that splits the first lines into the same number of cells, the most cells winning. */
export function sniffDelimiter(text: string): CsvLayout['delimiter'] {
  const lines = logicalLines(text, 6);
  const candidates: CsvLayout['delimiter'][] = [';', '\t', ','];
  let best: CsvLayout['delimiter'] = ',';
  let bestScore = 0;
  for (const delimiter of candidates) {
    const counts = lines.map((line) => countOutsideQuotes(line, delimiter));
    const header = counts[0] ?? 0;
    if (header === 0) continue;
    const consistent = counts.filter((count) => count === header).length;
    const score = header * consistent;
    if (score > bestScore) [best, bestScore] = [delimiter, score];
  }
  return best;
}

function decoding(encoding: TextEncoding): Transform {
  const decoder = new TextDecoder(encoding);
  return new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _encoding, done) {
      done(null, decoder.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, decoder.decode());
    },
  });
}

/** The records of a CSV file, as it is read. Cells keep their line breaks (quoted newlines); empty lines are skipped. */
export async function* csvRows(source: SourceFile, layout: CsvLayout): AsyncGenerator<CsvRow> {
  const records = source
    .open()
    .pipe(decoding(layout.encoding))
    .pipe(
      parse({
        delimiter: layout.delimiter,
        bom: true,
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: true,
      }),
    );
  let row = 0;
  try {
    for await (const cells of records as AsyncIterable<string[]>) {
      row += 1;
      yield { row, cells };
    }
  } catch (error) {
    const reason = String(error instanceof Error ? error.message : error).replace(/^Invalid \w+: /, '');
    throw new ImportFileError(said('import.csv-unreadable', { fileName: source.name, row, reason }));
  } finally {
    records.destroy();
  }
}
