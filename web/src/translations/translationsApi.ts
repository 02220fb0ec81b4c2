import type { Static } from 'typebox';
import type { translationSchemas } from '#contract/api.js';
import { apiRequest } from '../api/request';

export type TranslationSheet = Static<typeof translationSchemas.TranslationSheet>;
export type MachineDraftAnswer = Static<typeof translationSchemas.MachineDraftAnswer>;
export type TranslatableText = TranslationSheet['fields'][number];
export type FieldTranslation = TranslatableText['translations'][number];
export type TranslatableField = TranslatableText['field'];

/** Whose texts: a service or an organisation, by id. */
export interface TranslatedRecord {
  type: 'service' | 'organization';
  id: string;
}

const sheetPath = ({ type, id }: TranslatedRecord) =>
  `/api/${type === 'service' ? 'services' : 'organizations'}/${encodeURIComponent(id)}/translations`;
const translationPath = (record: TranslatedRecord, language: string, field: TranslatableField) =>
  `${sheetPath(record)}/${encodeURIComponent(language)}/${encodeURIComponent(field)}`;

export function fetchTranslationSheet(record: TranslatedRecord, signal?: AbortSignal): Promise<TranslationSheet> {
  return apiRequest<TranslationSheet>(sheetPath(record), { signal });
}

/** A person's translation; `version` 0 for one that did not exist when the page read the sheet. */
export function writeTranslation(
  record: TranslatedRecord,
  language: string,
  field: TranslatableField,
  text: string,
  version: number,
): Promise<TranslationSheet> {
  return apiRequest<TranslationSheet>(translationPath(record, language, field), {
    method: 'PUT',
    body: version > 0 ? { text, version } : { text },
  });
}

/** Marks a translation reviewed, with the reviewer's corrected text when they changed it. */
export function reviewTranslation(
  record: TranslatedRecord,
  language: string,
  field: TranslatableField,
  version: number,
  text?: string,
): Promise<TranslationSheet> {
  return apiRequest<TranslationSheet>(`${translationPath(record, language, field)}/review`, {
    method: 'POST',
    body: text === undefined ? { version } : { version, text },
  });
}

export function deleteTranslation(
  record: TranslatedRecord,
  language: string,
  field: TranslatableField,
  version: number,
): Promise<TranslationSheet> {
  return apiRequest<TranslationSheet>(`${translationPath(record, language, field)}?version=${version}`, {
    method: 'DELETE',
  });
}

/** Asks the server's machine-translation service for drafts of the texts not translated yet into `language`. */
export function requestMachineDrafts(record: TranslatedRecord, language: string): Promise<MachineDraftAnswer> {
  return apiRequest<MachineDraftAnswer>(`${sheetPath(record)}/${encodeURIComponent(language)}/machine-drafts`, {
    method: 'POST',
  });
}
