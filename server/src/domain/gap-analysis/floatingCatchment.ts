/**
 * Two-step floating catchment area methods, in plain TypeScript: the reference the SQL in measures.ts is
 * checked against, the formulas in one place, and the sums of a run measured in slices (pairedCatchmentScores).
 *
 * 2SFCA (Luo & Wang 2003): R_j = S_j / Σ_{k: d_kj ≤ d0} P_k, then A_i = Σ_{j: d_ij ≤ d0} R_j.
 * E2SFCA (Luo & Qi 2009): the same with a distance-decay weight W(d) in both steps:
 * R_j = S_j / Σ_{k: d_kj ≤ d0} P_k W(d_kj), then A_i = Σ_{j: d_ij ≤ d0} R_j W(d_ij).
 */

/**
 * The distance decays of E2SFCA. `gaussian` is the name runs were saved with before `dai_gaussian` and means the same
 * function; it is still accepted, so that saved runs and requests keep their meaning.
 */
export type DistanceDecay = 'none' | 'stepped' | 'dai_gaussian' | 'gaussian' | 'gaussian_sigma';

export const distanceDecays: readonly DistanceDecay[] = [
  'none',
  'stepped',
  'dai_gaussian',
  'gaussian',
  'gaussian_sigma',
];

/**
 * Luo & Qi (2009) split the catchment in three equal zones (0–10, 10–20, 20–30 minutes) weighted 1, 0.68 and
 * 0.22 (their "slow decay", from a Gaussian function); we apply the same weights to three equal distance
 * bands of the threshold, e.g. 0–5, 5–10 and 10–15 km for 15 km.
 */
export const steppedWeights = [1, 0.68, 0.22] as const;

/**
 * The weight of a demand–supply pair at distance `distanceM` for a threshold `thresholdM`; 0 beyond it.
 * Dai's Gaussian (`dai_gaussian`, formerly `gaussian`): G(d) = (exp(-½ (d/d0)²) − exp(-½)) / (1 − exp(-½)), rescaled
 * to be 1 at d = 0 and 0 at d = d0 (the form used by Dai 2010 and Wan, Zou & Sternberg 2012 for E2SFCA).
 * Unscaled Gaussian (`gaussian_sigma`): exp(−d² / (2σ²)), 1 at d = 0 and not 0 at d0, as PySAL's `access` defines
 * `weights.gaussian(sigma)`; σ is `sigmaM`, d0 unless given.
 */
export function decayWeight(
  distanceM: number,
  thresholdM: number,
  decay: DistanceDecay,
  sigmaM: number = thresholdM,
): number {
  if (distanceM > thresholdM) return 0;
  switch (decay) {
    case 'none':
      return 1;
    case 'stepped':
      if (distanceM <= thresholdM / 3) return steppedWeights[0];
      if (distanceM <= (2 * thresholdM) / 3) return steppedWeights[1];
      return steppedWeights[2];
    case 'dai_gaussian':
    case 'gaussian': {
      const edge = Math.exp(-0.5);
      return (Math.exp(-0.5 * (distanceM / thresholdM) ** 2) - edge) / (1 - edge);
    }
    case 'gaussian_sigma':
      return Math.exp(-(distanceM * distanceM) / (2 * sigmaM * sigmaM));
  }
}

export interface FloatingCatchmentInput {
  /** P_k, the population of each demand location. */
  populations: readonly number[];
  /** S_j, the capacity of each supply location (the service's capacity, 1 when it gives none). */
  capacities: readonly number[];
  /** distancesM[i][j]: distance from demand i to supply j, in metres. */
  distancesM: readonly (readonly number[])[];
  thresholdM: number;
  decay: DistanceDecay;
  /** σ of the unscaled Gaussian, in metres; d0 unless given. */
  sigmaM?: number;
}

/**
 * Accessibility A_i of every demand location, per inhabitant (multiply by 10,000 for "per 10,000
 * inhabitants"). A supply location with no weighted demand in reach has no ratio and adds nothing.
 */
export function floatingCatchmentScores(input: FloatingCatchmentInput): number[] {
  const { populations, capacities, distancesM, thresholdM, decay, sigmaM } = input;
  const weight = (i: number, j: number) => decayWeight(distancesM[i]![j]!, thresholdM, decay, sigmaM);
  const ratios = capacities.map((capacity, j) => {
    let weightedDemand = 0;
    populations.forEach((population, k) => {
      weightedDemand += population * weight(k, j);
    });
    return weightedDemand > 0 ? capacity / weightedDemand : 0;
  });
  return populations.map((_, i) => ratios.reduce((sum, ratio, j) => sum + ratio * weight(i, j), 0));
}

/** A demand location's supply locations within d0, by index, each with its weight W(d). */
export interface CatchmentPairs {
  population: number;
  supplies: ArrayLike<number>;
  weights: ArrayLike<number>;
}

/**
 * Demand on each supply location j from people who are not demand locations of their own (on an H3 grid, those
 * beyond the boundary): `demand[j]` = Σ P_k, `weighted[j]` = Σ P_k W(d_kj).
 */
export interface OuterDemand {
  demand: ArrayLike<number>;
  weighted: ArrayLike<number>;
}

/**
 * The same two scores from the pairs within d0 only, per inhabitant, as measures.ts sums them in SQL: 2SFCA (every
 * weight 1) and E2SFCA (the pairs' weights), supply location j of capacity `capacities[j]`. Used when the pairs are
 * listed a batch of areas at a time: a ratio needs the demand of every area in reach, so the sums are made once all
 * are in. `outer` adds to each ratio's denominator the people in reach who get no score (added after the areas'
 * sum, as the SQL does).
 */
export function pairedCatchmentScores(
  demand: readonly CatchmentPairs[],
  capacities: ArrayLike<number>,
  outer?: OuterDemand,
): { score2sfca: number; scoreE2sfca: number }[] {
  const supplyCount = capacities.length;
  const demandInReach = new Float64Array(supplyCount);
  const weightedDemand = new Float64Array(supplyCount);
  for (const { population, supplies, weights } of demand) {
    for (let pair = 0; pair < supplies.length; pair++) {
      const supply = supplies[pair]!;
      demandInReach[supply] = demandInReach[supply]! + population;
      weightedDemand[supply] = weightedDemand[supply]! + population * weights[pair]!;
    }
  }
  if (outer) {
    for (let supply = 0; supply < supplyCount; supply++) {
      demandInReach[supply] = demandInReach[supply]! + outer.demand[supply]!;
      weightedDemand[supply] = weightedDemand[supply]! + outer.weighted[supply]!;
    }
  }
  const ratio2sfca = demandInReach.map((sum, supply) => (sum > 0 ? capacities[supply]! / sum : 0));
  const ratioE2sfca = weightedDemand.map((sum, supply) => (sum > 0 ? capacities[supply]! / sum : 0));
  return demand.map(({ supplies, weights }) => {
    let score2sfca = 0;
    let scoreE2sfca = 0;
    for (let pair = 0; pair < supplies.length; pair++) {
      const supply = supplies[pair]!;
      score2sfca += ratio2sfca[supply]!;
      scoreE2sfca += ratioE2sfca[supply]! * weights[pair]!;
    }
    return { score2sfca, scoreE2sfca };
  });
}
