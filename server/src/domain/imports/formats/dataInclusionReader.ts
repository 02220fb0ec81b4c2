import type { ImportFormat, ImportItem, ImportReader, ReadOptions, RecordPlace } from '../importRecord.js';
import { csvRows, type CsvLayout } from './csvRows.js';
import { isDataInclusionService, serviceItems, structureItems, type StructureMemory } from './dataInclusionRecords.js';
import { jsonRecords } from './jsonValues.js';
import { ReadingState } from './readingState.js';
import { said } from '../../messages/userError.js';
import type { SourceFile } from './sourceFiles.js';

export interface DataInclusionFile {
  source: SourceFile;
  /** For CSV files: how the text is encoded and split. */
  csv?: CsvLayout;
  /** What the file holds, when its name or content says (structures first: services take their place from them). */
  holds: 'structures' | 'services' | 'both';
}

type Raw = Record<string, unknown>;

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function* rawRecords(
  file: DataInclusionFile,
  named: boolean,
): AsyncGenerator<{ raw: unknown; place: RecordPlace; list: string | null }> {
  const { source } = file;
  if (file.csv) {
    let header: string[] | null = null;
    for await (const { row, cells } of csvRows(source, file.csv)) {
      if (!header) {
        header = cells.map((cell) => cell.trim());
        continue;
      }
      const raw: Raw = {};
      header.forEach((field, column) => {
        if (field !== '') raw[field] = cells[column] ?? '';
      });
      yield { raw, place: { row, ...(named ? { file: source.name } : {}) }, list: null };
    }
    return;
  }
  for await (const { list, index, value } of jsonRecords(source.name, source.open, ['structures', 'services'])) {
    const file = list ?? (named ? source.name : undefined);
    yield { raw: value, place: { row: index, ...(file ? { file } : {}) }, list };
  }
}

/** data·inclusion structures and services, from one or two JSON or CSV files. */
export function dataInclusionReader(
  format: Extract<ImportFormat, 'data-inclusion-json' | 'data-inclusion-csv'>,
  files: DataInclusionFile[],
  options: ReadOptions,
): ImportReader {
  const ordered = [...files].sort((a, b) => order(a) - order(b));
  return {
    format,
    async *items(): AsyncGenerator<ImportItem> {
      const state = new ReadingState(options);
      const structures = new Map<string, StructureMemory>();
      for (const file of ordered) {
        for await (const { raw, place, list } of rawRecords(file, files.length > 1)) {
          if (!isRecord(raw)) {
            yield {
              kind: 'problem',
              problem: {
                ...place,
                field: '',
                ...said('import.entry-not-record'),
                severity: 'error',
              },
            };
            continue;
          }
          const isService =
            list === 'services' ||
            (list !== 'structures' && (file.holds === 'services' || isDataInclusionService(raw)));
          yield* isService
            ? serviceItems(raw, place, state, structures)
            : structureItems(raw, place, state, structures);
        }
      }
      yield* state.unresolvedReferences();
    },
  };
}

function order(file: DataInclusionFile): number {
  return file.holds === 'structures' ? 0 : file.holds === 'both' ? 1 : 2;
}
