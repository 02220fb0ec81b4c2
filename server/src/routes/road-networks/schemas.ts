import { Type } from 'typebox';
import { type RoadClass, roadClasses, speedLimits } from '../../domain/road-network/profiles.js';
import { AllianceRef, Nullable, Uuid } from '../commonSchemas.js';

export const AllianceParams = Type.Object({ idOrSlug: AllianceRef });
export const NetworkParams = Type.Object({ idOrSlug: AllianceRef, id: Uuid });

const Kmh = Type.Number({ minimum: speedLimits.min, maximum: speedLimits.max, description: 'km/h' });
const ProfileSpeeds = Type.Object(
  Object.fromEntries(roadClasses.map((name) => [name, Kmh])) as Record<RoadClass, typeof Kmh>,
  {
    additionalProperties: false,
    description: 'km/h per road class (OSM highway value, or ferry when the way has no duration).',
  },
);

export const Speeds = Type.Object(
  { walk: ProfileSpeeds, bike: ProfileSpeeds, drive: ProfileSpeeds },
  { additionalProperties: false, description: 'Speeds per profile and road class, in km/h.' },
);

const Params = Nullable(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])));

export const Network = Type.Object({
  id: Uuid,
  allianceId: Uuid,
  sourceName: Type.String({ description: 'The file imported.' }),
  status: Type.Enum(['importing', 'active', 'replaced', 'removed', 'failed']),
  progress: Type.Number({ minimum: 0, maximum: 1 }),
  stageCode: Nullable(
    Type.String({
      description: 'What the import is doing: waiting, reading-ways, reading-nodes, building, writing, done.',
    }),
  ),
  stageParams: Params,
  error: Nullable(Type.String({ description: 'Why the import failed, in English.' })),
  errorCode: Nullable(Type.String({ description: 'Why the import failed, as an error code.' })),
  errorParams: Params,
  speeds: Speeds,
  waysRead: Type.Integer({ description: 'Roads, paths and ferry routes read in the file.' }),
  nodeCount: Type.Integer({ description: 'Junctions and ends kept in the region and its margin.' }),
  edgeCount: Type.Integer({ description: 'Edges between them.' }),
  marginM: Type.Number({ description: 'How far beyond the boundary roads are kept (30 km).' }),
  bounds: Nullable(
    Type.Object(
      { west: Type.Number(), south: Type.Number(), east: Type.Number(), north: Type.Number() },
      {
        description: 'The bounds of the area kept: the boundary and its margin.',
      },
    ),
  ),
  startedAt: Type.String({ format: 'date-time' }),
  importedAt: Nullable(Type.String({ format: 'date-time' })),
  importedBy: Nullable(Type.String()),
});

export const AllianceNetworks = Type.Object({
  networks: Type.Array(Network, {
    description: 'The networks of the alliance, newest first: active, importing, failed, replaced (not removed).',
  }),
  defaultSpeeds: Speeds,
  marginM: Type.Number(),
});
