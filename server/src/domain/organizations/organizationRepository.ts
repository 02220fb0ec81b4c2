import { type Kysely, sql, type Transaction } from 'kysely';
import type {
  CategoryId,
  Database,
  LocationPrecision,
  NewOrganization,
  OrganizationUpdate,
  Sector,
} from '../../db/schema.js';
import { geographyPoint, latitudeOf, longitudeOf } from '../../db/postgis.js';
import type { UpdateOutcome } from '../history/staleVersion.js';
import { webAddressOrNull } from '#contract/links/webAddress.js';
import { visibleAddressPart, visiblePoint, visiblePrecision } from '../locations/hiddenAddresses.js';
import type { Page } from '../services/serviceRepository.js';

export type MemberRole = 'president' | 'secretariat' | 'member';

export interface OrganizationSummary {
  id: string;
  name: string;
  website: string | null;
  allianceSlug: string;
  categories: CategoryId[];
  serviceCount: number;
  town: string | null;
  sector: Sector | null;
  version: number;
}

/** The guide's stakeholder fields; personal contact data is for alliance members only. */
export interface StakeholderFields {
  contactPerson: string | null;
  contactPhone: string | null;
  contactEmail: string | null;
  contribution: string | null;
  whatMatters: string | null;
  influence: 'low' | 'medium' | 'high' | null;
  engagementStrategy: string | null;
  /** The organisation's seat in the alliance; null for a stakeholder that is not a member. */
  memberRole: MemberRole | null;
}

export interface OrganizationDetail extends OrganizationSummary {
  description: string | null;
  email: string | null;
  legalStatus: string | null;
  textLanguage: string;
  alliance: { id: string; slug: string; name: string };
  services: { id: string; name: string; category: CategoryId }[];
  locations: {
    id: string;
    name: string | null;
    /** null for the public when the address is hidden (shelters, women's services); members see it. */
    address: string | null;
    postalCode: string | null;
    town: string | null;
    /**
     * For the public, a hidden address's public point (rounded to 0.01°) at 'town' precision; members see it exact.
     * Null while the place is not placed yet.
     */
    lat: number | null;
    lon: number | null;
    precision: LocationPrecision;
    /** Not placed yet, or put at its town by an import: its pin should be put where it is. */
    needsPlace: boolean;
    note: string | null;
    hideAddress: boolean;
    /** How many of the organisation's services are offered here. */
    serviceCount: number;
    version: number;
  }[];
  stakeholder?: StakeholderFields;
}

/** What a reader of an organisation may see beyond its public face. */
export interface OrganizationAudience {
  /** Alliance members: the stakeholder fields, and hidden addresses with their exact point. */
  forMembers: boolean;
}

export interface LocationWrite {
  /** Both absent: the place is not placed yet (no point, marked as needing a place) until its pin is put. */
  lat?: number;
  lon?: number;
  name?: string | null;
  address?: string | null;
  town?: string | null;
  postalCode?: string | null;
  country?: string | null;
  precision?: LocationPrecision;
  note?: string | null;
  hideAddress?: boolean;
}

export interface OrganizationWrite {
  allianceId: string;
  name: string;
  description?: string | null;
  website?: string | null;
  email?: string | null;
  legalStatus?: string | null;
  textLanguage?: string;
  contactPerson?: string | null;
  contactPhone?: string | null;
  contactEmail?: string | null;
  contribution?: string | null;
  whatMatters?: string | null;
  influence?: 'low' | 'medium' | 'high' | null;
  engagementStrategy?: string | null;
  memberRole?: MemberRole | null;
  sector?: Sector | null;
  location?: LocationWrite;
}

export interface OrganizationFilters {
  allianceId?: string;
  category?: CategoryId;
  q?: string;
}

function organizationSummaries(db: Kysely<Database>, filters: OrganizationFilters) {
  let query = db
    .selectFrom('organization as o')
    .innerJoin('alliance as a', 'a.id', 'o.alliance_id')
    .select([
      'o.id',
      'o.name',
      'o.website',
      'a.slug as allianceSlug',
      'o.sector',
      'o.version',
      sql<CategoryId[]>`coalesce((select array_agg(distinct s.category order by s.category)
        from service s where s.organization_id = o.id), '{}')`.as('categories'),
      sql<number>`(select count(*)::int from service s where s.organization_id = o.id)`.as('serviceCount'),
      sql<string | null>`(select l.city from location l where l.organization_id = o.id
        order by l.created_at, l.id limit 1)`.as('town'),
    ]);
  if (filters.allianceId) query = query.where('o.alliance_id', '=', filters.allianceId);
  if (filters.category) {
    const { category } = filters;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('service as s')
          .select(sql`1`.as('one'))
          .whereRef('s.organization_id', '=', 'o.id')
          .where('s.category', '=', category),
      ),
    );
  }
  if (filters.q) query = query.where('o.name', 'ilike', `%${filters.q.replace(/[\\%_]/g, '\\$&')}%`);
  return query;
}

export async function listOrganizations(
  db: Kysely<Database>,
  filters: OrganizationFilters,
  page: { limit: number; offset: number },
): Promise<Page<OrganizationSummary>> {
  const items = await organizationSummaries(db, filters)
    .orderBy('o.name')
    .orderBy('o.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const { total } = await db
    .selectFrom(organizationSummaries(db, filters).as('matches'))
    .select(sql<number>`count(*)::int`.as('total'))
    .executeTakeFirstOrThrow();
  return { items: items.map((item) => ({ ...item, website: webAddressOrNull(item.website) })), total, ...page };
}

/** Organisations in full, in the order of `ids`, each with its services and locations (and how many services each place has), in four queries. */
async function organizationDetails(
  db: Kysely<Database>,
  ids: string[],
  audience: OrganizationAudience,
): Promise<OrganizationDetail[]> {
  if (ids.length === 0) return [];
  const rows = await organizationSummaries(db, {})
    .select([
      'o.description',
      'o.email',
      'o.legal_status as legalStatus',
      'o.text_language as textLanguage',
      'a.id as allianceId',
      'a.name as allianceName',
      'o.contact_person',
      'o.contact_phone',
      'o.contact_email',
      'o.contribution',
      'o.what_matters',
      'o.influence',
      'o.engagement_strategy',
      'o.member_role',
    ])
    .where('o.id', 'in', ids)
    .execute();
  const services = await db
    .selectFrom('service')
    .select(['organization_id', 'id', 'name', 'category'])
    .where('organization_id', 'in', ids)
    .orderBy('name')
    .orderBy('id')
    .execute();
  // A hidden address (shelters, women's services) never reaches the public: no street, no postal code, and only
  // its public point (see domain/locations/hiddenAddresses.ts).
  const exact = sql.lit(audience.forMembers);
  const locations = await db
    .selectFrom('location as l')
    .select([
      'l.organization_id',
      'l.id',
      'l.name',
      visibleAddressPart('l', 'address_1', exact).as('address'),
      visibleAddressPart('l', 'postal_code', exact).as('postal_code'),
      'l.city as town',
      latitudeOf(visiblePoint('l', exact)).as('lat'),
      longitudeOf(visiblePoint('l', exact)).as('lon'),
      visiblePrecision('l', exact).as('precision'),
      'l.needs_place',
      'l.note',
      'l.hide_address',
      'l.version',
    ])
    .where('l.organization_id', 'in', ids)
    .orderBy('l.created_at')
    .orderBy('l.id')
    .execute();
  const servicesHere = await db
    .selectFrom('service_at_location as sal')
    .innerJoin('location as l', 'l.id', 'sal.location_id')
    .select(['sal.location_id', sql<number>`count(distinct sal.service_id)::int`.as('count')])
    .where('l.organization_id', 'in', ids)
    .groupBy('sal.location_id')
    .execute();
  const serviceCountAt = new Map(servicesHere.map((row) => [row.location_id, row.count]));

  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    const detail: OrganizationDetail = {
      id: row.id,
      name: row.name,
      website: webAddressOrNull(row.website),
      allianceSlug: row.allianceSlug,
      categories: row.categories,
      serviceCount: row.serviceCount,
      town: row.town,
      sector: row.sector,
      version: row.version,
      description: row.description,
      email: row.email,
      legalStatus: row.legalStatus,
      textLanguage: row.textLanguage,
      alliance: { id: row.allianceId, slug: row.allianceSlug, name: row.allianceName },
      services: services
        .filter((service) => service.organization_id === id)
        .map(({ id: serviceId, name, category }) => ({ id: serviceId, name, category })),
      locations: locations
        .filter((location) => location.organization_id === id)
        .map((location) => ({
          id: location.id,
          name: location.name,
          address: location.address,
          postalCode: location.postal_code,
          town: location.town,
          lat: location.lat,
          lon: location.lon,
          precision: location.precision,
          needsPlace: location.needs_place,
          note: location.note,
          hideAddress: location.hide_address,
          serviceCount: serviceCountAt.get(location.id) ?? 0,
          version: location.version,
        })),
    };
    if (audience.forMembers) {
      detail.stakeholder = {
        contactPerson: row.contact_person,
        contactPhone: row.contact_phone,
        contactEmail: row.contact_email,
        contribution: row.contribution,
        whatMatters: row.what_matters,
        influence: row.influence,
        engagementStrategy: row.engagement_strategy,
        memberRole: row.member_role,
      };
    }
    return [detail];
  });
}

export async function findOrganization(
  db: Kysely<Database>,
  id: string,
  audience: OrganizationAudience,
): Promise<OrganizationDetail | undefined> {
  const [detail] = await organizationDetails(db, [id], audience);
  return detail;
}

/** The stakeholder register: every organisation of the alliance, by name, as its members see it. */
export async function listStakeholders(db: Kysely<Database>, allianceId: string): Promise<OrganizationDetail[]> {
  const rows = await db
    .selectFrom('organization')
    .select('id')
    .where('alliance_id', '=', allianceId)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return organizationDetails(
    db,
    rows.map((row) => row.id),
    { forMembers: true },
  );
}

/** The alliance an organisation belongs to; undefined when there is no such organisation. */
export async function allianceOfOrganization(db: Kysely<Database>, id: string): Promise<string | undefined> {
  const row = await db.selectFrom('organization').select('alliance_id').where('id', '=', id).executeTakeFirst();
  return row?.alliance_id;
}

export const sectors: readonly Sector[] = [
  'public_authority',
  'ngo',
  'migrant_association',
  'mediator',
  'social_services',
  'education',
  'employer',
  'other',
];

/** The guide's advice: an alliance of 8 to 12 representatives, balanced across sectors. */
export const memberTarget = { min: 8, max: 12 } as const;

export interface SectorBalance {
  target: { min: number; max: number };
  members: number;
  bySector: { sector: Sector; count: number }[];
  /** Member organisations whose sector nobody has recorded yet. */
  withoutSector: number;
  /** The named sectors (all but "other") with no member organisation. */
  missingSectors: Sector[];
}

/** How the alliance's member organisations (those with a member role) spread across the sectors. */
export async function sectorBalance(db: Kysely<Database>, allianceId: string): Promise<SectorBalance> {
  const rows = await db
    .selectFrom('organization')
    .select(['sector', sql<number>`count(*)::int`.as('count')])
    .where('alliance_id', '=', allianceId)
    .where('member_role', 'is not', null)
    .groupBy('sector')
    .execute();
  const countOf = (sector: Sector | null) => rows.find((row) => row.sector === sector)?.count ?? 0;
  const bySector = sectors.map((sector) => ({ sector, count: countOf(sector) }));
  return {
    target: { ...memberTarget },
    members: rows.reduce((total, row) => total + row.count, 0),
    bySector,
    withoutSector: countOf(null),
    missingSectors: bySector
      .filter(({ sector, count }) => count === 0 && sector !== 'other')
      .map(({ sector }) => sector),
  };
}

function toOrganizationColumns(write: Partial<OrganizationWrite>): OrganizationUpdate {
  const columns: OrganizationUpdate = {
    alliance_id: write.allianceId,
    name: write.name,
    description: write.description,
    website: write.website,
    email: write.email,
    legal_status: write.legalStatus,
    text_language: write.textLanguage,
    contact_person: write.contactPerson,
    contact_phone: write.contactPhone,
    contact_email: write.contactEmail,
    contribution: write.contribution,
    what_matters: write.whatMatters,
    influence: write.influence,
    engagement_strategy: write.engagementStrategy,
    member_role: write.memberRole,
    sector: write.sector,
  };
  return Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined));
}

export async function insertLocation(
  trx: Transaction<Database>,
  organizationId: string,
  location: LocationWrite,
): Promise<string> {
  const { id } = await trx
    .insertInto('location')
    .values({
      organization_id: organizationId,
      name: location.name ?? null,
      address_1: location.address ?? null,
      city: location.town ?? null,
      postal_code: location.postalCode ?? null,
      country: location.country ?? null,
      ...(location.lat !== undefined && location.lon !== undefined
        ? { geog: geographyPoint(location.lon, location.lat), precision: location.precision ?? 'exact' }
        : { geog: null, needs_place: true, precision: 'town' as const }),
      note: location.note ?? null,
      hide_address: location.hideAddress ?? false,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Creates an organisation with its first location, in the caller's transaction. */
export async function createOrganization(trx: Transaction<Database>, write: OrganizationWrite): Promise<string> {
  const { id } = await trx
    .insertInto('organization')
    .values(toOrganizationColumns(write) as NewOrganization)
    .returning('id')
    .executeTakeFirstOrThrow();
  if (write.location) await insertLocation(trx, id, write.location);
  return id;
}

/** Changes the given fields if the organisation is still at `version` (compare and update in one statement). */
export async function updateOrganization(
  trx: Transaction<Database>,
  id: string,
  version: number,
  write: Partial<OrganizationWrite>,
): Promise<UpdateOutcome> {
  const updated = await trx
    .updateTable('organization')
    .set({ ...toOrganizationColumns(write), updated_at: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (updated.numUpdatedRows > 0n) return 'updated';
  return (await allianceOfOrganization(trx, id)) ? 'stale' : 'missing';
}

/** Deletes the organisation with its services and locations (the change log keeps them, to restore). */
export async function deleteOrganization(trx: Transaction<Database>, id: string): Promise<boolean> {
  const deleted = await trx.deleteFrom('organization').where('id', '=', id).executeTakeFirst();
  return deleted.numDeletedRows > 0n;
}
