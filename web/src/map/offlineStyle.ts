import type { Map as MapLibreMap, MapSourceDataEvent, StyleSpecification } from 'maplibre-gl';
import { apiPaths } from '../api/client';

export const SEA_COLOR = '#c9dfec';
const LAND_COLOR = '#f5f2ea';
const BORDER_COLOR = '#a8a29e';

/**
 * From this zoom the countries are drawn from the detailed layer (about 470 kB gzipped); below it, from the
 * low-zoom one (about 58 kB), which the map loads first, so that land paints at once.
 */
export const COUNTRY_DETAIL_ZOOM = 4;

/**
 * The built-in base map: sea, land and borders from our own API, nothing else: the low-zoom countries at first;
 * {@link followCountryDetail} brings in the detailed ones once the map is zoomed in. It has no `glyphs` and no
 * symbol layers, so it never asks a font server for anything; text is drawn as HTML markers instead.
 */
export function offlineStyle(origin: string): StyleSpecification {
  return {
    version: 8,
    name: 'Passerelle offline',
    sources: {
      countries: {
        type: 'geojson',
        // Absolute because MapLibre fetches source data from a worker, whose base URL is the worker script's.
        data: new URL(apiPaths.lowZoomCountries, origin).href,
        attribution: 'Natural Earth',
      },
    },
    layers: [
      { id: 'sea', type: 'background', paint: { 'background-color': SEA_COLOR } },
      { id: 'countries-fill', type: 'fill', source: 'countries', paint: { 'fill-color': LAND_COLOR } },
      {
        id: 'countries-border',
        type: 'line',
        source: 'countries',
        paint: {
          'line-color': BORDER_COLOR,
          'line-width': ['interpolate', ['linear'], ['zoom'], 3, 0.6, 8, 1.4],
        },
      },
    ],
  };
}

/**
 * Adds the detailed countries to a map drawn in the offline style once it is zoomed in to {@link
 * COUNTRY_DETAIL_ZOOM} (at once when it opens on an alliance, but after the low-zoom land has painted), and
 * hands those zooms over to them once they are loaded. Does nothing to a map in another style.
 */
export function followCountryDetail(map: MapLibreMap, origin: string): void {
  const check = () => {
    if (map.getZoom() < COUNTRY_DETAIL_ZOOM || !map.getLayer('countries-fill') || map.getSource('countries-detail')) {
      return;
    }
    map.addSource('countries-detail', {
      type: 'geojson',
      data: new URL(apiPaths.countries, origin).href,
      attribution: 'Natural Earth',
    });
    const layers = map.getStyle().layers;
    const after = layers[layers.findIndex((layer) => layer.id === 'countries-border') + 1]?.id;
    map.addLayer(
      { ...detailLayer('countries-fill'), id: 'countries-detail-fill', source: 'countries-detail' },
      'countries-border',
    );
    map.addLayer(
      { ...detailLayer('countries-border'), id: 'countries-detail-border', source: 'countries-detail' },
      after,
    );
    const loaded = (event: MapSourceDataEvent) => {
      if (event.sourceId !== 'countries-detail' || !map.isSourceLoaded('countries-detail')) return;
      map.off('sourcedata', loaded);
      // The low-zoom outlines stray by a few pixels from here on: the detailed ones take over.
      map.setLayerZoomRange('countries-fill', 0, COUNTRY_DETAIL_ZOOM);
      map.setLayerZoomRange('countries-border', 0, COUNTRY_DETAIL_ZOOM);
    };
    map.on('sourcedata', loaded);
  };
  const detailLayer = (id: 'countries-fill' | 'countries-border') => {
    const layer = offlineStyle(origin).layers.find((candidate) => candidate.id === id);
    if (!layer || layer.type === 'background') throw new Error(`The offline style has no layer ${id}`);
    return { ...layer, minzoom: COUNTRY_DETAIL_ZOOM } as typeof layer;
  };
  map.on('load', check);
  map.on('zoomend', check);
}
