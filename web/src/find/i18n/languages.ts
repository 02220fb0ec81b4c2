/**
 * The languages the finder's interface speaks. To add one, add its message file under `messages/` and a
 * line here; `autonym` is the language's name in itself, as people look for it in a list.
 */
export interface InterfaceLanguage {
  code: string;
  autonym: string;
  dir: 'ltr' | 'rtl';
  /**
   * A font face of find.css to load before showing the language, for scripts many phones have no font for;
   * with a sample of the script, so that the face's unicode-range matches.
   */
  font?: { family: string; sample: string };
}

export const interfaceLanguages: readonly InterfaceLanguage[] = [
  { code: 'en', autonym: 'English', dir: 'ltr' },
  { code: 'fr', autonym: 'Français', dir: 'ltr' },
  { code: 'nl', autonym: 'Nederlands', dir: 'ltr' },
  { code: 'sv', autonym: 'Svenska', dir: 'ltr' },
  { code: 'es', autonym: 'Español', dir: 'ltr' },
  { code: 'uk', autonym: 'Українська', dir: 'ltr' },
  { code: 'ar', autonym: 'العربية', dir: 'rtl' },
  { code: 'fa', autonym: 'فارسی', dir: 'rtl' },
  { code: 'ti', autonym: 'ትግርኛ', dir: 'ltr', font: { family: 'Passerelle Ethiopic', sample: 'ትግርኛ' } },
];

export const FALLBACK_LANGUAGE = 'en';

export function findInterfaceLanguage(code: string | null | undefined): InterfaceLanguage | undefined {
  if (!code) return undefined;
  const primary = code.toLowerCase().split('-')[0];
  return interfaceLanguages.find((language) => language.code === primary);
}

/** The first of the browser's preferred languages that the interface speaks, else English. */
export function preferredInterfaceLanguage(browserLanguages: readonly string[]): string {
  for (const code of browserLanguages) {
    const language = findInterfaceLanguage(code);
    if (language) return language.code;
  }
  return FALLBACK_LANGUAGE;
}

/**
 * A language's name as readers of `inLanguage` know it ("arabe" in French), falling back to its own name
 * and then to its code when the browser has no data for the pair.
 */
export function languageName(code: string, inLanguage: string): string {
  try {
    const name = new Intl.DisplayNames([inLanguage, FALLBACK_LANGUAGE], { type: 'language' }).of(code);
    if (name && name !== code) return name;
  } catch {
    // An unusual code: fall through to what we know.
  }
  return findInterfaceLanguage(code)?.autonym ?? code;
}
