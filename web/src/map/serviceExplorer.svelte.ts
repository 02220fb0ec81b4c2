import { SvelteSet } from 'svelte/reactivity';
import type { AllianceSummary, BBox, Category } from '../api/types';
import { unionBbox } from './geometry';
import type { ServicePointFeature } from './serviceClusters';
import type { PlaceSelection } from './serviceMarkers';
import { categoriesById, countByCategory, servicesToList, withoutCategories } from './serviceQueries';
import { listStatus, tileCategoryTotals, type TileContent } from './serviceTiles';

export type LoadStatus = 'loading' | 'ready' | 'error';

/** The list stays readable and fast; beyond this the user is asked to zoom in. */
export const LIST_LIMIT = 200;

/**
 * What the newcomer is looking at: which alliance, which categories, which part of the map, which service.
 * Components read it and call its methods; loading from the API stays in the components that need it.
 */
export class ServiceExplorer {
  alliances = $state.raw<AllianceSummary[]>([]);
  categories = $state.raw<Category[]>([]);
  /** null means "All alliances". */
  allianceSlug = $state<string | null>(null);
  readonly hiddenCategories = new SvelteSet<string>();
  /** Only services not checked for this many months (the server's rule, on the region's calendar); null: all. */
  notCheckedForMonths = $state<number | null>(null);

  servicePoints = $state.raw<ServicePointFeature[]>([]);
  /**
   * The tile addresses of the chosen scope when it holds too many services for one GeoJSON download
   * (`serviceTiles.ts`); null: the map and the list work from `servicePoints`.
   */
  tileUrl = $state<string | null>(null);
  /** What the tiles in view hold, in tile mode. */
  tileContent = $state.raw<TileContent | null>(null);
  servicesStatus = $state<LoadStatus>('loading');
  servicesError = $state<string | null>(null);

  /** The map's current view; null until the map has drawn once (or when it cannot draw at all). */
  viewBounds = $state.raw<BBox | null>(null);
  /** Services sharing one point, picked from a cluster that zooming cannot split. */
  place = $state.raw<PlaceSelection | null>(null);
  selectedServiceId = $state<string | null>(null);

  readonly selectedAlliance = $derived(this.alliances.find((alliance) => alliance.slug === this.allianceSlug) ?? null);

  readonly categoryById = $derived(categoriesById(this.categories));

  /** Where the map should fly: the chosen alliance, or all of them. */
  readonly focusBbox = $derived(
    this.selectedAlliance?.bbox ?? unionBbox(this.alliances.map((alliance) => alliance.bbox)),
  );

  /** Services of the alliance that pass the category filter: what the map draws. */
  readonly filteredPoints = $derived(withoutCategories(this.servicePoints, this.hiddenCategories));

  /** What the list shows: the picked place, or else everything the map shows inside its view. */
  readonly listedPoints = $derived(
    servicesToList(this.tileUrl ? (this.tileContent?.services ?? []) : this.filteredPoints, {
      place: this.place,
      bounds: this.viewBounds,
    }),
  );

  /** The list's state: in tile mode, loading until the first tiles in view have come. */
  readonly listStatus = $derived(listStatus(this.servicesStatus, this.tileUrl, this.tileContent));

  /** In tile mode, zoomed out: the tiles hold counts, not services, so the list asks to zoom in. */
  readonly listNeedsZoom = $derived(this.tileUrl !== null && (this.tileContent?.cells.length ?? 0) > 0);

  /**
   * How many services of each category the alliance has, before filtering: shown in the legend. In tile mode, those
   * of the tiles in view (the category filter aside).
   */
  readonly categoryTotals = $derived(
    this.tileUrl
      ? tileCategoryTotals(this.tileContent ?? { cells: [], services: [] })
      : countByCategory(this.servicePoints),
  );

  chooseAlliance(slug: string | null): void {
    this.allianceSlug = slug;
    this.place = null;
    this.selectedServiceId = null;
  }

  /**
   * The open service belongs to this alliance (opened by a link, or from a list of the workspace): the picker and
   * the map follow it, so that its pin is among those drawn. With every alliance shown there is nothing to follow.
   */
  followServiceAlliance(slug: string): void {
    if (this.allianceSlug === null || this.allianceSlug === slug) return;
    this.allianceSlug = slug;
    this.place = null;
  }

  setCategoryVisible(categoryId: string, visible: boolean): void {
    if (visible) this.hiddenCategories.delete(categoryId);
    else this.hiddenCategories.add(categoryId);
  }

  showView(bounds: BBox): void {
    this.viewBounds = bounds;
    // The map moved: the list follows the map again instead of the place picked before.
    this.place = null;
  }

  showPlace(place: PlaceSelection): void {
    this.place = place;
    this.selectedServiceId = null;
  }

  selectService(id: string | null): void {
    this.selectedServiceId = id;
  }
}
