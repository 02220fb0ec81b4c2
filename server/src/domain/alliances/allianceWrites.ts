import { sql, type Kysely, type Updateable } from 'kysely';
import type { AllianceRole, AllianceTable, Database, UpdateCycleMonths } from '../../db/schema.js';
import { type AllianceDetail, findAlliance } from './allianceRepository.js';
import { type BoundaryGeometry, repairedBoundary } from './boundary.js';
import { changeTimeText } from '../history/staleVersion.js';
import { type CodedMessage, said } from '../messages/userError.js';

/** What the workspace's settings page shows and sends back: the public detail plus what only members edit. */
export interface AllianceSettings extends AllianceDetail {
  charter: string | null;
  profilePublished: boolean;
  version: number;
}

export async function findAllianceSettings(db: Kysely<Database>, id: string): Promise<AllianceSettings | undefined> {
  const detail = await findAlliance(db, id);
  if (!detail) return undefined;
  const extra = await db
    .selectFrom('alliance')
    .select(['charter', 'profile_published as profilePublished', 'version'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return { ...detail, ...extra };
}

/** Whether a time zone name is one the runtime knows (e.g. "Europe/Paris"). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export async function allianceSlugTaken(db: Kysely<Database>, slug: string): Promise<boolean> {
  const row = await db.selectFrom('alliance').select('id').where('slug', '=', slug).executeTakeFirst();
  return row !== undefined;
}

/** Whether a boundary still encloses some area once repaired (a ring folded flat encloses none). */
export async function boundaryHasArea(db: Kysely<Database>, boundary: BoundaryGeometry): Promise<boolean> {
  const { result } = await sql<{ result: boolean }>`select not ST_IsEmpty(${repairedBoundary(boundary)}) as result`
    .execute(db)
    .then((answer) => answer.rows[0]!);
  return result;
}

export interface NewAlliance {
  slug: string;
  name: string;
  country: string;
  timezone: string;
  languages: string[];
  holidayState?: string | null;
  description?: string | null;
  boundary?: BoundaryGeometry | null;
}

/** Creates an alliance with its first coordinator (none for an API token without an account). */
export async function createAlliance(
  db: Kysely<Database>,
  alliance: NewAlliance,
  coordinatorId: string | null,
): Promise<string> {
  const row = await db
    .insertInto('alliance')
    .values({
      slug: alliance.slug,
      name: alliance.name,
      country: alliance.country,
      timezone: alliance.timezone,
      languages: alliance.languages,
      holiday_state: alliance.holidayState ?? null,
      description: alliance.description ?? null,
      vision: null,
      charter: null,
      boundary: alliance.boundary ? repairedBoundary(alliance.boundary) : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (coordinatorId) {
    const role: AllianceRole = 'coordinator';
    await db.insertInto('alliance_member').values({ alliance_id: row.id, account_id: coordinatorId, role }).execute();
  }
  return row.id;
}

export interface AllianceChanges {
  name?: string;
  description?: string | null;
  vision?: string | null;
  charter?: string | null;
  languages?: string[];
  timezone?: string;
  holidayState?: string | null;
  boundary?: BoundaryGeometry | null;
  profilePublished?: boolean;
  updateCycleMonths?: UpdateCycleMonths;
  selfServiceApproval?: boolean;
}

/**
 * Applies changes to an alliance read at `version`; false, with nothing written, when it changed since (or is
 * gone). The version itself is bumped by the database.
 */
export async function updateAlliance(
  db: Kysely<Database>,
  id: string,
  version: number,
  changes: AllianceChanges,
): Promise<boolean> {
  // Each column named here, never the request's fields spread: a field the route let through by mistake
  // must not become a column (a slug, a country, created_at…).
  const columns: Updateable<AllianceTable> = {
    name: changes.name,
    description: changes.description,
    vision: changes.vision,
    charter: changes.charter,
    languages: changes.languages,
    timezone: changes.timezone,
    holiday_state: changes.holidayState,
    profile_published: changes.profilePublished,
    update_cycle_months: changes.updateCycleMonths,
    self_service_approval: changes.selfServiceApproval,
  };
  const { boundary } = changes;
  const updated = await db
    .updateTable('alliance')
    .set({
      ...Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined)),
      ...(boundary === undefined ? {} : { boundary: boundary ? repairedBoundary(boundary) : null }),
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('id')
    .executeTakeFirst();
  return updated !== undefined;
}

/**
 * The 409 message when an alliance changed after someone opened it: who changed it and when (in the alliance's
 * time zone), from the change log.
 */
export async function allianceConflictMessage(db: Kysely<Database>, allianceId: string): Promise<CodedMessage> {
  const last = await db
    .selectFrom('change_log as c')
    .innerJoin('alliance as al', 'al.id', 'c.entity_id')
    .leftJoin('account as a', 'a.id', 'c.account_id')
    .select(['a.display_name as author', 'c.changed_at as changedAt', 'al.timezone'])
    .where('c.entity_type', '=', 'alliance')
    .where('c.entity_id', '=', allianceId)
    .orderBy('c.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const params = {
    entityType: 'alliance',
    noun: 'alliance',
    advice: 'Reload it to see their change, then make yours again.',
  };
  if (!last) return said('conflict.stale-version-unknown', params);
  const timeZone = isTimeZone(last.timezone) ? last.timezone : 'UTC';
  const changedAt = new Date(last.changedAt);
  return said('conflict.stale-version', {
    ...params,
    who: last.author ?? 'Someone',
    changedAt: changedAt.toISOString(),
    timeZone,
    when: changeTimeText(changedAt, timeZone),
  });
}
