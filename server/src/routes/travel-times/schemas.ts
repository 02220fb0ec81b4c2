import { Type } from 'typebox';
import { AllianceRef } from '../commonSchemas.js';

export const AllianceParams = Type.Object({ idOrSlug: AllianceRef });

export const IsochroneQuery = Type.Object(
  {
    lon: Type.Number({ minimum: -180, maximum: 180, description: 'Where the trip starts (a service location).' }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    profile: Type.Enum(['walk', 'bike', 'drive'], { description: 'On foot, by bicycle or by car.' }),
    minutes: Type.Optional(
      Type.String({
        pattern: '^(120|1[01][0-9]|[1-9][0-9]?)(,(120|1[01][0-9]|[1-9][0-9]?)){0,3}$',
        default: '10,20,30',
        description: 'Up to four limits in minutes, 1 to 120, comma-separated; each limit is included.',
      }),
    ),
  },
  { additionalProperties: false },
);

const Isochrone = Type.Object({
  type: Type.Literal('Feature'),
  geometry: Type.Union([Type.Object({ type: Type.String(), coordinates: Type.Any() }), Type.Null()], {
    description: 'A Polygon or MultiPolygon; null when nothing is reached.',
  }),
  properties: Type.Object({
    minutes: Type.Integer(),
    population: Type.Integer({
      description: 'The alliance’s people inside (its population surface, else its places).',
    }),
  }),
});

export const IsochroneCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(Isochrone, { description: 'One per limit, the shortest first.' }),
  profile: Type.Enum(['walk', 'bike', 'drive']),
  network: Type.Object({
    id: Type.String(),
    sourceName: Type.String(),
    importedAt: Type.String({ format: 'date-time' }),
  }),
  offNetwork: Type.Boolean({
    description: 'The point is farther than 1,000 m from any street this profile may use: nothing is reached.',
  }),
  accessSeconds: Type.Number({
    description:
      'Counted in: the walk from the point to the nearest point of the nearest street (5 km/h), then the way along ' +
      'that street to the junction the areas are measured from.',
  }),
  walkSeconds: Type.Number({ description: 'The walk alone, from the point to its street at 5 km/h.' }),
  widthMetres: Type.Number({ description: 'How far beside a reached street counts as reached.' }),
  populationSource: Type.Union(
    [
      Type.Object({ kind: Type.Literal('surface'), name: Type.String() }),
      Type.Object({ kind: Type.Literal('places') }),
    ],
    {
      description:
        'Who the populations count: the alliance’s population surface (by its source name), else the populated ' +
        'places of data/demand/ (often only places of 1,000 inhabitants or more: the people between them are not counted).',
    },
  ),
});
