import type { Formatters } from '../i18n/formatters.js';
import type { Translate } from '../i18n/translate.js';

/**
 * The words and formats a sentence is built in: the page's language by default (`pageLanguage` is one), the printed
 * report's own when a coordinator prints it in another language.
 */
export interface Wording {
  t: Translate;
  format: Formatters;
}
