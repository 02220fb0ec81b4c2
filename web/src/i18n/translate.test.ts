import { afterEach, describe, expect, it } from 'vitest';
import { createTranslator } from './translate';

const english = {
  greeting: 'Hello {name}',
  results: { count: { one: '{count} service', other: '{count} services' } },
  only: { english: 'Only in English' },
};

describe('createTranslator', () => {
  it('fills placeholders and picks the plural form of the language', () => {
    const arabic = {
      greeting: 'مرحبا {name}',
      results: {
        count: {
          zero: 'لا خدمات',
          one: 'خدمة واحدة',
          two: 'خدمتان',
          few: '{count} خدمات',
          many: '{count} خدمة',
          other: '{count} خدمة',
        },
      },
    };
    const t = createTranslator('ar', arabic, english);
    expect(t('greeting', { name: 'Amal' })).toBe('مرحبا Amal');
    expect(t('results.count', { count: 0 })).toBe('لا خدمات');
    expect(t('results.count', { count: 2 })).toBe('خدمتان');
    // Arabic "few" is 3–10, written with the language's own digits.
    expect(t('results.count', { count: 3 })).toBe(`${new Intl.NumberFormat('ar').format(3)} خدمات`);
  });

  it('uses English for a key the translation lacks, and shows the key when nobody has it', () => {
    const t = createTranslator('fr', { greeting: 'Bonjour {name}' }, english);
    expect(t('only.english')).toBe('Only in English');
    expect(t('results.count', { count: 1 })).toBe('1 service');
    expect(t('no.such.key')).toBe('no.such.key');
  });

  it('leaves an unknown placeholder visible rather than dropping it', () => {
    const t = createTranslator('en', english, english);
    expect(t('greeting')).toBe('Hello {name}');
  });

  describe('Intl objects', () => {
    const original = { PluralRules: Intl.PluralRules, NumberFormat: Intl.NumberFormat };
    const made: string[] = [];
    afterEach(() => {
      Object.assign(Intl, original);
      made.length = 0;
    });

    /** Counts the Intl objects made from now on, by kind and locale. */
    function countIntlObjects(): void {
      Object.assign(Intl, {
        PluralRules: class extends original.PluralRules {
          constructor(...args: ConstructorParameters<typeof Intl.PluralRules>) {
            super(...args);
            made.push(`PluralRules ${String(args[0])}`);
          }
        },
        NumberFormat: class extends original.NumberFormat {
          constructor(...args: ConstructorParameters<typeof Intl.NumberFormat>) {
            super(...args);
            made.push(`NumberFormat ${String(args[0])}`);
          }
        },
      });
    }

    it('makes none for a translator, nor for a message without numbers', () => {
      countIntlObjects();
      const t = createTranslator('nl', { greeting: 'Hallo {name}' }, english);
      expect(t('greeting', { name: 'Amal' })).toBe('Hallo Amal');
      expect(t('only.english')).toBe('Only in English');
      expect(made).toEqual([]);
    });

    it('makes them when a message first needs them, once per locale', () => {
      countIntlObjects();
      const dutch = { results: { count: { one: '{count} dienst', other: '{count} diensten' } } };
      const t = createTranslator('nl-BE', dutch, english);
      expect(t('results.count', { count: 1200 })).toBe('1.200 diensten');
      expect(t('results.count', { count: 1 })).toBe('1 dienst');
      const again = createTranslator('nl-BE', dutch, english);
      expect(again('results.count', { count: 2 })).toBe('2 diensten');
      expect(made.sort()).toEqual(['NumberFormat nl-BE', 'PluralRules nl-BE']);
    });
  });
});
