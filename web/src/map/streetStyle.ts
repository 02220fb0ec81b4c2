import type { ExpressionSpecification, LineLayerSpecification, StyleSpecification } from 'maplibre-gl';
import { offlineStyle, SEA_COLOR } from './offlineStyle';

const LAND_COLOR = '#f5f2ea';
const PARK_COLOR = '#d8e8c8';
const WOOD_COLOR = '#cfe0bd';
const RESIDENTIAL_COLOR = '#ede8de';
const BUILDING_COLOR = '#ddd6ca';
const ROAD_CASING = '#c9c1b4';
const LABEL_COLOR = '#3f3a33';
const HALO_COLOR = 'rgba(255,255,255,0.9)';

/** The font the server makes glyphs for (`server/src/domain/basemap/glyphRanges.ts`). */
const FONT = ['Noto Sans Regular'];

/** tilemaker's OpenMapTiles profile writes the OSM `name` as `name:latin` unless a preferred language is set. */
const NAME: ExpressionSpecification = ['coalesce', ['get', 'name'], ['get', 'name:latin'], ['get', 'name_int']];

const majorRoads = ['motorway', 'trunk', 'primary'];
const mediumRoads = ['secondary', 'tertiary'];
const minorRoads = ['minor', 'service', 'track', 'path'];

/** Road width in pixels by class and zoom: major roads first visible and widest. */
function roadWidth(classes: string[], widthAt12: number, widthAt18: number): ExpressionSpecification {
  return [
    'interpolate',
    ['exponential', 1.5],
    ['zoom'],
    12,
    ['match', ['get', 'class'], classes, widthAt12, 0],
    18,
    ['match', ['get', 'class'], classes, widthAt18, 0],
  ];
}

/**
 * The street base map: land use, water, roads by class with their names, buildings from zoom 13 and place
 * names, for the layers tilemaker's OpenMapTiles profile writes (`scripts/basemap/`). Tiles and glyphs come from
 * this server (`/api/basemap/…`), so the page still asks no other site for anything; no sprite is needed, as the
 * style draws no icon. Service markers, boundaries and gap areas are added above it by the map components.
 */
export function streetStyle(origin: string): StyleSpecification {
  const roads = (
    id: string,
    classes: string[],
    minzoom: number,
    color: string,
    casing: boolean,
  ): LineLayerSpecification => ({
    id: casing ? `${id}-casing` : id,
    type: 'line',
    source: 'streets',
    'source-layer': 'transportation',
    minzoom,
    filter: ['match', ['get', 'class'], classes, true, false],
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: {
      'line-color': color,
      'line-width': casing
        ? roadWidth(classes, classes === majorRoads ? 3 : 2, classes === majorRoads ? 22 : 14)
        : roadWidth(classes, classes === majorRoads ? 2 : 1, classes === majorRoads ? 18 : 11),
    },
  });
  return {
    version: 8,
    name: 'Passerelle streets',
    // Absolute, because MapLibre reads these in its worker, whose base address is the worker script's.
    glyphs: `${origin}/api/basemap/fonts/{fontstack}/{range}.pbf`,
    sources: {
      streets: {
        type: 'vector',
        url: `${origin}/api/basemap/tiles.json`,
        attribution: '© OpenStreetMap contributors',
      },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': LAND_COLOR } },
      {
        id: 'landuse-residential',
        type: 'fill',
        source: 'streets',
        'source-layer': 'landuse',
        filter: ['match', ['get', 'class'], ['residential', 'suburb', 'neighbourhood'], true, false],
        paint: { 'fill-color': RESIDENTIAL_COLOR },
      },
      {
        id: 'landcover-green',
        type: 'fill',
        source: 'streets',
        'source-layer': 'landcover',
        filter: ['match', ['get', 'class'], ['grass', 'wood', 'farmland', 'wetland'], true, false],
        paint: { 'fill-color': ['match', ['get', 'class'], 'wood', WOOD_COLOR, PARK_COLOR], 'fill-opacity': 0.8 },
      },
      { id: 'park', type: 'fill', source: 'streets', 'source-layer': 'park', paint: { 'fill-color': PARK_COLOR } },
      { id: 'water', type: 'fill', source: 'streets', 'source-layer': 'water', paint: { 'fill-color': SEA_COLOR } },
      {
        id: 'waterway',
        type: 'line',
        source: 'streets',
        'source-layer': 'waterway',
        paint: { 'line-color': SEA_COLOR, 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.5, 16, 4] },
      },
      {
        id: 'building',
        type: 'fill',
        source: 'streets',
        'source-layer': 'building',
        minzoom: 13,
        paint: { 'fill-color': BUILDING_COLOR, 'fill-outline-color': ROAD_CASING },
      },
      roads('road-minor', minorRoads, 13, ROAD_CASING, true),
      roads('road-medium', mediumRoads, 10, ROAD_CASING, true),
      roads('road-major', majorRoads, 6, '#d9a86c', true),
      roads('road-minor', minorRoads, 13, '#ffffff', false),
      roads('road-medium', mediumRoads, 10, '#fffbe8', false),
      roads('road-major', majorRoads, 6, '#ffd9a0', false),
      {
        id: 'railway',
        type: 'line',
        source: 'streets',
        'source-layer': 'transportation',
        filter: ['==', ['get', 'class'], 'rail'],
        paint: { 'line-color': '#a8a29e', 'line-width': 1.2, 'line-dasharray': [3, 2] },
      },
      {
        id: 'boundary',
        type: 'line',
        source: 'streets',
        'source-layer': 'boundary',
        filter: ['<=', ['get', 'admin_level'], 4],
        paint: { 'line-color': '#a8a29e', 'line-width': 1, 'line-dasharray': [4, 2] },
      },
      {
        id: 'road-name',
        type: 'symbol',
        source: 'streets',
        'source-layer': 'transportation_name',
        minzoom: 13,
        layout: {
          'symbol-placement': 'line',
          'text-field': NAME,
          'text-font': FONT,
          'text-size': ['interpolate', ['linear'], ['zoom'], 13, 10, 18, 14],
          'text-max-angle': 30,
        },
        paint: { 'text-color': LABEL_COLOR, 'text-halo-color': HALO_COLOR, 'text-halo-width': 1.5 },
      },
      {
        id: 'water-name',
        type: 'symbol',
        source: 'streets',
        'source-layer': 'water_name',
        layout: { 'text-field': NAME, 'text-font': FONT, 'text-size': 12 },
        paint: { 'text-color': '#3b6f8f', 'text-halo-color': HALO_COLOR, 'text-halo-width': 1 },
      },
      {
        id: 'place-name',
        type: 'symbol',
        source: 'streets',
        'source-layer': 'place',
        layout: {
          'text-field': NAME,
          'text-font': FONT,
          'text-size': ['match', ['get', 'class'], ['city'], 18, ['town'], 15, ['village', 'suburb'], 13, 11],
          'text-max-width': 8,
        },
        paint: { 'text-color': LABEL_COLOR, 'text-halo-color': HALO_COLOR, 'text-halo-width': 2 },
      },
    ],
  };
}

/**
 * The style a map starts with: the deployment's online style (`MAP_STYLE_URL`), else the street map when this
 * server has street tiles (`BASEMAP_TILES`), else the built-in offline style. The first two bring their own place
 * names (`ownPlaceNames`), so the offline style's HTML town labels are left out.
 */
export function baseMapStyle(
  styleUrl: string | null,
  origin: string,
): { style: string | StyleSpecification; ownPlaceNames: boolean } {
  if (styleUrl) return { style: styleUrl, ownPlaceNames: true };
  if (window.__PASSERELLE_CONFIG__?.streetTiles) return { style: streetStyle(origin), ownPlaceNames: true };
  return { style: offlineStyle(origin), ownPlaceNames: false };
}
