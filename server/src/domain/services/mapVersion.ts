import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { PointReader } from '../locations/hiddenAddresses.js';

/** Past this many ledger rows read for one answer, an alliance's rows are folded into its last one. */
export const foldMapChangesAbove = 1000;

/**
 * Where the map's data of one alliance (or of all, `undefined`) stands: the count and the largest id of its rows in
 * the `map_change` ledger (migration 2026-12-05-12-map-changes). Any committed change of its services, places,
 * organisations or the alliance itself changes the pair, in the reader's snapshot.
 */
export async function mapVersion(db: Kysely<Database>, allianceId: string | undefined): Promise<string> {
  const { rows } = await sql<MapVersionRow>`select ${mapVersionColumns(allianceId)}`.execute(db);
  return versionOf(db, rows[0]!);
}

/** What `mapVersion` reads, as two columns `rows` and `last`, for a statement that reads something else too. */
export function mapVersionColumns(allianceId: string | undefined) {
  const scope = allianceId === undefined ? sql`true` : sql`alliance_id = ${allianceId}`;
  return sql`(select count(*)::int from map_change where ${scope}) as rows,
    (select max(id)::text from map_change where ${scope}) as last`;
}

export interface MapVersionRow {
  rows: number;
  last: string | null;
}

/** The version from the columns of `mapVersionColumns`; folds the ledger when it grew long. */
export async function versionOf(db: Kysely<Database>, { rows, last }: MapVersionRow): Promise<string> {
  if (rows > foldMapChangesAbove) await foldMapChanges(db);
  return `${rows}.${last ?? 0}`;
}

/**
 * Keeps each alliance's last row only. A fold leaves fewer rows than any state it followed, and rows committed
 * later still add to the count, so no later state repeats an earlier version.
 */
export async function foldMapChanges(db: Kysely<Database>): Promise<void> {
  await sql`
    delete from map_change m
    using (select alliance_id, max(id) as last from map_change group by alliance_id) k
    where m.alliance_id = k.alliance_id and m.id < k.last`.execute(db);
}

/** Fifteen minutes: every time zone's midnight falls on such a boundary, so services' ages change only there. */
const AGE_STEP_MS = 15 * 60 * 1000;

/**
 * An ETag for a map answer: the data's version, what was asked, whose exact places the reader sees (hidden
 * addresses) and the quarter hour (a service's age changes with its region's date, not only with its data).
 */
export function mapEtag(parts: {
  version: string;
  kind: string;
  query: unknown;
  reader: PointReader;
  now?: Date;
}): string {
  const reader = parts.reader.memberOf === 'every' ? 'every' : [...parts.reader.memberOf].sort();
  const quarter = Math.floor((parts.now ?? new Date()).getTime() / AGE_STEP_MS);
  const hash = createHash('sha256')
    .update(JSON.stringify([parts.kind, parts.version, parts.query, reader, quarter]))
    .digest('base64url')
    .slice(0, 27);
  return `"${hash}"`;
}

/** Whether an If-None-Match header names this ETag (a list, weak validators and `*` included). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}
