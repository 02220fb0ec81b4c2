import { type RawBuilder, sql } from 'kysely';
import type { CategoryId, SubjectKind } from '../../db/schema.js';
import { categories } from '#contract/taxonomy/categories.js';
import type { DistanceDecay } from './floatingCatchment.js';

/** How people travel in a run: straight lines (geodesic metres) or on the alliance's road network by a profile. */
export type TravelMode = 'straight' | 'walk' | 'bike' | 'drive';
export const travelModes: readonly TravelMode[] = ['straight', 'walk', 'bike', 'drive'];
export type TravelProfile = Exclude<TravelMode, 'straight'>;

export type AnalysisUnitsChoice = { kind: 'h3'; resolution: number } | { kind: 'imported'; unitSetId: string };

/** Everything a run depends on, stored with it so that it can be reproduced and compared. */
export interface GapAnalysisParameters {
  units: AnalysisUnitsChoice;
  /**
   * How people travel: absent in runs made before travel times, which measured straight lines. With a travel mode
   * the measures come from travel times on the alliance's active road network, `thresholdMinutes` is d0 and
   * `thresholdM` is not used.
   */
  travel?: TravelMode;
  /** d0: the catchment of both FCA steps and the "within reach" distance, in metres (straight lines). */
  thresholdM: number;
  /** d0 in minutes, for a travel mode (the limit included: a service at exactly d0 is within reach). */
  thresholdMinutes?: number;
  /** σ of the `gaussian_sigma` decay in minutes, for a travel mode (d0 when absent). */
  decaySigmaMinutes?: number;
  /** Which accessibility score the "below the regional mean" flag and the ranking use. */
  method: '2sfca' | 'e2sfca';
  decay: DistanceDecay;
  /** σ of the `gaussian_sigma` decay, in metres (d0 when absent); only that decay uses it. */
  decaySigmaM?: number;
  belowMeanFraction: number;
  duplicationRadiusM: number;
  categories: CategoryId[];
  topics: string[];
  /**
   * Leave out of the supply the services not checked within `leaveOutUncheckedMonths` (and those never checked):
   * `checkedSince` is the instant the region's day that many months before the run began, so that the run can be
   * reproduced. Absent: every active service counts, checked or not.
   */
  freshness?: { leaveOutUncheckedMonths: number; checkedSince: string };
}

export const h3Resolutions = { min: 5, max: 8 } as const;
export const maxH3Cells = 20_000;
export const maxThresholdM = 100_000;
export const maxThresholdMinutes = 120;
/** Luo & Qi's catchment: three zones of 10 minutes, 0–10–20–30. */
export const defaultThresholdMinutes = 30;

/** The run's travel mode; runs made before travel times measured straight lines. */
export function travelOf(parameters: Pick<GapAnalysisParameters, 'travel'>): TravelMode {
  return parameters.travel ?? 'straight';
}

/**
 * The catchment d0 and the decay's σ in the unit of the run's pairs: metres for straight lines, seconds for a
 * travel mode. The decays are the same functions of d/d0 (the stepped zones are thirds of d0: 0–10–20–30 minutes
 * for 30 minutes, as Luo & Qi).
 */
export function catchmentOf(
  parameters: Pick<
    GapAnalysisParameters,
    'travel' | 'thresholdM' | 'thresholdMinutes' | 'decaySigmaM' | 'decaySigmaMinutes'
  >,
): { limit: number; sigma: number | undefined; unit: 'm' | 's' } {
  if (travelOf(parameters) === 'straight')
    return { limit: parameters.thresholdM, sigma: parameters.decaySigmaM, unit: 'm' };
  const minutes = parameters.thresholdMinutes ?? defaultThresholdMinutes;
  return {
    limit: minutes * 60,
    sigma: parameters.decaySigmaMinutes === undefined ? undefined : parameters.decaySigmaMinutes * 60,
    unit: 's',
  };
}

export interface Subject {
  kind: SubjectKind;
  id: string;
  label: string;
  /** The run's `freshness.checkedSince`: services not checked since are no supply. */
  checkedSince?: string;
}

/** What is measured: each chosen category, then each chosen topic (services of any category with that topic). */
export function subjectsOf(
  parameters: Pick<GapAnalysisParameters, 'categories' | 'topics'> & Partial<Pick<GapAnalysisParameters, 'freshness'>>,
): Subject[] {
  const checkedSince = parameters.freshness ? { checkedSince: parameters.freshness.checkedSince } : {};
  return [
    ...parameters.categories.map((id) => ({
      kind: 'category' as const,
      id,
      label: categoryLabel(id),
      ...checkedSince,
    })),
    ...parameters.topics.map((id) => ({ kind: 'topic' as const, id, label: id.replaceAll('_', ' '), ...checkedSince })),
  ];
}

/**
 * SQL over a service `s`: whether it is supply for a run — active, and checked since `checkedSince` when the run
 * leaves out services not checked for some months (a service never checked is left out then).
 */
export function suppliedService(checkedSince: string | undefined): RawBuilder<boolean> {
  return checkedSince
    ? sql<boolean>`(s.status = 'active' and s.verified_at >= ${checkedSince}::timestamptz)`
    : sql<boolean>`(s.status = 'active')`;
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
  /** In a travel run: the area's centre is too far from any road the mode may use. */
  offNetwork?: boolean;
  countWithin: number;
  score: number;
  regionalMean: number;
}

/**
 * `unreachable` (no service of the subject within the largest catchment by the run's travel mode) and `off_network`
 * (no road near the area's centre) come with `no_service_within_reach` in a travel run, so that the ranking and the
 * counts of areas with no service within reach treat them alike.
 */
export const gapFlags = ['no_service_within_reach', 'below_regional_mean', 'unreachable', 'off_network'] as const;
export type GapFlag = (typeof gapFlags)[number];

/** Why a unit × subject is a gap, as a code; the page says it in its reader's language from `params`. */
export type GapReason =
  | {
      code: 'no-service-within';
      params: { subjectKind: SubjectKind; subject: string; thresholdM: number; population: number };
    }
  | {
      code: 'unreachable';
      params: {
        subjectKind: SubjectKind;
        subject: string;
        travel: TravelProfile;
        thresholdMinutes: number;
        population: number;
      };
    }
  | {
      code: 'off-network';
      params: { subjectKind: SubjectKind; subject: string; travel: TravelProfile; population: number };
    }
  | {
      code: 'below-regional-mean';
      params: {
        subjectKind: SubjectKind;
        subject: string;
        method: '2sfca' | 'e2sfca';
        percent: number;
        population: number;
      };
    };

export type GapReasonCode = GapReason['code'];

/** The gap rules of a unit × subject, with the reason shown in the ranked table. */
export function gapFlagsAndReason(
  subject: Subject,
  measures: UnitMeasures,
  parameters: Pick<
    GapAnalysisParameters,
    'thresholdM' | 'belowMeanFraction' | 'method' | 'travel' | 'thresholdMinutes'
  >,
): { flags: GapFlag[]; reason: GapReason | null } {
  if (measures.population <= 0) return { flags: [], reason: null };
  const about = { subjectKind: subject.kind, subject: subject.id, population: measures.population };
  const travel = travelOf(parameters);
  if (measures.countWithin === 0 && travel !== 'straight') {
    if (measures.offNetwork) {
      return {
        flags: ['no_service_within_reach', 'off_network'],
        reason: { code: 'off-network', params: { ...about, travel } },
      };
    }
    const thresholdMinutes = parameters.thresholdMinutes ?? defaultThresholdMinutes;
    return {
      flags: ['no_service_within_reach', 'unreachable'],
      reason: { code: 'unreachable', params: { ...about, travel, thresholdMinutes } },
    };
  }
  if (measures.countWithin === 0) {
    return {
      flags: ['no_service_within_reach'],
      reason: { code: 'no-service-within', params: { ...about, thresholdM: parameters.thresholdM } },
    };
  }
  if (measures.regionalMean > 0 && measures.score < parameters.belowMeanFraction * measures.regionalMean) {
    const percent = Math.round((100 * measures.score) / measures.regionalMean);
    return {
      flags: ['below_regional_mean'],
      reason: { code: 'below-regional-mean', params: { ...about, method: parameters.method, percent } },
    };
  }
  return { flags: [], reason: null };
}

/**
 * A reason in English, for scripts and the CSV export: "No language courses within 10 km for ~41,000 inhabitants",
 * "Access to social action services (E2SFCA) is 42% of the regional mean for ~8,400 inhabitants".
 */
export function gapReasonText(reason: GapReason): string {
  const { subjectKind, subject, population } = reason.params;
  const label = (subjectKind === 'category' ? categoryLabel(subject) : subject.replaceAll('_', ' ')).toLowerCase();
  const people = approximatePopulation(population);
  const what = subjectKind === 'category' ? `${label} service` : label;
  if (reason.code === 'no-service-within') {
    return `No ${what} within ${formatDistance(reason.params.thresholdM)} for ${people} inhabitants`;
  }
  if (reason.code === 'unreachable') {
    const { thresholdMinutes, travel } = reason.params;
    return `No ${what} within ${thresholdMinutes} minutes ${travelPhrases[travel]} for ${people} inhabitants`;
  }
  if (reason.code === 'off-network') {
    return `No road ${travelPhrases[reason.params.travel]} near the area: no ${what} reachable for ${people} inhabitants`;
  }
  const whats = subjectKind === 'category' ? `${label} services` : label;
  const method = reason.params.method === '2sfca' ? '2SFCA' : 'E2SFCA';
  return `Access to ${whats} (${method}) is ${reason.params.percent}% of the regional mean for ${people} inhabitants`;
}

const travelPhrases: Record<TravelProfile, string> = { walk: 'on foot', bike: 'by bike', drive: 'by car' };

const reasonCodes: readonly string[] = ['no-service-within', 'below-regional-mean', 'unreachable', 'off-network'];

/** A stored reason (columns reason_code, reason_params) as a GapReason, or null when the row is no gap. */
export function storedGapReason(code: string | null, params: unknown): GapReason | null {
  if (code === null || !reasonCodes.includes(code)) return null;
  return { code, params } as GapReason;
}
