import { Type } from 'typebox';
import { audiences, topics } from '#contract/taxonomy/categories.js';
import { needIds } from '#contract/taxonomy/needs.js';
import {
  AllianceRef,
  Bbox,
  CategoryId,
  LanguageCode,
  LongText,
  Nullable,
  Pagination,
  Precision,
  ShortText,
  Uuid,
  WebAddress,
} from '../commonSchemas.js';

const Topic = Type.Enum([...topics]);
const Audience = Type.Enum([...audiences]);
const NeedId = Type.Enum(needIds, {
  description:
    "A newcomer's need in plain words (see domain/taxonomy/needs.ts): services of one of its categories or offering one of its topics.",
});
const Status = Type.Enum(['active', 'inactive', 'defunct', 'temporarily closed']);
const AreaScope = Type.Enum(['local', 'region'], {
  description: '"region" for services that serve the whole region (mobile, online, national bodies).',
});

const PointLocation = Type.Object({
  lat: Type.Number(),
  lon: Type.Number(),
  town: Nullable(Type.String()),
  precision: Precision,
});

export const ServiceSummary = Type.Object({
  id: Type.String(),
  name: Type.String(),
  category: CategoryId,
  topics: Type.Array(Type.String()),
  languages: Type.Array(Type.String()),
  organization: Type.Object({ id: Type.String(), name: Type.String() }),
  location: Nullable(PointLocation),
  allianceSlug: Type.String(),
});

/** The update cycles a service or an alliance may follow, in months (domain/freshness/updateCycles.ts). */
export const UpdateCycle = Type.Union([Type.Literal(1), Type.Literal(3), Type.Literal(6), Type.Literal(12)], {
  description: 'Months between two checks of a service: 1, 3, 6 or 12.',
});

export const VerifiedVia = Type.Enum(['editor', 'organization', 'import'], {
  description: "Who confirmed it: an editor, the organisation through its self-service link, or an import's source.",
});

export const ServiceAge = Type.Enum(['fresh', 'due-soon', 'overdue', 'never'], {
  description:
    'Age at a glance: within its cycle (`fresh`), due within a month (`due-soon`), past its due day (`overdue`), ' +
    'never checked (`never`).',
});

/** How fresh a service's record is (domain/freshness). */
export const ServiceFreshnessFields = {
  verifiedAt: Nullable(
    Type.String({ description: 'When somebody last confirmed the record (ISO 8601); null: never.' }),
  ),
  verifiedVia: Nullable(VerifiedVia),
  updateCycleMonths: Nullable(UpdateCycle),
  effectiveCycleMonths: UpdateCycle,
  dueOn: Nullable(
    Type.String({
      format: 'date',
      description: "The last day the check holds, on the region's calendar; null when never checked.",
    }),
  ),
  overdue: Type.Boolean({ description: 'Past its due day, or never checked.' }),
  age: ServiceAge,
};

/** A service in the workspace's list: its summary and how fresh it is. */
export const ServiceListItem = Type.Intersect([ServiceSummary, Type.Object(ServiceFreshnessFields)]);

export const NearbyService = Type.Intersect([
  ServiceSummary,
  Type.Object({ distanceM: Type.Number({ description: 'Geodesic distance in metres' }) }),
]);

export const ServiceDetail = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  category: CategoryId,
  topics: Type.Array(Type.String()),
  audiences: Type.Array(Type.String()),
  languages: Type.Array(Type.String()),
  url: Nullable(Type.String()),
  email: Nullable(Type.String()),
  status: Status,
  /** true: free of charge; false: there is a cost; null: not known. */
  free: Nullable(Type.Boolean()),
  feesDescription: Nullable(Type.String()),
  eligibilityDescription: Nullable(Type.String()),
  applicationProcess: Nullable(Type.String()),
  interpretationServices: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  /** What the service can take at each location, S_j of the 2SFCA/E2SFCA scores; null counts as 1. */
  capacity: Nullable(Type.Number()),
  /** What the capacity counts ("places", "staff hours a week"). */
  capacityUnit: Nullable(Type.String()),
  /** Opening hours at every location of the service (OpenStreetMap `opening_hours` syntax); null when not known. */
  openingHours: Nullable(Type.String()),
  serviceArea: AreaScope,
  textLanguage: Type.String(),
  organization: Type.Object({
    id: Type.String(),
    name: Type.String(),
    description: Nullable(Type.String()),
    website: Nullable(Type.String()),
    email: Nullable(Type.String()),
  }),
  locations: Type.Array(
    Type.Object({
      lat: Nullable(Type.Number({ description: 'Null while the place is not placed yet.' })),
      lon: Nullable(Type.Number()),
      town: Nullable(Type.String()),
      precision: Precision,
      needsPlace: Type.Boolean({ description: 'Not placed yet, or put at its town by an import.' }),
      id: Type.String(),
      name: Nullable(Type.String()),
      address: Nullable(Type.String()),
      note: Nullable(Type.String()),
      hideAddress: Type.Boolean({
        description:
          "Shelters, women's services: anyone but the alliance's members gets no address and a point rounded to 0.01°.",
      }),
      version: Type.Integer({
        description: 'Send it back with a change of the location (PATCH /api/locations/:id).',
      }),
    }),
  ),
  alliance: Type.Object({
    id: Type.String(),
    slug: Type.String(),
    name: Type.String(),
    updateCycleMonths: Type.Union([Type.Literal(1), Type.Literal(3), Type.Literal(6), Type.Literal(12)], {
      description: "The alliance's default update cycle, which a service without its own follows.",
    }),
  }),
  version: Type.Integer({ description: 'Send it back with a change (PATCH).' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  ...ServiceFreshnessFields,
  checkedOn: Nullable(
    Type.String({ format: 'date', description: "The region's calendar date of the last check; null: never." }),
  ),
  verifiedByName: Nullable(
    Type.String({
      description:
        "The editor who checked it last, for the alliance's members; null for anyone else, and when the organisation " +
        'or an import confirmed it.',
    }),
  ),
});

export const ServiceFilterQuery = {
  alliance: Type.Optional(AllianceRef),
  category: Type.Optional(CategoryId),
  topic: Type.Optional(Topic),
  language: Type.Optional(LanguageCode),
  need: Type.Optional(NeedId),
  bbox: Type.Optional(Bbox),
  notCheckedForMonths: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 120,
      description:
        "Only services not checked within this many months on their region's calendar (never checked included).",
    }),
  ),
};

export const ServiceListQuery = Type.Object({ ...ServiceFilterQuery, ...Pagination });
export const ServicePointsQuery = Type.Object(ServiceFilterQuery);
const { bbox: _tileHasItsOwnBox, ...tileFilters } = ServiceFilterQuery;
export const ServiceTileQuery = Type.Object(tileFilters);

export const ServiceTileParams = Type.Object({
  z: Type.Integer({ minimum: 0, maximum: 22, description: 'The zoom level, 0 to 22.' }),
  x: Type.Integer({ minimum: 0, description: 'The column, 0 to 2^z − 1.' }),
  y: Type.String({ pattern: '^[0-9]{1,8}\\.mvt$', description: 'The row, 0 to 2^z − 1, then `.mvt`.' }),
});

export const ServicePage = Type.Object({
  items: Type.Array(ServiceListItem),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

export const ServiceFeatureCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(
    Type.Object({
      type: Type.Literal('Feature'),
      geometry: Type.Object({
        type: Type.Literal('Point'),
        coordinates: Type.Array(Type.Number(), { minItems: 2, maxItems: 2 }),
      }),
      properties: Type.Object({
        id: Type.String(),
        name: Type.String(),
        category: CategoryId,
        organizationName: Type.String(),
        precision: Precision,
        town: Nullable(Type.String()),
        age: ServiceAge,
        dueOn: ServiceFreshnessFields.dueOn,
        verifiedAt: ServiceFreshnessFields.verifiedAt,
      }),
    }),
  ),
});

/** The largest radius a "near me" search accepts; wider searches belong to the directory. */
export const maxNearbyRadiusM = 200_000;

export const NearbyQuery = Type.Object({
  lat: Type.Number({ minimum: -90, maximum: 90, description: 'Latitude in degrees (WGS84)' }),
  lon: Type.Number({ minimum: -180, maximum: 180, description: 'Longitude in degrees (WGS84)' }),
  radius_m: Type.Number({
    exclusiveMinimum: 0,
    maximum: maxNearbyRadiusM,
    default: 10_000,
    description: 'Search radius in metres (at most 200 km)',
  }),
  category: Type.Optional(CategoryId),
  language: Type.Optional(LanguageCode),
  need: Type.Optional(NeedId),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});

/**
 * A value or null, written as a JSON Schema list of types. Fastify's validator
 * coerces types, and inside Nullable's `anyOf` it would turn a null sent to
 * clear a field into false or "" before trying the null branch.
 */
function orNull<T extends boolean | string>(schema: { type: 'boolean' | 'string'; [keyword: string]: unknown }) {
  return Type.Unsafe<T | null>({ ...schema, type: [schema.type, 'null'] });
}

const serviceFields = {
  name: ShortText,
  description: Type.Optional(Nullable(LongText)),
  category: CategoryId,
  topics: Type.Optional(Type.Array(Topic, { maxItems: 20, uniqueItems: true })),
  audiences: Type.Optional(Type.Array(Audience, { maxItems: 20, uniqueItems: true })),
  languages: Type.Optional(Type.Array(LanguageCode, { maxItems: 50, uniqueItems: true })),
  url: Type.Optional(Nullable(WebAddress)),
  email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 300 }))),
  status: Type.Optional(Status),
  free: Type.Optional(
    orNull<boolean>({ type: 'boolean', description: 'true: free of charge; false: there is a cost; null: not known.' }),
  ),
  feesDescription: Type.Optional(Nullable(LongText)),
  eligibilityDescription: Type.Optional(Nullable(LongText)),
  applicationProcess: Type.Optional(Nullable(LongText)),
  phone: Type.Optional(orNull<string>({ type: 'string', minLength: 1, maxLength: 50 })),
  capacity: Type.Optional(
    Type.Unsafe<number | null>({
      type: ['number', 'null'],
      exclusiveMinimum: 0,
      maximum: 1_000_000_000,
      description:
        'What the service can take at each of its locations (places, staff hours a week…), used as its supply by ' +
        'the 2SFCA and E2SFCA scores of the gap analysis; null counts as 1.',
    }),
  ),
  capacityUnit: Type.Optional(
    orNull<string>({
      type: 'string',
      minLength: 1,
      maxLength: 100,
      description: 'What the capacity counts, e.g. "places".',
    }),
  ),
  openingHours: Type.Optional(
    orNull<string>({
      type: 'string',
      minLength: 1,
      maxLength: 1000,
      description:
        'OpenStreetMap opening_hours syntax, read in the alliance\'s time zone, e.g. "Mo-Fr 09:00-12:00,14:00-17:00".',
    }),
  ),
  serviceArea: Type.Optional(AreaScope),
  textLanguage: Type.Optional(LanguageCode),
  updateCycleMonths: Type.Optional(
    Type.Unsafe<1 | 3 | 6 | 12 | null>({
      type: ['integer', 'null'],
      enum: [1, 3, 6, 12, null],
      description: "Months between two checks of the service (1, 3, 6 or 12); null follows the alliance's cycle.",
    }),
  ),
  locationIds: Type.Optional(
    Type.Array(Uuid, {
      maxItems: 50,
      uniqueItems: true,
      description: "Locations of the service's organisation; all of them when omitted on creation.",
    }),
  ),
};

export const ServiceCreateBody = Type.Object(
  { organizationId: Uuid, ...serviceFields },
  { additionalProperties: false },
);

export const ServiceUpdateBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version the service was read at.' }),
    ...serviceFields,
    name: Type.Optional(ShortText),
    category: Type.Optional(CategoryId),
  },
  { additionalProperties: false },
);
