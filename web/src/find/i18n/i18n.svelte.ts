import { Formatters } from '../../i18n/formatters';
import { FALLBACK_LANGUAGE, findInterfaceLanguage, type InterfaceLanguage } from './languages';
import { fallbackMessages, loadMessages, loadStaffMessages } from './loadMessages';
import { staffTextLanguage } from './staffLanguages';
import { createTranslator, type Messages, type Translate } from '../../i18n/translate';

const STORAGE_KEY = 'passerelle.language';

/**
 * The interface language: its messages, its direction and its formatters. Switching language sets `lang`
 * and `dir` on the whole document, so that the layout mirrors for Arabic and Persian.
 */
export class I18n {
  language = $state.raw<InterfaceLanguage>(findInterfaceLanguage(FALLBACK_LANGUAGE)!);
  messages = $state.raw<Messages>(fallbackMessages);
  /** The region's time zone, for opening times. */
  timeZone = $state<string | undefined>(undefined);

  readonly t: Translate = $derived(createTranslator(this.language.code, this.messages, fallbackMessages));
  readonly format = $derived(new Formatters(this.language.code, this.timeZone));
  readonly dir = $derived(this.language.dir);

  async use(code: string): Promise<void> {
    const language = findInterfaceLanguage(code) ?? findInterfaceLanguage(FALLBACK_LANGUAGE)!;
    const [messages] = await Promise.all([loadMessages(language.code), loadFont(language)]);
    this.messages = messages;
    this.language = language;
    document.documentElement.lang = language.code;
    document.documentElement.dir = language.dir;
    document.title = this.t('meta.title');
  }

  /** Remembers the choice on this device only (local storage, never a cookie). */
  remember(code: string): void {
    try {
      localStorage.setItem(STORAGE_KEY, code);
    } catch {
      // Private browsing may refuse storage; the choice then lasts for this visit.
    }
  }

  static remembered(): string | null {
    try {
      return localStorage.getItem(STORAGE_KEY);
    } catch {
      return null;
    }
  }
}

/** Loads a language's own font face, if it has one, so that its text never shows as empty boxes. */
async function loadFont(language: InterfaceLanguage): Promise<void> {
  if (!language.font || !('fonts' in document)) return;
  const { family, sample } = language.font;
  try {
    await Promise.all([400, 700].map((weight) => document.fonts.load(`${weight} 16px "${family}"`, sample)));
  } catch {
    // Without the font the text still shows if the phone has one of its own.
  }
}

/**
 * The card's texts in another language, the one the region's staff read (see `staffLanguage`), for the card a
 * newcomer shows to the staff; English for a language the card is not written in.
 */
export async function translatorFor(code: string): Promise<Translate> {
  const language = staffTextLanguage(code);
  const messages = language ? await loadStaffMessages(language) : fallbackMessages;
  return createTranslator(language ?? FALLBACK_LANGUAGE, messages, fallbackMessages);
}
