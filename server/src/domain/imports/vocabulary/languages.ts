import { normalizedWords } from '../formats/cleanText.js';

// The languages the alliances' services are most often offered in; a name outside this list is left out.
const codes = [
  'af',
  'am',
  'ar',
  'bg',
  'bn',
  'bs',
  'ca',
  'cs',
  'cy',
  'da',
  'de',
  'el',
  'en',
  'es',
  'et',
  'fa',
  'ff',
  'fi',
  'fr',
  'ga',
  'he',
  'hi',
  'hr',
  'hu',
  'hy',
  'id',
  'it',
  'ja',
  'ka',
  'kk',
  'km',
  'ko',
  'ku',
  'ky',
  'lb',
  'ln',
  'lt',
  'lv',
  'mk',
  'mn',
  'ms',
  'my',
  'ne',
  'nl',
  'no',
  'pa',
  'pl',
  'ps',
  'pt',
  'ro',
  'ru',
  'rw',
  'sk',
  'sl',
  'so',
  'sq',
  'sr',
  'sv',
  'sw',
  'ta',
  'th',
  'ti',
  'tl',
  'tr',
  'uk',
  'ur',
  'uz',
  'vi',
  'wo',
  'yo',
  'zh',
];

// ISO 639-2/3 codes that sources use instead of the two-letter ones.
const threeLetterCodes: Record<string, string> = {
  ara: 'ar',
  deu: 'de',
  ger: 'de',
  eng: 'en',
  fra: 'fr',
  fre: 'fr',
  spa: 'es',
  ita: 'it',
  por: 'pt',
  rus: 'ru',
  ukr: 'uk',
  pol: 'pl',
  ron: 'ro',
  rum: 'ro',
  tur: 'tr',
  fas: 'fa',
  per: 'fa',
  prs: 'fa',
  pus: 'ps',
  tir: 'ti',
  som: 'so',
  gle: 'ga',
  zho: 'zh',
  chi: 'zh',
  urd: 'ur',
  ben: 'bn',
  kur: 'ku',
  sqi: 'sq',
  alb: 'sq',
  amh: 'am',
};

// Names that Intl does not give in the forms people write.
const extraNames: Record<string, string> = {
  dari: 'fa',
  farsi: 'fa',
  persan: 'fa',
  pashto: 'ps',
  pachto: 'ps',
  tigrigna: 'ti',
  tigrinya: 'ti',
  kurde: 'ku',
  kurdish: 'ku',
  sorani: 'ku',
  kurmanji: 'ku',
  mandarin: 'zh',
  irish: 'ga',
  gaeilge: 'ga',
  lingala: 'ln',
  'langue des signes': 'fr-sign',
  'sign language': 'sign',
};

let namesToCodes: Map<string, string> | null = null;

function languageNames(): Map<string, string> {
  if (namesToCodes) return namesToCodes;
  namesToCodes = new Map();
  for (const locale of ['en', 'fr', 'de', 'es', 'it', 'ga']) {
    const names = new Intl.DisplayNames([locale], { type: 'language' });
    for (const code of codes) {
      const name = names.of(code);
      if (name && name !== code) namesToCodes.set(normalizedWords(name), code);
    }
  }
  for (const [name, code] of Object.entries(extraNames)) namesToCodes.set(normalizedWords(name), code);
  return namesToCodes;
}

/** The ISO 639-1 code of a language written as a code (`fr`, `fra`, `fr-FR`) or a name in one of five languages. */
export function languageCode(text: string): string | null {
  const trimmed = text.trim();
  const tag = /^([a-z]{2,3})([-_][a-z0-9]+)*$/i.exec(trimmed);
  if (tag) {
    const code = tag[1]!.toLowerCase();
    if (codes.includes(code)) return code;
    if (threeLetterCodes[code]) return threeLetterCodes[code];
  }
  const code = languageNames().get(normalizedWords(trimmed));
  return code && codes.includes(code) ? code : null;
}

/** Every language a cell or list names (`Français, anglais / arabe`), as ISO 639-1 codes, once each. */
export function languageCodes(values: string[]): string[] {
  const found = new Set<string>();
  for (const value of values) {
    for (const part of value.split(/[,;/|+\n]| et | and | und | y | e /i)) {
      const code = languageCode(part);
      if (code) found.add(code);
    }
  }
  return [...found];
}
