import { errorText } from '../api/errorText';

/**
 * The requests a list sends about one of its rows (remove, restore, change a role…): the row that is busy, the
 * row that asks "are you sure?", and the failure shown under the row it concerns, in the reader's language.
 * One instance per list.
 */
export class RowActions {
  busyId = $state<string | null>(null);
  confirmingId = $state<string | null>(null);
  #failure = $state<{ id: string; message: string } | null>(null);

  /** Asks for confirmation on a row, forgetting the last failure. */
  confirm(id: string): void {
    this.#failure = null;
    this.confirmingId = id;
  }

  /** The person answered "keep": the row stays as it is. */
  keep(): void {
    this.confirmingId = null;
  }

  /** The last failure, whichever row it concerns (for a list that shows it below itself), or null. */
  get error(): string | null {
    return this.#failure?.message ?? null;
  }

  /** The failure to show under a row, or null. */
  errorOf(id: string): string | null {
    return this.#failure?.id === id ? this.#failure.message : null;
  }

  /**
   * Runs a request about a row: the row is busy meanwhile, and a failure is kept for it (the server's sentence
   * in the reader's language, else `failure`); a confirmation the row asked for is over either way. Answers the
   * request's answer, or undefined when it failed.
   */
  async run<T>(id: string, request: () => Promise<T>, failure: string): Promise<T | undefined> {
    this.busyId = id;
    this.#failure = null;
    try {
      return await request();
    } catch (problem) {
      this.#failure = { id, message: errorText(problem, failure) };
      return undefined;
    } finally {
      this.confirmingId = null;
      this.busyId = null;
    }
  }

  /** `run` for a request whose answer does not matter (a delete): whether it worked. */
  async succeeded(id: string, request: () => Promise<unknown>, failure: string): Promise<boolean> {
    const done = await this.run(
      id,
      async () => {
        await request();
        return true;
      },
      failure,
    );
    return done === true;
  }
}
