import { Type } from 'typebox';
import { type TranslatableField, translatableFieldNames } from '../../domain/translations/translatableFields.js';
import { CategoryId, Nullable, Precision } from '../commonSchemas.js';

/**
 * The public directory of one alliance, as the newcomers' finder downloads it:
 * everything the finder needs to search, filter and rank on the phone itself,
 * so that the newcomer's position never has to leave the device, and so that
 * the page keeps working offline from a saved copy.
 */

export const DirectoryQuery = Type.Object({
  from: Type.Optional(
    Type.String({
      format: 'date',
      description:
        'The first day (in the region) of the opening times to list, as YYYY-MM-DD; today in the region by default. ' +
        'Opening times are listed for 8 days from that day.',
    }),
  ),
});

export const DirectoryParams = Type.Object({
  slug: Type.String({ minLength: 1, maxLength: 100, description: 'Alliance slug' }),
});

const TranslatedText = Type.Object({
  text: Type.String(),
  origin: Type.Enum(['human', 'machine']),
  reviewState: Type.Enum(['machine-draft', 'reviewed'], {
    description: 'A machine translation no person has checked yet is a "machine-draft"; the finder says so.',
  }),
});

/** A service's translated fields in one language. */
const TranslatedTexts = Type.Object(
  Object.fromEntries(translatableFieldNames.map((field) => [field, Type.Optional(TranslatedText)])) as Record<
    TranslatableField,
    Type.TOptional<typeof TranslatedText>
  >,
);

export const DirectoryClosure = Type.Object(
  {
    startsOn: Type.String({ format: 'date', description: "The first day closed (in the region's calendar)." }),
    endsOn: Type.String({ format: 'date', description: 'The last day closed.' }),
    reopensOn: Type.String({ format: 'date', description: 'The day after `endsOn`.' }),
    openingHours: Nullable(
      Type.String({ description: 'Exceptional hours on those days (`opening_hours` syntax); null: closed.' }),
    ),
    note: Nullable(Type.String()),
  },
  {
    description:
      'The temporary closure (or exceptional hours) in force on the first day listed, else the next one starting ' +
      'within the 8 days listed; null when there is none.',
  },
);

export const DirectoryService = Type.Object({
  /** One entry per service at one location: the service_at_location id. */
  id: Type.String(),
  serviceId: Type.String(),
  name: Type.String(),
  organizationName: Type.String(),
  description: Nullable(Type.String()),
  /** The language the texts are written in. */
  textLanguage: Type.String(),
  translations: Type.Record(Type.String(), TranslatedTexts, {
    description:
      'The texts in other languages, keyed by language code, each with its origin (human or machine) and review state.',
  }),
  category: CategoryId,
  topics: Type.Array(Type.String()),
  audiences: Type.Array(Type.String()),
  /** Languages spoken by the staff. */
  languages: Type.Array(Type.String()),
  /** true: free of charge; false: there is a cost; null: not known. */
  free: Nullable(Type.Boolean()),
  feesDescription: Nullable(Type.String()),
  eligibilityDescription: Nullable(Type.String()),
  /** How to apply or get in. */
  applicationProcess: Nullable(Type.String()),
  /** A note on the opening hours ("closed during school holidays"). */
  openingHoursNote: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  email: Nullable(Type.String()),
  url: Nullable(Type.String()),
  /** Street address; null when unknown or hidden (shelters, women's services). */
  address: Nullable(Type.String()),
  city: Nullable(Type.String()),
  postalCode: Nullable(Type.String()),
  /** The pin. For a hidden address it is the town's centre. */
  lat: Type.Number(),
  lon: Type.Number(),
  precision: Precision,
  addressHidden: Type.Boolean(),
  /** The opening hours as written (OpenStreetMap `opening_hours` syntax); null when not known. */
  openingHours: Nullable(Type.String()),
  openIntervals: Nullable(
    Type.Array(Type.Tuple([Type.String(), Type.String()]), {
      description:
        'When the service is open during the 8 days from `openFrom`, as [opens, closes] pairs of ISO instants, ' +
        "worked out in the region's time zone, temporary closures and exceptional hours applied; null when the " +
        'opening hours are not known.',
    }),
  ),
  closure: Nullable(DirectoryClosure),
  verifiedAt: Nullable(
    Type.String({ format: 'date-time', description: 'When a person last checked the service; null: never.' }),
  ),
  checkedMonth: Nullable(
    Type.String({
      pattern: '^[0-9]{4}-[0-9]{2}$',
      description:
        'The month of `verifiedAt` in the region\'s calendar, YYYY-MM (the finder\'s "checked in March 2026").',
    }),
  ),
});

export const DirectoryPlace = Type.Object({
  id: Type.String({ description: 'Stable within the alliance, for links.' }),
  name: Type.String(),
  lat: Type.Number(),
  lon: Type.Number(),
});

export const Directory = Type.Object({
  alliance: Type.Object({
    slug: Type.String(),
    name: Type.String(),
    country: Type.String(),
    languages: Type.Array(Type.String()),
    timezone: Type.String(),
    bbox: Nullable(Type.Array(Type.Number(), { minItems: 4, maxItems: 4 })),
    /** Demonstration data: opening hours, costs and translations are examples, not checked with the services. */
    demo: Type.Boolean(),
  }),
  generatedAt: Type.String({ format: 'date-time' }),
  /** Start and end of the period `openIntervals` covers (ISO instants). */
  openFrom: Type.String({ format: 'date-time' }),
  openUntil: Type.String({ format: 'date-time' }),
  /** Towns a newcomer can choose as "where I am", sorted by name. */
  places: Type.Array(DirectoryPlace),
  services: Type.Array(DirectoryService),
});

/** The compact directory, cut into cells (contract/directory/compactDirectory.ts). */
export const DirectoryPartParams = Type.Object({
  slug: Type.String({ minLength: 1, maxLength: 100, description: 'Alliance slug' }),
  part: Type.String({
    pattern: '^-?[0-9]{1,3}_-?[0-9]{1,3}$',
    description: 'A cell of the fixed world grid, `<row>_<column>`, as the index lists it.',
  }),
});

export const DirectoryPartsIndex = Type.Object(
  {
    format: Type.Integer({ description: 'The layout of the parts; a phone holding another fetches them again.' }),
    alliance: Directory.properties.alliance,
    generatedAt: Type.String({ format: 'date-time' }),
    openFrom: Type.String({ format: 'date-time' }),
    openUntil: Type.String({ format: 'date-time' }),
    cellDegrees: Type.Number({ description: 'The side of a cell in degrees of latitude and longitude.' }),
    places: Type.Array(DirectoryPlace),
    parts: Type.Array(
      Type.Object({
        id: Type.String({
          description: 'The cell, `<row>_<column>`: floor(lat / cellDegrees), floor(lon / cellDegrees).',
        }),
        services: Type.Integer({ description: 'How many services at a location the part holds.' }),
        etag: Type.String({ description: "The part's search pack's ETag." }),
        detailsEtag: Type.String({ description: "The part's details pack's ETag." }),
      }),
    ),
  },
  { description: 'The region, its towns and the parts that hold its services, one per large cell that has any.' },
);

export const DirectorySearchPack = Type.Object(
  {
    format: Type.Integer(),
    id: Type.String(),
    openFrom: Type.String({ format: 'date-time', description: 'The instant the intervals count minutes from.' }),
    words: Type.Array(Type.String(), {
      description: 'Organisations, towns, categories, topics, audiences, languages and precisions, by position.',
    }),
    intervals: Type.Array(Type.Array(Type.Integer()), {
      description: 'Open intervals, each list flat: opens, closes, opens, closes… in minutes from `openFrom`.',
    }),
    services: Type.Array(Type.Array(Type.Unknown()), {
      description:
        'One row per service at a location, its values in the order of `searchColumns` in ' +
        "contract/directory/compactDirectory.ts; a point in millionths of a degree from the cell's south-west corner.",
    }),
  },
  { description: 'What the finder needs to find, rank and list the services of one cell of the region.' },
);

export const DirectoryDetailsPack = Type.Object(
  {
    format: Type.Integer(),
    id: Type.String(),
    searchEtag: Type.String({ description: 'The ETag of the search pack these rows go with, row for row.' }),
    hours: Type.Array(Type.String(), { description: 'Opening-hours texts, referred to by position.' }),
    services: Type.Array(Type.Array(Type.Unknown()), {
      description:
        'One row per service, in the order of the search pack, its values in the order of `detailsColumns` in ' +
        'contract/directory/compactDirectory.ts.',
    }),
  },
  { description: 'What the cards of one cell show beyond the search pack.' },
);

export const NotModified = Type.Null({
  description: 'Not modified: the copy the phone holds (If-None-Match) is current.',
});
