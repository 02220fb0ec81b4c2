import { describe, expect, it } from 'vitest';
import { subjectChoropleth } from './choroplethClasses';
import { GAP_TILES_ABOVE, columnsAsAreas, gapTileUrl, gapTilesThreshold } from './gapTiles';

describe('the gap map from tiles', () => {
  it('takes the threshold from ?tilesAbove=, else the default', () => {
    expect(gapTilesThreshold('')).toBe(GAP_TILES_ABOVE);
    expect(gapTilesThreshold('?tilesAbove=5')).toBe(5);
    expect(gapTilesThreshold('?tilesAbove=0')).toBe(0);
    expect(gapTilesThreshold('?tilesAbove=-3')).toBe(GAP_TILES_ABOVE);
    expect(gapTilesThreshold('?tilesAbove=many')).toBe(GAP_TILES_ABOVE);
  });

  it("names one subject's tiles of a run", () => {
    expect(gapTileUrl('r1', 'social_action', 'https://example.org')).toBe(
      'https://example.org/api/tiles/gap-analyses/r1/{z}/{x}/{y}.mvt?subject=social_action',
    );
  });

  it('gives the classes and counts the GeoJSON would give, from the measure columns', () => {
    const columns = {
      bbox: null,
      population: [0, 100, 200, 300, 400],
      nearestDistanceM: [null, null, 1000, 2000, 3000],
      // A run in travel times: seconds, shown in minutes (null beyond its catchment).
      nearestSeconds: [null, null, 600, 1230, null],
      countWithin: [0, 0, 1, 2, 3],
      supplyPer10k: [null, 0, 0.5, 1, 2],
      score2sfca: [0, 0, 0.1, 0.2, 0.3],
      scoreE2sfca: [0, 0, 0.2, 0.4, 0.6],
    };
    const areas = columnsAsAreas('health', columns);
    const geojson = {
      features: columns.population.map((population, index) => ({
        properties: {
          unitId: `u${index}`,
          code: `c${index}`,
          name: null,
          population,
          'health.nearestDistanceM': columns.nearestDistanceM[index] ?? null,
          'health.nearestMinutes': [null, null, 10, 20.5, null][index] ?? null,
          'health.countWithin': columns.countWithin[index] ?? null,
          'health.supplyPer10k': columns.supplyPer10k[index] ?? null,
          'health.score2sfca': columns.score2sfca[index] ?? null,
          'health.scoreE2sfca': columns.scoreE2sfca[index] ?? null,
        },
      })),
    };
    for (const measure of ['score', 'nearestDistanceM', 'nearestMinutes', 'countWithin', 'supplyPer10k'] as const) {
      const options = { subject: 'health', measure, method: 'e2sfca', classification: 'quantile' as const };
      expect(subjectChoropleth(areas, options), measure).toEqual(subjectChoropleth(geojson, options));
    }
    const distance = subjectChoropleth(areas, {
      subject: 'health',
      measure: 'nearestDistanceM',
      method: 'e2sfca',
      classification: 'equal',
    });
    expect(distance.noPopulationCount).toBe(1);
    expect(distance.noServiceCount).toBe(1);
    expect(distance.property).toBe('health.nearestDistanceM');
  });
});
