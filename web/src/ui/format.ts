import type { LocationPrecision } from '../api/types';

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });

/** "fr" → "French"; unknown codes are shown as they are rather than hidden. */
export function languageName(code: string): string {
  try {
    return languageNames.of(code) ?? code;
  } catch {
    return code;
  }
}

/** Topic and audience ids such as "legal_aid" or "asylum-seekers" read as "Legal aid", "Asylum seekers". */
export function humanizeId(id: string): string {
  const words = id.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Short place text for a list item; "≈" says the pin is not the door. */
export function approximatePlace(precision: LocationPrecision, town: string | null): string {
  if (!town) return precision === 'exact' ? '' : '≈ location approximate';
  return precision === 'exact' ? town : `≈ ${town}`;
}

/** The honest sentence about where a location pin really is, or null when it is the exact address. */
export function approximateLocationSentence(precision: LocationPrecision, town: string | null): string | null {
  const place = town ?? 'the area';
  switch (precision) {
    case 'town':
      return `Approximate location: town centre of ${place}`;
    case 'street':
      return `Approximate location: street level, ${place}`;
    case 'exact':
      return null;
  }
}
