import { errorText } from '../api/errorText';
import { isEditConflict, rebaseOnLatest, type Rebased } from './editConflict';

export interface VersionedEditOptions<Draft extends object, Field extends keyof Draft & string> {
  /** The fields the form edits, compared to find what the person changed. */
  fields: readonly Field[];
  /** A field as the server would store it, so that "  x " and "x" are no change. */
  valueOf?: (field: Field, of: Draft) => unknown;
  /** The other person's value of a field, as shown after a reload. */
  describe?: (field: Field, of: Draft) => string;
}

/**
 * The state every form that edits a versioned record goes through: the record as opened (`base`), what the person
 * typed (`draft`), the version the server must still have, busy while a request runs, an error in the reader's
 * language, and after a 409 the other person's change (`conflict`) that `reload` takes in, keeping every field
 * the person changed (`clashes` lists those both changed). Pair it with `EditConflictBox`.
 */
export class VersionedEdit<Draft extends object, Field extends keyof Draft & string> {
  base: Draft = $state() as Draft;
  draft: Draft = $state() as Draft;
  version = $state(0);
  busy = $state(false);
  error = $state<string | null>(null);
  /** The server's 409 sentence: someone else saved the record after it was opened. */
  conflict = $state<string | null>(null);
  clashes = $state<Rebased<Draft, Field>['clashes']>([]);
  reloaded = $state(false);

  readonly #options: VersionedEditOptions<Draft, Field>;

  constructor(options: VersionedEditOptions<Draft, Field>, record: Draft, version: number) {
    this.#options = options;
    this.reset(record, version);
  }

  /** Starts again from a record as the server has it now (after a save, or to discard what was typed). */
  reset(record: Draft, version: number): void {
    this.base = structuredClone($state.snapshot(record) as Draft);
    this.draft = structuredClone($state.snapshot(record) as Draft);
    this.version = version;
    this.error = null;
    this.conflict = null;
    this.clashes = [];
    this.reloaded = false;
  }

  #valueOf(field: Field, of: Draft): unknown {
    return this.#options.valueOf ? this.#options.valueOf(field, of) : of[field];
  }

  /** The fields the person changed, with their new values. */
  changes(): Partial<Pick<Draft, Field>> {
    const changed: Partial<Pick<Draft, Field>> = {};
    for (const field of this.#options.fields) {
      if (JSON.stringify(this.#valueOf(field, this.draft)) !== JSON.stringify(this.#valueOf(field, this.base))) {
        changed[field] = this.draft[field];
      }
    }
    return changed;
  }

  get changed(): boolean {
    return Object.keys(this.changes()).length > 0;
  }

  /**
   * Runs a request (a save, a delete…): busy meanwhile; a 409 becomes `conflict`, any other failure `error`
   * (the server's sentence in the reader's language, else `failure`). Answers the request's answer, or undefined
   * when it failed.
   */
  async run<T>(request: () => Promise<T>, failure: string): Promise<T | undefined> {
    this.error = null;
    this.busy = true;
    try {
      return await request();
    } catch (problem) {
      if (isEditConflict(problem)) {
        this.conflict = errorText(problem, failure);
        this.reloaded = false;
        this.clashes = [];
      } else {
        this.error = errorText(problem, failure);
      }
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  /**
   * After a conflict: reads the record as it is now and puts the person's changes on top of it. `latest` answers
   * null when the record is gone, and `gone` then says what to do.
   */
  async reload(
    latest: () => Promise<{ record: Draft; version: number } | null>,
    texts: { gone: string; failure: string },
  ): Promise<void> {
    this.error = null;
    this.busy = true;
    try {
      const now = await latest();
      if (!now) {
        this.error = texts.gone;
        return;
      }
      const rebased = rebaseOnLatest(
        this.#options.fields,
        this.base,
        this.draft,
        now.record,
        this.#options.valueOf,
        this.#options.describe,
      );
      this.base = now.record;
      this.draft = rebased.draft;
      this.clashes = rebased.clashes;
      this.version = now.version;
      this.conflict = null;
      this.reloaded = true;
    } catch (problem) {
      this.error = errorText(problem, texts.failure);
    } finally {
      this.busy = false;
    }
  }
}
