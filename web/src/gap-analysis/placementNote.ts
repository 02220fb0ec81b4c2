import type { GapAnalysisSummary } from '../api/types';
import { pageLanguage } from '../i18n/pageLanguage.svelte';
import type { Wording } from './wording';

/**
 * What a run says of where its services stand: how many it measured from their town's centre only, and how many
 * it left out as not placed yet. Null for a run made before places could be unplaced, which did not count them.
 */
export function placementNote(
  summary: Pick<GapAnalysisSummary, 'placement'>,
  words: Wording = pageLanguage,
): string | null {
  const { t } = words;
  const placement = summary.placement;
  if (!placement) return null;
  const { townLevelServiceLocations: town, unplacedServiceLocations: unplaced } = placement;
  const townPart =
    town === 0 ? t('gap-analysis.placement.allPrecise') : t('gap-analysis.placement.townLevel', { count: town });
  const unplacedPart =
    unplaced === 0
      ? t('gap-analysis.placement.noneLeftOut')
      : t('gap-analysis.placement.unplaced', { count: unplaced });
  return `${townPart} ${unplacedPart}`;
}
