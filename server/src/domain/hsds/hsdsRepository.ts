import { type CompiledQuery, type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import { prepareOnEachConnection } from '../../db/preparedStatements.js';
import type { CategoryId, Database, OrganizationIdentifier, ServiceStatus } from '../../db/schema.js';
import { latitudeOf, longitudeOf } from '../../db/postgis.js';
import { type PointReader, readsExactly, visibleAddressPart, visiblePoint } from '../locations/hiddenAddresses.js';
import type { KnownTerm } from './taxonomies.js';
import { foldTally, foldTallyAbove, tallyTotal, type TallyTotal } from './serviceTally.js';

/** What a list of the HSDS API, or a download, is narrowed to. */
export interface HsdsFilters {
  allianceId?: string;
  organizationId?: string;
  /** Services of any of these organisations (to nest them in their organisations). */
  organizationIds?: readonly string[];
  /** Words looked for in the name and description. */
  search?: string;
  modifiedAfter?: Date;
  term?: KnownTerm;
}

export interface PageRequest {
  limit: number;
  offset: number;
}

export interface ServiceRow {
  id: string;
  organization_id: string;
  name: string;
  alternate_name: string | null;
  description: string | null;
  url: string | null;
  email: string | null;
  status: ServiceStatus;
  interpretation_services: string | null;
  application_process: string | null;
  fees_description: string | null;
  eligibility_description: string | null;
  category: CategoryId;
  topics: string[];
  audiences: string[];
  languages: string[];
  area_scope: 'local' | 'region';
  free: boolean | null;
  phone: string | null;
  capacity: number | null;
  capacity_unit: string | null;
  updated_at: Date;
  import_source_id: string | null;
  source_record_id: string | null;
  source_updated_at: Date | null;
  imported_at: Date | null;
}

/** The fields of its organisation that a page of services shows (HSDS service_list), read with the page. */
const organizationListColumns = [
  'o.name as organization_name',
  'o.alternate_name as organization_alternate_name',
  'o.description as organization_description',
  'o.website as organization_website',
  'o.email as organization_email',
  'o.legal_status as organization_legal_status',
  'o.parent_organization_id as organization_parent_organization_id',
] as const;

/** The service's own fields that HSDS's service_list shows. */
const serviceListColumns = [
  's.id',
  's.organization_id',
  's.name',
  's.alternate_name',
  's.description',
  's.url',
  's.email',
  's.status',
  's.interpretation_services',
  's.application_process',
  's.fees_description',
  's.eligibility_description',
  's.updated_at',
] as const;

export type ServiceListFields = Pick<
  ServiceRow,
  | 'id'
  | 'organization_id'
  | 'name'
  | 'alternate_name'
  | 'description'
  | 'url'
  | 'email'
  | 'status'
  | 'interpretation_services'
  | 'application_process'
  | 'fees_description'
  | 'eligibility_description'
  | 'updated_at'
>;

/** A service of a list page, with the fields of its organisation that HSDS's service_list nests. */
export interface ServiceListRow extends ServiceListFields {
  organization_name: string;
  organization_alternate_name: string | null;
  organization_description: string | null;
  organization_website: string | null;
  organization_email: string | null;
  organization_legal_status: string | null;
  organization_parent_organization_id: string | null;
}

export interface OrganizationRow {
  id: string;
  alliance_id: string;
  alliance_name: string;
  name: string;
  alternate_name: string | null;
  description: string | null;
  website: string | null;
  email: string | null;
  legal_status: string | null;
  parent_organization_id: string | null;
  contact_person: string | null;
  contact_phone: string | null;
  contact_email: string | null;
  identifiers: OrganizationIdentifier[];
  updated_at: Date;
  import_source_id: string | null;
  source_record_id: string | null;
  source_updated_at: Date | null;
  imported_at: Date | null;
}

/** A location as its reader may see it: a hidden address has no street or postal code and a rounded point. */
export interface LocationRow {
  id: string;
  organization_id: string | null;
  name: string | null;
  description: string | null;
  note: string | null;
  accessibility: string | null;
  address_1: string | null;
  postal_code: string | null;
  city: string | null;
  country: string;
  /** Null while the place is not placed yet: HSDS then gets no latitude or longitude. */
  lat: number | null;
  lon: number | null;
}

export interface ServiceAtLocationRow {
  id: string;
  service_id: string;
  location_id: string;
}

export interface ScheduleRow {
  id: string;
  service_id: string | null;
  location_id: string | null;
  opening_hours: string | null;
  freq: 'WEEKLY' | 'MONTHLY' | null;
  byday: string | null;
  opens_at: string | null;
  closes_at: string | null;
  valid_from: string | null;
  valid_to: string | null;
  description: string | null;
}

export interface TranslationRow {
  entity_id: string;
  field: string;
  text: string;
}

/** Every column of a service: a list's, and the rest. */
const serviceColumns = [
  ...serviceListColumns,
  's.category',
  's.topics',
  's.audiences',
  's.languages',
  's.area_scope',
  's.free',
  's.phone',
  's.capacity',
  's.capacity_unit',
  's.import_source_id',
  's.source_record_id',
  's.source_updated_at',
  's.imported_at',
] as const;

const organizationsOf = (allianceIds: Expression<unknown> | string) =>
  sql<string>`(select org.id from organization org where org.alliance_id = ${allianceIds})`;

/**
 * Which services the reader may see: active ones for anyone, every one of the alliances they are a member of.
 * Written on `s` alone, so that a count needs no join.
 */
function serviceVisibility(reader: PointReader): Expression<SqlBool> {
  if (reader.memberOf === 'every') return sql<SqlBool>`true`;
  if (reader.memberOf.length === 0) return sql<SqlBool>`s.status = 'active'`;
  return sql<SqlBool>`(s.status = 'active' or s.organization_id in
    (select org.id from organization org where org.alliance_id = any(${[...reader.memberOf]}::uuid[])))`;
}

/** `%`, `_` and `\` are literal in a search: only the words count. */
function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

function serviceConditions(reader: PointReader, filters: HsdsFilters): Expression<SqlBool>[] {
  const conditions = [serviceVisibility(reader)];
  if (filters.allianceId) conditions.push(sql<SqlBool>`s.organization_id in ${organizationsOf(filters.allianceId)}`);
  if (filters.organizationId) conditions.push(sql<SqlBool>`s.organization_id = ${filters.organizationId}`);
  if (filters.organizationIds) {
    conditions.push(sql<SqlBool>`s.organization_id = any(${[...filters.organizationIds]}::uuid[])`);
  }
  if (filters.search) {
    const pattern = likePattern(filters.search);
    conditions.push(sql<SqlBool>`(s.name ilike ${pattern} or s.description ilike ${pattern})`);
  }
  if (filters.modifiedAfter) conditions.push(sql<SqlBool>`s.updated_at >= ${filters.modifiedAfter}`);
  const term = filters.term;
  if (term?.kind === 'category') conditions.push(sql<SqlBool>`s.category = ${term.code}`);
  if (term?.kind === 'topic') conditions.push(sql<SqlBool>`s.topics @> array[${term.code}]::text[]`);
  if (term?.kind === 'audience') conditions.push(sql<SqlBool>`s.audiences @> array[${term.code}]::text[]`);
  return conditions;
}

/**
 * One page of the services the reader may see, in id order (stable, and the primary key walks it): with the fields
 * a list shows and their organisations' (`list`), or every field (`full`, for services nested in full).
 */
export async function servicePage(
  db: Kysely<Database>,
  reader: PointReader,
  filters: HsdsFilters,
  page: PageRequest,
  detail: 'list',
): Promise<{ rows: ServiceListRow[]; total: number }>;
export async function servicePage(
  db: Kysely<Database>,
  reader: PointReader,
  filters: HsdsFilters,
  page: PageRequest,
  detail: 'full',
): Promise<{ rows: ServiceRow[]; total: number }>;
export async function servicePage(
  db: Kysely<Database>,
  reader: PointReader,
  filters: HsdsFilters,
  page: PageRequest,
  detail: 'list' | 'full',
): Promise<{ rows: (ServiceListRow | ServiceRow)[]; total: number }> {
  const conditions = serviceConditions(reader, filters);
  // The page's ids first, then their rows: skipping the earlier pages reads the index alone, not their rows.
  const pageIds = db
    .selectFrom('service as s')
    .select('s.id')
    .where((eb) => eb.and(conditions))
    .orderBy('s.id')
    .limit(page.limit)
    .offset(page.offset);
  const pageRows =
    detail === 'list'
      ? db
          .selectFrom('service as s')
          .innerJoin('organization as o', 'o.id', 's.organization_id')
          .select([...serviceListColumns, ...organizationListColumns])
          .where('s.id', 'in', pageIds)
      : db.selectFrom('service as s').select(serviceColumns).where('s.id', 'in', pageIds);
  if (isTallied(filters)) return talliedServicePage(db, reader, filters.allianceId, pageRows);
  // A count reads every matching entry of an index, and costs more than the page: it runs beside the page, on a
  // connection of its own, rather than after it.
  const [rows, { total }] = await Promise.all([
    db.executeQuery(sql<ServiceListRow | ServiceRow>`${pageRows} order by s.id`.compile(db)).then(({ rows }) => rows),
    db
      .selectFrom('service as s')
      .select(sql<number>`count(*)::int`.as('total'))
      .where((eb) => eb.and(conditions))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total };
}

/**
 * Without filters (or with the alliance alone), the database's tally gives the total (see serviceTally.ts): the
 * page and its total are then one statement, whose text has a few shapes only, so it runs prepared.
 */
async function talliedServicePage(
  db: Kysely<Database>,
  reader: PointReader,
  allianceId: string | undefined,
  pageRows: { compile(): CompiledQuery },
): Promise<{ rows: (ServiceListRow | ServiceRow)[]; total: number }> {
  const query = sql<(ServiceListRow | ServiceRow) & TallyTotal>`
    select t.*, s.* from (${tallyTotal(reader, allianceId)}) t
    left join lateral (${pageRows}) s on true
    order by s.id`.compile(db);
  prepareOnEachConnection(query.sql);
  const { rows } = await db.executeQuery(query);
  const { total, tally_rows: tallyRows } = rows[0]!;
  if (tallyRows > foldTallyAbove) await foldTally(db);
  // With no service on the page, the one row is the total's alone. (The rows keep the two totals' fields: the
  // mapping to HSDS reads the fields it names.)
  return { rows: rows.filter((row) => row.id !== null), total };
}

/** Whether the tally knows the count of services these filters select: none, or the alliance alone. */
function isTallied(filters: HsdsFilters): boolean {
  return Object.entries(filters).every(([name, value]) => value === undefined || name === 'allianceId');
}

/** The services of these ids the reader may see (in no particular order). */
export async function servicesByIds(
  db: Kysely<Database>,
  reader: PointReader,
  ids: readonly string[],
): Promise<ServiceRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('service as s')
    .select(serviceColumns)
    .where((eb) => eb.and([serviceVisibility(reader), sql<SqlBool>`s.id = any(${[...ids]}::uuid[])`]))
    .execute();
}

/** Every service of these organisations the reader may see. */
export async function servicesOfOrganizations(
  db: Kysely<Database>,
  reader: PointReader,
  organizationIds: readonly string[],
): Promise<ServiceRow[]> {
  if (organizationIds.length === 0) return [];
  return db
    .selectFrom('service as s')
    .select(serviceColumns)
    .where((eb) => eb.and(serviceConditions(reader, { organizationIds })))
    .orderBy('s.id')
    .execute();
}

/** A batch of an alliance's services after `afterId`, in id order, for a download that walks them all. */
export async function serviceBatch(
  db: Kysely<Database>,
  reader: PointReader,
  allianceId: string,
  afterId: string | undefined,
  size: number,
): Promise<ServiceRow[]> {
  const conditions = serviceConditions(reader, { allianceId });
  if (afterId) conditions.push(sql<SqlBool>`s.id > ${afterId}`);
  return db
    .selectFrom('service as s')
    .select(serviceColumns)
    .where((eb) => eb.and(conditions))
    .orderBy('s.id')
    .limit(size)
    .execute();
}

const organizationColumns = [
  'o.id',
  'o.alliance_id',
  'a.name as alliance_name',
  'o.name',
  'o.alternate_name',
  'o.description',
  'o.website',
  'o.email',
  'o.legal_status',
  'o.parent_organization_id',
  'o.contact_person',
  'o.contact_phone',
  'o.contact_email',
  'o.identifiers',
  'o.updated_at',
  'o.import_source_id',
  'o.source_record_id',
  'o.source_updated_at',
  'o.imported_at',
] as const;

function organizationConditions(filters: HsdsFilters): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [sql<SqlBool>`true`];
  if (filters.allianceId) conditions.push(sql<SqlBool>`o.alliance_id = ${filters.allianceId}`);
  if (filters.search) {
    const pattern = likePattern(filters.search);
    conditions.push(sql<SqlBool>`(o.name ilike ${pattern} or o.description ilike ${pattern})`);
  }
  if (filters.modifiedAfter) conditions.push(sql<SqlBool>`o.updated_at >= ${filters.modifiedAfter}`);
  return conditions;
}

/**
 * One page of organisations, in id order. Organisations are public (their contact person is not: the mapping
 * leaves it out for anyone but the alliance's members).
 */
export async function organizationPage(
  db: Kysely<Database>,
  filters: HsdsFilters,
  page: PageRequest,
): Promise<{ rows: OrganizationRow[]; total: number }> {
  const conditions = organizationConditions(filters);
  const rows = await db
    .selectFrom('organization as o')
    .innerJoin('alliance as a', 'a.id', 'o.alliance_id')
    .select(organizationColumns)
    .where((eb) => eb.and(conditions))
    .orderBy('o.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const { total } = await db
    .selectFrom('organization as o')
    .select(sql<number>`count(*)::int`.as('total'))
    .where((eb) => eb.and(conditions))
    .executeTakeFirstOrThrow();
  return { rows, total };
}

/** Organisations by id; one text for any number of ids, so it runs prepared (a page of services asks it). */
export async function organizationsByIds(db: Kysely<Database>, ids: readonly string[]): Promise<OrganizationRow[]> {
  if (ids.length === 0) return [];
  const query = db
    .selectFrom('organization as o')
    .innerJoin('alliance as a', 'a.id', 'o.alliance_id')
    .select(organizationColumns)
    .where(sql<SqlBool>`o.id = any(${[...ids]}::uuid[])`)
    .compile();
  prepareOnEachConnection(query.sql);
  return (await db.executeQuery(query)).rows;
}

/** A batch of an alliance's organisations after `afterId`, in id order. */
export async function organizationBatch(
  db: Kysely<Database>,
  allianceId: string,
  afterId: string | undefined,
  size: number,
): Promise<OrganizationRow[]> {
  const conditions = organizationConditions({ allianceId });
  if (afterId) conditions.push(sql<SqlBool>`o.id > ${afterId}`);
  return db
    .selectFrom('organization as o')
    .innerJoin('alliance as a', 'a.id', 'o.alliance_id')
    .select(organizationColumns)
    .where((eb) => eb.and(conditions))
    .orderBy('o.id')
    .limit(size)
    .execute();
}

/** One page of the services at locations the reader may see, in id order. */
export async function serviceAtLocationPage(
  db: Kysely<Database>,
  reader: PointReader,
  filters: HsdsFilters,
  page: PageRequest,
): Promise<{ rows: ServiceAtLocationRow[]; total: number }> {
  const conditions = serviceConditions(reader, filters);
  const rows = await db
    .selectFrom('service_at_location as sal')
    .innerJoin('service as s', 's.id', 'sal.service_id')
    .select(['sal.id', 'sal.service_id', 'sal.location_id'])
    .where((eb) => eb.and(conditions))
    .orderBy('sal.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const { total } = await db
    .selectFrom('service_at_location as sal')
    .innerJoin('service as s', 's.id', 'sal.service_id')
    .select(sql<number>`count(*)::int`.as('total'))
    .where((eb) => eb.and(conditions))
    .executeTakeFirstOrThrow();
  return { rows, total };
}

export async function serviceAtLocationById(
  db: Kysely<Database>,
  id: string,
): Promise<ServiceAtLocationRow | undefined> {
  return db
    .selectFrom('service_at_location')
    .select(['id', 'service_id', 'location_id'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The service-at-location links of these services. */
export async function serviceAtLocationsOfServices(
  db: Kysely<Database>,
  serviceIds: readonly string[],
): Promise<ServiceAtLocationRow[]> {
  if (serviceIds.length === 0) return [];
  return db
    .selectFrom('service_at_location as sal')
    .innerJoin('location as l', 'l.id', 'sal.location_id')
    .select(['sal.id', 'sal.service_id', 'sal.location_id'])
    .where(sql<SqlBool>`sal.service_id = any(${[...serviceIds]}::uuid[])`)
    .orderBy('l.created_at')
    .orderBy('l.id')
    .execute();
}

/**
 * Locations by id, each as the reader may see it. A location's alliance is its organisation's, or for a location
 * without one, the alliance of a service offered there.
 */
export async function locationsByIds(
  db: Kysely<Database>,
  reader: PointReader,
  ids: readonly string[],
): Promise<LocationRow[]> {
  if (ids.length === 0) return [];
  const exact = readsExactly(reader, 'owner.alliance_id');
  return db
    .selectFrom('location as l')
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('organization as o')
          .innerJoin('alliance as a', 'a.id', 'o.alliance_id')
          .select(['o.alliance_id', 'a.country'])
          .where(
            sql<SqlBool>`o.id = coalesce(l.organization_id, (select s.organization_id from service_at_location sal
              join service s on s.id = sal.service_id where sal.location_id = l.id limit 1))`,
          )
          .as('owner'),
      (join) => join.onTrue(),
    )
    .select([
      'l.id',
      'l.organization_id',
      'l.name',
      'l.description',
      'l.note',
      'l.accessibility',
      visibleAddressPart('l', 'address_1', exact).as('address_1'),
      visibleAddressPart('l', 'postal_code', exact).as('postal_code'),
      'l.city',
      sql<string>`coalesce(l.country, owner.country)`.as('country'),
      latitudeOf(visiblePoint('l', exact)).as('lat'),
      longitudeOf(visiblePoint('l', exact)).as('lon'),
    ])
    .where(sql<SqlBool>`l.id = any(${[...ids]}::uuid[])`)
    .orderBy('l.created_at')
    .orderBy('l.id')
    .execute();
}

/** The ids of an organisation's own locations. */
export async function locationIdsOfOrganizations(
  db: Kysely<Database>,
  organizationIds: readonly string[],
): Promise<{ id: string; organization_id: string }[]> {
  if (organizationIds.length === 0) return [];
  return db
    .selectFrom('location as l')
    .select(['l.id', sql<string>`l.organization_id`.as('organization_id')])
    .where(sql<SqlBool>`l.organization_id = any(${[...organizationIds]}::uuid[])`)
    .orderBy('l.created_at')
    .orderBy('l.id')
    .execute();
}

/** Opening hours of these services (their own, and at a location) and of these locations. */
export async function schedulesOf(
  db: Kysely<Database>,
  serviceIds: readonly string[],
  locationIds: readonly string[],
): Promise<ScheduleRow[]> {
  if (serviceIds.length === 0 && locationIds.length === 0) return [];
  return db
    .selectFrom('schedule as sc')
    .select([
      'sc.id',
      'sc.service_id',
      'sc.location_id',
      'sc.opening_hours',
      'sc.freq',
      'sc.byday',
      sql<string | null>`to_char(sc.opens_at, 'HH24:MI')`.as('opens_at'),
      sql<string | null>`to_char(sc.closes_at, 'HH24:MI')`.as('closes_at'),
      sql<string | null>`to_char(sc.valid_from, 'YYYY-MM-DD')`.as('valid_from'),
      sql<string | null>`to_char(sc.valid_to, 'YYYY-MM-DD')`.as('valid_to'),
      'sc.description',
    ])
    .where((eb) =>
      eb.or([
        sql<SqlBool>`sc.service_id = any(${[...serviceIds]}::uuid[])`,
        sql<SqlBool>`(sc.service_id is null and sc.location_id = any(${[...locationIds]}::uuid[]))`,
      ]),
    )
    .orderBy('sc.id')
    .execute();
}

/** The names of these import sources, by id. */
export async function importSourceNames(
  db: Kysely<Database>,
  ids: readonly (string | null)[],
): Promise<Map<string, string>> {
  const known = [...new Set(ids.filter((id): id is string => id !== null))];
  if (known.length === 0) return new Map();
  const rows = await db
    .selectFrom('import_source')
    .select(['id', 'name'])
    .where(sql<SqlBool>`id = any(${known}::uuid[])`)
    .execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** Texts of these records in one language, for the fields HSDS carries. */
export async function translationsOf(
  db: Kysely<Database>,
  entityType: 'service' | 'organization',
  ids: readonly string[],
  language: string,
): Promise<TranslationRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('translation')
    .select(['entity_id', 'field', 'text'])
    .where('entity_type', '=', entityType)
    .where('language', '=', language)
    .where(sql<SqlBool>`entity_id = any(${[...ids]}::uuid[])`)
    .execute();
}
