import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type CodedMessage, said } from '../messages/userError.js';

/** What a compare-and-update of a versioned record did: changed it, found no such record, or found it changed. */
export type UpdateOutcome = 'updated' | 'missing' | 'stale';

/** When a change was made, in the alliance's time zone: "14:02" today, "14:02 on 20 November 2026" before. */
export function changeTimeText(changedAt: Date, timeZone: string, now: Date = new Date()): string {
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const day = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'long', year: 'numeric' });
  const sameDay = day.format(changedAt) === day.format(now);
  return sameDay ? time.format(changedAt) : `${time.format(changedAt)} on ${day.format(changedAt)}`;
}

/** The versioned records a PATCH can find changed since it was read: the table holding each. */
export type VersionedEntity =
  | 'organization'
  | 'service'
  | 'location'
  | 'plan_action'
  | 'swot_item'
  | 'translation'
  | 'service_closure'
  | 'service_report';

/**
 * The answer to a PATCH sent with a version that is no longer the record's: who changed it since and when,
 * read from the record's last change_log row, so that the person knows whose change they would have undone.
 * Coded `conflict.stale-version` (or `conflict.stale-version-unknown` when the log names nobody) with the record's
 * kind (`entityType`), its current version, the author's name (`who`) and the time of the change (`changedAt`,
 * ISO 8601, with the alliance's `timeZone`); `when` and `noun` say them in English.
 */
export async function staleVersionMessage(
  db: Kysely<Database>,
  record: { entityType: VersionedEntity; entityId: string; noun: string },
): Promise<CodedMessage> {
  const current = await db
    .selectFrom(record.entityType)
    .select('version')
    .where('id', '=', record.entityId)
    .executeTakeFirst();
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
  const params = {
    entityType: record.entityType,
    noun: record.noun,
    currentVersion: current?.version ?? 0,
    advice,
  };
  if (!last) return said('conflict.stale-version-unknown', params);
  const timeZone = last.timezone ?? 'UTC';
  return said('conflict.stale-version', {
    ...params,
    who: last.display_name ?? 'Someone',
    changedAt: last.changed_at.toISOString(),
    timeZone,
    when: changeTimeText(last.changed_at, timeZone),
  });
}
