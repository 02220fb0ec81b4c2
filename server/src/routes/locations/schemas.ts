import { Type } from 'typebox';
import { AllianceRef, LongText, Nullable, Precision, ShortText } from '../commonSchemas.js';

export const LocationDetail = Type.Object({
  id: Type.String(),
  organizationId: Nullable(Type.String()),
  name: Nullable(Type.String()),
  address: Nullable(Type.String()),
  city: Nullable(Type.String()),
  postalCode: Nullable(Type.String()),
  lat: Nullable(Type.Number({ description: 'Null while the place is not placed yet.' })),
  lon: Nullable(Type.Number()),
  precision: Precision,
  needsPlace: Type.Boolean({
    description: 'Not placed yet, or put at its town by an import: its pin should be put where it is.',
  }),
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
    lat: Type.Optional(
      Type.Number({ minimum: -90, maximum: 90, description: 'With lon; without both, the place is not placed yet.' }),
    ),
    lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
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

export const AllianceParams = Type.Object({ idOrSlug: AllianceRef });

export const PlacesToPlace = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Nullable(Type.String()),
      address: Nullable(Type.String()),
      town: Nullable(Type.String()),
      postalCode: Nullable(Type.String()),
      lat: Nullable(Type.Number({ description: 'Null while the place is not placed yet.' })),
      lon: Nullable(Type.Number()),
      state: Type.Enum(['unplaced', 'town'], {
        description: 'unplaced: no point at all; town: it stands at its town’s point.',
      }),
      origin: Type.Enum(['import', 'typed'], {
        description: 'import: an import could not find it; typed: added in the workspace.',
      }),
      organization: Type.Object({ id: Type.String(), name: Type.String() }),
      services: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
      version: Type.Integer({ description: 'Send it back with PATCH /api/locations/:id to place it.' }),
    }),
  ),
});
