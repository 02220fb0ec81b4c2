import { describe, expect, it } from 'vitest';
import { classOf, classThresholds, GAP_PALETTE, valueClasses } from './classBreaks';

describe('choropleth classes', () => {
  it('cuts quantiles so that each class holds about the same number of areas', () => {
    const values = Array.from({ length: 10 }, (_, i) => i + 1);
    expect(classThresholds(values, 'quantile')).toEqual([3, 5, 7, 9]);
  });

  it('cuts equal intervals between the smallest and the largest value', () => {
    expect(classThresholds([0, 10, 100], 'equal')).toEqual([20, 40, 60, 80]);
  });

  it('gives the areas at the minimum a class of their own when they are many, instead of one class for all', () => {
    const values = [0, 0, 0, 0, 0, 0, 1, 2, 3, 4];
    const thresholds = classThresholds(values, 'quantile');
    expect(thresholds[0]).toBe(1);
    expect(thresholds.length).toBeGreaterThan(1);
  });

  it('collapses tied thresholds rather than drawing empty classes', () => {
    const classes = valueClasses([5, 5, 5, 5], { classification: 'quantile', higherIsBetter: true });
    expect(classes).toHaveLength(1);
    expect(classes[0]).toMatchObject({ min: 5, max: 5, count: 4 });
  });

  it('always draws the worst-served areas darkest, whichever way the measure runs', () => {
    const scores = valueClasses([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], { classification: 'quantile', higherIsBetter: true });
    expect(classOf(0, scores)?.color).toBe(GAP_PALETTE.at(-1));
    expect(classOf(9, scores)?.color).toBe(GAP_PALETTE[0]);
    const distances = valueClasses([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], {
      classification: 'quantile',
      higherIsBetter: false,
    });
    expect(classOf(9, distances)?.color).toBe(GAP_PALETTE.at(-1));
  });

  it('counts every value in exactly one class', () => {
    const values = [0.5, 1, 1, 2, 3.5, 8, 13, 21, 34, 55, 89];
    const classes = valueClasses(values, { classification: 'equal', higherIsBetter: false });
    expect(classes.reduce((sum, item) => sum + item.count, 0)).toBe(values.length);
  });
});
