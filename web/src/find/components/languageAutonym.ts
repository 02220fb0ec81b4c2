import { autonym } from '../../i18n/languages';
import { findInterfaceLanguage } from '../i18n/languages';

/**
 * A language's name in itself — "ትግርኛ", "العربية", "Français" —, as its speakers look for it in a list, whatever
 * language the page is in: the finder's own table first (written by people who speak each language, and true in a
 * browser without Unicode data for it, which would answer "Tigrinya"), else the browser's data, else the code.
 */
export function languageAutonym(code: string): string {
  const known = findInterfaceLanguage(code);
  return known && known.code === code.toLowerCase() ? known.autonym : autonym(code);
}
