import type { TranslationSheet } from './translationsApi';

/**
 * The languages a record's texts can be translated into here: the workspace's and the finder's, so that every
 * language a newcomer may read the finder in can be written.
 */
export const translationLanguages: readonly string[] = ['en', 'fr', 'nl', 'sv', 'de', 'es', 'ar', 'uk', 'fa', 'ti'];

const primary = (code: string) => code.toLowerCase().split('-')[0]!;

/** The languages to offer for a sheet: every one but its originals' own. */
export function targetLanguages(sheet: Pick<TranslationSheet, 'textLanguage'>): string[] {
  return translationLanguages.filter((code) => primary(code) !== primary(sheet.textLanguage));
}

/** The language to open with: the one asked for when it can be offered, else the first offered. */
export function firstTarget(sheet: Pick<TranslationSheet, 'textLanguage'>, wanted: string | null): string {
  const offered = targetLanguages(sheet);
  return offered.find((code) => wanted && primary(code) === primary(wanted)) ?? offered[0]!;
}
