import { errorText } from '../api/errorText';
import { t } from '../i18n/pageLanguage.svelte';

/**
 * Where a component stands in reading its data from the server: still loading, ready, or failed with a
 * message a person can read. One instance per thing a component loads.
 */
export class LoadState {
  status = $state<'loading' | 'ready' | 'error'>('loading');
  error = $state<string | null>(null);

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
    request(controller.signal).then(
      (value) => {
        ready(value);
        this.status = 'ready';
      },
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        this.status = 'error';
        this.error = errorText(failure, fallbackMessage ?? t('api.error.load-failed'));
      },
    );
    return () => controller.abort();
  }
}
