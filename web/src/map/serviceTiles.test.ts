import { describe, expect, it } from 'vitest';
import type { StyleSpecification } from 'maplibre-gl';
import { listStatus, scopeDrawing, SERVICE_TILE_SOURCE, withServiceTiles } from './serviceTiles';

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

describe('the first style of a map drawn from tiles', () => {
  const base: StyleSpecification = {
    version: 8,
    sources: {},
    layers: [{ id: 'sea', type: 'background', paint: { 'background-color': '#c9dfec' } }],
  };

  it('holds the service tiles, so that they are asked for with the base map', () => {
    const style = withServiceTiles(base, tiles) as StyleSpecification;
    expect(style.sources[SERVICE_TILE_SOURCE]).toMatchObject({ type: 'vector', tiles: [tiles] });
    expect(style.layers.map((layer) => layer.id)).toEqual(['sea', 'service-tiles-loaded']);
  });

  it('is left alone without tiles, or when the style is an address', () => {
    expect(withServiceTiles(base, null)).toBe(base);
    expect(withServiceTiles('https://example.org/style.json', tiles)).toBe('https://example.org/style.json');
  });
});
