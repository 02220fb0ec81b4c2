import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/** What a compare-and-update of a versioned record did: changed it, found no such record, or found it changed. */
export type UpdateOutcome = 'updated' | 'missing' | 'stale';

/** When a change was made, in the alliance's time zone: "14:02" today, "14:02 on 20 November 2026" before. */
export function changeTimeText(changedAt: Date, timeZone: string, now: Date = new Date()): string {
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const day = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'long', year: 'numeric' });
  const sameDay = day.format(changedAt) === day.format(now);
  return sameDay ? time.format(changedAt) : `${time.format(changedAt)} on ${day.format(changedAt)}`;
}

/**
 * The answer to a PATCH sent with a version that is no longer the record's: who changed it since and when,
 * read from the record's last change_log row, so that the person knows whose change they would have undone.
 */
export async function staleVersionMessage(
  db: Kysely<Database>,
  record: { entityType: string; entityId: string; noun: string },
): Promise<string> {
  const last = await db
    .selectFrom('change_log as c')
    .leftJoin('account as a', 'a.id', 'c.account_id')
    .leftJoin('alliance as al', 'al.id', 'c.alliance_id')
    .select(['c.changed_at', 'a.display_name', 'al.timezone'])
    .where('c.entity_type', '=', record.entityType)
    .where('c.entity_id', '=', record.entityId)
    .orderBy('c.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const advice = 'Reload it to see their change, then make yours again.';
  if (!last) return `Someone changed this ${record.noun} after you opened it. ${advice}`;
  const who = last.display_name ?? 'Someone';
  const when = changeTimeText(last.changed_at, last.timezone ?? 'UTC');
  return `${who} changed this ${record.noun} at ${when}, after you opened it. ${advice}`;
}
