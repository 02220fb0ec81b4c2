import type { GapAreaProperties } from '../api/types';
import { pageLanguage } from '../i18n/pageLanguage.svelte';
import type { Wording } from './wording';

/** What a choropleth colours: the run's accessibility score, or one of the plainer measures. */
export type GapMeasure = 'score' | 'nearestDistanceM' | 'nearestMinutes' | 'countWithin' | 'supplyPer10k';

export interface MeasureDefinition {
  id: GapMeasure;
  higherIsBetter: boolean;
}

export const measureDefinitions: readonly MeasureDefinition[] = [
  { id: 'score', higherIsBetter: true },
  { id: 'nearestDistanceM', higherIsBetter: false },
  { id: 'nearestMinutes', higherIsBetter: false },
  { id: 'countWithin', higherIsBetter: true },
  { id: 'supplyPer10k', higherIsBetter: true },
];

/**
 * The measures a run offers: a run in travel times has the time to the nearest service in minutes, a straight-line
 * run the distance in km.
 */
export function measuresOfRun(travel: boolean): MeasureDefinition[] {
  return measureDefinitions.filter((measure) => measure.id !== (travel ? 'nearestDistanceM' : 'nearestMinutes'));
}

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

/** "12 min": a time in seconds as minutes, whole under an hour's scale (the network's speeds are not finer). */
export function formatMinutes(seconds: number, words: Wording = pageLanguage): string {
  return words.t('gap-analysis.measure.minutes', {
    minutes: words.format.number(seconds / 60, { maximumFractionDigits: seconds < 600 ? 1 : 0 }),
  });
}

/**
 * The nearest service of a result as the table and the detail show it: km for straight lines; minutes for a run in
 * travel times ("none within 30 min" beyond its catchment).
 */
export function formatNearest(
  result: { nearestDistanceM: number | null; nearestSeconds?: number | null },
  limitMinutes: number | null,
  words: Wording = pageLanguage,
): string {
  if (limitMinutes === null) return formatKm(result.nearestDistanceM, words);
  if (result.nearestSeconds === null || result.nearestSeconds === undefined) {
    return words.t('gap-analysis.measure.noneWithin', { minutes: words.format.number(limitMinutes) });
  }
  return formatMinutes(result.nearestSeconds, words);
}

/** A measure's value as the legend and the table show it; distances in km, times in minutes. */
export function formatMeasure(measure: GapMeasure, value: number | null, words: Wording = pageLanguage): string {
  if (measure === 'nearestMinutes')
    return value === null
      ? words.t('gap-analysis.measure.unreachable')
      : words.format.number(value, { maximumFractionDigits: value < 10 ? 1 : 0 });
  if (measure === 'nearestDistanceM')
    return value === null
      ? words.t('gap-analysis.measure.noneInRegion')
      : words.format.number(value / 1000, oneDecimal);
  if (measure === 'countWithin') return value === null ? '—' : words.format.number(value, { maximumFractionDigits: 0 });
  return formatScore(value, words);
}
