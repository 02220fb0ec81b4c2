import { findInterfaceLanguage, FALLBACK_LANGUAGE } from './languages';

/**
 * The languages the "show this to staff" card can be written in besides the interface languages, whose message
 * files already hold the card's texts: the other official languages of the European Union, and Norwegian (Bokmål)
 * and Turkish. Their texts are in `staff/<code>.json`, loaded only when a region needs them.
 */
export const staffOnlyLanguages: readonly string[] = [
  'bg',
  'cs',
  'da',
  'de',
  'el',
  'et',
  'fi',
  'ga',
  'hr',
  'hu',
  'it',
  'lt',
  'lv',
  'mt',
  'nb',
  'pl',
  'pt',
  'ro',
  'sk',
  'sl',
  'tr',
];

/**
 * The official languages that front-desk staff read, by country (ISO 3166-1 alpha-2), the usual one first. Where a
 * country has several, the alliance's own languages choose among them (see `staffLanguage`): Belgium nl/fr/de,
 * Finland fi/sv, Switzerland de/fr/it, Ireland en/ga, Malta mt/en, Cyprus el/tr. Luxembourg's front desks write
 * French or German (there is no Luxembourgish text), and Norway's Bokmål, the written standard of most of it.
 */
export const officialLanguagesByCountry: Readonly<Record<string, readonly string[]>> = {
  AT: ['de'],
  BE: ['nl', 'fr', 'de'],
  BG: ['bg'],
  CH: ['de', 'fr', 'it'],
  CY: ['el', 'tr'],
  CZ: ['cs'],
  DE: ['de'],
  DK: ['da'],
  EE: ['et'],
  ES: ['es'],
  FI: ['fi', 'sv'],
  FR: ['fr'],
  GB: ['en'],
  GR: ['el'],
  HR: ['hr'],
  HU: ['hu'],
  IE: ['en', 'ga'],
  IT: ['it'],
  LI: ['de'],
  LT: ['lt'],
  LU: ['fr', 'de'],
  LV: ['lv'],
  MC: ['fr'],
  MT: ['mt', 'en'],
  NL: ['nl'],
  NO: ['nb'],
  PL: ['pl'],
  PT: ['pt'],
  RO: ['ro'],
  SE: ['sv'],
  SI: ['sl'],
  SK: ['sk'],
  SM: ['it'],
  TR: ['tr'],
  UA: ['uk'],
};

/** Norwegian written as `no` means Bokmål for the card. */
const aliases: Readonly<Record<string, string>> = { no: 'nb' };

/** The card's language for a language code (`de-AT`, `no`), or undefined when the card has no text in it. */
export function staffTextLanguage(code: string): string | undefined {
  const primary = code.trim().toLowerCase().split('-')[0]!;
  const language = aliases[primary] ?? primary;
  if (staffOnlyLanguages.includes(language) || findInterfaceLanguage(language)) return language;
  return undefined;
}

/**
 * The language the staff of an alliance's services read: the first of the alliance's languages that is official in
 * its country, else the country's usual language, else the first of the alliance's languages the card is written
 * in (a country not listed), else English.
 */
export function staffLanguage(country: string, allianceLanguages: readonly string[]): string {
  const official = officialLanguagesByCountry[country.trim().toUpperCase()] ?? [];
  const known = allianceLanguages.map(staffTextLanguage).filter((code) => code !== undefined);
  return known.find((code) => official.includes(code)) ?? official[0] ?? known[0] ?? FALLBACK_LANGUAGE;
}
