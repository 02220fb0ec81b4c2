import { beforeAll, describe, expect, it } from 'vitest';
import { translatorFor } from '../i18n/catalogues';
import { Formatters } from '../i18n/formatters';
import { pageLanguage } from '../i18n/pageLanguage.svelte';
import { gapReasonText } from './gapReasons';

describe('why an area is flagged', () => {
  beforeAll(async () => {
    await pageLanguage.use('en');
  });

  it("keeps the server's English sentence when it gives no code", () => {
    expect(gapReasonText({ reason: 'No social action service within 10 km for ~8,400 inhabitants' })).toBe(
      'No social action service within 10 km for ~8,400 inhabitants',
    );
    expect(gapReasonText({ reason: null })).toBeNull();
  });

  it('writes the sentence of a code from its figures, as the server does in English', () => {
    expect(
      gapReasonText({
        reason: 'ignored',
        reasonCode: 'no-service-within',
        reasonParams: { subject: 'social_action', subjectKind: 'category', thresholdM: 10_000, population: 8423 },
      }),
    ).toBe('No social action service within 10 km for ~8,400 inhabitants');
    expect(
      gapReasonText({
        reason: 'ignored',
        reasonCode: 'below-regional-mean',
        reasonParams: {
          subject: 'language_courses',
          subjectKind: 'topic',
          thresholdM: 10_000,
          percent: 45,
          method: 'e2sfca',
          population: 1200,
        },
      }),
    ).toBe('Access to language courses (E2SFCA) is 45% of the regional mean for ~1,200 inhabitants');
  });

  it("writes it in another language with that language's numbers", async () => {
    const words = { t: await translatorFor('fr', ['gap-analysis']), format: new Formatters('fr') };
    expect(
      gapReasonText(
        {
          reason: 'No social action service within 2.5 km for ~8,400 inhabitants',
          reasonCode: 'no-service-within',
          reasonParams: { subject: 'social_action', subjectKind: 'category', thresholdM: 2500, population: 8423 },
        },
        words,
      ),
    ).toBe('Aucun service « action sociale » à moins de 2,5 km pour ~8\u202f400 habitants');
  });

  it('says an area of a run in travel times that reaches nothing, or has no road near, in minutes and mode', async () => {
    const unreachable = {
      reason: 'No social action service within 20 minutes by car for ~4,000 inhabitants',
      reasonCode: 'unreachable',
      reasonParams: {
        subject: 'social_action',
        subjectKind: 'category',
        travel: 'drive',
        thresholdMinutes: 20,
        population: 4000,
      },
    };
    expect(gapReasonText(unreachable)).toBe(unreachable.reason);
    expect(
      gapReasonText({
        reason: 'ignored',
        reasonCode: 'off-network',
        reasonParams: { subject: 'language_courses', subjectKind: 'topic', travel: 'walk', population: 500 },
      }),
    ).toBe('No road on foot near the area: no language courses reachable for ~500 inhabitants');
    const words = { t: await translatorFor('fr', ['gap-analysis']), format: new Formatters('fr') };
    expect(gapReasonText(unreachable, words)).toBe(
      'Aucun service « action sociale » à moins de 20 minutes en voiture pour ~4\u202f000 habitants',
    );
  });

  it("falls back to the server's sentence for a code it does not know", () => {
    expect(gapReasonText({ reason: 'Something new', reasonCode: 'something-new', reasonParams: {} })).toBe(
      'Something new',
    );
  });
});
