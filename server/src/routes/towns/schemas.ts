import { Type } from 'typebox';
import { AllianceRef } from '../commonSchemas.js';

/** The most towns one search or one box answers with. */
export const maxTownsPerSearch = 50;

export const Town = Type.Object({
  geonameId: Type.Integer({ description: 'The GeoNames id of the place.' }),
  name: Type.String(),
  country: Type.String({ description: 'ISO 3166-1 alpha-2 country code.' }),
  population: Type.Integer({ minimum: 0 }),
  lat: Type.Number(),
  lon: Type.Number(),
});

export const TownSearchQuery = Type.Object({
  q: Type.String({
    minLength: 1,
    maxLength: 100,
    description:
      'The beginning of the town’s name; accents, case, hyphens and apostrophes are ignored ("gott" finds Göttingen).',
  }),
  near: Type.Optional(
    Type.String({
      pattern: '^-?[0-9]+(\\.[0-9]+)?,-?[0-9]+(\\.[0-9]+)?$',
      description: 'lat,lon: towns near this point come first. Not with `alliance`.',
    }),
  ),
  alliance: Type.Optional(
    Type.String({
      ...AllianceRef,
      description: 'An alliance id or slug: towns in or near its area come first. Not with `near`.',
    }),
  ),
  limit: Type.Integer({ minimum: 1, maximum: maxTownsPerSearch, default: 10 }),
});

export const TownSearchAnswer = Type.Object({
  items: Type.Array(Town, { maxItems: maxTownsPerSearch }),
});
