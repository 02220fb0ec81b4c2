import { Marker, type Map as MapLibreMap } from 'maplibre-gl';
import type { TownPoints } from '../api/types';
import { bboxContains, bboxFromBounds } from './geometry';
import './markers.css';

/** Below this zoom, town names would only clutter the view of a whole region. */
export const TOWN_LABEL_MIN_ZOOM = 7;
const MAX_LABELS = 80;
const SOURCE_ID = 'towns';
const DOT_LAYER_ID = 'town-dots';
/** Rough glyph metrics of the label font, enough to keep labels from overlapping each other. */
const CHAR_WIDTH_PX = 7;
const LABEL_HEIGHT_PX = 16;
const LABEL_OFFSET_Y_PX = 12;

interface PlacedLabel {
  name: string;
  lngLat: [number, number];
}

interface ScreenBox {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

function overlaps(a: ScreenBox, b: ScreenBox): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

/**
 * Town dots as a circle layer and town names as HTML markers: the offline style has no glyphs, so MapLibre
 * cannot draw text. Labels are placed greedily, biggest towns first, skipping any that would overlap.
 */
export class TownLabelLayer {
  readonly #map: MapLibreMap;
  readonly #towns: TownPoints;
  readonly #labels = new Map<string, Marker>();

  constructor(map: MapLibreMap, towns: TownPoints) {
    this.#map = map;
    this.#towns = {
      ...towns,
      features: [...towns.features].sort((a, b) => b.properties.population - a.properties.population),
    };
    map.addSource(SOURCE_ID, { type: 'geojson', data: this.#towns });
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
    map.on('moveend', this.#render);
    this.#render();
  }

  destroy(): void {
    this.#map.off('moveend', this.#render);
    for (const label of this.#labels.values()) label.remove();
    this.#labels.clear();
    if (this.#map.getLayer(DOT_LAYER_ID)) this.#map.removeLayer(DOT_LAYER_ID);
    if (this.#map.getSource(SOURCE_ID)) this.#map.removeSource(SOURCE_ID);
  }

  readonly #render = (): void => {
    const wanted = this.#map.getZoom() >= TOWN_LABEL_MIN_ZOOM ? this.#placeLabels() : new Map<string, PlacedLabel>();
    for (const [key, label] of this.#labels) {
      if (wanted.has(key)) continue;
      label.remove();
      this.#labels.delete(key);
    }
    for (const [key, { name, lngLat }] of wanted) {
      if (this.#labels.has(key)) continue;
      const element = document.createElement('div');
      element.className = 'town-label';
      // Decoration only: the list and the detail panel name every service's town in text.
      element.setAttribute('aria-hidden', 'true');
      element.textContent = name;
      const label = new Marker({ element, anchor: 'top', offset: [0, LABEL_OFFSET_Y_PX] })
        .setLngLat(lngLat)
        .addTo(this.#map);
      this.#labels.set(key, label);
    }
  };

  #placeLabels(): Map<string, PlacedLabel> {
    const view = bboxFromBounds(this.#map.getBounds());
    const placed: ScreenBox[] = [];
    const labels = new Map<string, PlacedLabel>();
    for (const town of this.#towns.features) {
      if (labels.size >= MAX_LABELS) break;
      const [lon, lat] = town.geometry.coordinates as [number, number];
      if (!bboxContains(view, lon, lat)) continue;
      const { x, y } = this.#map.project([lon, lat]);
      const halfWidth = (town.properties.name.length * CHAR_WIDTH_PX) / 2;
      const box = {
        left: x - halfWidth,
        right: x + halfWidth,
        top: y + LABEL_OFFSET_Y_PX,
        bottom: y + LABEL_OFFSET_Y_PX + LABEL_HEIGHT_PX,
      };
      if (placed.some((other) => overlaps(box, other))) continue;
      placed.push(box);
      labels.set(`${town.properties.name}@${lon},${lat}`, { name: town.properties.name, lngLat: [lon, lat] });
    }
    return labels;
  }
}
