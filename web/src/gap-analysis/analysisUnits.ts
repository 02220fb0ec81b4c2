import { pageLanguage } from '../i18n/pageLanguage.svelte';
import type { Wording } from './wording';

/**
 * Average H3 hexagon area and edge per resolution (h3geo.org's table), shown next to the choice so that a
 * coordinator sees what "resolution 7" means on the ground.
 */
export const h3CellSizes: Record<number, { areaKm2: number; edgeKm: number }> = {
  5: { areaKm2: 250, edgeKm: 8.5 },
  6: { areaKm2: 36, edgeKm: 3.2 },
  7: { areaKm2: 5, edgeKm: 1.2 },
  8: { areaKm2: 0.7, edgeKm: 0.5 },
};

export const h3ResolutionChoices = [5, 6, 7, 8] as const;

/** "≈ 5 km²" and "≈ 1.2 km": a resolution's cell area and side in the reader's digits. */
export function h3CellSize(resolution: number, words: Wording = pageLanguage): { area: string; edge: string } | null {
  const size = h3CellSizes[resolution];
  if (!size) return null;
  return {
    area: words.t('gap-analysis.units.areaKm2', { area: words.format.number(size.areaKm2) }),
    edge: words.t('gap-analysis.units.edgeKm', { edge: words.format.number(size.edgeKm) }),
  };
}

export function unitsDescription(
  units: { kind: string; resolution?: number },
  unitSetName?: string,
  words: Wording = pageLanguage,
): string {
  const { t } = words;
  if (units.kind === 'h3' && units.resolution !== undefined) {
    const size = h3CellSize(units.resolution, words);
    return size
      ? t('gap-analysis.units.h3Sized', { resolution: units.resolution, area: size.area })
      : t('gap-analysis.units.h3', { resolution: units.resolution });
  }
  return unitSetName ? t('gap-analysis.units.importedNamed', { name: unitSetName }) : t('gap-analysis.units.imported');
}
