import { type Kysely, sql, type SqlBool } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { PointReader } from '../locations/hiddenAddresses.js';

/** The total of the services a reader may see, and how many rows of the tally it summed. */
export interface TallyTotal {
  total: number;
  tally_rows: number;
}

/**
 * How many services a reader may see, in one alliance or in all, from the tally the database keeps (migration
 * 2026-12-03-01-service-tally) instead of counting the services: a page of the HSDS read API says `total_items`
 * for the price of reading a few rows. Exact, in the reader's snapshot, like a count. One row; past
 * `foldTallyAbove` rows summed, the caller folds them (`foldTally`).
 */
export function tallyTotal(reader: PointReader, allianceId: string | undefined) {
  return sql<TallyTotal>`
    select coalesce(sum(delta) filter (where ${visibleStatus(reader)}), 0)::int as total, count(*)::int as tally_rows
    from service_tally
    where ${allianceId === undefined ? sql`true` : sql`alliance_id = ${allianceId}`}`;
}

function visibleStatus(reader: PointReader) {
  if (reader.memberOf === 'every') return sql<SqlBool>`true`;
  if (reader.memberOf.length === 0) return sql<SqlBool>`status = 'active'`;
  return sql<SqlBool>`(status = 'active' or alliance_id = any(${[...reader.memberOf]}::uuid[]))`;
}

/** Every write adds rows; past this many in what a reader sums, the rows are folded. */
export const foldTallyAbove = 64;

/**
 * Folds each alliance's rows into one per status (dropping statuses it has none of). Rows written meanwhile by
 * transactions not yet committed are not seen, so not folded: they count when they commit, as before. Two folds
 * at once are safe too: the second skips the rows the first deleted.
 */
export async function foldTally(db: Kysely<Database>): Promise<void> {
  await sql`
    with crowded as (
      select alliance_id from service_tally group by alliance_id having count(*) > 4
    ), folded as (
      delete from service_tally t using crowded c where t.alliance_id = c.alliance_id
      returning t.alliance_id, t.status, t.delta
    )
    insert into service_tally (alliance_id, status, delta)
    select alliance_id, status, sum(delta) from folded group by alliance_id, status having sum(delta) <> 0`.execute(db);
}
