import { beforeAll, describe, expect, it } from 'vitest';
import { pageLanguage } from '../i18n/pageLanguage.svelte';
import { freshnessNote } from './freshnessNote';

describe('what a run says of how fresh its services were', () => {
  beforeAll(async () => {
    await pageLanguage.use('en');
  });

  it('counts the services past their cycle and says every one counted', () => {
    expect(freshnessNote({ freshness: { olderThanCycle: 3, leaveOutUncheckedMonths: null, leftOut: 0 } })).toBe(
      '3 services were past their update cycle when the analysis ran. Every active service counted, checked or not.',
    );
  });

  it('says how many were left out, and for how many months', () => {
    expect(freshnessNote({ freshness: { olderThanCycle: 1, leaveOutUncheckedMonths: 12, leftOut: 1 } })).toBe(
      '1 service was past its update cycle when the analysis ran. 1 service not checked within 12 months was left out.',
    );
    expect(freshnessNote({ freshness: { olderThanCycle: 0, leaveOutUncheckedMonths: 1, leftOut: 0 } })).toBe(
      'No service was past its update cycle. 0 services not checked within 1 month were left out.',
    );
  });

  it('says nothing for a run made before services had a check date', () => {
    expect(freshnessNote({})).toBeNull();
  });
});
