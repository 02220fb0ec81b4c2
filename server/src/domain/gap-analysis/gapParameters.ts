import type { CategoryId, SubjectKind } from '../../db/schema.js';
import { categories } from '#contract/taxonomy/categories.js';
import type { DistanceDecay } from './floatingCatchment.js';

export type AnalysisUnitsChoice = { kind: 'h3'; resolution: number } | { kind: 'imported'; unitSetId: string };

/** Everything a run depends on, stored with it so that it can be reproduced and compared. */
export interface GapAnalysisParameters {
  units: AnalysisUnitsChoice;
  /** d0: the catchment of both FCA steps and the "within reach" distance, in metres. */
  thresholdM: number;
  /** Which accessibility score the "below the regional mean" flag and the ranking use. */
  method: '2sfca' | 'e2sfca';
  decay: DistanceDecay;
  /** σ of the `gaussian_sigma` decay, in metres (d0 when absent); only that decay uses it. */
  decaySigmaM?: number;
  belowMeanFraction: number;
  duplicationRadiusM: number;
  categories: CategoryId[];
  topics: string[];
}

export const h3Resolutions = { min: 5, max: 8 } as const;
export const maxH3Cells = 20_000;
export const maxThresholdM = 100_000;

export interface Subject {
  kind: SubjectKind;
  id: string;
  label: string;
}

/** What is measured: each chosen category, then each chosen topic (services of any category with that topic). */
export function subjectsOf(parameters: Pick<GapAnalysisParameters, 'categories' | 'topics'>): Subject[] {
  return [
    ...parameters.categories.map((id) => ({ kind: 'category' as const, id, label: categoryLabel(id) })),
    ...parameters.topics.map((id) => ({ kind: 'topic' as const, id, label: id.replaceAll('_', ' ') })),
  ];
}

export function categoryLabel(id: string): string {
  return categories.find((category) => category.id === id)?.label ?? id;
}

/** "~8,400": the figures come from approximate population, so they are rounded to two significant digits. */
export function approximatePopulation(population: number): string {
  if (population < 10) return `~${Math.round(population)}`;
  const magnitude = 10 ** (Math.floor(Math.log10(population)) - 1);
  return `~${(Math.round(population / magnitude) * magnitude).toLocaleString('en')}`;
}

function formatDistance(metres: number): string {
  return metres % 1000 === 0 ? `${metres / 1000} km` : `${(metres / 1000).toFixed(1)} km`;
}

export interface UnitMeasures {
  population: number;
  countWithin: number;
  score: number;
  regionalMean: number;
}

export const gapFlags = ['no_service_within_reach', 'below_regional_mean'] as const;
export type GapFlag = (typeof gapFlags)[number];

/** The gap rules of a unit × subject, with the sentence shown in the ranked table. */
export function gapFlagsAndReason(
  subject: Subject,
  measures: UnitMeasures,
  parameters: Pick<GapAnalysisParameters, 'thresholdM' | 'belowMeanFraction' | 'method'>,
): { flags: GapFlag[]; reason: string | null } {
  if (measures.population <= 0) return { flags: [], reason: null };
  const people = approximatePopulation(measures.population);
  const label = subject.label.toLowerCase();
  const what = subject.kind === 'category' ? `${label} service` : label;
  const whats = subject.kind === 'category' ? `${label} services` : label;
  if (measures.countWithin === 0) {
    return {
      flags: ['no_service_within_reach'],
      reason: `No ${what} within ${formatDistance(parameters.thresholdM)} for ${people} inhabitants`,
    };
  }
  if (measures.regionalMean > 0 && measures.score < parameters.belowMeanFraction * measures.regionalMean) {
    const percent = Math.round((100 * measures.score) / measures.regionalMean);
    const method = parameters.method === '2sfca' ? '2SFCA' : 'E2SFCA';
    return {
      flags: ['below_regional_mean'],
      reason: `Access to ${whats} (${method}) is ${percent}% of the regional mean for ${people} inhabitants`,
    };
  }
  return { flags: [], reason: null };
}
