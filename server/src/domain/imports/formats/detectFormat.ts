import { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse/sync';
import parserStream from 'stream-json';
import type { Token } from 'stream-json/parser.js';
import type { ImportFile, ImportFormat } from '../importRecord.js';
import { ImportFileError } from '../importRecord.js';
import { said } from '../../messages/userError.js';
import { decodedHead, encodingOf, sniffDelimiter, type CsvLayout } from './csvRows.js';
import { dataInclusionFields } from './dataInclusionRecords.js';
import { jsonRecords } from './jsonValues.js';
import { headOf, type SourceFile } from './sourceFiles.js';

/** What one file turned out to be, with what its reader needs to know. */
export type DetectedFile =
  | { kind: 'data-inclusion-json'; source: SourceFile; holds: 'structures' | 'services' | 'both' }
  | { kind: 'data-inclusion-csv'; source: SourceFile; holds: 'structures' | 'services'; csv: CsvLayout }
  | { kind: 'hsds-json'; source: SourceFile }
  | { kind: 'hsds-tabular-csv'; source: SourceFile; csv: CsvLayout; table: string }
  | { kind: 'datapackage'; source: SourceFile }
  | { kind: 'spreadsheet-csv'; source: SourceFile; csv: CsvLayout }
  | { kind: 'spreadsheet-xlsx'; source: SourceFile; upload: ImportFile }
  | { kind: 'unknown'; source: SourceFile; looksLike: string };

export const formatNames: Record<ImportFormat, string> = {
  'hsds-json': 'HSDS 3 JSON',
  'hsds-tabular': 'HSDS 3 tabular data (CSV files with a datapackage.json)',
  'data-inclusion-json': 'data·inclusion JSON',
  'data-inclusion-csv': 'data·inclusion CSV',
  'spreadsheet-csv': 'a spreadsheet saved as CSV',
  'spreadsheet-xlsx': 'an Excel workbook (XLSX)',
};

/** The tables of HSDS tabular data (`schema/compiled/tabular.json`), by file name. */
export const hsdsTables = new Set([
  'organizations',
  'services',
  'locations',
  'service_at_location',
  'service_at_locations',
  'addresses',
  'phones',
  'schedules',
  'taxonomy_terms',
  'taxonomies',
  'attributes',
  'organization_identifiers',
  'languages',
  'contacts',
  'cost_options',
  'programs',
  'service_areas',
  'required_documents',
  'accessibility',
  'funding',
  'metadata',
  'meta_table_descriptions',
]);

const byteSignatures: [number[], string][] = [
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'an old Excel (.xls) or Word file; save it as .xlsx or CSV'],
  [[0x1f, 0x8b], 'a gzip archive'],
  [[0x52, 0x61, 0x72, 0x21], 'a RAR archive'],
  [[0x37, 0x7a, 0xbc, 0xaf], 'a 7-Zip archive'],
];

function withoutBom(head: Buffer): Buffer {
  return head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? head.subarray(3) : head;
}

function binaryKind(head: Buffer): string | null {
  for (const [signature, kind] of byteSignatures) if (signature.every((byte, at) => head[at] === byte)) return kind;
  return head.subarray(0, 8192).includes(0) ? 'binary data' : null;
}

interface JsonShape {
  top: 'array' | 'object' | null;
  topKeys: string[];
  recordKeys: string[];
}

/** Keys of a top-level object whose list holds the records: an HSDS API page, a data·inclusion extract. */
const listKeys = ['contents', 'structures', 'services'];

/** The outline of a JSON text from its first bytes: its top-level keys and the keys of its first record. */
async function jsonShapeOf(head: Buffer): Promise<JsonShape> {
  const shape: JsonShape = { top: null, topKeys: [], recordKeys: [] };
  const tokens = Readable.from([head]).pipe(parserStream({ packValues: true, streamValues: false }));
  let depth = 0;
  let recordDepth = 0;
  let listKey: string | null = null;
  let lastTopKey: string | null = null;
  try {
    for await (const token of tokens as AsyncIterable<Token>) {
      if (token.name === 'startObject' || token.name === 'startArray') {
        if (depth === 0) shape.top = token.name === 'startArray' ? 'array' : 'object';
        depth += 1;
        if (token.name === 'startObject' && recordDepth === 0) {
          const isRecordStart =
            (shape.top === 'array' && depth === 2) || (shape.top === 'object' && listKey !== null && depth === 3);
          if (isRecordStart) recordDepth = depth;
        }
        if (
          token.name === 'startArray' &&
          shape.top === 'object' &&
          depth === 2 &&
          listKeys.includes(lastTopKey ?? '')
        ) {
          listKey = lastTopKey;
        }
        continue;
      }
      if (token.name === 'endObject' || token.name === 'endArray') {
        if (depth === recordDepth) break;
        depth -= 1;
        continue;
      }
      if (token.name !== 'keyValue') continue;
      if (depth === 1 && shape.top === 'object') {
        shape.topKeys.push(String(token.value ?? ''));
        lastTopKey = String(token.value ?? '');
      } else if (recordDepth > 0 && depth === recordDepth) shape.recordKeys.push(String(token.value ?? ''));
    }
  } catch {
    // The head ends in the middle of the text, or the text is broken: what was read so far is the outline.
  } finally {
    tokens.destroy();
  }
  // An object with an id is a record itself (a single HSDS service that nests lists of its own).
  if (shape.top === 'object' && (shape.recordKeys.length === 0 || shape.topKeys.includes('id'))) {
    shape.recordKeys = shape.topKeys;
  }
  return shape;
}

const dataInclusionMarkers = ['structure_id', 'thematiques', 'date_maj', 'nom', 'siret', 'presentation_resume'];
const hsdsMarkers = [
  'organization',
  'organization_id',
  'service_at_locations',
  'status',
  'alternate_name',
  'organization_identifiers',
  'legal_status',
  'location_type',
  'service_id',
  'location_id',
  'last_modified',
  'assured_date',
];

function jsonKind(source: SourceFile, shape: JsonShape): DetectedFile | null {
  const keys = new Set(shape.recordKeys);
  if (shape.topKeys.includes('structures') || (shape.topKeys.includes('services') && !shape.topKeys.includes('id'))) {
    const hsdsRecord = shape.recordKeys.some((key) => hsdsMarkers.includes(key)) && !keys.has('structure_id');
    if (!hsdsRecord) return { kind: 'data-inclusion-json', source, holds: 'both' };
  }
  if (
    shape.topKeys.includes('contents') &&
    shape.recordKeys.some((key) => hsdsMarkers.includes(key) || key === 'name')
  ) {
    return { kind: 'hsds-json', source };
  }
  if (dataInclusionMarkers.filter((key) => keys.has(key)).length >= 2 || keys.has('structure_id')) {
    const holds = keys.has('structure_id') || /service/i.test(source.baseName) ? 'services' : 'structures';
    return { kind: 'data-inclusion-json', source, holds };
  }
  if (keys.has('id') && keys.has('name')) return { kind: 'hsds-json', source };
  if (hsdsMarkers.filter((key) => keys.has(key)).length >= 2) return { kind: 'hsds-json', source };
  return null;
}

function csvKind(source: SourceFile, header: string[], csv: CsvLayout): DetectedFile {
  const fields = header.map((cell) => cell.trim().toLowerCase());
  const table = source.baseName.toLowerCase().replace(/\.csv$/, '');
  const known = fields.filter((field) => dataInclusionFields.has(field)).length;
  const dataInclusion =
    fields.includes('id') &&
    known / fields.length >= 0.6 &&
    ['structure_id', 'source', 'date_maj', 'thematiques', 'siret', 'nom'].some((field) => fields.includes(field));
  if (dataInclusion) {
    return {
      kind: 'data-inclusion-csv',
      source,
      holds: fields.includes('structure_id') ? 'services' : 'structures',
      csv,
    };
  }
  if (hsdsTables.has(table) && fields.includes('id')) return { kind: 'hsds-tabular-csv', source, csv, table };
  return { kind: 'spreadsheet-csv', source, csv };
}

function headerCells(line: string, delimiter: string): string[] {
  try {
    return (parseCsv(line, { delimiter, relax_quotes: true, relax_column_count: true }) as string[][])[0] ?? [];
  } catch {
    return line.split(delimiter);
  }
}

/** What a file is, from its content (its name only breaks ties between what the content allows). */
export async function detectFile(source: SourceFile): Promise<DetectedFile> {
  const head = withoutBom(await headOf(source));
  const text = head.toString('latin1').trimStart();
  if (text === '') throw new ImportFileError(said('import.file-empty', { fileName: source.name }));
  const binary = binaryKind(head);
  if (binary) return { kind: 'unknown', source, looksLike: binary };
  if (source.baseName.toLowerCase() === 'datapackage.json') return { kind: 'datapackage', source };
  if (text.startsWith('{') || text.startsWith('[')) {
    const detected = jsonKind(source, await jsonShapeOf(head));
    if (detected) return detected;
    // Broken JSON says where; valid JSON of another shape is a format Passerelle does not know.
    for await (const _record of jsonRecords(source.name, source.open, [])) break;
    return { kind: 'unknown', source, looksLike: 'JSON that is neither HSDS 3 nor data·inclusion' };
  }
  if (/^<(\?xml|!doctype|html)/i.test(text))
    return { kind: 'unknown', source, looksLike: 'a web page or XML document' };
  const encoding = await encodingOf(source);
  const headText = decodedHead(head, encoding);
  const delimiter = sniffDelimiter(headText);
  const firstLine = headText.split(/\r?\n/, 1)[0] ?? '';
  const header = headerCells(firstLine, delimiter);
  if (header.filter((cell) => cell.trim() !== '').length < 2) {
    return { kind: 'unknown', source, looksLike: 'text that is not a table (no header row with columns)' };
  }
  return csvKind(source, header, { encoding, delimiter });
}
