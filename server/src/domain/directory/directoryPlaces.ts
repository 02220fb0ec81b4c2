import type { BasemapTown } from './basemapTowns.js';

/** A town a newcomer can choose as "where I am". */
export interface DirectoryPlace {
  id: string;
  name: string;
  lat: number;
  lon: number;
}

/**
 * A place's id, from its name: the same town gets the same id in every
 * download, so that links and saved choices keep working. Accents and case do
 * not count ("Bègles" and "begles" are one place).
 */
export function placeId(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return `town-${slug}`;
}

/**
 * The base map's towns first, then the towns of the alliance's locations that
 * the base map lacks, one place per id, sorted by name as the region's first
 * language sorts them (Swedish puts Växjö after Vetlanda, not among the V's).
 */
export function mergePlaces(towns: BasemapTown[], locationTowns: BasemapTown[], language: string): DirectoryPlace[] {
  const places = new Map<string, DirectoryPlace>();
  for (const town of [...towns, ...locationTowns]) {
    const id = placeId(town.name);
    if (!places.has(id)) places.set(id, { id, name: town.name, lat: town.lat, lon: town.lon });
  }
  const collator = new Intl.Collator(language);
  return [...places.values()].sort((a, b) => collator.compare(a.name, b.name) || a.id.localeCompare(b.id));
}
