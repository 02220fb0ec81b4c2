import type { GapAnalysisSummary } from '../api/types';
import { pageLanguage } from '../i18n/pageLanguage.svelte';
import type { Wording } from './wording';

/**
 * What a run says of how fresh its services were: how many were past their update cycle when it started, and how
 * many it left out as not checked within the months asked. Null for a run made before services had a check date.
 */
export function freshnessNote(
  summary: Pick<GapAnalysisSummary, 'freshness'>,
  words: Wording = pageLanguage,
): string | null {
  const { t } = words;
  const freshness = summary.freshness;
  if (!freshness) return null;
  const { olderThanCycle, leftOut, leaveOutUncheckedMonths: months } = freshness;
  const olderPart =
    olderThanCycle === 0
      ? t('gap-analysis.freshness.noneOlder')
      : t('gap-analysis.freshness.older', { count: olderThanCycle });
  const leftOutPart =
    months === null
      ? t('gap-analysis.freshness.allCounted')
      : t('gap-analysis.freshness.leftOut', {
          count: leftOut,
          months: t('gap-analysis.freshness.months', { count: months }),
        });
  return `${olderPart} ${leftOutPart}`;
}
