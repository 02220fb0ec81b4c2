import { Marker, type GeoJSONSource, type Map as MapLibreMap, type PositionAnchor } from 'maplibre-gl';
import type { BBox, TownPoints } from '../api/types';
import { bboxContains, bboxFromBounds, boxesOverlap, type ScreenBox } from './geometry';
import './markers.css';

/** Below this zoom, town names would only clutter the view of a whole region. */
export const TOWN_LABEL_MIN_ZOOM = 7;
const MAX_LABELS = 80;
const SOURCE_ID = 'towns';
const DOT_LAYER_ID = 'town-dots';
/** Rough metrics of the label font, enough to keep labels from overlapping. */
const CHAR_WIDTH_PX = 7;
const LABEL_HEIGHT_PX = 16;

interface LabelPlacement {
  anchor: PositionAnchor;
  offset: [number, number];
}

/** Where a label may go around its town's dot, in order of preference. */
const NEAR_PLACEMENTS: readonly LabelPlacement[] = [
  { anchor: 'top', offset: [0, 6] },
  { anchor: 'left', offset: [8, 0] },
  { anchor: 'right', offset: [-8, 0] },
  { anchor: 'bottom', offset: [0, -6] },
];

/**
 * For a town whose centre is hidden under a service marker: its name goes just outside the marker, so the
 * town keeps its name. Other towns never use these, or their names would drift away from their dots.
 */
const CLEAR_OF_MARKER_PLACEMENTS: readonly LabelPlacement[] = [
  { anchor: 'top', offset: [0, 36] },
  { anchor: 'left', offset: [36, 0] },
  { anchor: 'right', offset: [-36, 0] },
  { anchor: 'bottom', offset: [0, -36] },
];

interface PlacedLabel {
  name: string;
  lngLat: [number, number];
  placement: LabelPlacement;
}

function labelBox(x: number, y: number, width: number, { anchor, offset }: LabelPlacement): ScreenBox {
  const cx = x + offset[0];
  const cy = y + offset[1];
  switch (anchor) {
    case 'left':
      return { left: cx, right: cx + width, top: cy - LABEL_HEIGHT_PX / 2, bottom: cy + LABEL_HEIGHT_PX / 2 };
    case 'right':
      return { left: cx - width, right: cx, top: cy - LABEL_HEIGHT_PX / 2, bottom: cy + LABEL_HEIGHT_PX / 2 };
    case 'bottom':
      return { left: cx - width / 2, right: cx + width / 2, top: cy - LABEL_HEIGHT_PX, bottom: cy };
    default:
      return { left: cx - width / 2, right: cx + width / 2, top: cy, bottom: cy + LABEL_HEIGHT_PX };
  }
}

/**
 * Gives the towns to label in a view: the server's towns of the box at that zoom (the workspace), or one set
 * loaded once whatever the view (the finder's region, so that the finder's saved copy serves it offline).
 */
export type TownLoader = (view: BBox, zoom: number, signal: AbortSignal) => Promise<TownPoints>;

/** The view is widened by this share on each side, so that a small pan needs no new labels from the server. */
const VIEW_MARGIN = 0.25;

const noTowns: TownPoints = { type: 'FeatureCollection', features: [] };

/**
 * Town dots as a circle layer and town names as HTML markers: the offline style has no glyphs, so MapLibre
 * cannot draw text. The towns are asked for again after each move, and labels are placed greedily, biggest towns
 * first, each at the first spot around its town that covers neither another label nor a service marker; towns
 * with no free spot go unlabelled.
 */
export class TownLabelLayer {
  readonly #map: MapLibreMap;
  readonly #loadTowns: TownLoader;
  readonly #obstacles: () => ScreenBox[];
  readonly #labels = new Map<string, Marker>();
  #towns: TownPoints = noTowns;
  #loading: AbortController | null = null;

  constructor(map: MapLibreMap, loadTowns: TownLoader, obstacles: () => ScreenBox[] = () => []) {
    this.#map = map;
    this.#loadTowns = loadTowns;
    this.#obstacles = obstacles;
    map.addSource(SOURCE_ID, { type: 'geojson', data: noTowns });
    map.addLayer({
      id: DOT_LAYER_ID,
      type: 'circle',
      source: SOURCE_ID,
      minzoom: TOWN_LABEL_MIN_ZOOM,
      paint: {
        'circle-radius': 3,
        'circle-color': '#475569',
        'circle-stroke-color': '#fff',
        'circle-stroke-width': 1,
      },
    });
    map.on('moveend', this.#reload);
    this.#reload();
  }

  /** Places the labels again, e.g. after the service markers they avoid have changed. */
  readonly refresh = (): void => {
    const wanted = this.#map.getZoom() >= TOWN_LABEL_MIN_ZOOM ? this.#placeLabels() : new Map<string, PlacedLabel>();
    for (const [key, label] of this.#labels) {
      if (wanted.has(key)) continue;
      label.remove();
      this.#labels.delete(key);
    }
    for (const [key, { name, lngLat, placement }] of wanted) {
      if (this.#labels.has(key)) continue;
      const element = document.createElement('div');
      element.className = 'town-label';
      // Decoration only: the list and the detail panel name every service's town in text.
      element.setAttribute('aria-hidden', 'true');
      element.textContent = name;
      const label = new Marker({ element, anchor: placement.anchor, offset: placement.offset })
        .setLngLat(lngLat)
        .addTo(this.#map);
      this.#labels.set(key, label);
    }
  };

  destroy(): void {
    this.#loading?.abort();
    this.#map.off('moveend', this.#reload);
    for (const label of this.#labels.values()) label.remove();
    this.#labels.clear();
    if (this.#map.getLayer(DOT_LAYER_ID)) this.#map.removeLayer(DOT_LAYER_ID);
    if (this.#map.getSource(SOURCE_ID)) this.#map.removeSource(SOURCE_ID);
  }

  /** Labels the towns known at once, then asks for the towns of the new view and labels those. */
  readonly #reload = (): void => {
    this.refresh();
    this.#loading?.abort();
    this.#loading = null;
    const zoom = this.#map.getZoom();
    if (zoom < TOWN_LABEL_MIN_ZOOM) return;
    const loading = new AbortController();
    this.#loading = loading;
    const [west, south, east, north] = bboxFromBounds(this.#map.getBounds());
    const dx = (east - west) * VIEW_MARGIN;
    const dy = (north - south) * VIEW_MARGIN;
    this.#loadTowns([west - dx, south - dy, east + dx, north + dy], zoom, loading.signal).then(
      (towns) => {
        if (loading.signal.aborted) return;
        this.#towns = {
          ...towns,
          features: [...towns.features].sort((a, b) => b.properties.population - a.properties.population),
        };
        (this.#map.getSource(SOURCE_ID) as GeoJSONSource | undefined)?.setData(this.#towns);
        this.refresh();
      },
      () => {
        // Town names are a nicety: the map stays usable without them, so no error is shown.
      },
    );
  };

  #placeLabels(): Map<string, PlacedLabel> {
    const view = bboxFromBounds(this.#map.getBounds());
    const markers = this.#obstacles();
    const taken: ScreenBox[] = [...markers];
    const labels = new Map<string, PlacedLabel>();
    for (const town of this.#towns.features) {
      if (labels.size >= MAX_LABELS) break;
      const [lon, lat] = town.geometry.coordinates as [number, number];
      if (!bboxContains(view, lon, lat)) continue;
      const { x, y } = this.#map.project([lon, lat]);
      const width = town.properties.name.length * CHAR_WIDTH_PX;
      const underMarker = markers.some((box) => x > box.left && x < box.right && y > box.top && y < box.bottom);
      const candidates = underMarker ? CLEAR_OF_MARKER_PLACEMENTS : NEAR_PLACEMENTS;
      const placementIndex = candidates.findIndex((placement) => {
        const box = labelBox(x, y, width, placement);
        return !taken.some((other) => boxesOverlap(box, other));
      });
      const placement = candidates[placementIndex];
      if (!placement) continue;
      taken.push(labelBox(x, y, width, placement));
      labels.set(`${town.properties.name}@${lon},${lat}#${underMarker ? 'clear' : 'near'}${placementIndex}`, {
        name: town.properties.name,
        lngLat: [lon, lat],
        placement,
      });
    }
    return labels;
  }
}
