import type { BoundingBox } from './geocoderUrl.js';

/** One place a geocoder found, as the place form uses it. */
export interface GeocodedPlace {
  /** The whole address as the geocoder writes it, to tell candidates apart. */
  label: string;
  lat: number;
  lon: number;
  postalCode?: string;
  town?: string;
  /** Street and number, when the place is an address or a street. */
  address?: string;
  /**
   * How closely the point stands for a service's door: `exact` for an address with a number, `street` for a
   * street, `town` for anything else (a town, a district, a named place the geocoder does not say the address of).
   */
  precision: 'exact' | 'street' | 'town';
}

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A non-empty text, trimmed and bounded (the place form's fields take at most 300 characters). */
function text(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const trimmed = String(value).trim().slice(0, 300);
  return trimmed === '' ? undefined : trimmed;
}

/** Nominatim sends coordinates as strings, GeoJSON as numbers. */
function coordinate(value: unknown, limit: number): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && Math.abs(number) <= limit ? number : undefined;
}

function streetLine(number: string | undefined, street: string | undefined): string | undefined {
  if (!street) return undefined;
  return number ? `${number} ${street}` : street;
}

function place(fields: {
  label: string | undefined;
  lat: number | undefined;
  lon: number | undefined;
  postalCode: string | undefined;
  town: string | undefined;
  address: string | undefined;
  hasNumber: boolean;
}): GeocodedPlace | undefined {
  const { label, lat, lon, postalCode, town, address, hasNumber } = fields;
  if (!label || lat === undefined || lon === undefined) return undefined;
  return {
    label,
    lat,
    lon,
    ...(postalCode ? { postalCode } : {}),
    ...(town ? { town } : {}),
    ...(address ? { address } : {}),
    precision: address ? (hasNumber ? 'exact' : 'street') : 'town',
  };
}

/** Nominatim's `format=json`/`jsonv2` answer: `[{ lat, lon, display_name, address? }]`. */
function nominatimPlace(item: unknown): GeocodedPlace | undefined {
  if (!isObject(item)) return undefined;
  const address = isObject(item.address) ? item.address : {};
  const number = text(address.house_number);
  const street = text(address.road ?? address.pedestrian);
  return place({
    label: text(item.display_name),
    lat: coordinate(item.lat, 90),
    lon: coordinate(item.lon, 180),
    postalCode: text(address.postcode),
    town: text(address.city ?? address.town ?? address.village ?? address.municipality),
    address: streetLine(number, street),
    hasNumber: number !== undefined && street !== undefined,
  });
}

/**
 * A GeoJSON feature of Photon, Pelias, the Base Adresse Nationale or Nominatim's `format=geojson`. They name
 * their properties differently; the first one present wins.
 */
function featurePlace(feature: unknown): GeocodedPlace | undefined {
  if (!isObject(feature) || !isObject(feature.geometry) || feature.geometry.type !== 'Point') return undefined;
  const position = feature.geometry.coordinates;
  if (!Array.isArray(position)) return undefined;
  const properties = isObject(feature.properties) ? feature.properties : {};
  const nominatimAddress = isObject(properties.address) ? properties.address : {};
  const name = text(properties.name);
  const street = text(properties.street ?? nominatimAddress.road);
  const number = text(properties.housenumber ?? nominatimAddress.house_number);
  const town = text(
    properties.city ?? properties.locality ?? properties.localadmin ?? nominatimAddress.city ?? nominatimAddress.town,
  );
  const postalCode = text(properties.postcode ?? properties.postalcode ?? nominatimAddress.postcode);
  // A street found as such (Base Adresse Nationale, Pelias) carries its name only in `name`.
  const isStreet = properties.type === 'street' || properties.layer === 'street';
  const address = streetLine(number, street) ?? (isStreet ? name : undefined);
  const composed = [address ?? name, [postalCode, town].filter(Boolean).join(' '), text(properties.country)]
    .filter(Boolean)
    .join(', ');
  return place({
    label: text(properties.label ?? properties.display_name) ?? text(composed),
    lat: coordinate(position[1], 90),
    lon: coordinate(position[0], 180),
    postalCode,
    town,
    address,
    hasNumber: number !== undefined && street !== undefined,
  });
}

/**
 * The places in a geocoder's answer, in its order, leaving out any it describes incompletely; undefined when
 * the answer is neither a Nominatim list nor a GeoJSON FeatureCollection.
 */
export function placesInGeocoderAnswer(answer: unknown): GeocodedPlace[] | undefined {
  let found: (GeocodedPlace | undefined)[];
  if (Array.isArray(answer)) found = answer.map(nominatimPlace);
  else if (isObject(answer) && answer.type === 'FeatureCollection' && Array.isArray(answer.features)) {
    found = answer.features.map(featurePlace);
  } else return undefined;
  return found.filter((candidate) => candidate !== undefined);
}

export function insideBoundingBox(point: { lat: number; lon: number }, [west, south, east, north]: BoundingBox) {
  return point.lon >= west && point.lon <= east && point.lat >= south && point.lat <= north;
}
