import { Type } from 'typebox';
import { Bbox } from '../commonSchemas.js';

/** The most towns one box answers with. */
export const maxTownsPerBox = 500;

export const TownBoxQuery = Type.Object({
  bbox: Bbox,
  zoom: Type.Number({
    minimum: 0,
    maximum: 24,
    default: 10,
    description: 'The map’s zoom: the further out, the bigger a town must be to be labelled.',
  }),
  limit: Type.Integer({ minimum: 1, maximum: maxTownsPerBox, default: 200 }),
});

export const TownPointProperties = Type.Object({
  name: Type.String(),
  population: Type.Integer({ minimum: 0 }),
  country: Type.String(),
});

export const TownPoints = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(
    Type.Object({
      type: Type.Literal('Feature'),
      properties: TownPointProperties,
      geometry: Type.Object({
        type: Type.Literal('Point'),
        coordinates: Type.Tuple([Type.Number(), Type.Number()]),
      }),
    }),
    { maxItems: maxTownsPerBox },
  ),
});
