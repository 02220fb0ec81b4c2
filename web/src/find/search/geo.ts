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
