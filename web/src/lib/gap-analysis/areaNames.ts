import type { TownPoints } from '../api/types';

/**
 * A name a coordinator recognises for an area: its own (imported areas have one), else "near <town>" from the
 * closest town of the base map, since an H3 code like 86186b6cfffffff means nothing on the ground.
 */
export function areaName(
  area: { name: string | null; code: string; lat: number; lon: number },
  towns: TownPoints | null,
): string {
  if (area.name) return area.name;
  const town = nearestTown(area.lat, area.lon, towns);
  return town ? `Near ${town}` : `Area ${area.code}`;
}

/** The closest town on an equirectangular approximation: plenty for picking a label within one region. */
export function nearestTown(lat: number, lon: number, towns: TownPoints | null): string | null {
  if (!towns) return null;
  const cosLat = Math.cos((lat * Math.PI) / 180);
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const town of towns.features) {
    const [townLon, townLat] = town.geometry.coordinates as [number, number];
    const dx = (townLon - lon) * cosLat;
    const dy = townLat - lat;
    const distance = dx * dx + dy * dy;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = town.properties.name;
    }
  }
  return best;
}
