export interface LatLon {
  lat: number;
  lon: number;
}

/**
 * Three decimals of a degree: about 110 m north–south, less east–west. Positions are rounded this much as
 * soon as they are known, so that a precise position never sits in the page's state, its URL or its history.
 */
export function roundPosition({ lat, lon }: LatLon): LatLon {
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return { lat: round(lat), lon: round(lon) };
}

const EARTH_RADIUS_M = 6_371_008.8;

/** Great-circle distance in metres (haversine on the mean Earth radius; under 0.5 % off the ellipsoid). */
export function distanceMeters(a: LatLon, b: LatLon): number {
  const toRadians = Math.PI / 180;
  const dLat = (b.lat - a.lat) * toRadians;
  const dLon = (b.lon - a.lon) * toRadians;
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * toRadians) * Math.cos(b.lat * toRadians) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function isValidPosition({ lat, lon }: LatLon): boolean {
  return Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
}

/**
 * The shortest great-circle distance in metres from a point to a box of latitude and longitude (0 inside it): the
 * nearest point of a side along a parallel is at the point's own longitude, the nearest point of a side along a
 * meridian where `tan φ = tan φ₀ / cos Δλ`, each kept within the side. Used as a bound: nothing in the box is nearer.
 */
export function distanceToBox(point: LatLon, south: number, west: number, north: number, east: number): number {
  const { lat, lon } = point;
  if (lat >= south && lat <= north && lon >= west && lon <= east) return 0;
  const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));
  const toRadians = Math.PI / 180;
  const alongMeridian = (meridian: number) => {
    const dLon = (lon - meridian) * toRadians;
    // Beyond a quarter of the globe in longitude the nearest point is a pole-ward corner; the ends cover it.
    const nearest =
      Math.cos(dLon) > 0 ? Math.atan(Math.tan(lat * toRadians) / Math.cos(dLon)) / toRadians : lat >= 0 ? 90 : -90;
    return distanceMeters(point, { lat: clamp(nearest, south, north), lon: meridian });
  };
  const alongParallel = (parallel: number) => distanceMeters(point, { lat: parallel, lon: clamp(lon, west, east) });
  return Math.min(alongMeridian(west), alongMeridian(east), alongParallel(south), alongParallel(north));
}
