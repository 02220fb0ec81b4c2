import 'maplibre-gl/dist/maplibre-gl.css';
import { Map as MapLibreMap, NavigationControl, setWorkerUrl, type MapOptions } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { followCountryDetail } from './offlineStyle';
import './baseMap.css';

// The worker's own URL cannot be derived once MapLibre is bundled; Vite emits it as an asset instead.
setWorkerUrl(workerUrl);

/** What differs between Passerelle's maps; {@link createBaseMap} sets everything else the same way for all. */
export interface BaseMapOptions extends Pick<
  MapOptions,
  'style' | 'bounds' | 'fitBoundsOptions' | 'maxZoom' | 'canvasContextAttributes'
> {
  /** The element the map fills; it carries `data-idle` (`"true"` once everything requested is drawn). */
  container: HTMLElement;
  /** Credits shown in full beside those of the style's sources. */
  attribution: string;
  /** Called when part of the map (style, source, tile) could not be loaded. */
  onError: () => void;
  /** Where the zoom buttons go: the reading end of a right-to-left page puts them top left. */
  controlsPosition?: 'top-right' | 'top-left';
  /** MapLibre's own words (zoom buttons, the map's name) in the page's language; English when not given. */
  locale?: Record<string, string>;
}

/**
 * A MapLibre map with the setup every Passerelle map shares: no world copies, full attribution, no tilting or
 * rotating, zoom buttons at the top, and an `idle` flag on the container for tests and screenshots.
 * Returns null when the browser cannot draw a map at all (no WebGL), so the caller can say so.
 */
export function createBaseMap({
  container,
  attribution,
  onError,
  controlsPosition = 'top-right',
  ...options
}: BaseMapOptions): MapLibreMap | null {
  let map: MapLibreMap;
  try {
    map = new MapLibreMap({
      ...options,
      container,
      renderWorldCopies: false,
      attributionControl: { compact: false, customAttribution: attribution },
      // Nobody here needs a tilted or rotated map, and a stray two-finger twist only confuses.
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
    });
  } catch {
    return null;
  }
  map.touchZoomRotate.disableRotation();
  map.addControl(new NavigationControl({ showCompass: false }), controlsPosition);
  map.on('idle', () => (container.dataset.idle = 'true'));
  map.on('dataloading', () => (container.dataset.idle = 'false'));
  map.on('movestart', () => (container.dataset.idle = 'false'));
  map.on('error', () => onError());
  followCountryDetail(map, window.location.origin);
  return map;
}
