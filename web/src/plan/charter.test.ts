import { describe, expect, it } from 'vitest';
import { charterTemplateIn, charterTemplates } from '#contract/charter/charterTemplate.js';
import { workspaceLanguages } from '../i18n/catalogues';
import { charterFromTemplate } from './charter';

describe('the sample charter', () => {
  it('is written in every workspace language, with one place for the vision', () => {
    for (const language of workspaceLanguages) {
      const template = charterTemplates[language];
      expect(template, language).toBeDefined();
      expect(template!.text.split(template!.placeholder).length, language).toBe(2);
    }
  });

  it('is chosen by the page language, and is English for a language it has not been written in', () => {
    expect(charterTemplateIn('fr-BE')).toBe(charterTemplates.fr);
    expect(charterTemplateIn('ar')).toBe(charterTemplates.ar);
    expect(charterTemplateIn('ti')).toBe(charterTemplates.en);
  });

  it('takes the alliance’s vision where the guide leaves room for it', () => {
    const { text, placeholder } = charterTemplateIn('de');
    const filled = charterFromTemplate(text, ' Niemand bleibt ohne Hilfe. ', placeholder);
    expect(filled).toContain('Niemand bleibt ohne Hilfe.');
    expect(filled).not.toContain(placeholder);
    expect(charterFromTemplate(text, '  ', placeholder)).toBe(text);
  });
});
