import english from './messages/en.json';
import { FALLBACK_LANGUAGE, findInterfaceLanguage } from './languages';
import type { Messages } from '../../i18n/translate';

/** English is built in, as the fallback for every other language; the others load when first chosen. */
export const fallbackMessages: Messages = english;

const lazyMessageFiles = import.meta.glob<Messages>(['./messages/*.json', '!./messages/en.json'], {
  import: 'default',
});

const loaded = new Map<string, Messages>([[FALLBACK_LANGUAGE, english]]);

export async function loadMessages(code: string): Promise<Messages> {
  const cached = loaded.get(code);
  if (cached) return cached;
  const load = lazyMessageFiles[`./messages/${code}.json`];
  if (!load) return english;
  const messages = await load();
  loaded.set(code, messages);
  return messages;
}

const lazyStaffFiles = import.meta.glob<Messages>('./staff/*.json', { import: 'default' });

/**
 * The texts of the card a newcomer shows to the staff, in `code`: an interface language's messages, or the card's
 * own file for a language the interface does not speak; English when there is neither.
 */
export async function loadStaffMessages(code: string): Promise<Messages> {
  if (findInterfaceLanguage(code)) return loadMessages(code);
  const cached = loaded.get(code);
  if (cached) return cached;
  const load = lazyStaffFiles[`./staff/${code}.json`];
  if (!load) return english;
  const messages = await load();
  loaded.set(code, messages);
  return messages;
}
