import { describe, expect, it } from 'vitest';
import { autonym, direction, firstOffered } from './languages';
import { pageLanguage, t } from './pageLanguage.svelte';
import { PSEUDO_LOCALE, pseudoText } from './pseudo';

describe('the page language', () => {
  it('loads a language and translates with it, English words staying out', async () => {
    await pageLanguage.use('fr');
    expect(t('ui.language')).toBe('Langue');
    expect(pageLanguage.dir).toBe('ltr');
    await pageLanguage.use('ar');
    expect(t('ui.language')).toBe('اللغة');
    expect(pageLanguage.dir).toBe('rtl');
    await pageLanguage.use('en');
    expect(t('ui.language')).toBe('Language');
  });

  it('shows the pseudo-locale as accented English with placeholders kept', async () => {
    await pageLanguage.use(PSEUDO_LOCALE);
    expect(t('ui.language')).toBe('⟦Ļåñĝûåĝé⟧');
    expect(pseudoText('Near {town}')).toBe('⟦Ñéåŕ {town}⟧');
    expect(pageLanguage.format.number(1234.5)).toBe('⟦1,234.5⟧');
    await pageLanguage.use('en');
  });

  it('prefers the account, then the device, then the alliance, then the browser', () => {
    const offered = ['en', 'fr', 'nl', 'ar'];
    expect(firstOffered(['nl', 'fr'], offered)).toBe('nl');
    expect(firstOffered([null, undefined, 'fr-BE'], offered)).toBe('fr');
    expect(firstOffered(['ti', 'de'], offered)).toBe('en');
  });

  it('names languages in their own script and knows their direction', () => {
    expect(autonym('ti')).toBe('ትግርኛ');
    expect(autonym('fr')).toBe('Français');
    expect(autonym('ar')).toBe('العربية');
    expect(direction('fa')).toBe('rtl');
    expect(direction('uk')).toBe('ltr');
  });
});
