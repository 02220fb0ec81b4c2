import { errorText } from '../api/errorText';
import { isEditConflict, rebaseOnLatest, type Rebased } from './editConflict';

/**
 * The requests a component sends about a versioned record it shows, without a form of its own (a status menu, a
 * publish switch, moving an item): busy while one runs, an error in the reader's language, and after a 409 the
 * server's sentence in `conflict` until `retake` reads the record again. `VersionedEdit` adds the form.
 */
export class VersionedChange {
  busy = $state(false);
  error = $state<string | null>(null);
  /** The server's 409 sentence: someone else saved the record after it was opened. */
  conflict = $state<string | null>(null);

  /** Forgets the last problem (the person moved on). */
  clear(): void {
    this.error = null;
    this.conflict = null;
  }

  /** What else a conflict makes stale; `VersionedEdit` forgets its last reload. */
  protected conflicted(): void {}

  /**
   * Runs a request (a save, a delete…): busy meanwhile; a 409 becomes `conflict`, any other failure `error`
   * (the server's sentence in the reader's language, else `failure`). Answers the request's answer, or undefined
   * when it failed.
   */
  async run<T>(request: () => Promise<T>, failure: string): Promise<T | undefined> {
    this.clear();
    this.busy = true;
    try {
      return await request();
    } catch (problem) {
      if (isEditConflict(problem)) {
        this.conflict = errorText(problem, failure);
        this.conflicted();
      } else {
        this.error = errorText(problem, failure);
      }
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  /** `run` for a request whose answer does not matter (a delete): whether it worked. */
  async succeeded(request: () => Promise<unknown>, failure: string): Promise<boolean> {
    const done = await this.run(async () => {
      await request();
      return true;
    }, failure);
    return done === true;
  }

  /**
   * After a conflict: reads the record again (`reread` hands it to whoever shows it), then the conflict is over,
   * unless `reread` answers false (the record is gone); a failure of the reading becomes `error` (`failure` unless
   * the server said why).
   */
  async retake(reread: () => Promise<boolean | void> | boolean | void, failure: string): Promise<void> {
    this.error = null;
    this.busy = true;
    try {
      if ((await reread()) !== false) this.conflict = null;
    } catch (problem) {
      this.error = errorText(problem, failure);
    } finally {
      this.busy = false;
    }
  }
}

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
 * the person changed (`clashes` lists those both changed, `theirChanges` all they changed). A form that creates
 * a record starts from an empty draft and version 0, and sends it with `run` too. Pair it with
 * `EditConflictBox`, or `VersionedFormFooter` for the whole end of the form.
 */
export class VersionedEdit<Draft extends object, Field extends keyof Draft & string> extends VersionedChange {
  base: Draft = $state() as Draft;
  draft: Draft = $state() as Draft;
  version = $state(0);
  clashes = $state<Rebased<Draft, Field>['clashes']>([]);
  theirChanges = $state<Field[]>([]);
  reloaded = $state(false);

  readonly #fields: readonly Field[];
  readonly #valueOf: (field: Field, of: Draft) => unknown;
  readonly #describe: ((field: Field, of: Draft) => string) | undefined;

  constructor(options: VersionedEditOptions<Draft, Field>, record: Draft, version: number) {
    super();
    this.#fields = options.fields;
    // Every object answers `valueOf` (Object.prototype's): only the options' own one is the field's rule.
    this.#valueOf = Object.hasOwn(options, 'valueOf') && options.valueOf ? options.valueOf : (field, of) => of[field];
    this.#describe = options.describe;
    this.reset(record, version);
  }

  /** Starts again from a record as the server has it now (after a save, or to discard what was typed). */
  reset(record: Draft, version: number): void {
    this.base = structuredClone($state.snapshot(record) as Draft);
    this.draft = structuredClone($state.snapshot(record) as Draft);
    this.version = version;
    this.clear();
    this.#forgetReload();
  }

  #forgetReload(): void {
    this.clashes = [];
    this.theirChanges = [];
    this.reloaded = false;
  }

  protected override conflicted(): void {
    this.#forgetReload();
  }

  /** The fields the person changed, with their new values. */
  changes(): Partial<Pick<Draft, Field>> {
    const changed: Partial<Pick<Draft, Field>> = {};
    for (const field of this.#fields) {
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
   * After a conflict: reads the record as it is now and puts the person's changes on top of it. `latest` answers
   * null when the record is gone, and `gone` then says what to do.
   */
  async reload(
    latest: () => Promise<{ record: Draft; version: number } | null>,
    texts: { gone: string; failure: string },
  ): Promise<void> {
    let gone = false;
    await this.retake(async () => {
      const now = await latest();
      if (!now) {
        gone = true;
        return false;
      }
      const rebased = rebaseOnLatest(this.#fields, this.base, this.draft, now.record, this.#valueOf, this.#describe);
      this.base = now.record;
      this.draft = rebased.draft;
      this.clashes = rebased.clashes;
      this.theirChanges = rebased.theirChanges;
      this.version = now.version;
      this.reloaded = true;
    }, texts.failure);
    if (gone) this.error = texts.gone;
  }
}
