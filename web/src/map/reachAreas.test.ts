import { describe, expect, it } from 'vitest';
import type { Isochrones } from '../api/types';
import { REACH_FILL_OPACITY, reachBandColor, reachBands, reachBounds, reachFeatures } from './reachAreas';

/** A square of `half` degrees either side of (2, 45). */
function square(half: number) {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [2 - half, 45 - half],
        [2 + half, 45 - half],
        [2 + half, 45 + half],
        [2 - half, 45 + half],
        [2 - half, 45 - half],
      ],
    ],
  };
}

function answer(areas: { minutes: number; population: number; half: number | null }[]): Isochrones {
  return {
    type: 'FeatureCollection',
    features: areas.map(({ minutes, population, half }) => ({
      type: 'Feature',
      geometry: half === null ? null : square(half),
      properties: { minutes, population },
    })),
    profile: 'walk',
    network: { id: 'n1', sourceName: 'grid.osm.pbf', importedAt: '2026-12-01T10:00:00.000Z' },
    offNetwork: false,
    accessSeconds: 0,
    walkSeconds: 0,
    widthMetres: 100,
    populationSource: { kind: 'places' },
  };
}

const alpha = REACH_FILL_OPACITY;

describe('reach areas', () => {
  it('draws the longest area first, so that the shorter ones are painted over it', () => {
    const drawn = reachFeatures(
      answer([
        { minutes: 10, population: 120, half: 0.01 },
        { minutes: 20, population: 1420, half: 0.02 },
        { minutes: 30, population: 26420, half: 0.03 },
      ]),
    );
    expect(drawn.features.map((feature) => feature.properties)).toEqual([
      { minutes: 30, population: 26420 },
      { minutes: 20, population: 1420 },
      { minutes: 10, population: 120 },
    ]);
  });

  it('gives the legend the shade each band shows where the nested areas overlap', () => {
    const bands = reachBands(
      answer([
        { minutes: 20, population: 1420, half: 0.02 },
        { minutes: 10, population: 120, half: 0.01 },
        { minutes: 30, population: 26420, half: 0.03 },
      ]),
    );
    expect(bands.map((band) => [band.minutes, band.population, band.reached])).toEqual([
      [10, 120, true],
      [20, 1420, true],
      [30, 26420, true],
    ]);
    // Under the 10-minute band lie three areas, under the 20-minute one two, under the 30-minute one one.
    expect(bands[0]!.opacity).toBeCloseTo(1 - (1 - alpha) ** 3, 10);
    expect(bands[1]!.opacity).toBeCloseTo(1 - (1 - alpha) ** 2, 10);
    expect(bands[2]!.opacity).toBeCloseTo(alpha, 10);
    expect(bands[0]!.opacity).toBeGreaterThan(bands[1]!.opacity);
  });

  it('leaves out what reaches nothing, and counts only drawn areas in a band’s shade', () => {
    const partly = answer([
      { minutes: 10, population: 0, half: null },
      { minutes: 20, population: 50, half: 0.02 },
    ]);
    expect(reachFeatures(partly).features).toHaveLength(1);
    const [ten, twenty] = reachBands(partly);
    expect(ten).toMatchObject({ reached: false, opacity: 0 });
    expect(twenty!.opacity).toBeCloseTo(alpha, 10);
    const nothing = answer([
      { minutes: 10, population: 0, half: null },
      { minutes: 20, population: 0, half: null },
    ]);
    expect(reachBounds(nothing)).toBeNull();
  });

  it('bounds the largest area', () => {
    const bounds = reachBounds(
      answer([
        { minutes: 10, population: 1, half: 0.01 },
        { minutes: 30, population: 2, half: 0.03 },
      ]),
    );
    expect(bounds).not.toBeNull();
    const [west, south, east, north] = bounds!;
    expect([west, south, east, north].map((value) => Math.round(value * 1000) / 1000)).toEqual([
      1.97, 44.97, 2.03, 45.03,
    ]);
  });

  it('writes a swatch as the areas’ colour at a band’s opacity', () => {
    expect(reachBandColor(0.2)).toBe('rgb(109 40 217 / 0.2)');
    expect(reachBandColor(1 - 0.8 ** 3)).toBe('rgb(109 40 217 / 0.488)');
  });
});
