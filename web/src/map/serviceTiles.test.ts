import { describe, expect, it } from 'vitest';
import { listStatus, scopeDrawing } from './serviceTiles';

const tiles = '/api/tiles/services/{z}/{x}/{y}.mvt?alliance=bench';

describe("the service list's state", () => {
  it('is loading in tile mode until the first tiles in view have come, not "no services here"', () => {
    expect(listStatus('ready', tiles, null)).toBe('loading');
    expect(listStatus('ready', tiles, { cells: [], services: [] })).toBe('ready');
  });

  it("is the services' own state otherwise", () => {
    expect(listStatus('ready', null, null)).toBe('ready');
    expect(listStatus('error', tiles, null)).toBe('error');
    expect(listStatus('loading', null, null)).toBe('loading');
  });
});

describe('how the map draws a scope', () => {
  it("draws from tiles or points from the alliances' counts, without counting again", () => {
    expect(scopeDrawing(100_000, 5000, false)).toBe('tiles');
    expect(scopeDrawing(5000, 5000, false)).toBe('points');
    expect(scopeDrawing(12, 5000, true)).toBe('points');
  });

  it('counts when the scope is unknown, or large and filtered', () => {
    expect(scopeDrawing(null, 5000, false)).toBe('count');
    expect(scopeDrawing(100_000, 5000, true)).toBe('count');
  });
});
