import type { ImportItem, ImportReader, ReadOptions } from '../importRecord.js';
import { HsdsRecords, isRaw } from './hsdsRecords.js';
import { jsonRecords } from './jsonValues.js';
import { ReadingState } from './readingState.js';
import { said } from '../../messages/userError.js';
import type { SourceFile } from './sourceFiles.js';

/**
 * HSDS 3 JSON: one object (a service, an organisation, a service-at-location, as `GET /services/{id}` answers), a
 * list of them, or a page of the HSDS API (`{ total_items, page_number, contents: [...] }`); several files at once.
 */
export function hsdsJsonReader(sources: SourceFile[], options: ReadOptions): ImportReader {
  return {
    format: 'hsds-json',
    async *items(): AsyncGenerator<ImportItem> {
      const state = new ReadingState(options);
      const records = new HsdsRecords(state);
      for (const source of sources) {
        for await (const { index, value } of jsonRecords(source.name, source.open, ['contents'])) {
          const place = { row: index, ...(sources.length > 1 ? { file: source.name } : {}) };
          if (!isRaw(value)) {
            yield {
              kind: 'problem',
              problem: { ...place, field: '', ...said('import.entry-not-hsds'), severity: 'error' },
            };
            continue;
          }
          yield* records.any(value, place);
        }
      }
      yield* state.unresolvedReferences();
    },
  };
}
