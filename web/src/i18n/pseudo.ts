import type { Formatters } from './formatters';
import type { Messages } from './translate';

/**
 * The pseudo-locale `en-XA`: every English message with its letters accented and wrapped in ⟦ ⟧, placeholders
 * kept. A page shown in it reveals at a glance (and to the browser test) any text that does not come from a
 * message file. Open any page with `?lang=en-XA`.
 */
export const PSEUDO_LOCALE = 'en-XA';

const accented: Record<string, string> = {
  a: 'å',
  b: 'ƀ',
  c: 'ç',
  d: 'đ',
  e: 'é',
  f: 'ƒ',
  g: 'ĝ',
  h: 'ĥ',
  i: 'î',
  j: 'ĵ',
  k: 'ķ',
  l: 'ļ',
  m: 'ɱ',
  n: 'ñ',
  o: 'ö',
  p: 'þ',
  q: 'ǫ',
  r: 'ŕ',
  s: 'š',
  t: 'ţ',
  u: 'û',
  v: 'ṽ',
  w: 'ŵ',
  x: 'ẋ',
  y: 'ý',
  z: 'ž',
  A: 'Å',
  B: 'Ɓ',
  C: 'Ç',
  D: 'Đ',
  E: 'É',
  F: 'Ƒ',
  G: 'Ĝ',
  H: 'Ĥ',
  I: 'Î',
  J: 'Ĵ',
  K: 'Ķ',
  L: 'Ļ',
  M: 'Ṁ',
  N: 'Ñ',
  O: 'Ö',
  P: 'Þ',
  Q: 'Ǫ',
  R: 'Ŕ',
  S: 'Š',
  T: 'Ţ',
  U: 'Û',
  V: 'Ṽ',
  W: 'Ŵ',
  X: 'Ẋ',
  Y: 'Ý',
  Z: 'Ž',
};

export function pseudoText(text: string): string {
  // Placeholders ({name}) stay as they are so that they are still filled in.
  const parts = text.split(/(\{\w+\})/);
  return `⟦${parts.map((part, index) => (index % 2 ? part : part.replace(/[A-Za-z]/g, (letter) => accented[letter] ?? letter))).join('')}⟧`;
}

export function pseudoMessages(english: Messages): Messages {
  const result: Messages = {};
  for (const [key, value] of Object.entries(english)) {
    result[key] = typeof value === 'string' ? pseudoText(value) : pseudoMessages(value);
  }
  return result;
}

/** English formatters whose every answer is wrapped in ⟦ ⟧, for the pseudo-locale. */
export function pseudoFormatters(english: Formatters): Formatters {
  return new Proxy(english, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => `⟦${String((value as (...inner: unknown[]) => unknown).apply(target, args))}⟧`;
    },
  });
}
