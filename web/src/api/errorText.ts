import { pageLanguage, t } from '../i18n/pageLanguage.svelte';
import type { MessageParams } from '../i18n/translate';
import { ApiError } from './request';

/** Parameters the server sends as ISO 8601 instants, written in the reader's language (a date, or a date and time). */
const instants: Record<string, 'date' | 'dateTime'> = { expiredOn: 'date', changedAt: 'dateTime' };

function readerParams(params: MessageParams): MessageParams {
  const shown: MessageParams = { ...params };
  for (const [name, style] of Object.entries(instants)) {
    const value = params[name];
    if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) shown[name] = pageLanguage.format[style](value);
  }
  return shown;
}

/**
 * What to tell the reader about a failure, in their language: the server's code through `api/messages/`
 * (`api.error.<code>` with the server's parameters), else the server's own English sentence, else `fallback`.
 * An English page shows the server's sentence as it is: it may name things in English (the kind of record, the
 * time of a change, a role) that the translations leave out rather than show in English.
 */
export function errorText(failure: unknown, fallback: string): string {
  if (failure instanceof ApiError) {
    if (pageLanguage.code === 'en' && failure.message && failure.code !== 'unreachable') return failure.message;
    const key = `api.error.${failure.code}`;
    if (pageLanguage.has(key)) return t(key, readerParams(failure.params));
    return failure.message || fallback;
  }
  return fallback;
}
