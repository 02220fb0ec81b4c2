import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { BBox, Isochrones } from '../api/types';
import { geometryBounds } from '../gap-analysis/areaBounds';

const SOURCE_ID = 'service-reach';
const FILL_LAYER_ID = 'service-reach-fill';
const LINE_LAYER_ID = 'service-reach-line';

/** One colour for every limit: the areas are nested, so a shorter one is painted over the longer ones and darkens. */
export const REACH_COLOR = '#6d28d9';
/** The opacity of one area's paint; where n areas overlap the map shows 1 − (1 − α)ⁿ. */
export const REACH_FILL_OPACITY = 0.2;
const REACH_RGB = '109 40 217';

/** The legend swatch of a band: the areas' colour at the opacity the band shows on the map. */
export function reachBandColor(opacity: number): string {
  return `rgb(${REACH_RGB} / ${Math.round(opacity * 1000) / 1000})`;
}

export interface ReachAreaProperties {
  minutes: number;
  population: number;
}

/** A limit as the legend says it: its minutes, its people, and how dark it looks on the map. */
export interface ReachBand {
  minutes: number;
  population: number;
  /** False when nothing is reached within it (the point is off the network, or no street is near enough). */
  reached: boolean;
  /** The opacity the band shows on the map, where its area and every longer one overlap. */
  opacity: number;
}

/**
 * The legend's rows, the shortest limit first: a band of the shortest limit lies under every area, so it is the
 * darkest; the longest the lightest.
 */
export function reachBands(isochrones: Isochrones): ReachBand[] {
  const sorted = [...isochrones.features].sort((a, b) => a.properties.minutes - b.properties.minutes);
  const drawn = sorted.filter((feature) => feature.geometry !== null);
  return sorted.map((feature) => {
    const layers = drawn.filter((other) => other.properties.minutes >= feature.properties.minutes).length;
    return {
      minutes: feature.properties.minutes,
      population: feature.properties.population,
      reached: feature.geometry !== null,
      opacity: feature.geometry === null ? 0 : 1 - (1 - REACH_FILL_OPACITY) ** layers,
    };
  });
}

/** The areas as MapLibre draws them: the longest first, so that shorter ones are painted over it. */
export function reachFeatures(isochrones: Isochrones): FeatureCollection<Polygon | MultiPolygon, ReachAreaProperties> {
  const features = isochrones.features
    .filter((feature) => feature.geometry !== null)
    .sort((a, b) => b.properties.minutes - a.properties.minutes)
    .map((feature): Feature<Polygon | MultiPolygon, ReachAreaProperties> => ({
      type: 'Feature',
      geometry: feature.geometry as Polygon | MultiPolygon,
      properties: { minutes: feature.properties.minutes, population: feature.properties.population },
    }));
  return { type: 'FeatureCollection', features };
}

/** The box of everything reached (the longest limit's area holds the others), or null when nothing is. */
export function reachBounds(isochrones: Isochrones): BBox | null {
  return geometryBounds(reachFeatures(isochrones).features.map((feature) => feature.geometry));
}

/**
 * Draws the areas under the map's labels (the first symbol layer), or replaces those drawn. The markers are HTML and
 * stay above them.
 */
export function showReachAreas(map: MapLibreMap, isochrones: Isochrones): void {
  const data = reachFeatures(isochrones);
  const source = map.getSource<GeoJSONSource>(SOURCE_ID);
  if (source) {
    source.setData(data);
    return;
  }
  const beforeId = map.getStyle().layers.find((layer) => layer.type === 'symbol')?.id;
  map.addSource(SOURCE_ID, { type: 'geojson', data });
  map.addLayer(
    {
      id: FILL_LAYER_ID,
      type: 'fill',
      source: SOURCE_ID,
      paint: { 'fill-color': REACH_COLOR, 'fill-opacity': REACH_FILL_OPACITY },
    },
    beforeId,
  );
  map.addLayer(
    {
      id: LINE_LAYER_ID,
      type: 'line',
      source: SOURCE_ID,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': REACH_COLOR, 'line-width': 1.5, 'line-opacity': 0.8 },
    },
    beforeId,
  );
}

export function removeReachAreas(map: MapLibreMap): void {
  if (map.getLayer(LINE_LAYER_ID)) map.removeLayer(LINE_LAYER_ID);
  if (map.getLayer(FILL_LAYER_ID)) map.removeLayer(FILL_LAYER_ID);
  if (map.getSource(SOURCE_ID)) map.removeSource(SOURCE_ID);
}
