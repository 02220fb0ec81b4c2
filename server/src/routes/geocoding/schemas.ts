import { Type } from 'typebox';
import { AllianceRef } from '../commonSchemas.js';

export const GeocodeParams = Type.Object({ idOrSlug: AllianceRef });

export const GeocodeQuery = Type.Object({
  q: Type.String({ maxLength: 200, description: 'The address or place name to look for.' }),
});

export const GeocodedPlace = Type.Object({
  label: Type.String({ description: 'The whole address as the geocoder writes it.' }),
  lat: Type.Number(),
  lon: Type.Number(),
  postalCode: Type.Optional(Type.String()),
  town: Type.Optional(Type.String()),
  address: Type.Optional(Type.String({ description: 'Street and number, when the place is an address or street.' })),
  precision: Type.Enum(['exact', 'street', 'town'], {
    description: 'exact: an address with a number; street: a street; town: anything else.',
  }),
});

export const GeocodeAnswer = Type.Object({
  items: Type.Array(GeocodedPlace, { maxItems: 5 }),
});

export const GeocoderStatus = Type.Object({
  configured: Type.Boolean({ description: 'Whether editors can find a place from its address.' }),
});
