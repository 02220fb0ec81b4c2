import { pageLanguage, t } from '../i18n/pageLanguage.svelte';
import type { MessageParams } from '../i18n/translate';
import { ApiError } from './request';

/** Parameters the server sends as ISO 8601 instants, written in the reader's language (a date, or a date and time). */
const instants: Record<string, 'date' | 'dateTime'> = { expiredOn: 'date', changedAt: 'dateTime' };

/**
 * Parameters the server fills with a code-like word (a kind of record: `organization`, `swot_item`), said in the
 * reader's language from `api.value.<table>.<word>`; a word the table lacks stays as the server sent it.
 */
const wordTables: Record<string, string> = { entityType: 'entityType', parentType: 'entityType' };

/** The name of a language, in the reader's language (`fr` → "French" on an English page, "francés" on a Spanish one). */
function languageName(code: string): string {
  try {
    return new Intl.DisplayNames([pageLanguage.code], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

function readerParams(params: MessageParams): MessageParams {
  const shown: MessageParams = { ...params };
  for (const [name, style] of Object.entries(instants)) {
    const value = params[name];
    if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) shown[name] = pageLanguage.format[style](value);
  }
  for (const [name, table] of Object.entries(wordTables)) {
    const value = params[name];
    if (typeof value === 'string' && pageLanguage.has(`api.value.${table}.${value}`)) {
      shown[name] = t(`api.value.${table}.${value}`);
    }
  }
  if (typeof params.language === 'string') shown.language = languageName(params.language);
  return shown;
}

/**
 * A coded sentence of the server (a refusal, a row's problem) in the reader's language: `api.error.<code>` with
 * the server's parameters, else the server's English sentence.
 */
export function codedText(coded: { code?: string; params?: MessageParams; message: string }): string {
  const key = `api.error.${coded.code}`;
  return coded.code && pageLanguage.has(key) ? t(key, readerParams(coded.params ?? {})) : coded.message;
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
