// Extensions written out: the server's tests import this module too.
import type { Wording } from './wording.js';

/** The towns an area is named after (TownPoints of the API, or any list of named points). */
export interface NamedPoints {
  features: readonly { properties: { name: string }; geometry: { coordinates: number[] } }[];
}

/** Closer than this to its nearest town, an area is named "Near <town>"; farther, by its distance and direction. */
const nearTownKm = 1;
const kmPerDegree = 111.32;
const compassPoints = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'] as const;

/**
 * A name a coordinator recognises for an area: its own (imported areas have one), else placed from the closest town
 * of the base map ("Near Poitiers", "4 km NE of Poitiers"), since an H3 code like 86186b6cfffffff means nothing on
 * the ground and several areas share a nearest town.
 */
export function areaName(
  area: { name: string | null; code: string; lat: number; lon: number },
  towns: NamedPoints | null,
  words: Wording,
): string {
  const { t } = words;
  if (area.name) return area.name;
  const town = nearestTownAndOffset(area.lat, area.lon, towns);
  if (!town) return areaCodeName(area.code, words);
  if (town.km < nearTownKm) return t('gap-analysis.area.near', { town: town.name });
  return t('gap-analysis.area.fromTown', {
    distance: words.format.number(Math.round(town.km)),
    direction: t(`gap-analysis.compass.${town.compass}`),
    town: town.name,
  });
}

/** "Area 86186b6cfffffff": an area without a name nor a town to place it by. */
export function areaCodeName(code: string, words: Wording): string {
  return words.t('gap-analysis.area.code', { code });
}

/** The closest town on an equirectangular approximation: plenty for picking a label within one region. */
export function nearestTown(lat: number, lon: number, towns: NamedPoints | null): string | null {
  return nearestTownAndOffset(lat, lon, towns)?.name ?? null;
}

/** The closest town, how far the point is from it and in which of the eight compass directions. */
function nearestTownAndOffset(
  lat: number,
  lon: number,
  towns: NamedPoints | null,
): { name: string; km: number; compass: (typeof compassPoints)[number] } | null {
  if (!towns) return null;
  const cosLat = Math.cos((lat * Math.PI) / 180);
  let best: { name: string; dx: number; dy: number } | null = null;
  let bestDistance = Infinity;
  for (const town of towns.features) {
    const [townLon, townLat] = town.geometry.coordinates as [number, number];
    const dx = (lon - townLon) * cosLat;
    const dy = lat - townLat;
    const distance = dx * dx + dy * dy;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = { name: town.properties.name, dx, dy };
    }
  }
  if (!best) return null;
  const bearing = (Math.atan2(best.dx, best.dy) * 180) / Math.PI;
  const compass = compassPoints[Math.round((bearing + 360) / 45) % 8]!;
  return { name: best.name, km: Math.sqrt(bestDistance) * kmPerDegree, compass };
}
