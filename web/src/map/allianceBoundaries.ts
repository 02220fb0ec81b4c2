import type { ExpressionSpecification, GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { Feature, FeatureCollection, MultiPolygon } from 'geojson';
import type { AllianceDetail } from '../api/types';

export interface AllianceBoundaryProperties {
  slug: string;
  name: string;
}

export type AllianceBoundaries = FeatureCollection<MultiPolygon, AllianceBoundaryProperties>;

const SOURCE_ID = 'alliance-boundaries';
const FILL_LAYER_ID = 'alliance-boundaries-fill';
const LINE_LAYER_ID = 'alliance-boundaries-line';
const REGION_COLOR = '#1e3a5f';

/** The regions to outline: an alliance whose coordinators cleared its boundary has none to draw. */
export function allianceBoundaries(alliances: readonly AllianceDetail[]): AllianceBoundaries {
  return {
    type: 'FeatureCollection',
    features: alliances.flatMap((alliance): Feature<MultiPolygon, AllianceBoundaryProperties>[] =>
      alliance.boundary
        ? [{ type: 'Feature', properties: { slug: alliance.slug, name: alliance.name }, geometry: alliance.boundary }]
        : [],
    ),
  };
}

/** Adds the region layers on top of whatever base style is loaded, or replaces their data if already there. */
export function showAllianceBoundaries(map: MapLibreMap, boundaries: AllianceBoundaries): void {
  const source = map.getSource<GeoJSONSource>(SOURCE_ID);
  if (source) {
    source.setData(boundaries);
    return;
  }
  map.addSource(SOURCE_ID, { type: 'geojson', data: boundaries });
  map.addLayer({
    id: FILL_LAYER_ID,
    type: 'fill',
    source: SOURCE_ID,
    paint: { 'fill-color': REGION_COLOR, 'fill-opacity': 0.08 },
  });
  map.addLayer({
    id: LINE_LAYER_ID,
    type: 'line',
    source: SOURCE_ID,
    layout: { 'line-join': 'round' },
    paint: { 'line-color': REGION_COLOR, 'line-width': 2, 'line-opacity': 0.8 },
  });
}

/** Emphasises the chosen region and fades the others; null shows all four alike. */
export function highlightAlliance(map: MapLibreMap, slug: string | null): void {
  if (!map.getLayer(FILL_LAYER_ID) || !map.getLayer(LINE_LAYER_ID)) return;
  if (slug === null) {
    map.setPaintProperty(FILL_LAYER_ID, 'fill-opacity', 0.08);
    map.setPaintProperty(LINE_LAYER_ID, 'line-width', 2);
    map.setPaintProperty(LINE_LAYER_ID, 'line-opacity', 0.8);
    return;
  }
  const isChosen: ExpressionSpecification = ['==', ['get', 'slug'], slug];
  map.setPaintProperty(FILL_LAYER_ID, 'fill-opacity', ['case', isChosen, 0.1, 0.03]);
  map.setPaintProperty(LINE_LAYER_ID, 'line-width', ['case', isChosen, 3, 1.5]);
  map.setPaintProperty(LINE_LAYER_ID, 'line-opacity', ['case', isChosen, 0.95, 0.4]);
}
