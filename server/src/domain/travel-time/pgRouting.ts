import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { costColumns, type TravelProfile } from './graph.js';
import { limitTolerance, PairList, PointsByNode } from './pairs.js';
import type { Snapped } from './snapping.js';

/**
 * Whether the database has pgRouting, per database: `create extension if not exists pgrouting` is tried once, in a
 * statement of its own; a failure (the embedded database, a server without the package, a role that may not create
 * it) is remembered and the TypeScript engine answers instead. Also which column names the root of a row of
 * `pgr_drivingDistance` (`from_v` in pgRouting 3.4, `start_vid` from 3.6).
 */
const availability = new WeakMap<Kysely<Database>, Promise<string | null>>();

async function probe(db: Kysely<Database>): Promise<string | null> {
  try {
    await sql`create extension if not exists pgrouting`.execute(db);
    const { rows } = await sql<{ names: string[] | null }>`
      select proargnames as names from pg_proc where proname = 'pgr_drivingdistance'`.execute(db);
    const names = rows.flatMap((row) => row.names ?? []);
    if (names.includes('from_v')) return 'from_v';
    if (names.includes('start_vid')) return 'start_vid';
    return null;
  } catch {
    return null;
  }
}

function rootColumn(db: Kysely<Database>): Promise<string | null> {
  let known = availability.get(db);
  if (!known) {
    known = probe(db);
    availability.set(db, known);
  }
  return known;
}

export async function pgRoutingAvailable(db: Kysely<Database>): Promise<boolean> {
  return (await rootColumn(db)) !== null;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The edges query pgRouting reads, with a profile's costs, forward or turned round (cost and reverse cost swapped:
 * a search from the destinations over it gives the times TO them).
 */
export function edgesQuery(networkId: string, profile: TravelProfile, direction: 'forward' | 'reversed'): string {
  if (!uuidPattern.test(networkId)) throw new Error(`not a network id: ${networkId}`);
  const { cost, reverseCost } = costColumns(profile);
  const [c, r] = direction === 'forward' ? [cost, reverseCost] : [reverseCost, cost];
  return `select id, source, target, ${c} as cost, ${r} as reverse_cost from road_edge where network_id = '${networkId}'`;
}

/**
 * The matrix by pgRouting: one `pgr_drivingDistance` from every destination node over the reversed edges, bounded
 * by the limit less the shortest access legs, joined in the database to the origins' nodes; the access legs are
 * added here and the pairs over the limit left out, as the TypeScript engine does.
 */
export async function pgRoutingMatrix(
  db: Kysely<Database>,
  networkId: string,
  profile: TravelProfile,
  from: Snapped,
  to: Snapped,
  limitSeconds: number,
  signal?: AbortSignal,
): Promise<{ length: number; from: Int32Array; to: Int32Array; seconds: Float64Array }> {
  const root = await rootColumn(db);
  if (!root) throw new Error('pgRouting is not available');
  let nodeCount = 0;
  for (const node of from.nodes) nodeCount = Math.max(nodeCount, node);
  for (const node of to.nodes) nodeCount = Math.max(nodeCount, node);
  const fromByNode = new PointsByNode(nodeCount, from.nodes);
  const toByNode = new PointsByNode(nodeCount, to.nodes);
  const pairs = new PairList();
  if (fromByNode.nodes.length === 0 || toByNode.nodes.length === 0) return pairs.done();
  let leastFrom = Number.POSITIVE_INFINITY;
  for (let i = 0; i < from.nodes.length; i++)
    if (from.nodes[i]! > 0) leastFrom = Math.min(leastFrom, from.accessSeconds[i]!);
  let leastTo = Number.POSITIVE_INFINITY;
  for (let j = 0; j < to.nodes.length; j++) if (to.nodes[j]! > 0) leastTo = Math.min(leastTo, to.accessSeconds[j]!);
  const limit = limitSeconds + limitTolerance;
  const budget = limit - leastFrom - leastTo;
  if (!(budget >= 0)) return pairs.done();
  signal?.throwIfAborted();
  const { rows } = await sql<{ t: number; s: number; seconds: number }>`
    select d.${sql.ref(root)} as t, d.node as s, d.agg_cost as seconds
    from pgr_drivingDistance(${edgesQuery(networkId, profile, 'reversed')}, ${toByNode.nodes}::int8[],
      ${budget}::float8, directed => true) d
    join unnest(${fromByNode.nodes}::int8[]) as o(node) on o.node = d.node`.execute(db);
  signal?.throwIfAborted();
  for (const row of rows) {
    const target = Number(row.t);
    const node = Number(row.s);
    for (let i = fromByNode.first[node]! - 1; i >= 0; i = fromByNode.next[i]! - 1) {
      const start = from.accessSeconds[i]! + row.seconds;
      for (let j = toByNode.first[target]! - 1; j >= 0; j = toByNode.next[j]! - 1) {
        const total = start + to.accessSeconds[j]!;
        if (total <= limit) pairs.add(i, j, total);
      }
    }
  }
  return pairs.done();
}

/**
 * Every node from which one of `targets` is within `budget` seconds (the reversed costs, one `pgr_drivingDistance`
 * from all of them): rows of (target node, node, seconds).
 */
export async function pgRoutingReach(
  db: Kysely<Database>,
  networkId: string,
  profile: TravelProfile,
  targets: number[],
  budget: number,
): Promise<{ t: number; node: number; seconds: number }[]> {
  const root = await rootColumn(db);
  if (!root) throw new Error('pgRouting is not available');
  const { rows } = await sql<{ t: number; node: number; seconds: number }>`
    select d.${sql.ref(root)} as t, d.node, d.agg_cost as seconds
    from pgr_drivingDistance(${edgesQuery(networkId, profile, 'reversed')}, ${targets}::int8[], ${budget}::float8,
      directed => true) d`.execute(db);
  return rows;
}
