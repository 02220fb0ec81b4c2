import type { BBox, Category } from '../api/types';
import { bboxContains } from './geometry';
import type { ServicePointFeature } from './serviceClusters';
import type { PlaceSelection } from './serviceMarkers';

const byName = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

export function categoriesById(categories: readonly Category[]): ReadonlyMap<string, Category> {
  return new Map(categories.map((category) => [category.id, category]));
}

export function countByCategory(points: readonly ServicePointFeature[]): ReadonlyMap<string, number> {
  const totals = new Map<string, number>();
  for (const { properties } of points) totals.set(properties.category, (totals.get(properties.category) ?? 0) + 1);
  return totals;
}

export function withoutCategories(
  points: readonly ServicePointFeature[],
  hidden: ReadonlySet<string>,
): ServicePointFeature[] {
  return points.filter((point) => !hidden.has(point.properties.category));
}

/**
 * The services a list should show, by name: those of a picked place if there is one, else those inside the
 * map's view, else (no view yet, or no map at all) every one.
 */
export function servicesToList(
  points: readonly ServicePointFeature[],
  { place, bounds }: { place: PlaceSelection | null; bounds: BBox | null },
): ServicePointFeature[] {
  let listed: readonly ServicePointFeature[] = points;
  if (place) {
    const ids = new Set(place.serviceIds);
    listed = points.filter((point) => ids.has(point.properties.id));
  } else if (bounds) {
    listed = points.filter((point) => {
      const [lon, lat] = point.geometry.coordinates as [number, number];
      return bboxContains(bounds, lon, lat);
    });
  }
  return [...listed].sort((a, b) => byName.compare(a.properties.name, b.properties.name));
}
