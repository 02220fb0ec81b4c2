/**
 * A message file: nested objects of strings. A string may hold `{name}` placeholders. An object whose keys
 * are CLDR plural categories (`one`, `few`, `other`…) is a plural message, chosen by the `count` parameter.
 */
export type Messages = { [key: string]: string | Messages };

export type MessageParams = Record<string, string | number>;

const PLURAL_CATEGORIES = new Set(['zero', 'one', 'two', 'few', 'many', 'other']);

function lookup(messages: Messages, key: string): string | Messages | undefined {
  let node: string | Messages | undefined = messages;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return node;
}

function isPluralMessage(node: Messages): boolean {
  const keys = Object.keys(node);
  return keys.length > 0 && keys.every((key) => PLURAL_CATEGORIES.has(key)) && typeof node.other === 'string';
}

function fill(template: string, params: MessageParams, formatNumber: (value: number) => string): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(value) : value;
  });
}

export type Translate = (key: string, params?: MessageParams) => string;

/** Each locale's plural rules and number format, made when a message first needs them and kept. */
const pluralRules = new Map<string, Intl.PluralRules>();
const numberFormats = new Map<string, Intl.NumberFormat>();

function pluralRulesFor(locale: string): Intl.PluralRules {
  let made = pluralRules.get(locale);
  if (!made) {
    made = new Intl.PluralRules(locale);
    pluralRules.set(locale, made);
  }
  return made;
}

function numberFormatFor(locale: string): Intl.NumberFormat {
  let made = numberFormats.get(locale);
  if (!made) {
    made = new Intl.NumberFormat(locale);
    numberFormats.set(locale, made);
  }
  return made;
}

/**
 * Looks messages up in `messages`, then in `fallback` (English) for keys a translation does not have yet,
 * and shows the key itself as a last resort so that a missing message is visible rather than blank.
 *
 * Making a translator makes no Intl object: a phone's first one costs a few hundred milliseconds (the browser
 * loads its locale data), which the first render of a page must not pay for messages without numbers. The plural
 * rules and the number format are made when a message first needs them, once per locale.
 */
export function createTranslator(locale: string, messages: Messages, fallback: Messages): Translate {
  const formatNumber = (value: number) => numberFormatFor(locale).format(value);

  const resolve = (key: string, params: MessageParams): string | undefined => {
    for (const source of [messages, fallback]) {
      const node = lookup(source, key);
      if (typeof node === 'string') return fill(node, params, formatNumber);
      if (node && isPluralMessage(node)) {
        const count = Number(params.count ?? 0);
        const form = node[pluralRulesFor(locale).select(count)];
        const template = typeof form === 'string' ? form : (node.other as string);
        return fill(template, params, formatNumber);
      }
    }
    return undefined;
  };

  return (key, params = {}) => resolve(key, params) ?? key;
}
