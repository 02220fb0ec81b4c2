import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { findScheduleRegion } from '../schedules/scheduleRegion.js';
import { said, UserError } from '../messages/userError.js';
import { type ClosureInput, closureProblem, dayAfter } from './closureRules.js';

/** A service's closure as the API answers it. */
export interface Closure {
  id: string;
  serviceId: string;
  startsOn: string;
  endsOn: string;
  /** The day after `endsOn`. */
  reopensOn: string;
  openingHours: string | null;
  note: string | null;
  version: number;
}

function closureColumns(db: Kysely<Database>) {
  return db.selectFrom('service_closure as c').select([
    'c.id',
    'c.service_id as serviceId',
    // Dates as written, never through a JavaScript Date and the server's zone.
    sql<string>`to_char(c.starts_on, 'YYYY-MM-DD')`.as('startsOn'),
    sql<string>`to_char(c.ends_on, 'YYYY-MM-DD')`.as('endsOn'),
    'c.opening_hours as openingHours',
    'c.note',
    'c.version',
  ]);
}

const withReopening = (row: Omit<Closure, 'reopensOn'>): Closure => ({ ...row, reopensOn: dayAfter(row.endsOn) });

/** The alliance of a service's closure, for permission checks; undefined when there is no such closure. */
export async function allianceOfClosure(db: Kysely<Database>, id: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('service_closure as c')
    .innerJoin('service as s', 's.id', 'c.service_id')
    .innerJoin('organization as o', 'o.id', 's.organization_id')
    .select('o.alliance_id')
    .where('c.id', '=', id)
    .executeTakeFirst();
  return row?.alliance_id;
}

/** A service's closures, the earliest first, those that ended long ago included (the history of its seasons). */
export async function listClosures(db: Kysely<Database>, serviceId: string): Promise<Closure[]> {
  const rows = await closureColumns(db)
    .where('c.service_id', '=', serviceId)
    .orderBy('c.starts_on')
    .orderBy('c.ends_on')
    .orderBy('c.id')
    .execute();
  return rows.map(withReopening);
}

export async function findClosure(db: Kysely<Database>, id: string): Promise<Closure | undefined> {
  const row = await closureColumns(db).where('c.id', '=', id).executeTakeFirst();
  return row && withReopening(row);
}

/** Refuses a closure that cannot be recorded, with a 400 that says why (the region reads its exceptional hours). */
async function checkClosure(db: Kysely<Database>, serviceId: string, input: ClosureInput): Promise<void> {
  const service = await db
    .selectFrom('service as s')
    .innerJoin('organization as o', 'o.id', 's.organization_id')
    .select('o.alliance_id')
    .where('s.id', '=', serviceId)
    .executeTakeFirst();
  if (!service) throw new UserError(404, said('not-found.service', { id: serviceId }));
  const problem = closureProblem(input, await findScheduleRegion(db, service.alliance_id));
  if (problem) throw new UserError(400, problem);
}

/**
 * Records that a service is closed from `startsOn` to `endsOn` (both included, in the region's calendar), or open
 * at `openingHours` on those days. Throws a UserError (400, or 404 for an unknown service) when it cannot be
 * recorded. Run it inside `changeAs` so that the history names the author.
 */
export async function addClosure(db: Kysely<Database>, serviceId: string, input: ClosureInput): Promise<Closure> {
  await checkClosure(db, serviceId, input);
  const { id } = await db
    .insertInto('service_closure')
    .values({
      service_id: serviceId,
      starts_on: input.startsOn,
      ends_on: input.endsOn,
      opening_hours: input.openingHours,
      note: input.note,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return (await findClosure(db, id))!;
}

/**
 * Changes some fields of a closure read at `version`: 'missing' when there is none, 'stale' when someone changed it
 * since. The whole closure, as it would be after the change, must still be valid (UserError 400 otherwise).
 */
export async function updateClosure(
  db: Kysely<Database>,
  id: string,
  version: number,
  changes: Partial<ClosureInput>,
): Promise<Closure | 'missing' | 'stale'> {
  const current = await findClosure(db, id);
  if (!current) return 'missing';
  if (current.version !== version) return 'stale';
  const next: ClosureInput = {
    startsOn: changes.startsOn ?? current.startsOn,
    endsOn: changes.endsOn ?? current.endsOn,
    openingHours: changes.openingHours === undefined ? current.openingHours : changes.openingHours,
    note: changes.note === undefined ? current.note : changes.note,
  };
  await checkClosure(db, current.serviceId, next);
  const updated = await db
    .updateTable('service_closure')
    .set({
      starts_on: next.startsOn,
      ends_on: next.endsOn,
      opening_hours: next.openingHours,
      note: next.note,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) return 'stale';
  return (await findClosure(db, id))!;
}

/** Deletes a closure; false when there was none. */
export async function deleteClosure(db: Kysely<Database>, id: string): Promise<boolean> {
  const deleted = await db.deleteFrom('service_closure').where('id', '=', id).executeTakeFirst();
  return deleted.numDeletedRows > 0n;
}

/**
 * The closures of an alliance's services that overlap the days `firstDay` to `lastDay` (YYYY-MM-DD, both included),
 * by service, the earliest first: what the directory applies to the opening times it lists.
 */
export async function closuresOverlapping(
  db: Kysely<Database>,
  allianceId: string,
  firstDay: string,
  lastDay: string,
): Promise<Map<string, Closure[]>> {
  const rows = await closureColumns(db)
    .innerJoin('service as s', 's.id', 'c.service_id')
    .innerJoin('organization as o', 'o.id', 's.organization_id')
    .where('o.alliance_id', '=', allianceId)
    .where(sql<boolean>`c.ends_on >= ${firstDay}::date and c.starts_on <= ${lastDay}::date`)
    .orderBy('c.starts_on')
    .orderBy('c.ends_on')
    .orderBy('c.id')
    .execute();
  const byService = new Map<string, Closure[]>();
  for (const row of rows) {
    const list = byService.get(row.serviceId) ?? [];
    list.push(withReopening(row));
    byService.set(row.serviceId, list);
  }
  return byService;
}
