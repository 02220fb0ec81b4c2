import type { GapAnalysisSummary } from '../api/types';
import { pageLanguage } from '../i18n/pageLanguage.svelte';
import { formatRunDate } from './runDates';
import type { Wording } from './wording';

/** "by car": how a run in travel times went, inside a sentence. */
export function travelPhrase(mode: string, words: Wording = pageLanguage): string {
  return words.t(`gap-analysis.travel.${mode}`);
}

/**
 * What a run in travel times measured: the mode, the road network and its import date, and that the people beyond
 * an H3 grid's boundary are not counted as demand.
 */
export function travelNote(travel: NonNullable<GapAnalysisSummary['travel']>, words: Wording = pageLanguage): string {
  const measured = words.t('gap-analysis.travel.summary', {
    travel: travelPhrase(travel.mode, words),
    name: travel.network.sourceName,
    date: formatRunDate(travel.network.importedAt, words),
    minutes: words.format.number(travel.limitMinutes),
  });
  return travel.outerDemand === 'not-counted'
    ? `${measured} ${words.t('gap-analysis.travel.outerNotCounted')}`
    : measured;
}
