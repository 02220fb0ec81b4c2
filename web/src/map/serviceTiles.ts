import type {
  GeoJSONFeature,
  LayerSpecification,
  Map as MapLibreMap,
  StyleSpecification,
  VectorSourceSpecification,
} from 'maplibre-gl';
import type { BBox, ServiceFilters, ServicePointProperties } from '../api/types';
import { serviceFilterQuery } from '../api/client';
import { bboxContains } from './geometry';
import type { ServicePointFeature } from './serviceClusters';

/**
 * Above this many services in the chosen scope, the map draws them from vector tiles
 * (`/api/tiles/services/{z}/{x}/{y}.mvt`) instead of downloading them all as GeoJSON and clustering them here:
 * past a few thousand, the download and the clustering take seconds on a phone. A page can lower it with
 * `?tilesAbove=N` (tests, and whoever wants to try tiles on a small alliance).
 */
export const TILES_ABOVE = 5000;

export function tilesThreshold(search: string = window.location.search): number {
  const asked = Number.parseInt(new URLSearchParams(search).get('tilesAbove') ?? '', 10);
  return Number.isFinite(asked) && asked >= 0 ? asked : TILES_ABOVE;
}

/**
 * How to draw a scope: `tiles` or `points` (the GeoJSON) straight from the alliances' service counts, which the
 * page already has (`/api/alliances`), so that the map's services do not wait for a count of 100,000 rows; `count`
 * when that cannot tell — a scope whose size is unknown, or a large one narrowed by a filter (its filtered count
 * decides, as small filtered sets read better as clusters than as the tiles' cells).
 */
export function scopeDrawing(
  scopeTotal: number | null,
  threshold: number,
  filtered: boolean,
): 'tiles' | 'points' | 'count' {
  if (scopeTotal === null) return 'count';
  if (scopeTotal <= threshold) return 'points';
  return filtered ? 'count' : 'tiles';
}

export const SERVICE_TILE_SOURCE = 'service-tiles';
const SERVICE_TILE_LAYER = 'services';
/** An invisible layer: MapLibre loads a source's tiles only for a layer that uses them; HTML markers draw them. */
const HIT_LAYER = 'service-tiles-loaded';
/** The server's tiles hold every service from this zoom; the map overzooms them beyond. */
export const POINT_TILES_FROM_ZOOM = 12;
const MAX_TILE_ZOOM = 14;

/** The tile address template for these filters, absolute (MapLibre reads it in a worker without a page). */
export function serviceTileUrl(filters: ServiceFilters, origin: string = window.location.origin): string {
  const { bbox: _box, ...scope } = filters;
  return `${origin}/api/tiles/services/{z}/{x}/{y}.mvt${serviceFilterQuery(scope)}`;
}

const tileSource = (url: string): VectorSourceSpecification => ({
  type: 'vector',
  tiles: [url],
  minzoom: 0,
  maxzoom: MAX_TILE_ZOOM,
});

const hitLayer: LayerSpecification = {
  id: HIT_LAYER,
  type: 'circle',
  source: SERVICE_TILE_SOURCE,
  'source-layer': SERVICE_TILE_LAYER,
  paint: { 'circle-radius': 1, 'circle-opacity': 0, 'circle-stroke-opacity': 0 },
};

/**
 * A style that already holds the service tiles, so that MapLibre asks for them with the base map's own sources
 * instead of after the style has loaded. A style given by its address is left as it is (the tiles come after).
 */
export function withServiceTiles(style: string | StyleSpecification, url: string | null): string | StyleSpecification {
  if (!url || typeof style === 'string') return style;
  return {
    ...style,
    sources: { ...style.sources, [SERVICE_TILE_SOURCE]: tileSource(url) },
    layers: [...style.layers, hitLayer],
  };
}

/** Shows these tiles: kept when the map holds them already (from {@link withServiceTiles}), else (re)added. */
export function showServiceTiles(map: MapLibreMap, url: string): void {
  const source = map.getStyle().sources[SERVICE_TILE_SOURCE] as VectorSourceSpecification | undefined;
  if (source?.tiles?.[0] === url && map.getLayer(HIT_LAYER)) return;
  hideServiceTiles(map);
  map.addSource(SERVICE_TILE_SOURCE, tileSource(url));
  map.addLayer(hitLayer);
}

export function hideServiceTiles(map: MapLibreMap): void {
  if (map.getLayer(HIT_LAYER)) map.removeLayer(HIT_LAYER);
  if (map.getSource(SERVICE_TILE_SOURCE)) map.removeSource(SERVICE_TILE_SOURCE);
}

/** A cell of a zoomed-out tile: how many services, of which categories, around this point. */
export interface TileCell {
  key: string;
  lon: number;
  lat: number;
  count: number;
  categoryCounts: Map<string, number>;
}

export interface TileContent {
  cells: TileCell[];
  services: ServicePointFeature[];
}

const COUNT_KEY_PREFIX = 'category:';

/**
 * What the loaded tiles hold inside `bounds`, without the hidden categories: cells (zoomed out) and services
 * (from zoom 12), each once although MapLibre may hold a tile at two zooms while it swaps them.
 */
export function tileContent(
  features: readonly GeoJSONFeature[],
  bounds: BBox,
  hidden: ReadonlySet<string>,
): TileContent {
  const cells = new Map<string, TileCell>();
  const services = new Map<string, ServicePointFeature>();
  for (const feature of features) {
    if (feature.geometry.type !== 'Point') continue;
    const [lon, lat] = feature.geometry.coordinates as [number, number];
    if (!bboxContains(bounds, lon, lat)) continue;
    const properties = feature.properties as Record<string, unknown>;
    if (typeof properties.count === 'number') {
      const categoryCounts = new Map<string, number>();
      let count = 0;
      for (const [key, value] of Object.entries(properties)) {
        if (!key.startsWith(COUNT_KEY_PREFIX) || typeof value !== 'number') continue;
        const category = key.slice(COUNT_KEY_PREFIX.length);
        if (hidden.has(category)) continue;
        categoryCounts.set(category, value);
        count += value;
      }
      if (count === 0) continue;
      const key = `cell:${lon.toFixed(5)},${lat.toFixed(5)}`;
      cells.set(key, { key, lon, lat, count, categoryCounts });
    } else if (typeof properties.id === 'string' && !hidden.has(String(properties.category))) {
      services.set(properties.id, {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [lon, lat] },
        properties: {
          id: properties.id,
          name: String(properties.name ?? ''),
          category: String(properties.category ?? ''),
          organizationName: String(properties.organizationName ?? ''),
          precision: (properties.precision as ServicePointProperties['precision']) ?? 'exact',
          town: typeof properties.town === 'string' ? properties.town : null,
          age: properties.age as ServicePointProperties['age'],
        },
      });
    }
  }
  return { cells: [...cells.values()], services: [...services.values()] };
}

/**
 * The list's state: in tile mode it has nothing to list until the first tiles in view have loaded (`content` null),
 * and says it is loading meanwhile rather than "no services here".
 */
export function listStatus<Status extends string>(
  servicesStatus: Status,
  tileUrl: string | null,
  content: TileContent | null,
): Status | 'loading' {
  return servicesStatus === 'ready' && tileUrl !== null && content === null ? 'loading' : servicesStatus;
}

/** How many services of each category the tiles in view hold: the legend's totals in tile mode. */
export function tileCategoryTotals(content: TileContent): Map<string, number> {
  const totals = new Map<string, number>();
  for (const cell of content.cells) {
    for (const [category, count] of cell.categoryCounts) totals.set(category, (totals.get(category) ?? 0) + count);
  }
  for (const { properties } of content.services) {
    totals.set(properties.category, (totals.get(properties.category) ?? 0) + 1);
  }
  return totals;
}

/** Whether the service tiles in view have all loaded: what they hold can then be told. */
export function serviceTilesLoaded(map: MapLibreMap): boolean {
  return map.getSource(SERVICE_TILE_SOURCE) !== undefined && map.isSourceLoaded(SERVICE_TILE_SOURCE);
}

/** The features of the service tiles MapLibre has loaded. */
export function loadedTileFeatures(map: MapLibreMap): GeoJSONFeature[] {
  if (!map.getSource(SERVICE_TILE_SOURCE)) return [];
  return map.querySourceFeatures(SERVICE_TILE_SOURCE, { sourceLayer: SERVICE_TILE_LAYER });
}
