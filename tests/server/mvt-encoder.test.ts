import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { describe, expect, it } from 'vitest';
import { encodeTile } from '../../server/src/domain/services/mvtEncoder.js';

/** Twice the signed area by the surveyor's formula in tile coordinates: positive for an outer ring. */
function area(ring: { x: number; y: number }[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
    sum += ring[j]!.x * ring[i]!.y - ring[i]!.x * ring[j]!.y;
  return sum;
}

describe('the embedded mode vector tile encoder, for polygons', () => {
  it('turns rings as the specification asks, keeps holes, drops degenerate rings, and reads back with properties', () => {
    // The outer ring given anticlockwise on screen, the hole clockwise: both the wrong way round.
    const outer: [number, number][] = [
      [0, 0],
      [0, 100],
      [100, 100],
      [100, 0],
      [0, 0],
    ];
    const hole: [number, number][] = [
      [20, 20],
      [60, 20],
      [60, 60],
      [20, 60],
      [20, 20],
    ];
    const flat: [number, number][] = [
      [5, 5],
      [5, 5],
      [6, 6],
    ];
    const bytes = encodeTile('units', 4096, [
      { polygons: [[outer, hole, flat]], properties: { unitId: 'u1', 'x.score': 1.5, count: 3 } },
      // Nothing left of this one after cleaning: it is left out.
      { polygons: [[flat]], properties: { unitId: 'u2' } },
      {
        polygons: [
          [
            [
              [200, 200],
              [300, 200],
              [300, 300],
            ],
          ],
          [
            [
              [400, 400],
              [500, 400],
              [500, 500],
            ],
          ],
        ],
        properties: { unitId: 'u3' },
      },
    ]);
    const layer = new VectorTile(new PbfReader(bytes)).layers.units!;
    expect(layer.length).toBe(2);
    const first = layer.feature(0);
    expect(first.type).toBe(3);
    expect(first.properties).toEqual({ unitId: 'u1', 'x.score': 1.5, count: 3 });
    const rings = first.loadGeometry();
    expect(rings).toHaveLength(2);
    expect(area(rings[0]!)).toBeGreaterThan(0);
    expect(area(rings[1]!)).toBeLessThan(0);
    expect(Math.abs(area(rings[0]!))).toBe(2 * 100 * 100);
    expect(Math.abs(area(rings[1]!))).toBe(2 * 40 * 40);
    const third = layer.feature(1);
    expect(third.properties).toEqual({ unitId: 'u3' });
    const parts = third.loadGeometry();
    expect(parts).toHaveLength(2);
    expect(parts.every((ring) => area(ring) > 0)).toBe(true);
    expect(parts[1]!.map((p) => [p.x, p.y]).slice(0, 3)).toEqual(
      expect.arrayContaining([
        [400, 400],
        [500, 400],
        [500, 500],
      ]),
    );
    expect(encodeTile('units', 4096, [{ polygons: [[flat]], properties: {} }])).toHaveLength(0);
  });
});
