import { beforeAll, describe, expect, it } from 'vitest';
import { pageLanguage } from '../i18n/pageLanguage.svelte';
import {
  countryProblem,
  languagesOfCountry,
  languagesProblem,
  parseLanguages,
  slugFromName,
  slugProblem,
  timezoneChoices,
  timezoneOfCountry,
} from './allianceSetup';

beforeAll(async () => {
  await pageLanguage.use('en');
});

describe('setting up an alliance', () => {
  it('suggests an address name from the alliance’s name', () => {
    expect(slugFromName('Testregion')).toBe('testregion');
    expect(slugFromName('  Île-de-France — Sud  ')).toBe('ile-de-france-sud');
    expect(slugFromName('Göteborg & Malmö 2030')).toBe('goteborg-malmo-2030');
    expect(slugFromName('!!!')).toBe('');
    expect(slugFromName('a'.repeat(80))).toHaveLength(60);
  });

  it('checks the address name as the server does', () => {
    expect(slugProblem('bordeaux-metropole')).toBeNull();
    expect(slugProblem('b')).toMatch(/at least 2/);
    expect(slugProblem('Bordeaux')).toMatch(/lower-case/);
    expect(slugProblem('bordeaux--sud')).toMatch(/single hyphens/);
    expect(slugProblem('-bordeaux')).toMatch(/lower-case/);
  });

  it('checks a country code typed by hand', () => {
    expect(countryProblem('FI')).toBeNull();
    expect(countryProblem('fi')).toMatch(/two-letter ISO 3166 code/);
    expect(countryProblem('FIN')).toMatch(/two-letter/);
  });

  it('suggests the time zone and languages of a known country', () => {
    expect(timezoneOfCountry('FR')).toBe('Europe/Paris');
    expect(timezoneOfCountry('SE')).toBe('Europe/Stockholm');
    expect(timezoneOfCountry('GR')).toBe('Europe/Athens');
    expect(timezoneOfCountry('FI')).toBeNull();
    expect(languagesOfCountry('BE')).toEqual(['nl', 'fr']);
    expect(languagesOfCountry('FI')).toEqual([]);
    expect(timezoneChoices()).toContain('Europe/Paris');
  });

  it('reads a list of languages and checks each code', () => {
    expect(parseLanguages(' fr, en ;ar  fr ')).toEqual(['fr', 'en', 'ar']);
    expect(languagesProblem(['fr', 'pt-BR'])).toBeNull();
    expect(languagesProblem([])).toMatch(/at least one/);
    expect(languagesProblem(['fr', 'French'])).toMatch(/“French” is not a language code/);
  });
});
