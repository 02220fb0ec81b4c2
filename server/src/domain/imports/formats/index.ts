import type { ImportFile, ImportFormat, ImportReader, ReadOptions } from '../importRecord.js';
import { ImportFileError } from '../importRecord.js';
import { said } from '../../messages/userError.js';
import { csvRows } from './csvRows.js';
import { dataInclusionReader } from './dataInclusionReader.js';
import { hsdsJsonReader } from './hsdsJsonReader.js';
import { hsdsTabularReader } from './hsdsTabularReader.js';
import { detectFile, formatNames, type DetectedFile } from './detectFormat.js';
import { plainFile, sourceFilesOf } from './sourceFiles.js';
import { firstSheetWithData, xlsxRows } from './xlsxRows.js';
import { spreadsheetReader } from './spreadsheetReader.js';

export { formatNames } from './detectFormat.js';

const supported =
  'HSDS 3 JSON, HSDS 3 tabular data (a zip of CSV files with datapackage.json), data·inclusion structures and services (JSON or CSV), or a spreadsheet (CSV or XLSX)';

function formatOf(detected: DetectedFile[]): ImportFormat {
  const kinds = new Set(detected.map((file) => file.kind));
  if (kinds.size === 1) {
    const [kind] = kinds;
    if (kind === 'data-inclusion-json' || kind === 'data-inclusion-csv' || kind === 'hsds-json') return kind;
    if ((kind === 'spreadsheet-csv' || kind === 'spreadsheet-xlsx') && detected.length === 1) return kind;
  }
  if (
    [...kinds].every((kind) => kind === 'hsds-tabular-csv' || kind === 'datapackage') &&
    kinds.has('hsds-tabular-csv')
  ) {
    return 'hsds-tabular';
  }
  const described = detected.map((file) => `"${file.source.name}" ${describe(file)}`).join(', ');
  throw new ImportFileError(said('import.files-not-together', { files: described }));
}

function describe(file: DetectedFile): string {
  switch (file.kind) {
    case 'hsds-tabular-csv':
      return `is an HSDS 3 table (${file.table})`;
    case 'datapackage':
      return 'is a datapackage.json';
    case 'unknown':
      return `looks like ${file.looksLike}`;
    default:
      return `is ${formatNames[file.kind].replace(/^(a |an )?/, (article) => article || '')}`;
  }
}

/** The files of the uploads that this import reads; what a zip holds besides (a README, a licence) is left aside. */
async function detectAll(files: ImportFile[]): Promise<DetectedFile[]> {
  const detected: DetectedFile[] = [];
  for (const file of files) {
    const { files: sources, zipped } = await sourceFilesOf(file);
    if (sources.some((source) => source.name === 'xl/workbook.xml')) {
      detected.push({ kind: 'spreadsheet-xlsx', source: plainFile(file.path, file.name, file.name, 0), upload: file });
      continue;
    }
    const found: DetectedFile[] = [];
    for (const source of sources) {
      if (zipped && source.size === 0) continue;
      const one = await detectFile(source);
      if (zipped && one.kind === 'unknown') continue;
      // A lone CSV named like an HSDS table (`services.csv`) is someone's spreadsheet until other tables come with it.
      const alone = !zipped && files.length === 1 && one.kind === 'hsds-tabular-csv';
      found.push(alone ? { kind: 'spreadsheet-csv', source: one.source, csv: one.csv } : one);
    }
    if (found.length === 0) {
      const held = sources.map((source) => source.name).join(', ');
      throw new ImportFileError(
        held
          ? said('import.zip-nothing-readable', { fileName: file.name, held, formats: supported })
          : said('import.zip-empty', { fileName: file.name, formats: supported }),
        415,
      );
    }
    const unknown = found.find((one) => one.kind === 'unknown');
    if (unknown && unknown.kind === 'unknown') {
      throw new ImportFileError(
        said('import.unreadable-file', { fileName: file.name, looksLike: unknown.looksLike, formats: supported }),
        415,
      );
    }
    detected.push(...found);
  }
  return detected;
}

function checkAnnounced(announced: ImportFormat | undefined, found: ImportFormat): void {
  if (!announced || announced === found) return;
  // Any CSV file is also a spreadsheet: a person may choose to map a data·inclusion CSV's columns by hand.
  if (announced === 'spreadsheet-csv' && found === 'data-inclusion-csv') return;
  throw new ImportFileError(
    said('import.format-mismatch', {
      announced,
      found,
      announcedName: formatNames[announced],
      foundName: formatNames[found],
    }),
  );
}

/**
 * Opens the uploaded file(s) of an import: recognises the format from the content (a zip's entries, a JSON's
 * fields, a CSV's header), checks it against the announced one, and answers a reader of records. A file that
 * cannot be read as a whole is refused with an ImportFileError (400, or 415 for a format Passerelle does not know);
 * a file broken further in (invalid JSON deep inside) makes `items()` throw one as it gets there.
 */
export async function openImportFiles(files: ImportFile[], options: ReadOptions = {}): Promise<ImportReader> {
  if (files.length === 0) throw new ImportFileError(said('import.no-file'));
  const detected = await detectAll(files);
  const format = formatOf(detected);
  checkAnnounced(options.format, format);
  const readAs = options.format ?? format;
  if (readAs === 'spreadsheet-xlsx') {
    const file = detected[0]!;
    if (file.kind !== 'spreadsheet-xlsx') {
      throw new ImportFileError(said('import.not-xlsx', { fileName: file.source.name }));
    }
    const { path, name } = file.upload;
    const sheet = await firstSheetWithData(path, name);
    return spreadsheetReader(
      'spreadsheet-xlsx',
      name,
      () => xlsxRows(path, name, sheet),
      options,
      sheet.name ?? undefined,
    );
  }
  if (readAs === 'spreadsheet-csv') {
    const file = detected[0]!;
    if (!('csv' in file)) throw new ImportFileError(said('import.not-csv', { fileName: file.source.name }));
    return spreadsheetReader('spreadsheet-csv', file.source.name, () => csvRows(file.source, file.csv), options);
  }
  if (readAs === 'data-inclusion-json' || readAs === 'data-inclusion-csv') {
    return dataInclusionReader(
      readAs,
      detected.flatMap((file) =>
        file.kind === 'data-inclusion-json' || file.kind === 'data-inclusion-csv'
          ? [
              {
                source: file.source,
                holds: file.holds,
                ...(file.kind === 'data-inclusion-csv' ? { csv: file.csv } : {}),
              },
            ]
          : [],
      ),
      options,
    );
  }
  if (readAs === 'hsds-json')
    return hsdsJsonReader(
      detected.map((file) => file.source),
      options,
    );
  if (readAs === 'hsds-tabular') {
    const tables = detected.flatMap((file) => (file.kind === 'hsds-tabular-csv' ? [file] : []));
    if (!tables.some((table) => table.table === 'services')) {
      throw new ImportFileError(said('import.hsds-no-services'));
    }
    return hsdsTabularReader(tables, options);
  }
  throw new ImportFileError(said('import.format-not-yet', { format: readAs, formatName: formatNames[readAs] }), 415);
}
