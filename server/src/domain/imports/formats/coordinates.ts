export interface Coordinates {
  lat: number | null;
  lon: number | null;
  /** Why the source's coordinates were left out, for a warning; null when they were taken or there were none. */
  problem: { field: 'latitude' | 'longitude'; message: string } | null;
}

/** A number written by a person or a program: `44.84`, `44,84` (French decimal comma), ` -0.58 `. */
export function numberOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim().replace(/^([+-]?\d+),(\d+)$/, '$1.$2');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return null;
  const number = Number(text);
  return Number.isFinite(number) ? number : null;
}

const dropped = 'the coordinates were left out, so the place will need to be found again';

/**
 * A point from a source's latitude and longitude. Impossible ones (a latitude of 100, a lone coordinate, 0/0, text
 * that is no number) are left out with the reason: the record is still imported, and the pipeline geocodes it or
 * marks it as needing a place.
 */
export function coordinatesOf(latitude: unknown, longitude: unknown): Coordinates {
  const latText = String(latitude ?? '').trim();
  const lonText = String(longitude ?? '').trim();
  if (latText === '' && lonText === '') return { lat: null, lon: null, problem: null };
  const lat = numberOf(latitude);
  const lon = numberOf(longitude);
  if (lat === null || lon === null) {
    const field = lat === null ? 'latitude' : 'longitude';
    const text = field === 'latitude' ? latText : lonText;
    const what = text === '' ? `The ${field} is missing` : `The ${field} "${text}" is not a number`;
    return { lat: null, lon: null, problem: { field, message: `${what}; ${dropped}.` } };
  }
  const swappedFits = Math.abs(lon) <= 90 && Math.abs(lat) <= 180;
  const hint = swappedFits ? ' Latitude and longitude may be swapped.' : '';
  if (Math.abs(lat) > 90) {
    return {
      lat: null,
      lon: null,
      problem: { field: 'latitude', message: `The latitude ${lat} is not between -90 and 90; ${dropped}.${hint}` },
    };
  }
  if (Math.abs(lon) > 180) {
    return {
      lat: null,
      lon: null,
      problem: { field: 'longitude', message: `The longitude ${lon} is not between -180 and 180; ${dropped}.` },
    };
  }
  if (lat === 0 && lon === 0) {
    return {
      lat: null,
      lon: null,
      problem: { field: 'latitude', message: `The coordinates 0, 0 are in the ocean off Africa; ${dropped}.` },
    };
  }
  return { lat, lon, problem: null };
}
