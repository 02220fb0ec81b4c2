import { Type } from 'typebox';
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

/** A translated field of a service, keyed by language code. */
const TranslatedTexts = Type.Object({
  name: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
});

export const DirectoryService = Type.Object({
  /** One entry per service at one location: the service_at_location id. */
  id: Type.String(),
  serviceId: Type.String(),
  name: Type.String(),
  organizationName: Type.String(),
  description: Nullable(Type.String()),
  /** The language the name and description are written in. */
  textLanguage: Type.String(),
  translations: Type.Record(Type.String(), TranslatedTexts, {
    description: 'Name and description in other languages, keyed by language code.',
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
        "worked out in the region's time zone; null when the opening hours are not known.",
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
