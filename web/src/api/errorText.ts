import { pageLanguage, t } from '../i18n/pageLanguage.svelte';
import { ApiError } from './request';

/**
 * What to tell the reader about a failure, in their language: the server's code through `api/messages/`
 * (`api.error.<code>` with the server's parameters), else the server's own English sentence, else `fallback`.
 */
export function errorText(failure: unknown, fallback: string): string {
  if (failure instanceof ApiError) {
    const key = `api.error.${failure.code}`;
    if (pageLanguage.has(key)) return t(key, failure.params);
    return failure.message || fallback;
  }
  return fallback;
}
