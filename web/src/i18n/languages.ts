/**
 * What the pages know of a language from its code alone, so that adding a language needs only its message files:
 * its own name (from the browser's Unicode data) and its writing direction.
 */

/** Scripts written right to left, for browsers without `Intl.Locale#getTextInfo`. */
const rightToLeft = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'ckb', 'dv', 'yi', 'prs', 'ug', 'sd']);

export function primaryTag(code: string): string {
  return code.toLowerCase().split(/[-_]/)[0] ?? code;
}

/** The language's name in itself, as people look for it in a list: "Français", "العربية", "ትግርኛ". */
export function autonym(code: string): string {
  try {
    const name = new Intl.DisplayNames([code], { type: 'language' }).of(code);
    if (name && name !== code) return name.charAt(0).toLocaleUpperCase(code) + name.slice(1);
  } catch {
    // An unusual code: its code is the best name we have.
  }
  return code;
}

type LocaleWithTextInfo = Intl.Locale & {
  getTextInfo?: () => { direction?: string };
  textInfo?: { direction?: string };
};

export function direction(code: string): 'ltr' | 'rtl' {
  try {
    const locale = new Intl.Locale(code) as LocaleWithTextInfo;
    const info = locale.getTextInfo?.() ?? locale.textInfo;
    if (info?.direction === 'rtl' || info?.direction === 'ltr') return info.direction;
  } catch {
    // Fall back to the list below.
  }
  return rightToLeft.has(primaryTag(code)) ? 'rtl' : 'ltr';
}

/** The first of `wanted` (account, alliance, browser… in that order) that `offered` has, else English. */
export function firstOffered(wanted: readonly (string | null | undefined)[], offered: readonly string[]): string {
  for (const code of wanted) {
    if (!code) continue;
    if (offered.includes(code)) return code;
    const primary = primaryTag(code);
    if (offered.includes(primary)) return primary;
  }
  return 'en';
}
