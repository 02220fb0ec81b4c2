import { findInterfaceLanguage } from '../i18n/languages';

/**
 * A language's name in itself — "ትግርኛ", "العربية", "Français" —, as its speakers look for it in a list, whatever
 * language the page is in: the finder's own table first, then the browser's data for that language, then its code.
 * A browser without data for a language would answer in English ("Tigrinya"), which is not its name.
 */
export function languageAutonym(code: string): string {
  const known = findInterfaceLanguage(code);
  if (known && known.code === code.toLowerCase()) return known.autonym;
  try {
    if (Intl.DisplayNames.supportedLocalesOf([code]).length > 0) {
      const name = new Intl.DisplayNames([code], { type: 'language', fallback: 'none' }).of(code);
      if (name) return name.charAt(0).toLocaleUpperCase(code) + name.slice(1);
    }
  } catch {
    // Not a code the browser reads: its code is all there is.
  }
  return known?.autonym ?? code;
}
