import { t } from '../i18n/pageLanguage.svelte';
import { LoadState } from '../ui/loadState.svelte';
import { pageCount } from './importPreview';
import { fetchImportRows } from './importsApi';
import type { ImportRow, RowsShown } from './importTypes';

/** The rows of one kind (problems, duplicates, gone…) of an import, a page at a time. */
export class RowsPage {
  rows = $state.raw<ImportRow[]>([]);
  total = $state(0);
  page = $state(1);
  readonly state = new LoadState();

  constructor(
    readonly show: RowsShown,
    readonly perPage = 50,
  ) {}

  get pages(): number {
    return pageCount(this.total, this.perPage);
  }

  /**
   * Loads the current page of import `importId`; called from an `$effect`, which runs it again when the page, the
   * import or its `revision` (the file read again) changes, and which calls the returned function to abandon it.
   */
  load(allianceSlug: string, importId: string, revision: number): () => void {
    void revision;
    const page = this.page;
    return this.state.load(
      (signal) => fetchImportRows(allianceSlug, importId, this.show, page, this.perPage, signal),
      (answer) => {
        this.rows = answer.rows;
        this.total = answer.total;
        // A file read again may have fewer rows: the last page that still exists is shown instead of an empty one.
        if (answer.rows.length === 0 && page > 1 && page > pageCount(answer.total, this.perPage)) {
          this.page = pageCount(answer.total, this.perPage);
        }
      },
      t('imports.rowsFailed'),
    );
  }

  /** Puts a row changed by a decision in place of the one shown. */
  replace(row: ImportRow): void {
    this.rows = this.rows.map((shown) => (shown.key === row.key ? row : shown));
  }
}
