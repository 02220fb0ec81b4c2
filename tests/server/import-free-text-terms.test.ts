import { describe, expect, it } from 'vitest';
import { freeTextTarget } from '../../server/src/domain/imports/vocabulary/freeTextTerms.js';

/** How the values people write in a spreadsheet's "category" or "type of service" column are taken. */
describe('free-text vocabulary of spreadsheets', () => {
  it.each([
    ['Apprentissage du français', 'language_courses'],
    ['Cours de FLE', 'language_courses'],
    ['ESOL classes', 'language_courses'],
    ['Taalcursus Nederlands', 'language_courses'],
    ['SFI – Svenska för invandrare', 'language_courses'],
    ['Accès au droit', 'legal_aid'],
    ['Accès aux droits des étrangers', 'legal_aid'],
    ['Interprétariat', 'interpreting'],
  ])('takes "%s" as the topic %s', (value, topic) => {
    expect(freeTextTarget(value)).toMatchObject({ kind: 'topic', id: topic });
  });

  it('leaves a value it does not know for a person to decide', () => {
    expect(freeTextTarget('Divers')).toBeNull();
  });
});
