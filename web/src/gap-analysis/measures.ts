import type { GapAreaProperties } from '../api/types';

/** What a choropleth colours: the run's accessibility score, or one of the plainer measures. */
export type GapMeasure = 'score' | 'nearestDistanceM' | 'countWithin' | 'supplyPer10k';

export interface MeasureDefinition {
  id: GapMeasure;
  label: string;
  /** Shown under the legend: what the numbers are. */
  unit: string;
  higherIsBetter: boolean;
}

export const measureDefinitions: readonly MeasureDefinition[] = [
  { id: 'score', label: 'Accessibility score', unit: 'per 10,000 inhabitants', higherIsBetter: true },
  {
    id: 'nearestDistanceM',
    label: 'Distance to the nearest service',
    unit: 'km, straight line',
    higherIsBetter: false,
  },
  { id: 'countWithin', label: 'Services within the threshold', unit: 'service locations', higherIsBetter: true },
  { id: 'supplyPer10k', label: 'Services located in the area', unit: 'per 10,000 inhabitants', higherIsBetter: true },
];

export function measureDefinition(id: GapMeasure): MeasureDefinition {
  return measureDefinitions.find((measure) => measure.id === id) ?? measureDefinitions[0]!;
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

const significant = new Intl.NumberFormat('en', { maximumSignificantDigits: 2 });
const whole = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export function formatKm(metres: number | null): string {
  if (metres === null) return 'none in the region';
  return `${oneDecimal.format(metres / 1000)} km`;
}

export function formatScore(value: number | null): string {
  if (value === null) return '—';
  return value === 0 ? '0' : significant.format(value);
}

export function formatPopulation(value: number): string {
  return whole.format(value);
}

/** A measure's value as the legend and the table show it; distances in km. */
export function formatMeasure(measure: GapMeasure, value: number | null): string {
  if (measure === 'nearestDistanceM') return value === null ? 'none in the region' : oneDecimal.format(value / 1000);
  if (measure === 'countWithin') return value === null ? '—' : whole.format(value);
  return formatScore(value);
}
