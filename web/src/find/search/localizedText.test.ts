import { describe, expect, it } from 'vitest';
import type { DirectoryService } from '../api/directory';
import { localizeService } from './localizedText';

const service = {
  name: 'Alpha football club',
  description: 'Football on Saturdays.',
  textLanguage: 'en',
  feesDescription: '20 euros for the season.',
  eligibilityDescription: 'Ages 8 to 16.',
  applicationProcess: null,
  openingHoursNote: 'Not during school holidays.',
  translations: {
    fr: {
      name: { text: 'Club de football Alpha', origin: 'human', reviewState: 'reviewed' },
      feesDescription: { text: '20 euros pour la saison.', origin: 'machine', reviewState: 'machine-draft' },
      eligibilityDescription: { text: 'De 8 à 16 ans.', origin: 'machine', reviewState: 'reviewed' },
    },
  },
} as unknown as DirectoryService;

describe('localizeService', () => {
  it('gives each text in the reader’s language where translated, flagging only unreviewed machine text', () => {
    const text = localizeService(service, 'fr-BE');
    expect(text.name).toEqual({ text: 'Club de football Alpha', lang: 'fr-BE', machine: false });
    expect(text.feesDescription).toEqual({ text: '20 euros pour la saison.', lang: 'fr-BE', machine: true });
    expect(text.eligibilityDescription).toEqual({ text: 'De 8 à 16 ans.', lang: 'fr-BE', machine: false });
  });

  it('keeps the original, in its own language, where there is no translation', () => {
    const text = localizeService(service, 'fr');
    expect(text.description).toEqual({ text: 'Football on Saturdays.', lang: 'en', machine: false });
    expect(text.openingHoursNote).toEqual({ text: 'Not during school holidays.', lang: 'en', machine: false });
    expect(text.applicationProcess).toBeNull();
    expect(text.untranslatedFrom).toBe('en');
  });

  it('shows the originals to a reader of their language, whatever translations exist', () => {
    const text = localizeService(service, 'en');
    expect(text.feesDescription).toEqual({ text: '20 euros for the season.', lang: 'en', machine: false });
    expect(text.untranslatedFrom).toBeNull();
  });
});
