import type { GapAreaProperties, GapMeasureColumns } from '../api/types';

/**
 * Above this many areas in a run, its map is drawn from vector tiles (`/api/tiles/gap-analyses/{id}/{z}/{x}/{y}.mvt`)
 * instead of the run's GeoJSON: past a few thousand areas, the GeoJSON weighs megabytes and MapLibre takes many
 * seconds to cut it into tiles in the browser (measured in this folder's README). A page can lower it with
 * `?tilesAbove=N`, as the services map (`map/serviceTiles.ts`) does: tests, and whoever wants to try tiles on a
 * small run.
 */
export const GAP_TILES_ABOVE = 3000;

/** The threshold a page's query string asks for (`?tilesAbove=N`), else `GAP_TILES_ABOVE`. */
export function gapTilesThreshold(search: string): number {
  const asked = Number.parseInt(new URLSearchParams(search).get('tilesAbove') ?? '', 10);
  return Number.isFinite(asked) && asked >= 0 ? asked : GAP_TILES_ABOVE;
}

/** The tile address template of one subject of a run, absolute: MapLibre reads it in a worker without a page. */
export function gapTileUrl(runId: string, subject: string, origin: string): string {
  return `${origin}/api/tiles/gap-analyses/${encodeURIComponent(runId)}/{z}/{x}/{y}.mvt?subject=${encodeURIComponent(subject)}`;
}

const measureNames = ['nearestDistanceM', 'countWithin', 'supplyPer10k', 'score2sfca', 'scoreE2sfca'] as const;

/**
 * One subject's measure columns as the areas' properties `results.geojson` would give (without ids, codes or
 * outlines): what `subjectChoropleth` reads to cut the measure into classes and count the empty and unserved areas.
 */
export function columnsAsAreas(
  subject: string,
  columns: GapMeasureColumns,
): { features: { properties: GapAreaProperties }[] } {
  return {
    features: columns.population.map((population, index) => {
      const properties: GapAreaProperties = { unitId: '', code: '', name: null, population };
      for (const name of measureNames) properties[`${subject}.${name}`] = columns[name][index] ?? null;
      const seconds = columns.nearestSeconds?.[index] ?? null;
      properties[`${subject}.nearestMinutes`] = seconds === null ? null : seconds / 60;
      return { properties };
    }),
  };
}
