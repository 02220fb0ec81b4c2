import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { BoundingBox } from './geocoderUrl.js';

/** The box around the alliance's boundary, where its places are searched; null when it has no boundary. */
export async function allianceBoundingBox(db: Kysely<Database>, allianceId: string): Promise<BoundingBox | null> {
  const row = await db
    .selectFrom('alliance as a')
    .select([
      sql<number | null>`ST_XMin(a.boundary)`.as('west'),
      sql<number | null>`ST_YMin(a.boundary)`.as('south'),
      sql<number | null>`ST_XMax(a.boundary)`.as('east'),
      sql<number | null>`ST_YMax(a.boundary)`.as('north'),
    ])
    .where('a.id', '=', allianceId)
    .executeTakeFirst();
  if (!row || row.west === null || row.south === null || row.east === null || row.north === null) return null;
  return [Number(row.west), Number(row.south), Number(row.east), Number(row.north)];
}
