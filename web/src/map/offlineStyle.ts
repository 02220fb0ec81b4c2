import type { StyleSpecification } from 'maplibre-gl';
import { apiPaths } from '../api/client';

export const SEA_COLOR = '#c9dfec';
const LAND_COLOR = '#f5f2ea';
const BORDER_COLOR = '#a8a29e';

/**
 * The built-in base map: sea, land and borders from our own API, nothing else. It has no `glyphs` and no
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
        data: new URL(apiPaths.countries, origin).href,
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
