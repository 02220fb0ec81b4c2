import { type Kysely, sql } from 'kysely';
import type {
  AreaScope,
  CategoryId,
  Database,
  LocationPrecision,
  OrganizationIdentifier,
  ServiceStatus,
} from '../../db/schema.js';
import { latitudeOf, longitudeOf } from '../../db/postgis.js';
import { visibleAddressPart, visiblePoint, visiblePrecision } from '../locations/hiddenAddresses.js';

/** A place as the reader may see it: for the public, a hidden address has no street or postal code. */
export interface ExportPlace {
  id: string;
  name: string | null;
  address: string | null;
  postalCode: string | null;
  town: string | null;
  country: string | null;
  /** Null while the place is not placed yet: its address is known, its point is not. */
  lat: number | null;
  lon: number | null;
  /** Null while the place is not placed yet. */
  precision: LocationPrecision | null;
  hideAddress: boolean;
  /** The postal code even when it is hidden: only its department is ever published from it (data·inclusion). */
  departmentPostalCode: string | null;
}

/** The organisation's personal contact, for the alliance's members only. */
export interface ExportContact {
  person: string | null;
  phone: string | null;
  email: string | null;
}

export interface ExportOrganization {
  id: string;
  name: string;
  description: string | null;
  website: string | null;
  email: string | null;
  identifiers: OrganizationIdentifier[];
  /** Where the organisation is: its first place. */
  place: ExportPlace | null;
  sourceRecordId: string | null;
  /** The last change: the source's own date while the record is as the last import left it, else ours. */
  updatedAt: Date;
  contact?: ExportContact;
}

/** One service at one of its places; a service without a place is one row with `place` null. */
export interface ExportServiceRow {
  id: string;
  organizationId: string;
  organizationName: string;
  organizationEmail: string | null;
  name: string;
  description: string | null;
  category: CategoryId;
  topics: string[];
  audiences: string[];
  languages: string[];
  url: string | null;
  email: string | null;
  phone: string | null;
  status: ServiceStatus;
  free: boolean | null;
  feesDescription: string | null;
  eligibilityDescription: string | null;
  applicationProcess: string | null;
  areaScope: AreaScope;
  openingHours: string | null;
  sourceRecordId: string | null;
  updatedAt: Date;
  place: ExportPlace | null;
  /** 0 for the service's first place, 1 for the next… */
  placeIndex: number;
}

export interface ExportAudience {
  /** The alliance's members: hidden addresses in full, inactive services, the organisations' contacts. */
  forMembers: boolean;
}

export interface AllianceExport {
  alliance: { id: string; slug: string; country: string };
  organizations: ExportOrganization[];
  services: ExportServiceRow[];
}

/**
 * The date of a record's last change. An import writes the record and stamps it in the same transaction (now() in
 * both), so a record no one has changed since still has `updated_at <= imported_at`: its last change is then the
 * source's own, when the source gave one.
 */
function lastChange(table: 'o' | 's') {
  const column = (name: string) => sql.ref(`${table}.${name}`);
  return sql<Date>`(case when ${column('source_updated_at')} is not null and ${column('updated_at')} <= ${column('imported_at')}
    then ${column('source_updated_at')} else ${column('updated_at')} end)`;
}

type PlaceColumns = {
  location_id: string | null;
  location_name: string | null;
  address: string | null;
  postal_code: string | null;
  town: string | null;
  location_country: string | null;
  lat: number | null;
  lon: number | null;
  precision: LocationPrecision | null;
  hide_address: boolean | null;
  raw_postal_code: string | null;
};

function placeOf(row: PlaceColumns): ExportPlace | null {
  if (row.location_id === null) return null;
  return {
    id: row.location_id,
    name: row.location_name,
    address: row.address,
    postalCode: row.postal_code,
    town: row.town,
    country: row.location_country,
    lat: row.lat,
    lon: row.lon,
    precision: row.lat === null ? null : (row.precision ?? 'town'),
    hideAddress: row.hide_address ?? false,
    departmentPostalCode: row.raw_postal_code,
  };
}

/** The location columns as the reader may see them (`exact` for the alliance's members). */
function placeColumns(exact: ReturnType<typeof sql.lit<boolean>>) {
  return [
    'l.id as location_id',
    'l.name as location_name',
    visibleAddressPart('l', 'address_1', exact).as('address'),
    visibleAddressPart('l', 'postal_code', exact).as('postal_code'),
    'l.city as town',
    'l.country as location_country',
    latitudeOf(visiblePoint('l', exact)).as('lat'),
    longitudeOf(visiblePoint('l', exact)).as('lon'),
    visiblePrecision('l', exact).as('precision'),
    'l.hide_address',
    'l.postal_code as raw_postal_code',
  ] as const;
}

/** The alliance named by slug, for an export; undefined when there is none. */
export async function findExportAlliance(
  db: Kysely<Database>,
  slug: string,
): Promise<AllianceExport['alliance'] | undefined> {
  return db
    .selectFrom('alliance')
    .select(['id', 'slug', sql<string>`trim(country)`.as('country')])
    .where('slug', '=', slug)
    .executeTakeFirst();
}

async function exportOrganizations(
  db: Kysely<Database>,
  allianceId: string,
  audience: ExportAudience,
): Promise<ExportOrganization[]> {
  const exact = sql.lit(audience.forMembers);
  const rows = await db
    .selectFrom('organization as o')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('location as l')
          .select(placeColumns(exact))
          .whereRef('l.organization_id', '=', 'o.id')
          .orderBy('l.created_at')
          .orderBy('l.id')
          .limit(1)
          .as('first_place'),
      (join) => join.onTrue(),
    )
    .select([
      'o.id',
      'o.name',
      'o.description',
      'o.website',
      'o.email',
      'o.identifiers',
      'o.source_record_id',
      'o.contact_person',
      'o.contact_phone',
      'o.contact_email',
      lastChange('o').as('last_change'),
      'first_place.location_id',
      'first_place.location_name',
      'first_place.address',
      'first_place.postal_code',
      'first_place.town',
      'first_place.location_country',
      'first_place.lat',
      'first_place.lon',
      'first_place.precision',
      'first_place.hide_address',
      'first_place.raw_postal_code',
    ])
    .where('o.alliance_id', '=', allianceId)
    .orderBy('o.name')
    .orderBy('o.id')
    .execute();
  return rows.map((row) => {
    const organization: ExportOrganization = {
      id: row.id,
      name: row.name,
      description: row.description,
      website: row.website,
      email: row.email,
      identifiers: row.identifiers ?? [],
      place: placeOf(row),
      sourceRecordId: row.source_record_id,
      updatedAt: new Date(row.last_change),
    };
    // Personal data: never in what the public downloads.
    if (audience.forMembers) {
      organization.contact = { person: row.contact_person, phone: row.contact_phone, email: row.contact_email };
    }
    return organization;
  });
}

async function exportServiceRows(
  db: Kysely<Database>,
  allianceId: string,
  audience: ExportAudience,
): Promise<ExportServiceRow[]> {
  const exact = sql.lit(audience.forMembers);
  let query = db
    .selectFrom('service as s')
    .innerJoin('organization as o', 'o.id', 's.organization_id')
    .leftJoin('service_at_location as sal', 'sal.service_id', 's.id')
    .leftJoin('location as l', 'l.id', 'sal.location_id')
    .select([
      's.id',
      's.organization_id',
      'o.name as organization_name',
      'o.email as organization_email',
      's.name',
      's.description',
      's.category',
      's.topics',
      's.audiences',
      's.languages',
      's.url',
      's.email',
      's.phone',
      's.status',
      's.free',
      's.fees_description',
      's.eligibility_description',
      's.application_process',
      's.area_scope',
      's.source_record_id',
      lastChange('s').as('last_change'),
      // Hours kept for this place win over the service's hours, as in the finder.
      sql<string | null>`(
        select sc.opening_hours from schedule sc
        where sc.service_id = s.id and (sc.location_id = l.id or sc.location_id is null) and sc.opening_hours is not null
        order by sc.location_id is null, sc.id
        limit 1)`.as('opening_hours'),
      ...placeColumns(exact),
    ])
    .where('o.alliance_id', '=', allianceId);
  if (!audience.forMembers) query = query.where('s.status', '=', 'active');
  const rows = await query.orderBy('s.name').orderBy('s.id').orderBy('l.created_at').orderBy('l.id').execute();

  const placesSeen = new Map<string, number>();
  return rows.map((row) => {
    const placeIndex = placesSeen.get(row.id) ?? 0;
    placesSeen.set(row.id, placeIndex + 1);
    return {
      id: row.id,
      organizationId: row.organization_id,
      organizationName: row.organization_name,
      organizationEmail: row.organization_email,
      name: row.name,
      description: row.description,
      category: row.category,
      topics: row.topics,
      audiences: row.audiences,
      languages: row.languages,
      url: row.url,
      email: row.email,
      phone: row.phone,
      status: row.status,
      free: row.free,
      feesDescription: row.fees_description,
      eligibilityDescription: row.eligibility_description,
      applicationProcess: row.application_process,
      areaScope: row.area_scope,
      openingHours: row.opening_hours,
      sourceRecordId: row.source_record_id,
      updatedAt: new Date(row.last_change),
      place: placeOf(row),
      placeIndex,
    };
  });
}

/**
 * Everything an alliance's downloads hold, as the reader may see it: the public gets active services only, hidden
 * addresses without street or postal code at their public point, and no personal contact; members get it all.
 */
export async function allianceExport(
  db: Kysely<Database>,
  alliance: AllianceExport['alliance'],
  audience: ExportAudience,
): Promise<AllianceExport> {
  const organizations = await exportOrganizations(db, alliance.id, audience);
  const services = await exportServiceRows(db, alliance.id, audience);
  return { alliance, organizations, services };
}
