import { Type } from 'typebox';
import {
  h3Resolutions,
  maxThresholdM,
  maxThresholdMinutes,
  travelModes,
} from '../../domain/gap-analysis/gapParameters.js';
import { topics } from '#contract/taxonomy/categories.js';
import { type GapNoteCode, gapNoteTexts } from '../../domain/gap-analysis/gapNotes.js';
import { AllianceRef, CategoryId, Nullable, Pagination, ShortText, Uuid, errorCodeFields } from '../commonSchemas.js';

const Topic = Type.Enum([...topics]);
const Subject = Type.String({
  pattern: '^[a-z_]{1,60}$',
  description: 'A category id or a topic id measured by the run.',
});

export const AllianceParams = Type.Object({ idOrSlug: AllianceRef });
export const RunParams = Type.Object({ id: Uuid });
export const RunTileParams = Type.Object({
  id: Uuid,
  z: Type.Integer({ minimum: 0, maximum: 22, description: 'The zoom level, 0 to 22.' }),
  x: Type.Integer({ minimum: 0, description: 'The column, 0 to 2^z − 1.' }),
  y: Type.String({ pattern: '^[0-9]{1,8}\\.mvt$', description: 'The row, 0 to 2^z − 1, then `.mvt`.' }),
});
export const RunUnitParams = Type.Object({ id: Uuid, unitId: Uuid });

/** A code's parameters: numbers are raw, for the reader's locale to format. */
const CodeParams = Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]));

/** A note of a run's summary as a code (gap-analysis/gapNotes.ts), for a page to say it in its reader's language. */
const GapNote = Type.Object({
  code: Type.Enum(Object.keys(gapNoteTexts) as GapNoteCode[]),
  params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
});

export const RunCreateBody = Type.Object(
  {
    units: Type.Object(
      {
        kind: Type.Enum(['h3', 'imported'], {
          description: '"h3": a hexagon grid over the region; "imported": a set made with POST …/analysis-units.',
        }),
        resolution: Type.Optional(
          Type.Integer({
            minimum: h3Resolutions.min,
            maximum: h3Resolutions.max,
            description: 'H3 resolution: 5 (≈ 250 km² cells) to 8 (≈ 0.7 km²).',
          }),
        ),
        unitSetId: Type.Optional(Uuid),
      },
      { additionalProperties: false },
    ),
    travel: Type.Enum([...travelModes], {
      default: 'straight',
      description:
        'How people travel: straight = geodesic metres (thresholdM); walk, bike, drive = travel times on the ' +
        'alliance’s active road network (thresholdMinutes). A travel mode without an active network is refused ' +
        '(gap.no-road-network).',
    }),
    thresholdM: Type.Number({
      exclusiveMinimum: 0,
      maximum: maxThresholdM,
      default: 10_000,
      description: 'Catchment d0 of 2SFCA/E2SFCA and "within reach" distance, in metres (straight lines only).',
    }),
    thresholdMinutes: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: maxThresholdMinutes,
        description:
          'Catchment d0 in minutes for a travel mode (default 30: Luo & Qi’s zones 0–10–20–30 with the stepped ' +
          'decay); a service at exactly d0 is within reach. Only travel modes take it.',
      }),
    ),
    decaySigmaMinutes: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: maxThresholdMinutes,
        description: 'σ of the gaussian_sigma decay in minutes for a travel mode; d0 when absent.',
      }),
    ),
    method: Type.Enum(['2sfca', 'e2sfca'], { default: 'e2sfca', description: 'Score used for ranking and flags.' }),
    decay: Type.Enum(['none', 'stepped', 'dai_gaussian', 'gaussian', 'gaussian_sigma'], {
      default: 'dai_gaussian',
      description:
        'E2SFCA distance decay W(d), for d ≤ d0: none = 1; stepped = weights 1, 0.68, 0.22 over thirds of d0 ' +
        '(Luo & Qi 2009); dai_gaussian = (exp(−½(d/d0)²) − exp(−½)) / (1 − exp(−½)), the Gaussian rescaled to 1 at ' +
        '0 and 0 at d0 (Dai 2010); gaussian = the same as dai_gaussian (its former name, still accepted and saved as ' +
        'dai_gaussian); gaussian_sigma = exp(−d² / (2σ²)), the unscaled Gaussian of PySAL access ' +
        '`weights.gaussian(sigma)`, with σ = decaySigmaM.',
    }),
    decaySigmaM: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: maxThresholdM,
        description: 'σ of the gaussian_sigma decay, in metres; d0 when absent. Only that decay takes it.',
      }),
    ),
    belowMeanFraction: Type.Number({ minimum: 0, maximum: 1, default: 0.5 }),
    duplicationRadiusM: Type.Number({ minimum: 1, maximum: 5000, default: 500 }),
    categories: Type.Optional(Type.Array(CategoryId, { uniqueItems: true, maxItems: 3 })),
    topics: Type.Array(Topic, { uniqueItems: true, maxItems: 20, default: [] }),
    leaveOutUncheckedMonths: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 60,
        description:
          'Leave out of the supply the services not checked within this many months (and those never checked), ' +
          'counted on the region’s calendar from the day the run starts. Absent: every active service counts.',
      }),
    ),
  },
  { additionalProperties: false },
);

const Parameters = Type.Object({
  units: Type.Object({
    kind: Type.String(),
    resolution: Type.Optional(Type.Integer()),
    unitSetId: Type.Optional(Type.String()),
  }),
  travel: Type.Optional(
    Type.String({ description: 'straight, walk, bike or drive; absent from runs made before travel modes: straight.' }),
  ),
  thresholdM: Type.Number(),
  thresholdMinutes: Type.Optional(Type.Number()),
  decaySigmaMinutes: Type.Optional(Type.Number()),
  method: Type.String(),
  decay: Type.String({
    description: 'As asked, except that gaussian is saved as dai_gaussian; runs saved before keep gaussian, the same.',
  }),
  decaySigmaM: Type.Optional(Type.Number()),
  belowMeanFraction: Type.Number(),
  duplicationRadiusM: Type.Number(),
  categories: Type.Array(Type.String()),
  topics: Type.Array(Type.String()),
  freshness: Type.Optional(
    Type.Object(
      { leaveOutUncheckedMonths: Type.Integer(), checkedSince: Type.String() },
      { description: 'Services not checked since `checkedSince` were left out; absent when every one counted.' },
    ),
  ),
});

const SubjectSummary = Type.Object({
  kind: Type.String(),
  subject: Type.String(),
  label: Type.String(),
  serviceLocations: Type.Integer(),
  regionalMean2sfca: Type.Number(),
  regionalMeanE2sfca: Type.Number(),
  meanNearestDistanceM: Nullable(Type.Number()),
  meanNearestSeconds: Type.Optional(
    Nullable(Type.Number({ description: 'Travel runs: population-weighted mean time to the nearest service (s).' })),
  ),
  flaggedUnits: Type.Integer(),
  populationWithoutServiceWithinReach: Type.Number(),
});

const PopulationSourceParts = Type.Array(
  Type.Object({
    code: Type.String(),
    params: Type.Record(Type.String(), Nullable(Type.Union([Type.String(), Type.Number()]))),
  }),
  {
    description:
      '`populationSource` as sentences with codes and figures (numbers raw, dates ISO), for pages to say in their ' +
      "reader's language; absent or null for runs made before they were kept.",
  },
);

const Summary = Type.Object({
  freshness: Type.Optional(
    Type.Object(
      {
        olderThanCycle: Type.Integer({
          description: 'Active services of the run’s subjects past their update cycle (or never checked) at its start.',
        }),
        leaveOutUncheckedMonths: Nullable(Type.Integer()),
        leftOut: Type.Integer({ description: 'Services left out of the supply because not checked recently.' }),
      },
      { description: 'Absent from runs made before services had a check date.' },
    ),
  ),
  totalPopulation: Type.Number(),
  unitCount: Type.Integer(),
  populationSource: Type.String(),
  populationSourceParts: Type.Optional(Nullable(PopulationSourceParts)),
  outerPopulation: Type.Optional(
    Type.Number({
      description:
        'On an H3 grid, the people beyond the boundary (in no area) within the threshold of a service in reach of ' +
        'an area, counted in those services’ demand. Absent for imported areas and from older runs.',
    }),
  ),
  placement: Type.Optional(
    Type.Object(
      {
        townLevelServiceLocations: Type.Integer({
          description: 'Services (one per place) known at town level only: measured from their town’s point.',
        }),
        unplacedServiceLocations: Type.Integer({
          description: 'Services (one per place) not placed yet: left out of the supply.',
        }),
      },
      { description: 'Absent from runs made before places could be left unplaced.' },
    ),
  ),
  subjects: Type.Array(SubjectSummary),
  duplication: Type.Object({
    radiusM: Type.Number(),
    precisionNote: Nullable(Type.String()),
    precisionNoteCode: Nullable(GapNote),
    clusters: Type.Array(
      Type.Object({
        category: Type.String(),
        serviceCount: Type.Integer(),
        organizationCount: Type.Integer(),
        lat: Type.Number(),
        lon: Type.Number(),
        townPrecision: Type.Boolean(),
        services: Type.Array(
          Type.Object({
            serviceId: Type.String(),
            name: Type.String(),
            organizationId: Type.String(),
            organizationName: Type.String(),
            precision: Type.String(),
          }),
        ),
      }),
    ),
  }),
  missingActors: Type.Object({
    categories: Type.Array(Type.Object({ id: Type.String(), label: Type.String() })),
    note: Type.String(),
    noteCode: GapNote,
  }),
  capacities: Type.Optional(
    Type.Object(
      {
        used: Type.Boolean(),
        servicesWithCapacity: Type.Integer(),
        units: Type.Array(Type.String()),
      },
      {
        description:
          'Whether some measured services gave a capacity, used as their supply S_j by 2SFCA and E2SFCA (the others ' +
          'count 1), and the units they gave. Absent from runs made before capacities.',
      },
    ),
  ),
  travel: Type.Optional(
    Type.Object(
      {
        mode: Type.Enum(['walk', 'bike', 'drive']),
        network: Type.Object({ id: Type.String(), sourceName: Type.String(), importedAt: Type.String() }),
        engine: Type.Enum(['pgrouting', 'typescript']),
        limitMinutes: Type.Number({ description: 'The largest catchment, the matrix’s limit (included).' }),
        offNetworkAreas: Type.Integer({ description: 'Areas whose centre is too far from any road of the mode.' }),
        offNetworkLocations: Type.Integer({ description: 'Service locations too far from any road of the mode.' }),
        pairs: Type.Integer({ description: 'Pairs area → service location within the limit.' }),
        outerDemand: Type.Enum(['not-counted', 'none'], {
          description:
            'not-counted: on an H3 grid, the people beyond the boundary are not counted as demand in a travel run; ' +
            'none: imported areas carry their own population.',
        }),
      },
      {
        description: 'A travel run’s mode, road network (id, file, import date) and engine; absent for straight lines.',
      },
    ),
  ),
  notes: Type.Array(Type.String()),
  noteCodes: Type.Array(GapNote, { description: 'The notes as codes, in the order of `notes`.' }),
});

export const Run = Type.Object({
  id: Type.String(),
  allianceId: Type.String(),
  unitSetId: Nullable(Type.String()),
  parameters: Parameters,
  status: Type.Enum(['running', 'done', 'failed']),
  progress: Type.Number({ description: 'From 0 to 1.' }),
  stage: Nullable(Type.String({ description: 'What the run is doing, in English.' })),
  stageCode: Nullable(
    Type.String({ description: 'The stage as a code (waiting, h3-grid, measuring-areas, saving, done…).' }),
  ),
  stageParams: Nullable(CodeParams),
  error: Nullable(Type.String({ description: 'Why the run failed, in English.' })),
  errorCode: Nullable(Type.String({ description: 'Why the run failed, as an error code (null before codes).' })),
  errorParams: Nullable(CodeParams),
  summary: Nullable(Summary),
  startedAt: Type.String(),
  finishedAt: Nullable(Type.String()),
});

export const RunAccepted = Type.Object({
  id: Type.String(),
  status: Type.String(),
  progressUrl: Type.String(),
  resultsUrl: Type.String(),
});

export const ResultsQuery = Type.Object({
  subject: Type.Optional(Subject),
  flagged: Type.Boolean({ default: false, description: 'Only areas with a gap flag.' }),
  sort: Type.Enum(['severity', 'population', 'score', 'distance'], { default: 'severity' }),
  ...Pagination,
});

export const ExportQuery = Type.Object({ subject: Type.Optional(Subject) });

export const NearestQuery = Type.Object({
  subject: Subject,
  limit: Type.Integer({ minimum: 1, maximum: 50, default: 5 }),
});

export const UnitResult = Type.Object({
  unit: Type.Object({
    id: Type.String(),
    code: Type.String(),
    name: Nullable(Type.String()),
    lat: Type.Number(),
    lon: Type.Number(),
  }),
  subjectKind: Type.String(),
  subject: Type.String(),
  population: Type.Number(),
  nearestDistanceM: Nullable(Type.Number()),
  nearestSeconds: Nullable(
    Type.Number({ description: 'Travel runs: seconds to the nearest service (null beyond the catchment).' }),
  ),
  countWithin: Type.Integer(),
  supplyCount: Type.Integer(),
  supplyPer10k: Nullable(Type.Number()),
  score2sfca: Type.Number(),
  scoreE2sfca: Type.Number(),
  flags: Type.Array(Type.String()),
  reason: Nullable(Type.String({ description: 'Why this is a gap, in English (for scripts); pages say reasonCode.' })),
  reasonCode: Nullable(Type.Enum(['no-service-within', 'below-regional-mean', 'unreachable', 'off-network'])),
  reasonParams: Nullable(
    Type.Object(
      {
        subjectKind: Type.Enum(['category', 'topic']),
        subject: Type.String(),
        population: Type.Number({ description: 'The people of the area, unrounded.' }),
        thresholdM: Type.Optional(Type.Number({ description: 'no-service-within: the distance within reach (m).' })),
        thresholdMinutes: Type.Optional(Type.Number({ description: 'unreachable: the time within reach (min).' })),
        travel: Type.Optional(Type.Enum(['walk', 'bike', 'drive'], { description: 'unreachable, off-network.' })),
        method: Type.Optional(Type.Enum(['2sfca', 'e2sfca'], { description: 'below-regional-mean: the score used.' })),
        percent: Type.Optional(
          Type.Integer({ description: "below-regional-mean: the area's score as a percentage of the regional mean." }),
        ),
      },
      { additionalProperties: false },
    ),
  ),
});

export const ResultPage = Type.Object({
  items: Type.Array(UnitResult),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
  populationSource: Type.String(),
  populationSourceParts: Nullable(PopulationSourceParts),
});

export const ResultFeatureCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(
    Type.Object({
      type: Type.Literal('Feature'),
      id: Type.String(),
      geometry: Type.Unknown(),
      properties: Type.Object({}, { additionalProperties: true }),
    }),
  ),
});

export const MeasureQuery = Type.Object({ subject: Subject });

const NullableNumbers = (description: string) => Type.Array(Nullable(Type.Number()), { description });

export const MeasureColumns = Type.Object(
  {
    bbox: Nullable(
      Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()], {
        description: "The run's areas' extent: west, south, east, north (WGS84).",
      }),
    ),
    population: Type.Array(Type.Number(), { description: "Each area's population." }),
    nearestDistanceM: NullableNumbers('Metres to the nearest service of the subject; null when none in the region.'),
    nearestSeconds: NullableNumbers('Travel runs: seconds to the nearest service; null beyond the catchment.'),
    countWithin: NullableNumbers('Services of the subject within the threshold.'),
    supplyPer10k: NullableNumbers('Services within the threshold per 10,000 inhabitants.'),
    score2sfca: NullableNumbers('2SFCA accessibility score.'),
    scoreE2sfca: NullableNumbers('E2SFCA accessibility score.'),
  },
  {
    description:
      "One subject's measures over all the run's areas, as columns in one order (the areas' codes), without " +
      'outlines or ids: what a map drawn from tiles needs for its classes and legend.',
  },
);

export const UnitFeature = Type.Object({
  type: Type.Literal('Feature'),
  id: Type.String(),
  geometry: Type.Unknown(),
  properties: Type.Object({}, { additionalProperties: true }),
});

export const NearestServices = Type.Object({
  items: Type.Array(
    Type.Object({
      serviceId: Type.String(),
      name: Type.String(),
      category: Type.String(),
      organizationName: Type.String(),
      lat: Type.Number(),
      lon: Type.Number(),
      precision: Type.String(),
      distanceM: Type.Number(),
    }),
  ),
});

export const UnitSet = Type.Object({
  id: Type.String(),
  allianceId: Type.String(),
  kind: Type.String(),
  h3Resolution: Nullable(Type.Integer()),
  name: Type.String(),
  populationSource: Type.String(),
  unitCount: Type.Integer(),
  totalPopulation: Type.Number(),
  createdAt: Type.String(),
});

export const UnitSetCreateBody = Type.Object(
  {
    name: ShortText,
    nameProperty: Type.String({ minLength: 1, maxLength: 100, default: 'name' }),
    populationProperty: Type.String({ minLength: 1, maxLength: 100, default: 'population' }),
    areas: Type.Unknown({ description: 'A GeoJSON FeatureCollection of Polygon/MultiPolygon areas in WGS84.' }),
  },
  { additionalProperties: false },
);

export const UnitSetCreated = Type.Object({
  unitSet: UnitSet,
  report: Type.Object({
    repaired: Type.Array(Type.Object({ feature: Type.Integer(), name: Type.String(), problem: Type.String() })),
    outsideRegion: Type.Array(Type.Object({ feature: Type.Integer(), name: Type.String() })),
  }),
});

export const ImportErrorResponse = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
  ...errorCodeFields,
  problems: Type.Optional(
    Type.Array(
      Type.Object({
        feature: Type.Integer(),
        message: Type.String(),
        code: Type.String({ description: 'The problem as a code (areas.feature-…), its parameters beside it.' }),
        params: CodeParams,
      }),
    ),
  ),
});

export const ScenarioBody = Type.Object(
  {
    label: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    add: Type.Array(
      Type.Object(
        {
          lon: Type.Number({ minimum: -180, maximum: 180 }),
          lat: Type.Number({ minimum: -90, maximum: 90 }),
          category: CategoryId,
          capacity: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'S_j; 1 when absent.' })),
          label: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          planActionId: Type.Optional(Uuid),
        },
        { additionalProperties: false },
      ),
      { maxItems: 50, default: [], description: 'Planned services, placed at a point.' },
    ),
    remove: Type.Array(Uuid, {
      maxItems: 200,
      uniqueItems: true,
      default: [],
      description: 'service_at_location ids measured by the run, taken away.',
    }),
  },
  { additionalProperties: false },
);

const Counts = Type.Object({
  flaggedUnits: Type.Integer(),
  populationWithoutServiceWithinReach: Type.Number(),
  regionalMean: Type.Number({ description: 'Population-weighted mean score of the run’s method, per 10,000.' }),
});

export const Scenario = Type.Object({
  id: Type.String(),
  runId: Type.String(),
  label: Nullable(Type.String()),
  added: Type.Array(
    Type.Object({
      lon: Type.Number(),
      lat: Type.Number(),
      category: Type.String(),
      capacity: Type.Optional(Type.Number()),
      label: Type.Optional(Type.String()),
      planActionId: Type.Optional(Type.String()),
    }),
  ),
  removed: Type.Array(Type.String()),
  outcome: Type.Object({
    unit: Type.Enum(['m', 's'], { description: 'The unit of the limits: metres (straight lines) or seconds.' }),
    addedOffNetwork: Type.Array(Type.Integer(), { description: 'Indexes of added points too far from any road.' }),
    subjects: Type.Array(
      Type.Object({
        kind: Type.String(),
        subject: Type.String(),
        limits: Type.Array(
          Type.Object({
            limit: Type.Number({ description: 'A zone limit (stepped decay: thirds of d0; else d0).' }),
            populationNewlyWithin: Type.Number({ description: 'People whose nearest service comes within it.' }),
            populationNoLongerWithin: Type.Number({ description: 'People whose nearest service goes beyond it.' }),
          }),
        ),
        before: Counts,
        after: Counts,
        areasNoLongerFlagged: Type.Array(Type.String()),
        areasNewlyFlagged: Type.Array(Type.String()),
        changedAreas: Type.Array(Type.String(), {
          description: 'Areas whose nearest service, count within reach or score changed.',
        }),
      }),
    ),
  }),
  createdAt: Type.String(),
});

export const ScenarioLocationsQuery = Type.Object({
  lon: Type.Number({ minimum: -180, maximum: 180, description: 'Longitude of the point, WGS 84.' }),
  lat: Type.Number({ minimum: -90, maximum: 90, description: 'Latitude of the point, WGS 84.' }),
  limit: Type.Integer({ minimum: 1, maximum: 50, default: 10 }),
});

export const ScenarioLocations = Type.Object({
  items: Type.Array(
    Type.Object({
      locationId: Type.String({ description: 'The service_at_location id a scenario removes ("remove").' }),
      serviceName: Type.String(),
      organizationName: Type.String(),
      category: Type.String(),
      lon: Type.Number(),
      lat: Type.Number(),
      distanceM: Type.Number({ description: 'Geodesic metres from the point.' }),
    }),
  ),
});
