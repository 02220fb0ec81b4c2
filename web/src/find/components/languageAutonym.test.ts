import { describe, expect, it } from 'vitest';
import { languageAutonym } from './languageAutonym';

describe('languageAutonym', () => {
  it('names a language in itself, not in the reader’s language', () => {
    expect(languageAutonym('ti')).toBe('ትግርኛ');
    expect(languageAutonym('ar')).toBe('العربية');
    expect(languageAutonym('de')).toBe('Deutsch');
  });

  it('falls back to the code for a language nobody knows', () => {
    expect(languageAutonym('qqq')).toBe('qqq');
  });
});
