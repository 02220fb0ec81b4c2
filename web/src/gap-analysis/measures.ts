import type { GapAreaProperties } from '../api/types';
import { pageLanguage } from '../i18n/pageLanguage.svelte';
import type { Wording } from './wording';

/** What a choropleth colours: the run's accessibility score, or one of the plainer measures. */
export type GapMeasure = 'score' | 'nearestDistanceM' | 'countWithin' | 'supplyPer10k';

export interface MeasureDefinition {
  id: GapMeasure;
  higherIsBetter: boolean;
}

export const measureDefinitions: readonly MeasureDefinition[] = [
  { id: 'score', higherIsBetter: true },
  { id: 'nearestDistanceM', higherIsBetter: false },
  { id: 'countWithin', higherIsBetter: true },
  { id: 'supplyPer10k', higherIsBetter: true },
];

export function measureDefinition(id: GapMeasure): MeasureDefinition {
  return measureDefinitions.find((measure) => measure.id === id) ?? measureDefinitions[0]!;
}

/** "Accessibility score": what a choropleth colours by. */
export function measureLabel(id: GapMeasure, words: Wording = pageLanguage): string {
  return words.t(`gap-analysis.measure.${id}.label`);
}

/** Shown under the legend: what the numbers are ("per 10,000 inhabitants"). */
export function measureUnit(id: GapMeasure, words: Wording = pageLanguage): string {
  return words.t(`gap-analysis.measure.${id}.unit`);
}

export function methodLabel(method: string): string {
  return method === '2sfca' ? '2SFCA' : 'E2SFCA';
}

/** The flat results.geojson property holding a subject's measure ("social_action.scoreE2sfca"). */
export function measureProperty(subject: string, measure: GapMeasure, method: string): string {
  if (measure === 'score') return `${subject}.${method === '2sfca' ? 'score2sfca' : 'scoreE2sfca'}`;
  return `${subject}.${measure}`;
}

export function measureValue(
  properties: GapAreaProperties,
  subject: string,
  measure: GapMeasure,
  method: string,
): number | null {
  const value = properties[measureProperty(subject, measure, method)];
  return typeof value === 'number' ? value : null;
}

const significant = { maximumSignificantDigits: 2 } as const;
const oneDecimal = { minimumFractionDigits: 1, maximumFractionDigits: 1 } as const;

export function formatKm(metres: number | null, words: Wording = pageLanguage): string {
  if (metres === null) return words.t('gap-analysis.measure.noneInRegion');
  return words.t('gap-analysis.measure.km', { km: words.format.number(metres / 1000, oneDecimal) });
}

export function formatScore(value: number | null, words: Wording = pageLanguage): string {
  if (value === null) return '—';
  return words.format.number(value, value === 0 ? {} : significant);
}

export function formatPopulation(value: number, words: Wording = pageLanguage): string {
  return words.format.number(value, { maximumFractionDigits: 0 });
}

/** A measure's value as the legend and the table show it; distances in km. */
export function formatMeasure(measure: GapMeasure, value: number | null, words: Wording = pageLanguage): string {
  if (measure === 'nearestDistanceM')
    return value === null
      ? words.t('gap-analysis.measure.noneInRegion')
      : words.format.number(value / 1000, oneDecimal);
  if (measure === 'countWithin') return value === null ? '—' : words.format.number(value, { maximumFractionDigits: 0 });
  return formatScore(value, words);
}
