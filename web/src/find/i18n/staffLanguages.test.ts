import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { needIds } from '#contract/taxonomy/needs.js';
import { interfaceLanguages } from './languages';
import { officialLanguagesByCountry, staffLanguage, staffOnlyLanguages, staffTextLanguage } from './staffLanguages';
import { createTranslator, type Messages } from '../../i18n/translate';

const here = path.dirname(fileURLToPath(import.meta.url));
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(here, file), 'utf8')) as Messages;
const english = readJson('messages/en.json');

/** The card's messages in a language, from the file the finder loads for it. */
function staffMessages(code: string): Messages {
  const isInterface = interfaceLanguages.some((language) => language.code === code);
  return readJson(isInterface ? `messages/${code}.json` : `staff/${code}.json`);
}

/** Exactly what the card writes in the staff's language: the request (with and without a need), service, speaker. */
const cardKeys = [
  'staff.request',
  'staff.requestGeneral',
  'staff.service',
  'staff.speaks',
  ...needIds.map((id) => `need.${id}`),
];

function lookup(messages: Messages, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node as Messages | undefined)?.[part], messages);
}

const euOfficialLanguages = [
  'bg',
  'cs',
  'da',
  'de',
  'el',
  'en',
  'es',
  'et',
  'fi',
  'fr',
  'ga',
  'hr',
  'hu',
  'it',
  'lt',
  'lv',
  'mt',
  'nl',
  'pl',
  'pt',
  'ro',
  'sk',
  'sl',
  'sv',
];

describe('the staff card texts', () => {
  it.each([...euOfficialLanguages, 'nb', 'uk', 'tr'])(
    '%s has every text of the card, with its placeholders',
    (code) => {
      expect(staffTextLanguage(code)).toBe(code);
      const messages = staffMessages(code);
      for (const key of cardKeys) {
        const text = lookup(messages, key);
        expect(typeof text, `${code} ${key}`).toBe('string');
        expect((text as string).trim(), `${code} ${key}`).not.toBe('');
        const placeholders = (lookup(english, key) as string).match(/\{\w+\}/g) ?? [];
        for (const placeholder of placeholders) expect(text, `${code} ${key}`).toContain(placeholder);
      }
    },
  );

  it('has a file under staff/ for each language the interface does not speak, and for no other', () => {
    const files = fs.readdirSync(path.join(here, 'staff')).map((file) => file.replace(/\.json$/, ''));
    expect(files.sort()).toEqual([...staffOnlyLanguages].sort());
    for (const code of staffOnlyLanguages)
      expect(interfaceLanguages.map((language) => language.code)).not.toContain(code);
  });

  it('a staff file holds only keys that English has', () => {
    for (const code of staffOnlyLanguages) {
      const messages = staffMessages(code);
      for (const [group, texts] of Object.entries(messages)) {
        for (const key of Object.keys(texts))
          expect(lookup(english, `${group}.${key}`), `${code} ${group}.${key}`).toBeDefined();
      }
    }
  });

  it('writes the German request in German', () => {
    const translate = createTranslator('de', staffMessages('de'), english);
    expect(translate('staff.request', { need: translate('need.housing') })).toBe(
      'Guten Tag. Ich suche Hilfe zum Thema: Wohnen.',
    );
  });
});

describe('staffLanguage', () => {
  it('follows the country when the alliance lists no official language of it', () => {
    expect(staffLanguage('DE', ['en'])).toBe('de');
    expect(staffLanguage('NO', [])).toBe('nb');
    expect(staffLanguage('PL', ['uk', 'en'])).toBe('pl');
    expect(staffLanguage('TR', ['ar'])).toBe('tr');
  });

  it("lets the alliance's languages choose among a country's official languages", () => {
    expect(staffLanguage('BE', ['fr', 'nl'])).toBe('fr');
    expect(staffLanguage('BE', ['de'])).toBe('de');
    expect(staffLanguage('FI', ['sv'])).toBe('sv');
    expect(staffLanguage('MT', ['en'])).toBe('en');
    expect(staffLanguage('CH', ['it'])).toBe('it');
  });

  it("uses a country's usual language when the alliance names none of its languages", () => {
    expect(staffLanguage('BE', [])).toBe('nl');
    expect(staffLanguage('FI', ['en'])).toBe('fi');
    expect(staffLanguage('IE', ['ar'])).toBe('en');
    expect(staffLanguage('LU', ['lb'])).toBe('fr');
    expect(staffLanguage('MT', [])).toBe('mt');
  });

  it('keeps the demo alliances on the language they had', () => {
    expect(staffLanguage('FR', ['fr'])).toBe('fr');
    expect(staffLanguage('IE', ['en', 'ga'])).toBe('en');
    expect(staffLanguage('NL', ['nl', 'fy'])).toBe('nl');
    expect(staffLanguage('SE', ['sv'])).toBe('sv');
  });

  it('reads regional and Norwegian codes, and lower-case countries', () => {
    expect(staffLanguage('at', ['de-AT'])).toBe('de');
    expect(staffLanguage('NO', ['no'])).toBe('nb');
  });

  it("takes the alliance's first written language in a country it does not list, else English", () => {
    expect(staffLanguage('IS', ['is', 'pl'])).toBe('pl');
    expect(staffLanguage('IS', ['is'])).toBe('en');
  });

  it('names, for every listed country, only languages the card is written in', () => {
    for (const [country, languages] of Object.entries(officialLanguagesByCountry)) {
      for (const code of languages) expect(staffTextLanguage(code), `${country} ${code}`).toBe(code);
    }
  });
});
