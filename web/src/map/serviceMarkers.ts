import { Marker, type Map as MapLibreMap } from 'maplibre-gl';
import type { Category, ServicePointProperties } from '../api/types';
import { bboxFromBounds, type ScreenBox } from './geometry';
import {
  clusterCannotSplit,
  clusterServices,
  createServiceIndex,
  serviceMapItems,
  type ServiceIndex,
  type ServiceMapItem,
  type ServicePointFeature,
} from './serviceClusters';
import {
  hideServiceTiles,
  loadedTileFeatures,
  serviceTilesLoaded,
  showServiceTiles,
  tileContent,
  type TileContent,
} from './serviceTiles';
import './markers.css';

/** What the markers draw from tiles: a zoomed-out cell, or services sharing one point. */
type TileItem =
  | { kind: 'cell'; key: string; lon: number; lat: number; count: number; categoryCounts: Map<string, number> }
  | { kind: 'spot'; key: string; lon: number; lat: number; services: ServicePointFeature[] };

interface TileMode {
  hidden: ReadonlySet<string>;
  onContent: (content: TileContent) => void;
}

/** Services that share one point and can only be told apart in the list. */
export interface PlaceSelection {
  label: string;
  serviceIds: string[];
}

export interface ServiceMarkerHandlers {
  onSelectService: (id: string) => void;
  onSelectPlace: (place: PlaceSelection) => void;
  /** Words of the page's language; English when not given. */
  wording?: MarkerWording;
}

export interface MarkerWording {
  services: (count: number) => string;
  thisSpot: string;
  /** How long ago a service was checked, in words ("Overdue"); not said when not given. */
  age?: (age: NonNullable<ServicePointProperties['age']>) => string;
}

const englishWording: MarkerWording = {
  services: (count) => `${count} services`,
  thisSpot: 'this spot',
};

const FALLBACK_COLOR = '#475569';
/** Half the visible dot of a single service (its tap target is larger but transparent). */
const SERVICE_DOT_RADIUS_PX = 12;

/**
 * Draws services as HTML markers clustered with supercluster. HTML rather than a symbol layer because the
 * offline style has no glyph server to draw cluster counts with, and because buttons are accessible for free.
 */
export class ServiceMarkerLayer {
  readonly #map: MapLibreMap;
  readonly #handlers: ServiceMarkerHandlers;
  readonly #markers = new Map<string, Marker>();
  #index: ServiceIndex | null = null;
  #pointsById = new Map<string, ServicePointFeature>();
  #categories = new Map<string, Category>();
  #selectedId: string | null = null;
  #highlight: Marker | null = null;
  #tiles: TileMode | null = null;

  constructor(map: MapLibreMap, handlers: ServiceMarkerHandlers) {
    this.#map = map;
    this.#handlers = handlers;
    map.on('moveend', this.#render);
  }

  /**
   * Draws the services from the vector tiles at `url` instead of a clustered list (null: back to the list);
   * `onContent` hears what the tiles in view hold after each move, for the list and the legend.
   */
  setTileSource(url: string | null, mode?: TileMode): void {
    this.#map.off('idle', this.#render);
    // The same tiles stay (the map may hold them from its first style); others replace them.
    if (!url || !mode) hideServiceTiles(this.#map);
    this.#tiles = url && mode ? mode : null;
    this.#removeAllMarkers();
    if (this.#tiles && url) {
      this.#index = null;
      showServiceTiles(this.#map, url);
      // Tiles arrive after the move has ended: the markers are drawn again once the map has them.
      this.#map.on('idle', this.#render);
    }
    this.#render();
  }

  /** In tile mode, the categories the legend hides. */
  setHiddenCategories(hidden: ReadonlySet<string>): void {
    if (!this.#tiles) return;
    this.#tiles = { ...this.#tiles, hidden };
    this.#removeAllMarkers();
    this.#render();
  }

  setServices(points: readonly ServicePointFeature[]): void {
    if (this.#tiles) return;
    this.#index = createServiceIndex(points);
    this.#pointsById = new Map(points.map((point) => [point.properties.id, point]));
    // Cluster ids belong to one index: markers from the previous index must not be reused.
    this.#removeAllMarkers();
    this.#render();
    this.#placeHighlight();
  }

  setCategories(categories: readonly Category[]): void {
    this.#categories = new Map(categories.map((category) => [category.id, category]));
    this.#removeAllMarkers();
    this.#render();
  }

  setSelectedService(id: string | null): void {
    this.#selectedId = id;
    for (const [key, marker] of this.#markers) {
      marker.getElement().classList.toggle('is-selected', id !== null && key === serviceKey(id));
    }
    this.#placeHighlight();
  }

  /** Where the markers are drawn now, so that other HTML overlays can keep clear of them. */
  occupiedScreenBoxes(): ScreenBox[] {
    return [...this.#markers.values()].map((marker) => {
      const { x, y } = this.#map.project(marker.getLngLat());
      const element = marker.getElement();
      const radius = element.classList.contains('service-cluster') ? element.offsetWidth / 2 : SERVICE_DOT_RADIUS_PX;
      return { left: x - radius, right: x + radius, top: y - radius, bottom: y + radius };
    });
  }

  destroy(): void {
    this.#map.off('moveend', this.#render);
    this.#map.off('idle', this.#render);
    this.#removeAllMarkers();
    this.#highlight?.remove();
    this.#highlight = null;
  }

  readonly #render = (): void => {
    if (this.#tiles) {
      this.#renderTiles(this.#tiles);
      return;
    }
    const index = this.#index;
    if (!index) return;
    const items = serviceMapItems(index, bboxFromBounds(this.#map.getBounds()), this.#map.getZoom());
    const wanted = new Map(items.map((item) => [itemKey(item), item]));

    for (const [key, marker] of this.#markers) {
      if (wanted.has(key)) continue;
      marker.remove();
      this.#markers.delete(key);
    }
    for (const [key, item] of wanted) {
      if (this.#markers.has(key)) continue;
      const element = item.kind === 'cluster' ? this.#clusterElement(item) : this.#serviceElement(item.service);
      const marker = new Marker({ element }).setLngLat([item.lon, item.lat]).addTo(this.#map);
      this.#markers.set(key, marker);
    }
  };

  #renderTiles(mode: TileMode): void {
    const content = tileContent(loadedTileFeatures(this.#map), bboxFromBounds(this.#map.getBounds()), mode.hidden);
    this.#pointsById = new Map(content.services.map((point) => [point.properties.id, point]));
    const wanted = new Map<string, TileItem | ServicePointFeature>();
    for (const cell of content.cells) wanted.set(cell.key, { kind: 'cell', ...cell });
    // Services sharing one point (town-level places) are one marker that lists them, as a cluster that cannot split.
    const spots = new Map<string, ServicePointFeature[]>();
    for (const point of content.services) {
      const [lon, lat] = point.geometry.coordinates as [number, number];
      const key = `spot:${lon.toFixed(6)},${lat.toFixed(6)}`;
      spots.set(key, [...(spots.get(key) ?? []), point]);
    }
    for (const [key, services] of spots) {
      if (services.length === 1) {
        wanted.set(serviceKey(services[0]!.properties.id), services[0]!);
        continue;
      }
      const [lon, lat] = services[0]!.geometry.coordinates as [number, number];
      wanted.set(key, { kind: 'spot', key, lon, lat, services });
    }
    for (const [key, marker] of this.#markers) {
      if (wanted.has(key)) continue;
      marker.remove();
      this.#markers.delete(key);
    }
    for (const [key, item] of wanted) {
      if (this.#markers.has(key)) continue;
      let element: HTMLElement;
      let at: [number, number];
      if ('type' in item) {
        element = this.#serviceElement(item.properties);
        at = item.geometry.coordinates as [number, number];
      } else if (item.kind === 'cell') {
        element = this.#countElement(item.count, item.categoryCounts, () => this.#openCell(item));
        at = [item.lon, item.lat];
      } else {
        const counts = new Map<string, number>();
        for (const { properties } of item.services) {
          counts.set(properties.category, (counts.get(properties.category) ?? 0) + 1);
        }
        element = this.#countElement(item.services.length, counts, () => this.#openSpot(item.services));
        at = [item.lon, item.lat];
      }
      this.#markers.set(key, new Marker({ element }).setLngLat(at).addTo(this.#map));
    }
    this.#placeHighlight();
    // While tiles in view are still loading, the list waits for them rather than list part of the view.
    if (serviceTilesLoaded(this.#map)) mode.onContent(content);
  }

  /** A zoomed-out cell opens by zooming in towards it, down to where the tiles hold each service. */
  #openCell(cell: { lon: number; lat: number }): void {
    this.#map.easeTo({ center: [cell.lon, cell.lat], zoom: Math.min(this.#map.getZoom() + 2, 18) });
  }

  #openSpot(services: readonly ServicePointFeature[]): void {
    const towns = new Set(services.map((service) => service.properties.town));
    const [town] = towns;
    this.#handlers.onSelectPlace({
      label: towns.size === 1 && town ? town : (this.#handlers.wording ?? englishWording).thisSpot,
      serviceIds: services.map((service) => service.properties.id),
    });
  }

  #serviceElement(service: ServicePointProperties): HTMLElement {
    const category = this.#categories.get(service.category);
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'service-marker';
    button.classList.toggle('is-selected', service.id === this.#selectedId);
    // The list is the keyboard path through the services; hundreds of map stops would bury it.
    button.tabIndex = -1;
    button.dataset.testid = 'service-marker';
    button.dataset.serviceId = service.id;
    button.dataset.category = service.category;
    const age = service.age && this.#handlers.wording?.age?.(service.age);
    button.setAttribute(
      'aria-label',
      [service.name, category?.label ?? service.category, age].filter(Boolean).join(' — '),
    );
    button.title = age ? `${service.name} — ${age}` : service.name;
    button.style.setProperty('--marker-color', category?.color ?? FALLBACK_COLOR);
    // The ring says how long ago it was checked, where the legend and the list say it in words too.
    if (age && service.age) button.dataset.age = service.age;
    const dot = document.createElement('span');
    dot.className = 'service-marker__dot';
    button.append(dot);
    button.addEventListener('click', (event) => {
      event.stopPropagation();
      this.#handlers.onSelectService(service.id);
    });
    return button;
  }

  #clusterElement(item: Extract<ServiceMapItem, { kind: 'cluster' }>): HTMLElement {
    return this.#countElement(item.count, item.categoryCounts, () => this.#openCluster(item));
  }

  /** A round marker with a count and a ring of its categories' shares: a cluster, a tile's cell or a shared spot. */
  #countElement(total: number, categoryCounts: Map<string, number>, open: () => void): HTMLElement {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'service-cluster';
    button.tabIndex = -1;
    button.dataset.testid = 'service-cluster';
    button.dataset.count = String(total);
    const breakdown = [...categoryCounts]
      .map(([id, count]) => `${count} ${this.#categories.get(id)?.label ?? id}`)
      .join(', ');
    const wording = this.#handlers.wording ?? englishWording;
    button.setAttribute('aria-label', `${wording.services(total)}: ${breakdown}`);
    button.title = wording.services(total);
    button.style.setProperty('--cluster-size', `${clusterSize(total)}px`);
    button.style.setProperty('--cluster-ring', this.#categoryRing(categoryCounts, total));
    const count = document.createElement('span');
    count.className = 'service-cluster__count';
    count.textContent = total > 999 ? `${Math.round(total / 100) / 10}k` : String(total);
    button.append(count);
    button.addEventListener('click', (event) => {
      event.stopPropagation();
      open();
    });
    return button;
  }

  /** A ring split by category share, so a cluster still tells what kind of help it holds. */
  #categoryRing(counts: Map<string, number>, total: number): string {
    let start = 0;
    const stops: string[] = [];
    const ordered = [...this.#categories.keys()].filter((id) => counts.has(id));
    const unknown = [...counts.keys()].filter((id) => !this.#categories.has(id));
    for (const id of [...ordered, ...unknown]) {
      const end = start + ((counts.get(id) ?? 0) / total) * 100;
      const color = this.#categories.get(id)?.color ?? FALLBACK_COLOR;
      stops.push(`${color} ${start.toFixed(2)}% ${end.toFixed(2)}%`);
      start = end;
    }
    return `conic-gradient(${stops.join(', ')})`;
  }

  /**
   * Zooms into a cluster, or lists its services when zooming cannot separate them. We list rather than
   * spiderfy: the list already is the accessible way through the services, and fanned-out pins would
   * suggest addresses that town-level data does not have.
   */
  #openCluster(item: Extract<ServiceMapItem, { kind: 'cluster' }>): void {
    const index = this.#index;
    if (!index) return;
    if (clusterCannotSplit(index, item.clusterId)) {
      const services = clusterServices(index, item.clusterId);
      const towns = new Set(services.map((service) => service.town));
      const [town] = towns;
      this.#handlers.onSelectPlace({
        label: towns.size === 1 && town ? town : (this.#handlers.wording ?? englishWording).thisSpot,
        serviceIds: services.map((service) => service.id),
      });
      return;
    }
    this.#map.easeTo({
      center: [item.lon, item.lat],
      zoom: Math.max(index.getClusterExpansionZoom(item.clusterId), this.#map.getZoom() + 1),
    });
  }

  #placeHighlight(): void {
    const point = this.#selectedId ? this.#pointsById.get(this.#selectedId) : undefined;
    if (!point) {
      this.#highlight?.remove();
      this.#highlight = null;
      return;
    }
    const [lon, lat] = point.geometry.coordinates as [number, number];
    if (!this.#highlight) {
      const pin = document.createElement('div');
      pin.className = 'service-highlight';
      // The detail panel says where the service is in words; this pin only shows it on the map.
      pin.setAttribute('aria-hidden', 'true');
      pin.dataset.testid = 'selected-service-pin';
      const shape = document.createElement('span');
      shape.className = 'service-highlight__shape';
      pin.append(shape);
      this.#highlight = new Marker({ element: pin, anchor: 'bottom' });
    }
    const color = this.#categories.get(point.properties.category)?.color ?? FALLBACK_COLOR;
    this.#highlight.getElement().style.setProperty('--marker-color', color);
    this.#highlight.setLngLat([lon, lat]).addTo(this.#map);
  }

  #removeAllMarkers(): void {
    for (const marker of this.#markers.values()) marker.remove();
    this.#markers.clear();
  }
}

function serviceKey(id: string): string {
  return `service:${id}`;
}

function itemKey(item: ServiceMapItem): string {
  return item.kind === 'cluster' ? `cluster:${item.clusterId}` : serviceKey(item.service.id);
}

/** Grows with the logarithm of the count so that big clusters do not swallow the map; never below a tap target. */
function clusterSize(count: number): number {
  return Math.round(Math.min(68, 44 + 6 * Math.log2(Math.max(1, count / 2))));
}
