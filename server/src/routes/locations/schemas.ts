import { Type } from 'typebox';
import { LongText, Nullable, Precision, ShortText } from '../commonSchemas.js';

export const LocationDetail = Type.Object({
  id: Type.String(),
  organizationId: Nullable(Type.String()),
  name: Nullable(Type.String()),
  address: Nullable(Type.String()),
  city: Nullable(Type.String()),
  postalCode: Nullable(Type.String()),
  lat: Type.Number(),
  lon: Type.Number(),
  precision: Precision,
  hideAddress: Type.Boolean(),
  note: Nullable(Type.String()),
  version: Type.Integer({ description: 'Send it back with the next change.' }),
});

export const LocationUpdateBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version the location was read at.' }),
    name: Type.Optional(Nullable(ShortText)),
    address: Type.Optional(Nullable(ShortText)),
    city: Type.Optional(Nullable(ShortText)),
    postalCode: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
    lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
    precision: Type.Optional(Precision),
    hideAddress: Type.Optional(Type.Boolean({ description: 'Shelters, women services: show the town only.' })),
    note: Type.Optional(Nullable(LongText)),
  },
  { additionalProperties: false },
);

export const LocationCreateBody = Type.Object(
  {
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    name: Type.Optional(Nullable(ShortText)),
    address: Type.Optional(Nullable(ShortText)),
    town: Type.Optional(Nullable(ShortText)),
    postalCode: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
    precision: Type.Optional(Precision),
    hideAddress: Type.Optional(Type.Boolean({ description: 'Shelters, women services: show the town only.' })),
    note: Type.Optional(Nullable(LongText)),
  },
  { additionalProperties: false },
);
