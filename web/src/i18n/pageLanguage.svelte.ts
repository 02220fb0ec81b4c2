import { loadCatalogue, workspaceLanguages } from './catalogues';
import { Formatters } from './formatters';
import { direction, firstOffered, primaryTag } from './languages';
import { PSEUDO_LOCALE, pseudoFormatters } from './pseudo';
import { createTranslator, type MessageParams, type Messages, type Translate } from './translate';

const STORAGE_KEY = 'passerelle.workspaceLanguage';

/** `?lang=xx` in the address, for a link that opens a page in a given language (and the pseudo-locale). */
function languageInAddress(): string | null {
  if (typeof window === 'undefined') return null;
  try {
    return new URLSearchParams(window.location.search).get('lang');
  } catch {
    return null;
  }
}

function storedLanguage(): string | null {
  if (typeof localStorage === 'undefined') return null;
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** The locale `Intl` formats in: English's for the pseudo-locale. */
function intlLocale(code: string): string {
  return code === PSEUDO_LOCALE ? 'en' : code;
}

/**
 * The language of the workspace pages (and of the public profile): its messages, its direction and its
 * formatters. Choosing a language sets `lang` and `dir` on the whole document, so that the layout mirrors for
 * Arabic. Which language: the one in the address, then the account's choice, then the one chosen on this device,
 * then the alliance's languages, then the browser's, else English.
 */
export class PageLanguage {
  code = $state('en');
  messages = $state.raw<Messages>({});
  /** The languages the menu offers on this page. */
  offered = $state.raw<readonly string[]>(workspaceLanguages);
  /** Called with the language a person picks from the menu (the workspace saves it on their account). */
  onchosen: ((code: string) => void) | null = null;

  readonly t: Translate = $derived(createTranslator(intlLocale(this.code), this.messages, {}));
  /** In the pseudo-locale every formatted number or date shows inside ⟦ ⟧ too: then none was written by hand. */
  readonly format: Formatters = $derived(
    this.code === PSEUDO_LOCALE ? pseudoFormatters(new Formatters('en')) : new Formatters(this.code),
  );
  readonly dir = $derived(direction(intlLocale(this.code)));

  /** The language to show, from what is known of the reader (see the class comment). */
  preferred(known: { account?: string | null; alliance?: readonly string[] } = {}): string {
    const inAddress = languageInAddress();
    if (inAddress === PSEUDO_LOCALE) return PSEUDO_LOCALE;
    return firstOffered(
      [
        inAddress,
        known.account,
        storedLanguage(),
        ...(known.alliance ?? []),
        ...(typeof navigator === 'undefined' ? [] : navigator.languages),
      ],
      this.offered,
    );
  }

  async use(code: string): Promise<void> {
    const language = code === PSEUDO_LOCALE || this.offered.includes(code) ? code : 'en';
    const messages = await loadCatalogue(language);
    this.messages = messages;
    this.code = language;
    if (typeof document === 'undefined') return;
    document.documentElement.lang = language;
    document.documentElement.dir = direction(intlLocale(language));
  }

  /** A person picked a language from the menu: remembered on this device, and given to `onchosen`. */
  async choose(code: string): Promise<void> {
    try {
      localStorage.setItem(STORAGE_KEY, code);
    } catch {
      // Private browsing may refuse storage; the choice then lasts for this visit.
    }
    await this.use(code);
    this.onchosen?.(code);
  }

  /** Whether a message exists (to prefer a translated server code over the server's English sentence). */
  has(key: string): boolean {
    return this.t(key) !== key;
  }

  /** Whether `code` is this page's language, by primary tag (`fr-BE` is French). */
  speaks(code: string): boolean {
    return primaryTag(code) === primaryTag(this.code);
  }
}

export const pageLanguage = new PageLanguage();

/** The page's translate function: `t('register.form.name')`, `t('gap-analysis.areas', { count })`. */
export function t(key: string, params?: MessageParams): string {
  return pageLanguage.t(key, params);
}
