import { setImmediate as nextTurn } from 'node:timers/promises';
import { type Kysely, sql } from 'kysely';
import type { DatabaseMode } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { Adjacency } from './dijkstra.js';

import { type TravelProfileName, travelProfiles } from '#contract/travel/roadClasses.js';

export type TravelProfile = TravelProfileName;
export { travelProfiles };

/** A network's roads for one profile: the arcs it may take (forward) and the same arcs turned round (reversed). */
export interface ProfileGraph {
  networkId: string;
  profile: TravelProfile;
  /** What the graph was built from; another version means the network or its speeds changed. */
  version: string;
  nodeCount: number;
  forward: Adjacency;
  reversed: Adjacency;
}

/** The columns of a profile's costs (pgRouting's convention: negative where the profile may not go). */
export function costColumns(profile: TravelProfile): { cost: string; reverseCost: string } {
  if (!travelProfiles.includes(profile)) throw new Error(`unknown travel profile ${String(profile)}`);
  return { cost: `${profile}_cost`, reverseCost: `${profile}_reverse_cost` };
}

/**
 * The version of a network's costs: when it was imported and a hash of the speeds its costs were computed with
 * (changing the speeds recomputes the costs and changes the hash), with its edge count. Null when there is no such
 * network.
 */
export async function networkVersion(db: Kysely<Database>, networkId: string): Promise<string | null> {
  const { rows } = await sql<{ version: string }>`
    select concat_ws('|', status, imported_at::text, md5(speeds::text), edge_count::text) as version
    from road_network where id = ${networkId}`.execute(db);
  return rows[0]?.version ?? null;
}

/** Edges read per statement: small pieces in embedded mode, so that other requests go between them. */
const pageSize: Record<DatabaseMode, number> = { embedded: 20_000, server: 100_000 };

class Growing {
  tails = new Int32Array(1 << 16);
  heads = new Int32Array(1 << 16);
  costs = new Float64Array(1 << 16);
  edges = new Int32Array(1 << 16);
  length = 0;

  add(tail: number, head: number, cost: number, edge: number): void {
    if (this.length === this.tails.length) {
      const size = this.length * 2;
      const grow = <T extends Int32Array | Float64Array>(array: T, make: (n: number) => T): T => {
        const grown = make(size);
        grown.set(array);
        return grown;
      };
      this.tails = grow(this.tails, (n) => new Int32Array(n));
      this.heads = grow(this.heads, (n) => new Int32Array(n));
      this.costs = grow(this.costs, (n) => new Float64Array(n));
      this.edges = grow(this.edges, (n) => new Int32Array(n));
    }
    this.tails[this.length] = tail;
    this.heads[this.length] = head;
    this.costs[this.length] = cost;
    this.edges[this.length] = edge;
    this.length++;
  }
}

/** Arcs sorted by their `from` end (a counting sort) into offsets/targets/costs. */
function compress(nodeCount: number, arcs: Growing, from: Int32Array, to: Int32Array): Adjacency {
  const offsets = new Int32Array(nodeCount + 2);
  for (let i = 0; i < arcs.length; i++) offsets[from[i]! + 1]!++;
  for (let v = 1; v < offsets.length; v++) offsets[v]! += offsets[v - 1]!;
  const next = offsets.slice(0, nodeCount + 1);
  const targets = new Int32Array(arcs.length);
  const costs = new Float64Array(arcs.length);
  const edges = new Int32Array(arcs.length);
  for (let i = 0; i < arcs.length; i++) {
    const slot = next[from[i]!]!++;
    targets[slot] = to[i]!;
    costs[slot] = arcs.costs[i]!;
    edges[slot] = arcs.edges[i]!;
  }
  return { nodeCount, offsets, targets, costs, edges };
}

/**
 * Reads a network's edges for one profile, a page at a time in the order of their ids (keyset), into typed arrays:
 * an edge gives an arc source → target when its cost is ≥ 0 and target → source when its reverse cost is.
 */
export async function loadProfileGraph(
  db: Kysely<Database>,
  mode: DatabaseMode,
  networkId: string,
  profile: TravelProfile,
  version: string,
  signal?: AbortSignal,
): Promise<ProfileGraph> {
  const { cost, reverseCost } = costColumns(profile);
  const arcs = new Growing();
  const { rows: nodeRows } = await sql<{ n: number }>`
    select coalesce(max(id), 0)::int8 as n from road_node where network_id = ${networkId}`.execute(db);
  let nodeCount = Number(nodeRows[0]?.n ?? 0);
  let after = 0;
  for (;;) {
    signal?.throwIfAborted();
    const { rows } = await sql<{ id: number; s: number; t: number; c: number; r: number }>`
      select id, source as s, target as t, ${sql.ref(cost)} as c, ${sql.ref(reverseCost)} as r
      from road_edge where network_id = ${networkId} and id > ${after}
      order by id limit ${pageSize[mode]}`.execute(db);
    for (const row of rows) {
      const id = Number(row.id);
      const s = Number(row.s);
      const t = Number(row.t);
      if (s > nodeCount) nodeCount = s;
      if (t > nodeCount) nodeCount = t;
      if (row.c >= 0) arcs.add(s, t, row.c, id);
      if (row.r >= 0) arcs.add(t, s, row.r, id);
    }
    if (rows.length < pageSize[mode]) break;
    after = Number(rows[rows.length - 1]!.id);
    if (mode === 'embedded') await nextTurn();
  }
  const tails = arcs.tails.subarray(0, arcs.length);
  const heads = arcs.heads.subarray(0, arcs.length);
  return {
    networkId,
    profile,
    version,
    nodeCount,
    forward: compress(nodeCount, arcs, tails, heads),
    reversed: compress(nodeCount, arcs, heads, tails),
  };
}

/**
 * The graphs built lately, a few at most (a 1M-edge network is about 60 MB for one profile): keyed by network and
 * profile, and rebuilt when the network's version (networkVersion) is no longer the one it was built from. A graph
 * being built is shared by the callers asking for it meanwhile.
 */
const cacheSize = 3;
const cache = new Map<string, Promise<ProfileGraph>>();
/** The graphs of the cache that are built (their promise fulfilled). */
const built = new WeakSet<Promise<ProfileGraph>>();

/**
 * The graph of a network and profile if it is built and of the network's current version, else null: nothing is
 * read or built (a caller that has another way, pgRouting, uses it meanwhile).
 */
export async function builtProfileGraph(
  db: Kysely<Database>,
  networkId: string,
  profile: TravelProfile,
): Promise<ProfileGraph | null> {
  const cached = cache.get(`${networkId}:${profile}`);
  if (!cached || !built.has(cached)) return null;
  const graph = await cached;
  return graph.version === (await networkVersion(db, networkId)) ? graph : null;
}

export async function profileGraph(
  db: Kysely<Database>,
  mode: DatabaseMode,
  networkId: string,
  profile: TravelProfile,
  signal?: AbortSignal,
): Promise<ProfileGraph> {
  const version = await networkVersion(db, networkId);
  if (version === null) throw new Error(`no road network ${networkId}`);
  const key = `${networkId}:${profile}`;
  const cached = cache.get(key);
  if (cached) {
    const graph = await cached.catch(() => null);
    if (graph && graph.version === version) {
      cache.delete(key);
      cache.set(key, cached); // the most recently used last
      return graph;
    }
    if (cache.get(key) === cached) cache.delete(key);
  }
  const building = loadProfileGraph(db, mode, networkId, profile, version, signal);
  cache.set(key, building);
  building.then(
    () => built.add(building),
    () => undefined,
  );
  building.catch(() => {
    if (cache.get(key) === building) cache.delete(key);
  });
  while (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
  return building;
}

/**
 * Builds a graph in the background (if it is not built already) so that the next request searches in memory: after a
 * travel run answered by pgRouting, and at start for the networks of the latest runs, a what-if then takes
 * milliseconds rather than the seconds pgRouting needs to read a large network. A failure is left to the request
 * that needs the graph (it builds it again and says why).
 */
export function prepareProfileGraph(
  db: Kysely<Database>,
  mode: DatabaseMode,
  networkId: string,
  profile: TravelProfile,
): Promise<void> {
  return profileGraph(db, mode, networkId, profile).then(
    () => undefined,
    () => undefined,
  );
}

/** How many graphs the cache keeps. */
export const profileGraphCacheSize = cacheSize;

/** Forgets every built graph (tests, benchmarks). */
export function forgetProfileGraphs(): void {
  cache.clear();
}
