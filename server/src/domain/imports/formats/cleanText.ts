import { convert } from 'html-to-text';
import { isWebAddress } from '#contract/links/webAddress.js';

// Control characters other than tab and line breaks (NUL among them, which PostgreSQL cannot store).
// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const htmlTag = /<\/?[a-z][a-z0-9-]*(\s[^<>]*)?\/?>|<!--|&(#\d+|#x[0-9a-f]+|[a-z]+);/i;

/** A value of any source as a trimmed one-line-or-more text, or null when it holds nothing. */
export function textOrNull(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = (typeof value === 'string' ? value : String(value))
    .replace(/\r\n?/g, '\n')
    .replace(controlCharacters, '')
    .trim();
  return text === '' ? null : text;
}

/**
 * A description as plain text or Markdown. HTML (which HSDS allows and many exports carry) is turned into text, so
 * that neither a script nor an event handler attribute survives; entities are decoded once, and text that still looks
 * like markup after that (escaped tags in the source) is converted again.
 */
export function descriptionText(value: unknown): string | null {
  let text = textOrNull(value);
  for (let pass = 0; text !== null && htmlTag.test(text) && pass < 3; pass += 1) {
    text = textOrNull(
      convert(text, {
        wordwrap: false,
        selectors: [
          { selector: 'a', options: { ignoreHref: true } },
          { selector: 'img', format: 'skip' },
          { selector: 'script', format: 'skip' },
          { selector: 'style', format: 'skip' },
          { selector: 'h1', options: { uppercase: false } },
          { selector: 'h2', options: { uppercase: false } },
          { selector: 'h3', options: { uppercase: false } },
          { selector: 'table', format: 'block' },
        ],
      }),
    );
  }
  return text;
}

// A host name with a dot and an optional path, as people type a site's address without its scheme.
const bareHost = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}(\/\S*)?$/i;

/**
 * A web address as a page may link to it: http(s) only; `www.example.org` or `example.org/page` is read as https.
 * `rejected` holds a text that is no web address (`javascript:…`, `ftp://…`, words).
 */
export function webAddressOf(value: unknown): { url: string | null; rejected: string | null } {
  const text = textOrNull(value);
  if (text === null) return { url: null, rejected: null };
  const candidate = bareHost.test(text) ? `https://${text}` : text;
  return isWebAddress(candidate) ? { url: candidate, rejected: null } : { url: null, rejected: text };
}

const emailShape = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

/** An e-mail address, trimmed and without a `mailto:`; `rejected` holds a text that is not one. */
export function emailOf(value: unknown): { email: string | null; rejected: string | null } {
  const text = textOrNull(value)?.replace(/^mailto:/i, '') ?? null;
  if (text === null) return { email: null, rejected: null };
  return emailShape.test(text) ? { email: text, rejected: null } : { email: null, rejected: text };
}

/** Lower case, without accents, punctuation as spaces: how headers and free-text values are compared. */
export function normalizedWords(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** A stable id part made of a name: `Secours Populaire (Bordeaux)` → `secours-populaire-bordeaux`. */
export function slugOf(text: string): string {
  return normalizedWords(text).replace(/ /g, '-');
}
