import { type Kysely, sql, type Transaction, type Updateable } from 'kysely';
import type { Database, SwotItemTable, SwotQuadrant } from '../../db/schema.js';
import type { UpdateOutcome } from '../history/staleVersion.js';

/** One point of the alliance's SWOT analysis. */
export interface SwotItem {
  id: string;
  allianceId: string;
  quadrant: SwotQuadrant;
  text: string;
  position: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

function toSwotItem(row: {
  id: string;
  alliance_id: string;
  quadrant: SwotQuadrant;
  text: string;
  position: number;
  version: number;
  created_at: Date;
  updated_at: Date;
}): SwotItem {
  return {
    id: row.id,
    allianceId: row.alliance_id,
    quadrant: row.quadrant,
    text: row.text,
    position: row.position,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

const swotColumns = [
  'id',
  'alliance_id',
  'quadrant',
  'text',
  'position',
  'version',
  'created_at',
  'updated_at',
] as const;

/** The items of an alliance, quadrant by quadrant in the template's order, then by position. */
export async function listSwotItems(db: Kysely<Database>, allianceId: string): Promise<SwotItem[]> {
  const rows = await db
    .selectFrom('swot_item')
    .select(swotColumns)
    .where('alliance_id', '=', allianceId)
    .orderBy(sql`array_position(array['strengths', 'weaknesses', 'opportunities', 'threats'], quadrant)`)
    .orderBy('position')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toSwotItem);
}

export async function findSwotItem(db: Kysely<Database>, id: string): Promise<SwotItem | undefined> {
  const row = await db.selectFrom('swot_item').select(swotColumns).where('id', '=', id).executeTakeFirst();
  return row ? toSwotItem(row) : undefined;
}

export async function allianceOfSwotItem(db: Kysely<Database>, id: string): Promise<string | undefined> {
  const row = await db.selectFrom('swot_item').select('alliance_id').where('id', '=', id).executeTakeFirst();
  return row?.alliance_id;
}

/** Adds an item; without a position it goes after the last one of its quadrant. */
export async function createSwotItem(
  trx: Transaction<Database>,
  allianceId: string,
  item: { quadrant: SwotQuadrant; text: string; position?: number },
): Promise<string> {
  const position =
    item.position ??
    (
      await trx
        .selectFrom('swot_item')
        .select(sql<number>`coalesce(max(position) + 1, 0)`.as('next'))
        .where('alliance_id', '=', allianceId)
        .where('quadrant', '=', item.quadrant)
        .executeTakeFirstOrThrow()
    ).next;
  const { id } = await trx
    .insertInto('swot_item')
    .values({ alliance_id: allianceId, quadrant: item.quadrant, text: item.text, position })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Changes an item if it is still at `version` (compared in the update itself, see updateAction). */
export async function updateSwotItem(
  trx: Transaction<Database>,
  id: string,
  version: number,
  changes: { quadrant?: SwotQuadrant; text?: string; position?: number },
): Promise<UpdateOutcome> {
  const columns: Updateable<SwotItemTable> = Object.fromEntries(
    Object.entries({ quadrant: changes.quadrant, text: changes.text, position: changes.position }).filter(
      ([, value]) => value !== undefined,
    ),
  );
  const query =
    Object.keys(columns).length === 0
      ? trx.selectFrom('swot_item').select('id').where('id', '=', id).where('version', '=', version)
      : trx.updateTable('swot_item').set(columns).where('id', '=', id).where('version', '=', version).returning('id');
  if (await query.executeTakeFirst()) return 'updated';
  return (await allianceOfSwotItem(trx, id)) ? 'stale' : 'missing';
}

/** What moving an item did: as for a change, or nothing because it is already first (up) or last (down). */
export type MoveOutcome = UpdateOutcome | 'at-edge';

/**
 * Moves an item read at `version` one place up or down within its quadrant, by swapping it with its neighbour.
 * The quadrant is numbered 0, 1, 2… again in its listed order on the way, so that positions stay distinct
 * even after items were added with a position or restored from the history. The quadrant's rows are locked in
 * id order first, so that two moves at once wait for each other instead of both swapping with a stale order.
 */
export async function moveSwotItem(
  trx: Transaction<Database>,
  id: string,
  version: number,
  direction: 'up' | 'down',
): Promise<MoveOutcome> {
  const item = await trx
    .selectFrom('swot_item')
    .select(['alliance_id', 'quadrant'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!item) return 'missing';
  const locked = await trx
    .selectFrom('swot_item')
    .select(['id', 'version'])
    .where('alliance_id', '=', item.alliance_id)
    .where('quadrant', '=', item.quadrant)
    .orderBy('id')
    .forUpdate()
    .execute();
  const moved = locked.find((row) => row.id === id);
  // Gone, or moved to another quadrant, since it was looked up: either way not the item as read.
  if (!moved) return (await allianceOfSwotItem(trx, id)) ? 'stale' : 'missing';
  if (moved.version !== version) return 'stale';
  const order = await trx
    .selectFrom('swot_item')
    .select(['id', 'position'])
    .where('alliance_id', '=', item.alliance_id)
    .where('quadrant', '=', item.quadrant)
    .orderBy('position')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const from = order.findIndex((row) => row.id === id);
  const to = direction === 'up' ? from - 1 : from + 1;
  if (to < 0 || to >= order.length) return 'at-edge';
  [order[from], order[to]] = [order[to]!, order[from]!];
  for (const [position, row] of order.entries()) {
    if (row.position === position) continue;
    await trx.updateTable('swot_item').set({ position }).where('id', '=', row.id).execute();
  }
  return 'updated';
}

export async function deleteSwotItem(trx: Transaction<Database>, id: string): Promise<boolean> {
  const result = await trx.deleteFrom('swot_item').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
