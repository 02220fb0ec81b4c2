import { type CompiledQuery, type Kysely, sql, type Transaction } from 'kysely';
import type {
  AreaScope,
  CategoryId,
  Database,
  LocationPrecision,
  NewService,
  ServiceStatus,
  ServiceUpdate,
  UpdateCycleMonths,
} from '../../db/schema.js';
import { geographyPoint, latitudeOf, longitudeOf } from '../../db/postgis.js';
import { webAddressOrNull } from '#contract/links/webAddress.js';
import {
  type PointReader,
  readsExactly,
  visibleAddressPart,
  visiblePoint,
  visiblePrecision,
} from '../locations/hiddenAddresses.js';
import { calendarDateAt } from '../schedules/wallClock.js';
import { prepareOnEachConnection } from '../../db/preparedStatements.js';
import type { UpdateOutcome } from '../history/staleVersion.js';
import type { Need } from '#contract/taxonomy/needs.js';
import { applyServiceFilters, meetsNeed, type ServiceFilters } from './serviceFilters.js';
import { type FreshnessColumns, freshnessFields, type ServiceFreshness } from '../freshness/serviceFreshness.js';

export interface PointLocation {
  lat: number;
  lon: number;
  town: string | null;
  precision: LocationPrecision;
}

export interface ServiceSummary {
  id: string;
  name: string;
  category: CategoryId;
  topics: string[];
  languages: string[];
  organization: { id: string; name: string };
  location: PointLocation | null;
  allianceSlug: string;
}

/** A service in the workspace's list and map: its summary and how fresh its record is. */
export type ServiceListItem = ServiceSummary & ServiceFreshness;

export interface ServiceLocation extends Omit<PointLocation, 'lat' | 'lon'> {
  /** Null while the place is not placed yet. */
  lat: number | null;
  lon: number | null;
  /** Not placed yet, or put at its town by an import: its pin should be put where it is. */
  needsPlace: boolean;
  id: string;
  name: string | null;
  address: string | null;
  note: string | null;
  /** Shelters, women's services: the public gets no street and a point rounded to 0.01°. */
  hideAddress: boolean;
  version: number;
}

export interface ServiceDetail {
  id: string;
  name: string;
  description: string | null;
  category: CategoryId;
  topics: string[];
  audiences: string[];
  languages: string[];
  url: string | null;
  email: string | null;
  status: ServiceStatus;
  free: boolean | null;
  feesDescription: string | null;
  eligibilityDescription: string | null;
  applicationProcess: string | null;
  interpretationServices: string | null;
  phone: string | null;
  capacity: number | null;
  capacityUnit: string | null;
  openingHours: string | null;
  serviceArea: AreaScope;
  textLanguage: string;
  organization: {
    id: string;
    name: string;
    description: string | null;
    website: string | null;
    email: string | null;
  };
  locations: ServiceLocation[];
  /** `updateCycleMonths`: the alliance's default cycle, which a service without its own follows. */
  alliance: { id: string; slug: string; name: string; updateCycleMonths: UpdateCycleMonths };
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** The detail with its last check: who checked it is named to the alliance's members only. */
export interface ServiceDetailWithCheck extends ServiceDetail, ServiceFreshness {
  /** The region's calendar date of the last check; null: never checked. */
  checkedOn: string | null;
  /** The editor who checked it last (members only; null for the public, an organisation's link or an import). */
  verifiedByName: string | null;
}

export interface NearbyService extends ServiceSummary {
  distanceM: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/**
 * Services joined to their organisation and alliance, with their first location for the map: exact for the reader's
 * own alliances, else the public point of a hidden address.
 */
function serviceSummaries(db: Kysely<Database>, reader: PointReader) {
  const exact = readsExactly(reader, 'o.alliance_id');
  return db
    .selectFrom('service as s')
    .innerJoin('organization as o', 'o.id', 's.organization_id')
    .innerJoin('alliance as a', 'a.id', 'o.alliance_id')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('service_at_location as sal')
          .innerJoin('location as l', 'l.id', 'sal.location_id')
          .select([
            latitudeOf(visiblePoint('l', exact)).as('lat'),
            longitudeOf(visiblePoint('l', exact)).as('lon'),
            'l.city as town',
            visiblePrecision('l', exact).as('precision'),
          ])
          .whereRef('sal.service_id', '=', 's.id')
          // A place not placed yet has no point to show: the first placed one stands for the service.
          .where('l.geog', 'is not', null)
          .orderBy('l.created_at')
          .orderBy('l.id')
          .limit(1)
          .as('first_location'),
      (join) => join.onTrue(),
    )
    .select([
      's.id',
      's.name',
      's.category',
      's.topics',
      's.languages',
      'o.id as organization_id',
      'o.name as organization_name',
      'a.slug as alliance_slug',
      's.verified_at',
      's.verified_via',
      's.update_cycle_months',
      'a.update_cycle_months as alliance_cycle_months',
      'a.timezone',
      'first_location.lat',
      'first_location.lon',
      'first_location.town',
      'first_location.precision',
    ]);
}

type SummaryRow = {
  id: string;
  name: string;
  category: CategoryId;
  topics: string[];
  languages: string[];
  organization_id: string;
  organization_name: string;
  alliance_slug: string;
  lat: number | null;
  lon: number | null;
  town: string | null;
  precision: LocationPrecision | null;
};

function toSummary(row: SummaryRow): ServiceSummary {
  return {
    id: row.id,
    name: row.name,
    category: row.category,
    topics: row.topics,
    languages: row.languages,
    organization: { id: row.organization_id, name: row.organization_name },
    location:
      row.lat === null || row.lon === null
        ? null
        : { lat: row.lat, lon: row.lon, town: row.town, precision: row.precision ?? 'exact' },
    allianceSlug: row.alliance_slug,
  };
}

function toListItem(row: SummaryRow & FreshnessColumns, now: Date): ServiceListItem {
  return { ...toSummary(row), ...freshnessFields(row, now) };
}

export async function listServices(
  db: Kysely<Database>,
  filters: ServiceFilters,
  page: { limit: number; offset: number },
  reader: PointReader,
  now: Date = new Date(),
): Promise<Page<ServiceListItem>> {
  const rows = await applyServiceFilters(serviceSummaries(db, reader), filters)
    .orderBy('s.name')
    .orderBy('s.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const { total } = await applyServiceFilters(
    db
      .selectFrom('service as s')
      .innerJoin('organization as o', 'o.id', 's.organization_id')
      .select(sql<number>`count(*)::int`.as('total')),
    filters,
  ).executeTakeFirstOrThrow();
  return { items: rows.map((row) => toListItem(row, now)), total, ...page };
}

/**
 * How many services `servicePointPages` reads a page: enough that a page costs far more than its round trip, few
 * enough that a page of GeoJSON is a few hundred kilobytes.
 */
export const servicePointPageSize = 1000;

/**
 * Every matching service with a location, as `listServicePoints` gives them and in the same order (by id), read a
 * page of `pageSize` services at a time (keyset on the id), so that a map layer of a large alliance can be written
 * out as it is read instead of being built whole in memory. Each page is a query of its own: a change made while
 * the pages are read shows from the next page on.
 */
export async function* servicePointPages(
  db: Kysely<Database>,
  filters: ServiceFilters,
  reader: PointReader,
  { pageSize = servicePointPageSize, now = new Date() }: { pageSize?: number; now?: Date } = {},
): AsyncGenerator<ServiceListItem[]> {
  let after: string | undefined;
  for (;;) {
    let page = applyServiceFilters(serviceSummaries(db, reader), filters);
    if (after !== undefined) page = page.where('s.id', '>', after);
    const rows = await page.orderBy('s.id').limit(pageSize).execute();
    const located = rows.map((row) => toListItem(row, now)).filter((service) => service.location !== null);
    if (located.length > 0) yield located;
    if (rows.length < pageSize) return;
    after = rows.at(-1)!.id;
  }
}

/** Every matching service with a location, for a map layer, in one query (see servicePointPages). */
export async function listServicePoints(
  db: Kysely<Database>,
  filters: ServiceFilters,
  reader: PointReader,
  now: Date = new Date(),
): Promise<ServiceListItem[]> {
  const rows = await applyServiceFilters(serviceSummaries(db, reader), filters).orderBy('s.id').execute();
  return rows.map((row) => toListItem(row, now)).filter((service) => service.location !== null);
}

/** One service; a hidden address of it is exact for the members of its alliance only (`audience`). */
export async function findService(
  db: Kysely<Database>,
  id: string,
  audience: { forMembers: boolean },
  now: Date = new Date(),
): Promise<ServiceDetailWithCheck | undefined> {
  const service = await db
    .selectFrom('service as s')
    .innerJoin('organization as o', 'o.id', 's.organization_id')
    .innerJoin('alliance as a', 'a.id', 'o.alliance_id')
    .leftJoin('account as verifier', 'verifier.id', 's.verified_by')
    .select([
      's.verified_at',
      's.verified_via',
      's.update_cycle_months',
      'a.update_cycle_months as alliance_cycle_months',
      'a.timezone',
      'verifier.display_name as verifier_name',
      's.id',
      's.name',
      's.description',
      's.category',
      's.topics',
      's.audiences',
      's.languages',
      's.url',
      's.email',
      's.status',
      's.free',
      's.fees_description',
      's.eligibility_description',
      's.application_process',
      's.interpretation_services',
      's.phone',
      's.capacity',
      's.capacity_unit',
      sql<string | null>`(
        select sc.opening_hours from schedule sc
        where sc.service_id = s.id and sc.location_id is null and sc.opening_hours is not null
        order by sc.id
        limit 1)`.as('opening_hours'),
      's.area_scope',
      's.text_language',
      's.version',
      's.created_at',
      's.updated_at',
      'o.id as organization_id',
      'o.name as organization_name',
      'o.description as organization_description',
      'o.website as organization_website',
      'o.email as organization_email',
      'a.id as alliance_id',
      'a.slug as alliance_slug',
      'a.name as alliance_name',
    ])
    .where('s.id', '=', id)
    .executeTakeFirst();
  if (!service) return undefined;

  const exact = sql.lit(audience.forMembers);
  const locations = await db
    .selectFrom('service_at_location as sal')
    .innerJoin('location as l', 'l.id', 'sal.location_id')
    .select([
      'l.id',
      'l.name',
      visibleAddressPart('l', 'address_1', exact).as('address'),
      'l.city as town',
      visiblePrecision('l', exact).as('precision'),
      'l.note',
      latitudeOf(visiblePoint('l', exact)).as('lat'),
      longitudeOf(visiblePoint('l', exact)).as('lon'),
      'l.needs_place as needsPlace',
      'l.hide_address as hideAddress',
      'l.version',
    ])
    .where('sal.service_id', '=', id)
    .orderBy('l.created_at')
    .orderBy('l.id')
    .execute();

  return {
    id: service.id,
    name: service.name,
    description: service.description,
    category: service.category,
    topics: service.topics,
    audiences: service.audiences,
    languages: service.languages,
    url: webAddressOrNull(service.url),
    email: service.email,
    status: service.status,
    free: service.free,
    feesDescription: service.fees_description,
    eligibilityDescription: service.eligibility_description,
    applicationProcess: service.application_process,
    interpretationServices: service.interpretation_services,
    phone: service.phone,
    capacity: service.capacity,
    capacityUnit: service.capacity_unit,
    openingHours: service.opening_hours,
    serviceArea: service.area_scope,
    textLanguage: service.text_language,
    organization: {
      id: service.organization_id,
      name: service.organization_name,
      description: service.organization_description,
      website: webAddressOrNull(service.organization_website),
      email: service.organization_email,
    },
    locations,
    alliance: {
      id: service.alliance_id,
      slug: service.alliance_slug,
      name: service.alliance_name,
      updateCycleMonths: service.alliance_cycle_months,
    },
    version: service.version,
    createdAt: service.created_at.toISOString(),
    updatedAt: service.updated_at.toISOString(),
    ...freshnessFields(service, now),
    checkedOn: service.verified_at ? calendarDateAt(service.verified_at, service.timezone) : null,
    // A person's name is for the alliance's members, as their contact details are.
    verifiedByName: audience.forMembers && service.verified_via === 'editor' ? service.verifier_name : null,
  };
}

export interface NearbyQuery {
  lat: number;
  lon: number;
  radiusM: number;
  limit: number;
  category?: CategoryId;
  language?: string;
  need?: Need;
}

/**
 * The "near me" query, not yet run: service locations within a radius, nearest
 * first, with geodesic distance. The benchmark (scripts/bench/nearby.ts)
 * compiles it too, so that it measures exactly the SQL the API sends.
 *
 * One row per service at a location: a service offered in two nearby places
 * appears twice, each with its own distance. It reads `service_search` only
 * (migration 2026-12-05-11): one row per active service at a placed location,
 * with everything the answer shows, kept true by triggers on the base tables.
 * So the query is one walk of the (geog, category) GiST index nearest first,
 * with no join and no status filter; the filter and the ordering work on
 * `geog` itself, since casting it would bypass the index. That column holds
 * the public point, so a hidden address is found, ranked and shown by its
 * rounded point only, for everyone. Among the answers, places at the same
 * distance (a town's centre) come in the order of their ids, so that the same
 * rows come in the same order whatever the table's physical order; which of
 * several places tied at the limit's edge make it in is the index's choice.
 */
export function nearbyServicesQuery(db: Kysely<Database>, query: NearbyQuery) {
  const here = geographyPoint(query.lon, query.lat);
  let nearest = db
    .selectFrom('service_search as ss')
    .select([
      'ss.service_id as id',
      'ss.location_id',
      'ss.name',
      'ss.category',
      'ss.topics',
      'ss.languages',
      'ss.organization_id',
      'ss.organization_name',
      'ss.alliance_slug',
      latitudeOf(sql.ref('ss.geog')).as('lat'),
      longitudeOf(sql.ref('ss.geog')).as('lon'),
      'ss.town',
      'ss.precision',
      sql<number>`ST_Distance(ss.geog, ${here})`.as('distance_m'),
      sql<number>`ss.geog <-> ${here}`.as('nearness'),
    ])
    .where(sql<boolean>`ST_DWithin(ss.geog, ${here}, ${query.radiusM})`);
  if (query.category) nearest = nearest.where('ss.category', '=', query.category);
  if (query.language) nearest = nearest.where(sql<boolean>`${query.language} = any(ss.languages)`);
  if (query.need) nearest = nearest.where(meetsNeed('ss.category', 'ss.topics', query.need));
  // The limit is inside, on the index's own order: a tie-breaker there would make PostgreSQL sort every row
  // within the radius instead of walking the index nearest first.
  const walk = nearest.orderBy(sql`ss.geog <-> ${here}`).limit(query.limit);
  return db
    .selectFrom(walk.as('nearest'))
    .selectAll()
    .orderBy('nearest.nearness')
    .orderBy('nearest.id')
    .orderBy('nearest.location_id');
}

/** The values of a near-me query that are bound as parameters (a need is part of the SQL's shape instead). */
const nearbySlotNames = ['lon', 'lat', 'radiusM', 'limit', 'category', 'language'] as const;
type NearbySlot = (typeof nearbySlotNames)[number];

/** One stand-in object per slot: built into the query in place of its value, then found among the parameters. */
const nearbySlotMarkers = new Map<unknown, NearbySlot>(nearbySlotNames.map((name) => [Object.freeze({ name }), name]));
const nearbyMarkerOf = Object.fromEntries([...nearbySlotMarkers].map(([marker, name]) => [name, marker])) as Record<
  NearbySlot,
  never
>;

/** The SQL of one shape of the near-me query, and where each of its parameters comes from. */
interface NearbyTemplate {
  compiled: CompiledQuery<NearbyRow>;
  parameters: readonly (NearbySlot | { value: unknown })[];
}

type NearbyRow = SummaryRow & { location_id: string; distance_m: number; nearness: number };

/** By shape: with or without category and language, and which need (a handful of texts in all). */
const nearbyTemplates = new Map<string, NearbyTemplate>();

/**
 * The near-me query's SQL for this shape, built and compiled once: Kysely builds the query with a stand-in for
 * each value, and each later query of the same shape only fills the parameters in. Building and compiling
 * the query on every request cost about as much CPU as the rest of the request's own JavaScript (profile in
 * docs/benchmarks.md). All the application's databases speak PostgreSQL, so the text does not depend on `db`.
 */
function nearbyTemplate(db: Kysely<Database>, query: NearbyQuery): NearbyTemplate {
  const key = `${query.category ? 'category' : ''}|${query.language ? 'language' : ''}|${query.need?.id ?? ''}`;
  let template = nearbyTemplates.get(key);
  if (!template) {
    const shape: NearbyQuery = {
      lon: nearbyMarkerOf.lon,
      lat: nearbyMarkerOf.lat,
      radiusM: nearbyMarkerOf.radiusM,
      limit: nearbyMarkerOf.limit,
      category: query.category && nearbyMarkerOf.category,
      language: query.language && nearbyMarkerOf.language,
      need: query.need,
    };
    const compiled = nearbyServicesQuery(db, shape).compile() as CompiledQuery<NearbyRow>;
    prepareOnEachConnection(compiled.sql);
    template = {
      compiled,
      parameters: compiled.parameters.map((parameter) => nearbySlotMarkers.get(parameter) ?? { value: parameter }),
    };
    nearbyTemplates.set(key, template);
  }
  return template;
}

/**
 * The near-me SQL for this query, registered to run as a prepared statement:
 * its text has only a few shapes (with or without category, language and need), and
 * its plan (the GiST index walked nearest first) suits every point and radius.
 */
export function compileNearbyServicesQuery(db: Kysely<Database>, query: NearbyQuery): CompiledQuery<NearbyRow> {
  const { compiled, parameters } = nearbyTemplate(db, query);
  return {
    ...compiled,
    parameters: parameters.map((parameter) => (typeof parameter === 'string' ? query[parameter] : parameter.value)),
  };
}

/** Service locations within a radius, nearest first, with geodesic distance (see nearbyServicesQuery). */
export async function nearbyServices(db: Kysely<Database>, query: NearbyQuery): Promise<NearbyService[]> {
  const { rows } = await db.executeQuery(compileNearbyServicesQuery(db, query));
  return rows.map((row) => ({ ...toSummary(row), distanceM: Math.round(row.distance_m * 10) / 10 }));
}

export interface ServiceWrite {
  organizationId: string;
  name: string;
  description?: string | null;
  category: CategoryId;
  topics?: string[];
  audiences?: string[];
  languages?: string[];
  url?: string | null;
  email?: string | null;
  status?: ServiceStatus;
  free?: boolean | null;
  feesDescription?: string | null;
  eligibilityDescription?: string | null;
  applicationProcess?: string | null;
  phone?: string | null;
  capacity?: number | null;
  capacityUnit?: string | null;
  /** Checked beforehand with checkOpeningHours. */
  openingHours?: string | null;
  serviceArea?: AreaScope;
  textLanguage?: string;
  locationIds?: string[];
  /** Its own update cycle; null follows the alliance's. */
  updateCycleMonths?: UpdateCycleMonths | null;
}

function toServiceColumns(write: Partial<ServiceWrite>): ServiceUpdate {
  const columns: ServiceUpdate = {
    organization_id: write.organizationId,
    name: write.name,
    description: write.description,
    category: write.category,
    topics: write.topics,
    audiences: write.audiences,
    languages: write.languages,
    url: write.url,
    email: write.email,
    status: write.status,
    free: write.free,
    fees_description: write.feesDescription,
    eligibility_description: write.eligibilityDescription,
    application_process: write.applicationProcess,
    phone: write.phone,
    capacity: write.capacity,
    capacity_unit: write.capacityUnit,
    area_scope: write.serviceArea,
    text_language: write.textLanguage,
    update_cycle_months: write.updateCycleMonths,
  };
  return Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined));
}

async function linkLocations(trx: Transaction<Database>, serviceId: string, locationIds: string[]) {
  await trx.deleteFrom('service_at_location').where('service_id', '=', serviceId).execute();
  if (locationIds.length === 0) return;
  await trx
    .insertInto('service_at_location')
    .values(locationIds.map((locationId) => ({ service_id: serviceId, location_id: locationId })))
    .execute();
}

/** Replaces the hours that hold at every location of the service; null removes them. */
async function replaceServiceHours(trx: Transaction<Database>, serviceId: string, openingHours: string | null) {
  await trx.deleteFrom('schedule').where('service_id', '=', serviceId).where('location_id', 'is', null).execute();
  if (openingHours === null) return;
  await trx.insertInto('schedule').values({ service_id: serviceId, opening_hours: openingHours }).execute();
}

/** Creates a service and links it to its locations, in the caller's transaction. */
export async function createService(trx: Transaction<Database>, write: ServiceWrite): Promise<string> {
  const { id } = await trx
    .insertInto('service')
    .values(toServiceColumns(write) as NewService)
    .returning('id')
    .executeTakeFirstOrThrow();
  await linkLocations(trx, id, write.locationIds ?? []);
  if (write.openingHours) await replaceServiceHours(trx, id, write.openingHours);
  return id;
}

/**
 * Updates the given fields if the service is still at `version`. The version is compared and the row
 * changed in one statement, before anything else is touched: a stale write changes nothing.
 */
export async function updateService(
  trx: Transaction<Database>,
  id: string,
  version: number,
  write: Partial<ServiceWrite>,
): Promise<UpdateOutcome> {
  const updated = await trx
    .updateTable('service')
    .set({ ...toServiceColumns(write), updated_at: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) return (await allianceOfService(trx, id)) ? 'stale' : 'missing';
  if (write.locationIds) await linkLocations(trx, id, write.locationIds);
  if (write.openingHours !== undefined) await replaceServiceHours(trx, id, write.openingHours);
  return 'updated';
}

/** Deletes the service with its links and hours (the change log keeps them, to restore). */
export async function deleteService(trx: Transaction<Database>, id: string): Promise<boolean> {
  const deleted = await trx.deleteFrom('service').where('id', '=', id).executeTakeFirst();
  return deleted.numDeletedRows > 0n;
}

/** The alliance a service belongs to, through its organisation; undefined when there is no such service. */
export async function allianceOfService(db: Kysely<Database>, id: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('service as s')
    .innerJoin('organization as o', 'o.id', 's.organization_id')
    .select('o.alliance_id')
    .where('s.id', '=', id)
    .executeTakeFirst();
  return row?.alliance_id;
}

/** The given locations that exist but belong to another organisation: a service may only use its own. */
export async function locationsOwnedElsewhere(
  db: Kysely<Database>,
  organizationId: string,
  locationIds: string[],
): Promise<string[]> {
  if (locationIds.length === 0) return [];
  const rows = await db
    .selectFrom('location')
    .select('id')
    .where('id', 'in', locationIds)
    .where(sql<boolean>`organization_id is distinct from ${organizationId}`)
    .execute();
  return rows.map((row) => row.id);
}

export async function locationIdsOfOrganization(db: Kysely<Database>, organizationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('location')
    .select('id')
    .where('organization_id', '=', organizationId)
    .orderBy('created_at')
    .execute();
  return rows.map((row) => row.id);
}
