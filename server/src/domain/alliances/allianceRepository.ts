import { type Kysely, sql } from 'kysely';
import type { Database, UpdateCycleMonths } from '../../db/schema.js';

export interface AllianceSummary {
  id: string;
  slug: string;
  name: string;
  country: string;
  languages: string[];
  timezone: string;
  bbox: [number, number, number, number] | null;
  organizationCount: number;
  serviceCount: number;
}

export interface AllianceDetail extends AllianceSummary {
  description: string | null;
  vision: string | null;
  boundary: { type: 'MultiPolygon'; coordinates: number[][][][] } | null;
  /** The alliance's charter text (its signatures are shown to members only). */
  charter: string | null;
  profilePublished: boolean;
  /** Whose public holidays the opening hours follow where they differ within the country (`Bayern`). */
  holidayState: string | null;
  /** How often its services should be checked, in months, unless a service says otherwise (domain/freshness). */
  updateCycleMonths: UpdateCycleMonths;
  /** Whether what an organisation changes through its self-service link waits for an editor's approval. */
  selfServiceApproval: boolean;
  /** Sent back with a change of the alliance's settings (optimistic concurrency). */
  version: number;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Alliances are addressed by slug in links people share, and by id in the API. */
export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}

function allianceSummaries(db: Kysely<Database>) {
  return db.selectFrom('alliance as a').select([
    'a.id',
    'a.slug',
    'a.name',
    sql<string>`trim(a.country)`.as('country'),
    'a.languages',
    'a.timezone',
    'a.description',
    'a.vision',
    sql<[number, number, number, number] | null>`
        case when a.boundary is null then null
        else json_build_array(ST_XMin(a.boundary), ST_YMin(a.boundary), ST_XMax(a.boundary), ST_YMax(a.boundary)) end`.as(
      'bbox',
    ),
    sql<number>`(select count(*)::int from organization o where o.alliance_id = a.id)`.as('organizationCount'),
    sql<number>`(select count(*)::int from service s join organization o on o.id = s.organization_id
                   where o.alliance_id = a.id)`.as('serviceCount'),
  ]);
}

export async function listAlliances(db: Kysely<Database>): Promise<AllianceSummary[]> {
  const rows = await allianceSummaries(db).orderBy('a.name').execute();
  return rows.map(({ description: _description, vision: _vision, ...summary }) => summary);
}

export async function findAlliance(db: Kysely<Database>, idOrSlug: string): Promise<AllianceDetail | undefined> {
  const row = await allianceSummaries(db)
    .select(sql<AllianceDetail['boundary']>`ST_AsGeoJSON(a.boundary, 6)::json`.as('boundary'))
    .select([
      'a.charter',
      'a.profile_published as profilePublished',
      'a.holiday_state as holidayState',
      'a.update_cycle_months as updateCycleMonths',
      'a.self_service_approval as selfServiceApproval',
      'a.version',
    ])
    .where(isUuid(idOrSlug) ? 'a.id' : 'a.slug', '=', idOrSlug)
    .executeTakeFirst();
  return row;
}

/** The id of an alliance given its id or slug, or undefined when there is none. */
export async function resolveAllianceId(db: Kysely<Database>, idOrSlug: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('alliance')
    .select('id')
    .where(isUuid(idOrSlug) ? 'id' : 'slug', '=', idOrSlug)
    .executeTakeFirst();
  return row?.id;
}

/** An alliance's country (ISO 3166-1 alpha-2), by id. */
export async function allianceCountry(db: Kysely<Database>, allianceId: string): Promise<string> {
  const row = await db
    .selectFrom('alliance')
    .select(sql<string>`trim(country)`.as('country'))
    .where('id', '=', allianceId)
    .executeTakeFirstOrThrow();
  return row.country;
}
