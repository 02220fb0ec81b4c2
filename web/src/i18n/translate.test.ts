import { describe, expect, it } from 'vitest';
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
});
