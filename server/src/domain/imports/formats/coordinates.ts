import { type CodedMessage, said } from '../../messages/userError.js';

export interface Coordinates {
  lat: number | null;
  lon: number | null;
  /** Why the source's coordinates were left out or read otherwise, for a warning; null when taken as they were. */
  problem: { field: 'latitude' | 'longitude'; message: CodedMessage } | null;
}

/** Where a source's places are expected, when the format says (data·inclusion is France's). */
export interface ExpectedArea {
  name: string;
  south: number;
  west: number;
  north: number;
  east: number;
}

/** Metropolitan France and Corsica; the overseas departments are elsewhere, and are taken as given. */
export const metropolitanFrance: ExpectedArea = { name: 'France', south: 41, west: -5.5, north: 51.5, east: 10 };

const inside = (area: ExpectedArea, lat: number, lon: number) =>
  lat >= area.south && lat <= area.north && lon >= area.west && lon <= area.east;

/** A number written by a person or a program: `44.84`, `44,84` (French decimal comma), ` -0.58 `. */
export function numberOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim().replace(/^([+-]?\d+),(\d+)$/, '$1.$2');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return null;
  const number = Number(text);
  return Number.isFinite(number) ? number : null;
}

/**
 * A point from a source's latitude and longitude. Impossible ones (a latitude of 100, a lone coordinate, 0/0, text
 * that is no number) are left out with the reason: the record is still imported, and the pipeline geocodes it or
 * marks it as needing a place.
 */
export function coordinatesOf(latitude: unknown, longitude: unknown, expected?: ExpectedArea): Coordinates {
  const latText = String(latitude ?? '').trim();
  const lonText = String(longitude ?? '').trim();
  if (latText === '' && lonText === '') return { lat: null, lon: null, problem: null };
  const lat = numberOf(latitude);
  const lon = numberOf(longitude);
  if (lat === null || lon === null) {
    const field = lat === null ? 'latitude' : 'longitude';
    const text = field === 'latitude' ? latText : lonText;
    const message =
      field === 'latitude'
        ? text === ''
          ? said('coordinates.latitude-missing')
          : said('coordinates.latitude-not-number', { text })
        : text === ''
          ? said('coordinates.longitude-missing')
          : said('coordinates.longitude-not-number', { text });
    return { lat: null, lon: null, problem: { field, message } };
  }
  if (Math.abs(lat) > 90) {
    const swapped = expected && inside(expected, lon, lat);
    return {
      lat: null,
      lon: null,
      problem: {
        field: 'latitude',
        message: swapped
          ? said('coordinates.latitude-out-of-range-swapped', { lat })
          : said('coordinates.latitude-out-of-range', { lat }),
      },
    };
  }
  if (Math.abs(lon) > 180) {
    return {
      lat: null,
      lon: null,
      problem: { field: 'longitude', message: said('coordinates.longitude-out-of-range', { lon }) },
    };
  }
  if (lat === 0 && lon === 0) {
    return {
      lat: null,
      lon: null,
      problem: { field: 'latitude', message: said('coordinates.null-island') },
    };
  }
  // Swapped columns put a French place in the Indian Ocean: when only the swapped point is where the format's
  // places are, it is taken that way, with a warning.
  if (expected && !inside(expected, lat, lon) && inside(expected, lon, lat)) {
    return {
      lat: lon,
      lon: lat,
      problem: {
        field: 'latitude',
        message: said('coordinates.swapped', { lat, lon, area: expected.name }),
      },
    };
  }
  return { lat, lon, problem: null };
}
