import { ApiError } from '../api/request';
import { errorText } from '../api/errorText';
import { t } from '../i18n/pageLanguage.svelte';

/**
 * Where a component stands in reading its data from the server: still loading, ready, or failed with a
 * message a person can read. One instance per thing a component loads.
 */
export class LoadState {
  status = $state<'loading' | 'ready' | 'error'>('loading');
  error = $state<string | null>(null);
  /** The HTTP status of the server's refusal (401 signed out, 403 not allowed…); 0 for any other failure. */
  refusal = $state(0);

  #failed(failure: unknown, fallbackMessage: string | undefined): void {
    this.status = 'error';
    this.refusal = failure instanceof ApiError ? failure.status : 0;
    this.error = errorText(failure, fallbackMessage ?? t('api.error.load-failed'));
  }

  #ready(): void {
    this.status = 'ready';
    this.error = null;
    this.refusal = 0;
  }

  /**
   * Starts `request` afresh, hands its answer to `ready`, and returns the function that abandons it, so that
   * an `$effect` can return it: a failure that comes from the abort is not shown as an error. A refusal of the
   * server reads in the page's language (`errorText`); any other failure shows `fallbackMessage`, else a generic
   * sentence.
   */
  load<T>(
    request: (signal: AbortSignal) => Promise<T>,
    ready: (value: T) => void,
    fallbackMessage?: string,
  ): () => void {
    const controller = new AbortController();
    this.status = 'loading';
    this.error = null;
    this.refusal = 0;
    request(controller.signal).then(
      (value) => {
        ready(value);
        this.#ready();
      },
      (failure: unknown) => {
        if (!controller.signal.aborted) this.#failed(failure, fallbackMessage);
      },
    );
    return () => controller.abort();
  }

  /**
   * Reads again while what was loaded stays on the page (after someone else changed it, or to try again):
   * the status changes only once the answer is there. Answers the value, or null when the reading failed.
   */
  async reload<T>(request: () => Promise<T>, ready: (value: T) => void, fallbackMessage?: string): Promise<T | null> {
    try {
      const value = await request();
      ready(value);
      this.#ready();
      return value;
    } catch (failure) {
      this.#failed(failure, fallbackMessage);
      return null;
    }
  }
}
