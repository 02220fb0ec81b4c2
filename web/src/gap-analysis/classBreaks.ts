/** How a choropleth's classes are cut. */
export type Classification = 'quantile' | 'equal';

export const CLASS_COUNT = 5;

/**
 * ColorBrewer YlOrBr, 5 classes: sequential, told apart with the common colour-vision deficiencies and still
 * ordered in greyscale print. Light is well served, dark is worst served.
 */
export const GAP_PALETTE = ['#ffffd4', '#fed98e', '#fe9929', '#d95f0e', '#993404'] as const;

/** Areas without inhabitants have no gap to measure: drawn grey and hatched, outside the classes. */
export const NO_POPULATION_COLOR = '#d4d4d8';

/** One legend entry: its values run from `min` to `max` (both found in the data), drawn in `color`. */
export interface ValueClass {
  min: number;
  max: number;
  color: string;
  count: number;
}

/**
 * Class thresholds for `values`: each is the lowest value of a class after the first. Ties collapse, so a measure
 * where most areas score 0 gets fewer, honest classes rather than empty ones.
 */
export function classThresholds(
  values: readonly number[],
  classification: Classification,
  classCount = CLASS_COUNT,
): number[] {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const min = sorted[0]!;
  const max = sorted.at(-1)!;
  const atMin = sorted.filter((value) => value === min).length;
  if (classification === 'quantile' && atMin >= sorted.length / classCount && atMin < sorted.length) {
    // Most areas at the minimum (typically 0: nothing within reach) get a class of their own, and the quantiles
    // are cut among the others; otherwise every threshold would fall on the minimum and leave a single class.
    const rest = sorted.slice(atMin);
    const lowest = rest[0]!;
    return [lowest, ...classThresholds(rest, classification, classCount - 1).filter((value) => value > lowest)];
  }
  const candidates: number[] = [];
  for (let k = 1; k < classCount; k++) {
    if (classification === 'equal') candidates.push(min + ((max - min) * k) / classCount);
    else candidates.push(sorted[Math.floor((k * sorted.length) / classCount)]!);
  }
  return [...new Set(candidates.filter((threshold) => threshold > min && threshold <= max))];
}

/** Which palette colours `classCount` classes use: spread over the palette so that the extremes stay apart. */
function paletteIndices(classCount: number): number[] {
  if (classCount <= 1) return [GAP_PALETTE.length - 1];
  return Array.from({ length: classCount }, (_, i) => Math.round((i * (GAP_PALETTE.length - 1)) / (classCount - 1)));
}

/**
 * The classes of a measure's values. `higherIsBetter` turns the palette round so that the worst-served areas are
 * always the darkest, whichever way the measure runs; a single class (every area alike) is drawn as the worst
 * when nobody is served at all (`allAlikeIsWorst`), in the middle colour otherwise.
 */
export function valueClasses(
  values: readonly number[],
  options: { classification: Classification; higherIsBetter: boolean; allAlikeIsWorst?: boolean },
): ValueClass[] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [];
  const thresholds = classThresholds(finite, options.classification);
  const bounds = [Math.min(...finite), ...thresholds, Math.max(...finite)];
  const classCount = bounds.length - 1 || 1;
  let indices = paletteIndices(classCount);
  if (classCount === 1 && !options.allAlikeIsWorst) indices = [Math.floor(GAP_PALETTE.length / 2)];
  else if (options.higherIsBetter) indices = [...indices].reverse();
  return indices.map((paletteIndex, i) => {
    const min = bounds[i]!;
    const upper = bounds[Math.min(i + 1, bounds.length - 1)]!;
    const last = i === classCount - 1;
    const members = finite.filter((value) => value >= min && (last ? value <= upper : value < upper));
    // The largest value actually in the class, so that a class holding only zeros reads "0", not "0 – 0.0036".
    return {
      min,
      max: members.length ? Math.max(...members) : min,
      color: GAP_PALETTE[paletteIndex]!,
      count: members.length,
    };
  });
}

/** The class a value falls in, as the map's `step` expression decides it. */
export function classOf(value: number, classes: readonly ValueClass[]): ValueClass | undefined {
  for (let i = classes.length - 1; i >= 0; i--) {
    if (value >= classes[i]!.min) return classes[i];
  }
  return classes[0];
}
