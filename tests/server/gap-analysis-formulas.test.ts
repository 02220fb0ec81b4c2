import { area, length, polygon, polygonToLine } from '@turf/turf';
import { POLYGON_TO_CELLS_FLAGS, polygonToCellsExperimental } from 'h3-js';
import { describe, expect, it } from 'vitest';
import {
  decayWeight,
  type DistanceDecay,
  floatingCatchmentScores,
  pairedCatchmentScores,
} from '../../server/src/domain/gap-analysis/floatingCatchment.js';
import { estimateH3Cells, gridTooLargeMessage } from '../../server/src/domain/gap-analysis/h3Grid.js';
import {
  approximatePopulation,
  gapFlagsAndReason,
  gapReasonText,
} from '../../server/src/domain/gap-analysis/gapParameters.js';
import { csvField } from '../../server/src/domain/exports/csvField.js';

/** Three demand points (1000, 2000, 4000) and two supplies; distances in km × 1000, chosen to fall in clear bands. */
const populations = [1000, 2000, 4000];
const distancesM = [
  [0, 13_000],
  [4_000, 9_000],
  [18_000, 4_000],
];

function expectAllClose(actual: number[], expected: number[]) {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, index) =>
    expect(Math.abs(value - expected[index]!)).toBeLessThanOrEqual(expected[index]! * 1e-9),
  );
}

/** The demand locations with their supplies within d0 and weights, as a run measured in batches lists them. */
function pairsWithin(thresholdM: number, decay: DistanceDecay) {
  return populations.map((population, i) => {
    const within = distancesM[i]!.flatMap((distance, j) => (distance <= thresholdM ? [j] : []));
    return {
      population,
      supplies: within,
      weights: within.map((j) => decayWeight(distancesM[i]![j]!, thresholdM, decay)),
    };
  });
}

describe('floating catchment formulas (pure reference)', () => {
  it('2SFCA (Luo & Wang 2003) at 10 km', () => {
    // R1 = 1/(1000 + 2000); R2 = 1/(2000 + 4000); A = [R1, R1 + R2, R2].
    const scores = floatingCatchmentScores({
      populations,
      capacities: [1, 1],
      distancesM,
      thresholdM: 10_000,
      decay: 'none',
    });
    expectAllClose(scores, [1 / 3000, 1 / 2000, 1 / 6000]);
  });

  it('stepped E2SFCA (Luo & Qi 2009, weights 1, 0.68, 0.22) at 15 km', () => {
    // Bands 0–5, 5–10, 10–15 km: weights [[1, 0.22], [1, 0.68], [0, 1]].
    // R1 = 1/(1000 + 2000) = 1/3000; R2 = 1/(1000×0.22 + 2000×0.68 + 4000) = 1/5580.
    const scores = floatingCatchmentScores({
      populations,
      capacities: [1, 1],
      distancesM,
      thresholdM: 15_000,
      decay: 'stepped',
    });
    expectAllClose(scores, [1 / 3000 + 0.22 / 5580, 1 / 3000 + 0.68 / 5580, 1 / 5580]);
  });

  it('a supply with twice the capacity doubles its ratio', () => {
    const scores = floatingCatchmentScores({
      populations,
      capacities: [2, 1],
      distancesM,
      thresholdM: 10_000,
      decay: 'none',
    });
    expectAllClose(scores, [2 / 3000, 2 / 3000 + 1 / 6000, 1 / 6000]);
  });

  it('gives the same scores from the pairs within reach only, as a run measured in batches sums them', () => {
    for (const [thresholdM, decay] of [
      [10_000, 'none'],
      [15_000, 'stepped'],
      [15_000, 'dai_gaussian'],
      [15_000, 'gaussian_sigma'],
    ] as const) {
      const demand = pairsWithin(thresholdM, decay);
      const capacities = [3, 0.5];
      const paired = pairedCatchmentScores(demand, capacities);
      const reference = { populations, capacities, distancesM, thresholdM };
      expectAllClose(
        paired.map((scores) => scores.score2sfca),
        floatingCatchmentScores({ ...reference, decay: 'none' }),
      );
      expectAllClose(
        paired.map((scores) => scores.scoreE2sfca),
        floatingCatchmentScores({ ...reference, decay }),
      );
    }
  });

  it('counts outer demand in the ratios as demand locations of their own, which get no score', () => {
    // A fourth demand location of 500, 6 km from supply 1 and 20 km from supply 2, handed as outer demand: the
    // scores of the three others are those of the reference with all four.
    const outerDistances = [6_000, 20_000];
    for (const decay of ['none', 'stepped', 'dai_gaussian'] as const) {
      const thresholdM = 15_000;
      const demand = pairsWithin(thresholdM, decay);
      const outer = {
        demand: outerDistances.map((distance) => (distance <= thresholdM ? 500 : 0)),
        weighted: outerDistances.map((distance) => 500 * decayWeight(distance, thresholdM, decay)),
      };
      const paired = pairedCatchmentScores(demand, [1, 1], outer);
      const reference = floatingCatchmentScores({
        populations: [...populations, 500],
        capacities: [1, 1],
        distancesM: [...distancesM, outerDistances],
        thresholdM,
        decay,
      }).slice(0, 3);
      expectAllClose(
        paired.map((scores) => scores.scoreE2sfca),
        reference,
      );
    }
    // 2SFCA at 15 km by hand: R1 = 1/(1000 + 2000 + 500) = 1/3500; R2 = 1/(1000 + 2000 + 4000) = 1/7000.
    const demand = [
      { population: 1000, supplies: [0, 1], weights: [1, 1] },
      { population: 2000, supplies: [0, 1], weights: [1, 1] },
      { population: 4000, supplies: [1], weights: [1] },
    ];
    const paired = pairedCatchmentScores(demand, [1, 1], { demand: [500, 0], weighted: [500, 0] });
    expectAllClose(
      paired.map((scores) => scores.score2sfca),
      [1 / 3500 + 1 / 7000, 1 / 3500 + 1 / 7000, 1 / 7000],
    );
  });

  it("Dai's Gaussian decay is 1 at the supply and 0 at the threshold", () => {
    expect(decayWeight(0, 10_000, 'dai_gaussian')).toBe(1);
    expect(decayWeight(10_000, 10_000, 'dai_gaussian')).toBeCloseTo(0, 15);
    expect(decayWeight(10_001, 10_000, 'dai_gaussian')).toBe(0);
    // d = d0/2: (e^(-1/8) − e^(-1/2)) / (1 − e^(-1/2)) = (0.8824969 − 0.6065307) / 0.3934693 = 0.7013666.
    expect(decayWeight(5_000, 10_000, 'dai_gaussian')).toBeCloseTo(0.7013666, 6);
  });

  it('"gaussian", the former name of Dai\'s Gaussian, is the same function', () => {
    for (const distance of [0, 2_500, 5_000, 9_999, 10_000, 10_001]) {
      expect(decayWeight(distance, 10_000, 'gaussian')).toBe(decayWeight(distance, 10_000, 'dai_gaussian'));
    }
  });

  it('the unscaled Gaussian gives the weights of PySAL access weights.gaussian(sigma = 20)', () => {
    // The values of that function's docstring, for distances 0, 20, 40, 60 and σ = 20: exp(−x²/(2σ²)).
    const weights = [0, 20, 40, 60].map((distance) => decayWeight(distance, 100, 'gaussian_sigma', 20));
    expect(weights).toEqual([1, 0.6065306597126334, 0.1353352832366127, 0.011108996538242306]);
    // Not rescaled: at d0 it keeps its value; beyond d0 the pair is out of the catchment.
    expect(decayWeight(60, 60, 'gaussian_sigma', 20)).toBe(0.011108996538242306);
    expect(decayWeight(61, 60, 'gaussian_sigma', 20)).toBe(0);
    // σ defaults to d0.
    expect(decayWeight(10_000, 10_000, 'gaussian_sigma')).toBe(Math.exp(-0.5));
  });
});

describe('gap rules and sentences', () => {
  const subject = { kind: 'category' as const, id: 'social_action', label: 'Social action' };
  const parameters = { thresholdM: 10_000, belowMeanFraction: 0.5, method: 'e2sfca' as const };

  it('says who has no service within reach, as a code with raw numbers and in English with a rounded population', () => {
    const judged = gapFlagsAndReason(
      subject,
      { population: 8437, countWithin: 0, score: 0, regionalMean: 2 },
      parameters,
    );
    expect(judged).toEqual({
      flags: ['no_service_within_reach'],
      reason: {
        code: 'no-service-within',
        params: { subjectKind: 'category', subject: 'social_action', thresholdM: 10_000, population: 8437 },
      },
    });
    expect(gapReasonText(judged.reason!)).toBe('No social action service within 10 km for ~8,400 inhabitants');
  });

  it('says how far below the regional mean a score is, as a whole percentage', () => {
    const judged = gapFlagsAndReason(
      subject,
      { population: 500, countWithin: 1, score: 0.9, regionalMean: 2 },
      parameters,
    );
    expect(judged.reason).toEqual({
      code: 'below-regional-mean',
      params: { subjectKind: 'category', subject: 'social_action', method: 'e2sfca', percent: 45, population: 500 },
    });
    expect(gapReasonText(judged.reason!)).toBe(
      'Access to social action services (E2SFCA) is 45% of the regional mean for ~500 inhabitants',
    );
  });

  it('flags a score below the chosen fraction of the regional mean, and nothing for empty areas', () => {
    expect(
      gapFlagsAndReason(subject, { population: 500, countWithin: 1, score: 0.9, regionalMean: 2 }, parameters).flags,
    ).toEqual(['below_regional_mean']);
    expect(
      gapFlagsAndReason(subject, { population: 500, countWithin: 1, score: 1, regionalMean: 2 }, parameters).flags,
    ).toEqual([]);
    expect(
      gapFlagsAndReason(subject, { population: 0, countWithin: 0, score: 0, regionalMean: 2 }, parameters).flags,
    ).toEqual([]);
  });

  it('rounds populations to two significant digits', () => {
    expect([approximatePopulation(7), approximatePopulation(1234), approximatePopulation(8437)]).toEqual([
      '~7',
      '~1,200',
      '~8,400',
    ]);
  });

  it('quotes CSV fields and defuses spreadsheet formulas', () => {
    expect([
      csvField('plain'),
      csvField('a, b'),
      csvField('say "hi"'),
      csvField('=SUM(A1)'),
      csvField(null),
      csvField(2.5),
    ]).toEqual(['plain', '"a, b"', '"say ""hi"""', "'=SUM(A1)", '', '2.5']);
  });
});

describe('the size of an H3 grid, before listing its cells', () => {
  /** A longitude/latitude box measured on the sphere (turf), about as PostGIS measures it on the spheroid. */
  function box(west: number, south: number, east: number, north: number) {
    const ring = [
      [west, south],
      [east, south],
      [east, north],
      [west, north],
      [west, south],
    ];
    const shape = polygon([ring]);
    const size = {
      areaM2: area(shape),
      perimeterM: length(polygonToLine(shape) as Parameters<typeof length>[0], { units: 'meters' }),
      lat: (south + north) / 2,
      lon: (west + east) / 2,
    };
    return { ring, size };
  }

  it('estimates a little above the number of cells h3-js lists, and never below', () => {
    // Testland (1° × 0.7°) and the "wide" fixture (3° × 3°), at the resolutions whose grids fit or nearly.
    for (const [west, south, east, north, resolution] of [
      [-1, 44.5, 0, 45.2, 7],
      [-1, 44.5, 0, 45.2, 8],
      [1, 44, 4, 47, 6],
      [1, 44, 4, 47, 7],
    ] as const) {
      const { ring, size } = box(west, south, east, north);
      const listed = polygonToCellsExperimental(
        ring,
        resolution,
        POLYGON_TO_CELLS_FLAGS.containmentOverlapping,
        true,
      ).length;
      const estimate = estimateH3Cells(size, resolution);
      expect(estimate, `resolution ${resolution}: ${estimate} for ${listed}`).toBeGreaterThanOrEqual(listed);
      expect(estimate).toBeLessThan(listed * 1.15);
    }
  });

  it('names the limit and the finest coarser resolution that fits, or says that none does', () => {
    expect(gridTooLargeMessage(box(-1, 44.5, 0, 45.2).size, 8)).toBeUndefined();
    expect(gridTooLargeMessage(box(1, 44, 4, 47).size, 8)?.message).toBe(
      'A resolution-8 grid over this region would have about 120,000 areas; the limit is 20,000. ' +
        'Resolution 7 fits (about 17,000 areas).',
    );
    expect(gridTooLargeMessage(box(-10, 35, 40, 70).size, 6)?.message).toBe(
      'A resolution-6 grid over this region would have about 400,000 areas; the limit is 20,000. ' +
        'Even resolution 5 would have about 59,000: the region is too large for an H3 grid. ' +
        'Import areas of your own instead.',
    );
  });
});
