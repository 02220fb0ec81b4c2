import { SvelteSet } from 'svelte/reactivity';
import { errorText } from '../api/errorText';
import { t } from '../i18n/pageLanguage.svelte';
import { LoadState } from '../ui/loadState.svelte';
import { type ImportLimits } from './importFiles';
import { currentImport, isWorking, overwriteList, pollImport } from './importPreview';
import {
  changeImport,
  commitImport,
  discardImport,
  fetchImport,
  fetchImportLimits,
  fetchImports,
  startImport,
  undoImport,
} from './importsApi';
import type { ImportChanges, ImportFormat, ImportJob } from './importTypes';

type Busy = 'upload' | 'change' | 'commit' | 'undo' | 'discard' | null;

/**
 * The import screen of one alliance: the import being worked on (read, previewed, committed), the past imports, and
 * the choices a person makes before confirming. One instance per open tab; components read it and call its methods,
 * as the map's `ServiceExplorer` does.
 */
export class ImportScreen {
  /** The import on screen, or null before an upload. */
  job = $state.raw<ImportJob | null>(null);
  /**
   * The last preview of that import: while the server reads the file again after a change, the page keeps showing
   * it (with its controls locked) rather than blanking the screen under the person's cursor.
   */
  preview = $state.raw<ImportJob | null>(null);
  past = $state.raw<ImportJob[]>([]);
  readonly pastLoad = new LoadState();
  limits = $state.raw<ImportLimits>({ maxBytes: null, maxSize: null });
  busy = $state<Busy>(null);
  /** The last refusal or failure, in the server's words. */
  error = $state<string | null>(null);
  /** A sentence about what just happened, read out by screen readers. */
  notice = $state<string | null>(null);
  /** Goes up each time the server has read the file again, so that the row lists load afresh. */
  revision = $state(0);

  /**
   * "key:field" of the fields a person chose to overwrite although they were edited here since. Kept in the page
   * and sent with the commit: the API records an overwrite for good, and a ticked box must be able to be unticked.
   */
  readonly overwriteTicked = new SvelteSet<string>();
  /** Ids of services gone from the source that a person chose to archive (none unless ticked); sent with the commit. */
  readonly archiveTicked = new SvelteSet<string>();

  #polling: AbortController | null = null;

  constructor(readonly allianceSlug: string) {}

  /** Whether the preview's controls wait: a request is out, or the server is reading or writing. */
  get locked(): boolean {
    return this.busy !== null || (this.job !== null && isWorking(this.job.status));
  }

  /** The preview to show with the import on screen, if it has one. */
  get shownPreview(): ImportJob | null {
    return this.job && this.preview?.id === this.job.id ? this.preview : null;
  }

  /** Loads the limit and the past imports, and resumes an import left in progress; returns the cleanup. */
  open(): () => void {
    const controller = new AbortController();
    fetchImportLimits(controller.signal).then(
      (limits) => (this.limits = limits),
      () => {},
    );
    const stopLoading = this.pastLoad.load(
      (signal) => fetchImports(this.allianceSlug, signal),
      (jobs) => {
        this.past = jobs;
        const current = currentImport(jobs);
        if (current && !this.job) void this.show(current);
      },
      t('imports.loadFailed'),
    );
    return () => {
      controller.abort();
      stopLoading();
      this.#polling?.abort();
    };
  }

  reloadPast(): void {
    this.pastLoad.load(
      (signal) => fetchImports(this.allianceSlug, signal),
      (jobs) => (this.past = jobs),
      t('imports.loadFailed'),
    );
  }

  async upload(files: readonly File[], format: ImportFormat | null, source: string): Promise<boolean> {
    return this.#run('upload', t('imports.upload.failed'), async () => {
      const job = await startImport(this.allianceSlug, files, { format, source });
      this.overwriteTicked.clear();
      this.archiveTicked.clear();
      this.#follow(job);
    });
  }

  /** Mappings, a default category or a fixed cell: the server reads the file again and the preview follows. */
  async reread(changes: ImportChanges): Promise<boolean> {
    const job = this.job;
    if (!job) return false;
    return this.#run('change', t('imports.changeFailed'), async () => {
      this.notice = t('imports.preview.rereading');
      this.#follow(await changeImport(this.allianceSlug, job.id, changes));
      // The rows are numbered afresh by the new reading: an overwrite ticked before may name another row now.
      this.overwriteTicked.clear();
    });
  }

  /** Decisions (duplicates, overwrites, archiving) change no reading: the answer is the import as it stands. */
  async decide(changes: ImportChanges): Promise<boolean> {
    const job = this.job;
    if (!job) return false;
    return this.#run('change', t('imports.changeFailed'), async () => {
      this.#show(await changeImport(this.allianceSlug, job.id, changes));
    });
  }

  async commit(): Promise<boolean> {
    const job = this.job;
    if (!job) return false;
    // The ticked boxes go just before the commit, so that what is written is what the page shows.
    const overwrite = overwriteList(this.overwriteTicked);
    const archiveGone = this.archiveTicked.size === 0 ? 'none' : [...this.archiveTicked];
    if (!(await this.decide(overwrite.length > 0 ? { overwrite, archiveGone } : { archiveGone }))) return false;
    return this.#run('commit', t('imports.changeFailed'), async () => {
      this.#follow(await commitImport(this.allianceSlug, job.id));
    });
  }

  async undo(target: ImportJob): Promise<boolean> {
    return this.#run('undo', t('imports.changeFailed'), async () => {
      const undone = await undoImport(this.allianceSlug, target.id);
      if (this.job?.id === target.id) this.#show(undone);
      this.past = this.past.map((job) => (job.id === undone.id ? undone : job));
      this.notice = t('imports.report.undone');
    });
  }

  async discard(): Promise<boolean> {
    const job = this.job;
    if (!job) return false;
    return this.#run('discard', t('imports.changeFailed'), async () => {
      await discardImport(this.allianceSlug, job.id);
      this.#polling?.abort();
      this.job = null;
      this.preview = null;
      this.notice = t('imports.preview.discarded');
      this.reloadPast();
    });
  }

  /** Opens an import from the list of past imports, which holds only its summary: the rest is asked for. */
  async show(summary: ImportJob): Promise<boolean> {
    return this.#run('change', t('imports.loadFailed'), async () => {
      const job = await fetchImport(this.allianceSlug, summary.id);
      this.overwriteTicked.clear();
      this.archiveTicked.clear();
      this.#follow(job);
    });
  }

  /** Back to the upload form, leaving the import shown as it is on the server. */
  close(): void {
    this.#polling?.abort();
    this.job = null;
    this.preview = null;
    this.notice = null;
    this.error = null;
  }

  async #run(busy: Exclude<Busy, null>, fallback: string, action: () => Promise<void>): Promise<boolean> {
    this.busy = busy;
    this.error = null;
    try {
      await action();
      return true;
    } catch (failure) {
      this.error = errorText(failure, fallback);
      return false;
    } finally {
      this.busy = null;
    }
  }

  #show(job: ImportJob): void {
    this.job = job;
    if (job.status === 'preview') this.preview = job;
    else if (this.preview?.id !== job.id) this.preview = null;
  }

  /** Shows `job` and, while the server works on it, polls until it is done. */
  #follow(job: ImportJob): void {
    this.#polling?.abort();
    this.#show(job);
    if (!isWorking(job.status)) {
      this.revision++;
      return;
    }
    const controller = new AbortController();
    this.#polling = controller;
    pollImport(
      (signal) => fetchImport(this.allianceSlug, job.id, signal),
      (latest) => this.#show(latest),
      controller.signal,
    ).then(
      (settled) => {
        this.revision++;
        if (settled.status === 'preview') this.notice = null;
        // A commit the database refused writes nothing and leaves the preview, saying why.
        if (settled.status === 'preview' && settled.error) this.error = settled.error;
        this.reloadPast();
      },
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        this.error = errorText(failure, t('imports.loadFailed'));
      },
    );
  }
}
