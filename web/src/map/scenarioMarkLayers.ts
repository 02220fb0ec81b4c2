import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { ScenarioLocation } from '../api/types';

const SOURCE_ID = 'scenario-marks';
/** The run's service locations near the open area, which a click takes away (or keeps again). */
const SERVICES_LAYER_ID = 'scenario-services';
const REMOVED_LAYER_ID = 'scenario-removed';
const PLANNED_LAYER_ID = 'scenario-planned';
const LAYER_IDS = [SERVICES_LAYER_ID, REMOVED_LAYER_ID, PLANNED_LAYER_ID];
/** Pixels around a tap that still count as on a dot: with the dot, about a 44 px target. */
const TOUCH_SLOP_PX = 16;

/** What a what-if being put together changes, for the gap map to draw (ScenarioPanel → Choropleth). */
export interface ScenarioMarks {
  planned: readonly { lon: number; lat: number; category: string; label?: string }[];
  removed: readonly ScenarioLocation[];
  /** The service locations near the open area that could be taken away. */
  nearby: readonly ScenarioLocation[];
}

export const noScenarioMarks: ScenarioMarks = { planned: [], removed: [], nearby: [] };

/** The points of the marks, one feature each: `mark` says which layer draws it. */
export function scenarioMarkFeatures(marks: ScenarioMarks): GeoJSON.FeatureCollection<GeoJSON.Point> {
  const removedIds = new Set(marks.removed.map((location) => location.locationId));
  const point = (lon: number, lat: number, properties: Record<string, string>): GeoJSON.Feature<GeoJSON.Point> => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [lon, lat] },
    properties,
  });
  return {
    type: 'FeatureCollection',
    features: [
      ...marks.nearby
        .filter((location) => !removedIds.has(location.locationId))
        .map((location) =>
          point(location.lon, location.lat, {
            mark: 'service',
            locationId: location.locationId,
            name: location.serviceName,
          }),
        ),
      ...marks.removed.map((location) =>
        point(location.lon, location.lat, {
          mark: 'removed',
          locationId: location.locationId,
          name: location.serviceName,
        }),
      ),
      ...marks.planned.map((planned) =>
        point(planned.lon, planned.lat, { mark: 'planned', category: planned.category, name: planned.label ?? '' }),
      ),
    ],
  };
}

/**
 * A what-if's marks over the gap map, above the areas: the services near the open area as small dark dots (a click
 * takes one away), the services taken away as red rings, the planned services as large green dots with a white rim.
 * Shapes and sizes differ as well as colours, so that they read without colour vision.
 */
export class ScenarioMarkLayers {
  readonly #map: MapLibreMap;

  constructor(map: MapLibreMap) {
    this.#map = map;
    map.addSource(SOURCE_ID, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({
      id: SERVICES_LAYER_ID,
      type: 'circle',
      source: SOURCE_ID,
      filter: ['==', ['get', 'mark'], 'service'],
      paint: {
        'circle-radius': 6,
        'circle-color': '#1e293b',
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.5,
      },
    });
    map.addLayer({
      id: REMOVED_LAYER_ID,
      type: 'circle',
      source: SOURCE_ID,
      filter: ['==', ['get', 'mark'], 'removed'],
      paint: {
        'circle-radius': 8,
        'circle-color': 'rgba(255, 255, 255, 0.6)',
        'circle-stroke-color': '#b91c1c',
        'circle-stroke-width': 3,
      },
    });
    map.addLayer({
      id: PLANNED_LAYER_ID,
      type: 'circle',
      source: SOURCE_ID,
      filter: ['==', ['get', 'mark'], 'planned'],
      paint: {
        'circle-radius': 9,
        'circle-color': '#15803d',
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2.5,
      },
    });
  }

  setMarks(marks: ScenarioMarks): void {
    this.#map.getSource<GeoJSONSource>(SOURCE_ID)?.setData(scenarioMarkFeatures(marks));
  }

  /**
   * The service location (near the open area, or taken away) drawn nearest a pixel of the map, within a finger's
   * reach of it (the dots are smaller than a finger), if any.
   */
  locationAt(point: { x: number; y: number }): string | null {
    const box: [[number, number], [number, number]] = [
      [point.x - TOUCH_SLOP_PX, point.y - TOUCH_SLOP_PX],
      [point.x + TOUCH_SLOP_PX, point.y + TOUCH_SLOP_PX],
    ];
    let nearest: { locationId: string; distance: number } | null = null;
    for (const feature of this.#map.queryRenderedFeatures(box, { layers: [SERVICES_LAYER_ID, REMOVED_LAYER_ID] })) {
      const locationId = feature.properties?.locationId;
      if (typeof locationId !== 'string' || feature.geometry.type !== 'Point') continue;
      const [lon, lat] = feature.geometry.coordinates as [number, number];
      const drawn = this.#map.project([lon, lat]);
      const distance = Math.hypot(drawn.x - point.x, drawn.y - point.y);
      if (!nearest || distance < nearest.distance) nearest = { locationId, distance };
    }
    return nearest?.locationId ?? null;
  }

  /** How many marks of each kind are drawn in view: what the map shows, for tests. */
  drawnCounts(): { service: number; removed: number; planned: number } {
    const counts = { service: 0, removed: 0, planned: 0 };
    for (const feature of this.#map.queryRenderedFeatures({ layers: LAYER_IDS })) {
      const mark = feature.properties?.mark as keyof typeof counts | undefined;
      if (mark && mark in counts) counts[mark]++;
    }
    return counts;
  }

  destroy(): void {
    for (const layer of LAYER_IDS) if (this.#map.getLayer(layer)) this.#map.removeLayer(layer);
    if (this.#map.getSource(SOURCE_ID)) this.#map.removeSource(SOURCE_ID);
  }
}
