export interface Coordinates {
  lat: number | null;
  lon: number | null;
  /** Why the source's coordinates were left out or read otherwise, for a warning; null when taken as they were. */
  problem: { field: 'latitude' | 'longitude'; message: string } | null;
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

const dropped = 'the coordinates were left out, so the place will need to be found again';

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
    const what = text === '' ? `The ${field} is missing` : `The ${field} "${text}" is not a number`;
    return { lat: null, lon: null, problem: { field, message: `${what}; ${dropped}.` } };
  }
  const hint = expected && inside(expected, lon, lat) ? ' Latitude and longitude look swapped.' : '';
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
  // Swapped columns put a French place in the Indian Ocean: when only the swapped point is where the format's
  // places are, it is taken that way, with a warning.
  if (expected && !inside(expected, lat, lon) && inside(expected, lon, lat)) {
    return {
      lat: lon,
      lon: lat,
      problem: {
        field: 'latitude',
        message: `The latitude ${lat} and longitude ${lon} look swapped (the point would be far outside ${expected.name}); they were read the other way round.`,
      },
    };
  }
  return { lat, lon, problem: null };
}
