import { type Kysely, sql, type Transaction } from 'kysely';
import type { CategoryId, Database, LocationPrecision, NewOrganization, OrganizationUpdate } from '../../db/schema.js';
import { geographyPoint } from '../../db/postgis.js';
import type { Page } from '../services/serviceRepository.js';

export interface OrganizationSummary {
  id: string;
  name: string;
  website: string | null;
  allianceSlug: string;
  categories: CategoryId[];
  serviceCount: number;
  town: string | null;
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
    address: string | null;
    town: string | null;
    lat: number;
    lon: number;
    precision: LocationPrecision;
    note: string | null;
  }[];
  stakeholder?: StakeholderFields;
}

export interface LocationWrite {
  lat: number;
  lon: number;
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
  return { items, total, ...page };
}

export async function findOrganization(
  db: Kysely<Database>,
  id: string,
  options: { withStakeholderFields: boolean },
): Promise<OrganizationDetail | undefined> {
  const row = await organizationSummaries(db, {})
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
    ])
    .where('o.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;

  const services = await db
    .selectFrom('service')
    .select(['id', 'name', 'category'])
    .where('organization_id', '=', id)
    .orderBy('name')
    .execute();
  const locations = await db
    .selectFrom('location as l')
    .select([
      'l.id',
      'l.name',
      sql<string | null>`case when l.hide_address then null else l.address_1 end`.as('address'),
      'l.city as town',
      sql<number>`ST_Y(l.geog::geometry)`.as('lat'),
      sql<number>`ST_X(l.geog::geometry)`.as('lon'),
      'l.precision',
      'l.note',
    ])
    .where('l.organization_id', '=', id)
    .orderBy('l.created_at')
    .orderBy('l.id')
    .execute();

  const detail: OrganizationDetail = {
    id: row.id,
    name: row.name,
    website: row.website,
    allianceSlug: row.allianceSlug,
    categories: row.categories,
    serviceCount: row.serviceCount,
    town: row.town,
    description: row.description,
    email: row.email,
    legalStatus: row.legalStatus,
    textLanguage: row.textLanguage,
    alliance: { id: row.allianceId, slug: row.allianceSlug, name: row.allianceName },
    services,
    locations,
  };
  if (options.withStakeholderFields) {
    detail.stakeholder = {
      contactPerson: row.contact_person,
      contactPhone: row.contact_phone,
      contactEmail: row.contact_email,
      contribution: row.contribution,
      whatMatters: row.what_matters,
      influence: row.influence,
      engagementStrategy: row.engagement_strategy,
    };
  }
  return detail;
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
  };
  return Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined));
}

export async function insertLocation(
  trx: Kysely<Database> | Transaction<Database>,
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
      geog: geographyPoint(location.lon, location.lat),
      precision: location.precision ?? 'exact',
      note: location.note ?? null,
      hide_address: location.hideAddress ?? false,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Creates an organisation with its first location, all or nothing. */
export async function createOrganization(db: Kysely<Database>, write: OrganizationWrite): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('organization')
      .values(toOrganizationColumns(write) as NewOrganization)
      .returning('id')
      .executeTakeFirstOrThrow();
    if (write.location) await insertLocation(trx, id, write.location);
    return id;
  });
}

export async function updateOrganization(
  db: Kysely<Database>,
  id: string,
  write: Partial<OrganizationWrite>,
): Promise<boolean> {
  const updated = await db
    .updateTable('organization')
    .set({ ...toOrganizationColumns(write), updated_at: sql`now()` })
    .where('id', '=', id)
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

/** Deletes the organisation with its services and locations. */
export async function deleteOrganization(db: Kysely<Database>, id: string): Promise<boolean> {
  const deleted = await db.deleteFrom('organization').where('id', '=', id).executeTakeFirst();
  return deleted.numDeletedRows > 0n;
}
