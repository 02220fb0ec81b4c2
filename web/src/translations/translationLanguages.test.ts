import { describe, expect, it } from 'vitest';
import { firstTarget, targetLanguages } from './translationLanguages';

describe('translation languages', () => {
  it('offers every language but the original’s', () => {
    expect(targetLanguages({ textLanguage: 'fr-FR' })).not.toContain('fr');
    expect(targetLanguages({ textLanguage: 'fr' })).toContain('ti');
  });

  it('opens on the language asked for when it is offered, else the first', () => {
    expect(firstTarget({ textLanguage: 'fr' }, 'ar-MA')).toBe('ar');
    expect(firstTarget({ textLanguage: 'fr' }, 'fr')).toBe('en');
    expect(firstTarget({ textLanguage: 'en' }, null)).toBe('fr');
  });
});
