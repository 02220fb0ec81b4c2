import type {
  DataDrivenPropertyValueSpecification,
  ExpressionSpecification,
  GeoJSONSource,
  Map as MapLibreMap,
  MapLayerMouseEvent,
} from 'maplibre-gl';
import type { DuplicationCluster, GapAreas } from '../api/types';
import { GAP_PALETTE, NO_POPULATION_COLOR, type ValueClass } from '../gap-analysis/classBreaks';

const SOURCE_ID = 'gap-areas';
const CLUSTER_SOURCE_ID = 'gap-duplication';
const HATCH_IMAGE_ID = 'gap-no-population-hatch';
export const GAP_FILL_LAYER_ID = 'gap-areas-fill';
const EMPTY_LAYER_ID = 'gap-areas-no-population';
const BORDER_LAYER_ID = 'gap-areas-border';
const FLAGGED_LAYER_ID = 'gap-areas-flagged';
const HIGHLIGHT_LAYER_ID = 'gap-areas-highlight';
const CLUSTER_LAYER_ID = 'gap-duplication-clusters';
const LAYER_IDS = [EMPTY_LAYER_ID, GAP_FILL_LAYER_ID, BORDER_LAYER_ID, FLAGGED_LAYER_ID, HIGHLIGHT_LAYER_ID];
/** The layer of the run's tiles (`domain/gap-analysis/unitTiles.ts` on the server). */
const TILE_LAYER = 'units';
/** The server's tiles are simplified to the pixel: the map's highest zoom (14) reads them as they are. */
const MAX_TILE_ZOOM = 14;

/** What the fill colour depends on: one subject's measure, cut into classes. */
export interface ChoroplethStyle {
  property: string;
  flagsProperty: string;
  classes: readonly ValueClass[];
}

/** Grey diagonal stripes: "nobody lives here" must not read as one more shade of the palette. */
function hatchImage(size = 8): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const stripe = (x + y) % size < 2;
      const [r, g, b] = stripe ? [113, 113, 122] : [228, 228, 231];
      data.set([r, g, b, 200], (y * size + x) * 4);
    }
  }
  return { width: size, height: size, data };
}

/** The MapLibre colour of an area: its class by `step`, the darkest colour when no service exists at all. */
export function fillColorExpression(style: ChoroplethStyle): DataDrivenPropertyValueSpecification<string> {
  const [first, ...rest] = style.classes;
  if (!first) return NO_POPULATION_COLOR;
  const value: ExpressionSpecification = ['to-number', ['get', style.property], 0];
  const step: ExpressionSpecification | string =
    rest.length === 0 ? first.color : ['step', value, first.color, ...rest.flatMap((c) => [c.min, c.color])];
  // Only the nearest distance is ever null for an inhabited area: no service of the subject in the whole region.
  return ['case', ['==', ['get', style.property], null], GAP_PALETTE.at(-1)!, step];
}

/**
 * The choropleth's layers over the offline base map: classed fill for inhabited areas, grey hatching for empty
 * ones, a dark outline on flagged areas, a blue one on the hovered or selected area (feature state, so the data
 * is not re-sent), and duplication clusters as rings. The areas come from the run's GeoJSON (`setAreas`) or, given
 * `tileUrl` (a large run), from its vector tiles, drawn with the same layers and the same properties.
 */
export class GapAreaLayers {
  readonly #map: MapLibreMap;
  /** The tiles' layer when drawn from tiles: feature states name it. */
  readonly #sourceLayer: string | undefined;
  #hovered: string | null = null;
  #selected: string | null = null;

  constructor(
    map: MapLibreMap,
    handlers: { onSelectArea: (unitId: string) => void; onHoverArea: (unitId: string | null) => void },
    options: { tileUrl?: string } = {},
  ) {
    this.#map = map;
    map.addImage(HATCH_IMAGE_ID, hatchImage(), { pixelRatio: 1 });
    if (options.tileUrl) {
      this.#sourceLayer = TILE_LAYER;
      map.addSource(SOURCE_ID, {
        type: 'vector',
        tiles: [options.tileUrl],
        minzoom: 0,
        maxzoom: MAX_TILE_ZOOM,
        promoteId: 'unitId',
      });
    } else {
      map.addSource(SOURCE_ID, {
        type: 'geojson',
        data: { type: 'FeatureCollection', features: [] },
        promoteId: 'unitId',
      });
    }
    const areaSource = options.tileUrl
      ? ({ source: SOURCE_ID, 'source-layer': TILE_LAYER } as const)
      : ({ source: SOURCE_ID } as const);
    map.addSource(CLUSTER_SOURCE_ID, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({
      id: EMPTY_LAYER_ID,
      type: 'fill',
      ...areaSource,
      filter: ['<=', ['get', 'population'], 0],
      paint: { 'fill-pattern': HATCH_IMAGE_ID, 'fill-opacity': 0.7 },
    });
    map.addLayer({
      id: GAP_FILL_LAYER_ID,
      type: 'fill',
      ...areaSource,
      filter: ['>', ['get', 'population'], 0],
      paint: { 'fill-color': NO_POPULATION_COLOR, 'fill-opacity': 0.85 },
    });
    map.addLayer({
      id: BORDER_LAYER_ID,
      type: 'line',
      ...areaSource,
      paint: { 'line-color': '#ffffff', 'line-opacity': 0.6, 'line-width': 0.5 },
    });
    map.addLayer({
      id: FLAGGED_LAYER_ID,
      type: 'line',
      ...areaSource,
      // Nothing is flagged until a subject is chosen.
      filter: ['==', ['get', 'unitId'], ''],
      paint: { 'line-color': '#3f1d0b', 'line-width': 1.25 },
    });
    map.addLayer({
      id: HIGHLIGHT_LAYER_ID,
      type: 'line',
      ...areaSource,
      paint: {
        'line-color': '#1d4ed8',
        'line-width': [
          'case',
          ['boolean', ['feature-state', 'selected'], false],
          4,
          ['boolean', ['feature-state', 'hovered'], false],
          2.5,
          0,
        ],
      },
    });
    map.addLayer({
      id: CLUSTER_LAYER_ID,
      type: 'circle',
      source: CLUSTER_SOURCE_ID,
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['get', 'serviceCount'], 2, 7, 8, 14],
        'circle-color': 'rgba(255, 255, 255, 0.35)',
        'circle-stroke-color': '#0f172a',
        'circle-stroke-width': 2,
      },
    });

    for (const layer of [GAP_FILL_LAYER_ID, EMPTY_LAYER_ID]) {
      map.on('click', layer, this.#click(handlers.onSelectArea));
      map.on('mousemove', layer, this.#move(handlers.onHoverArea));
      map.on('mouseleave', layer, () => {
        map.getCanvas().style.cursor = '';
        handlers.onHoverArea(null);
      });
    }
  }

  #click(onSelectArea: (unitId: string) => void) {
    return (event: MapLayerMouseEvent) => {
      const unitId = event.features?.[0]?.properties?.unitId;
      if (typeof unitId === 'string') onSelectArea(unitId);
    };
  }

  #move(onHoverArea: (unitId: string | null) => void) {
    return (event: MapLayerMouseEvent) => {
      this.#map.getCanvas().style.cursor = 'pointer';
      const unitId = event.features?.[0]?.properties?.unitId;
      onHoverArea(typeof unitId === 'string' ? unitId : null);
    };
  }

  /** Draws the run's GeoJSON (not for a map drawn from tiles). */
  setAreas(areas: GapAreas): void {
    this.#hovered = null;
    this.#selected = null;
    const source = this.#map.getSource(SOURCE_ID);
    if (source?.type === 'geojson') (source as GeoJSONSource).setData(areas);
  }

  setStyle(style: ChoroplethStyle): void {
    this.#map.setPaintProperty(GAP_FILL_LAYER_ID, 'fill-color', fillColorExpression(style));
    this.#map.setFilter(FLAGGED_LAYER_ID, ['!=', ['coalesce', ['get', style.flagsProperty], ''], '']);
  }

  setClusters(clusters: readonly DuplicationCluster[]): void {
    this.#map.getSource<GeoJSONSource>(CLUSTER_SOURCE_ID)?.setData({
      type: 'FeatureCollection',
      features: clusters.map((cluster) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [cluster.lon, cluster.lat] },
        properties: { serviceCount: cluster.serviceCount, category: cluster.category },
      })),
    });
  }

  setHovered(unitId: string | null): void {
    this.#hovered = this.#swapState('hovered', this.#hovered, unitId);
  }

  setSelected(unitId: string | null): void {
    this.#selected = this.#swapState('selected', this.#selected, unitId);
  }

  #swapState(key: 'hovered' | 'selected', previous: string | null, next: string | null): string | null {
    if (previous === next) return next;
    const target = { source: SOURCE_ID, sourceLayer: this.#sourceLayer };
    if (previous) this.#map.setFeatureState({ ...target, id: previous }, { [key]: false });
    if (next) this.#map.setFeatureState({ ...target, id: next }, { [key]: true });
    return next;
  }

  /**
   * The areas drawn in view (each once, although a tile's neighbours repeat the areas they share): a map drawn from
   * tiles has no list of its areas, so that tests and the page can see what it shows.
   */
  renderedUnitIds(): Set<string> {
    const ids = new Set<string>();
    for (const feature of this.#map.queryRenderedFeatures({ layers: [GAP_FILL_LAYER_ID, EMPTY_LAYER_ID] })) {
      const unitId = feature.properties?.unitId;
      if (typeof unitId === 'string') ids.add(unitId);
    }
    return ids;
  }

  destroy(): void {
    for (const layer of [CLUSTER_LAYER_ID, ...LAYER_IDS]) {
      if (this.#map.getLayer(layer)) this.#map.removeLayer(layer);
    }
    for (const source of [SOURCE_ID, CLUSTER_SOURCE_ID]) {
      if (this.#map.getSource(source)) this.#map.removeSource(source);
    }
  }
}
