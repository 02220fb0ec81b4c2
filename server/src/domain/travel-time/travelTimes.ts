import { setImmediate as nextTurn } from 'node:timers/promises';
import { type Kysely, sql } from 'kysely';
import type { DatabaseHandle } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { Searcher } from './dijkstra.js';
import { builtProfileGraph, profileGraph, type TravelProfile } from './graph.js';
import { limitTolerance, PairList, PointsByNode } from './pairs.js';
import { pgRoutingAvailable, pgRoutingMatrix, pgRoutingReach } from './pgRouting.js';
import { maxAccessMetres, type Snapped, snapPoints, type TravelPoint } from './snapping.js';

export type { TravelProfile } from './graph.js';
export type { TravelPoint } from './snapping.js';
export { limitTolerance } from './pairs.js';

export interface TravelTimeRequest {
  networkId: string;
  profile: TravelProfile;
  /** Where people start (e.g. the areas' population-weighted centres). */
  from: readonly TravelPoint[];
  /** Where they go (e.g. service locations). */
  to: readonly TravelPoint[];
  /** Pairs whose time is ≤ this many seconds are answered (the limit is included). */
  limitSeconds: number;
  /**
   * For a few destinations among many origins (a what-if's added services): the destinations are searched first and
   * only the origins near what they reach are snapped (snapping thousands of points is most of such a matrix). The
   * pairs are the same; `offNetworkFrom` then lists only the origins looked at.
   */
  nearDestinationsOnly?: boolean;
  signal?: AbortSignal;
}

/** The pairs within the limit, as parallel arrays (indexes into from / to); times in seconds, door to door. */
export interface TravelTimes {
  length: number;
  from: Int32Array;
  to: Int32Array;
  seconds: Float64Array;
  /** Indexes of points too far from any road this profile may use (they reach nothing and nothing reaches them). */
  offNetworkFrom: number[];
  offNetworkTo: number[];
  engine: 'pgrouting' | 'typescript';
}

/** Which engine a matrix uses: pgRouting where the server database has it, else (and on request) TypeScript. */
export type EngineChoice = 'auto' | 'typescript' | 'pgrouting';

/**
 * Door-to-door travel times from each `from` point TO each `to` point (one-way streets count), within the limit:
 * the access leg from the point to its node (snapping.ts), the network's shortest time, the access leg from the
 * destination's node to the destination.
 */
export async function travelTimeMatrix(
  handle: Pick<DatabaseHandle, 'db' | 'mode'>,
  request: TravelTimeRequest,
  engine: EngineChoice = 'auto',
): Promise<TravelTimes> {
  const { db, mode } = handle;
  const { networkId, profile, signal } = request;
  if (request.nearDestinationsOnly) return towardFewDestinations(handle, request, engine);
  const from = await snapPoints(db, mode, networkId, profile, request.from, signal);
  const to = await snapPoints(db, mode, networkId, profile, request.to, signal, 'arriving');
  // With pgRouting by default, a graph already in memory (built after an earlier run, or at start) answers faster:
  // it is searched without reading the network's edges again.
  const usePgRouting =
    (await usesPgRouting(handle, engine)) && !(engine === 'auto' && (await builtProfileGraph(db, networkId, profile)));
  const pairs = usePgRouting
    ? await pgRoutingMatrix(db, networkId, profile, from, to, request.limitSeconds, signal)
    : await typescriptMatrix(handle, networkId, profile, from, to, request.limitSeconds, signal);
  return {
    ...pairs,
    offNetworkFrom: offNetwork(from),
    offNetworkTo: offNetwork(to),
    engine: usePgRouting ? 'pgrouting' : 'typescript',
  };
}

async function usesPgRouting(handle: Pick<DatabaseHandle, 'db' | 'mode'>, engine: EngineChoice): Promise<boolean> {
  return (
    engine === 'pgrouting' || (engine === 'auto' && handle.mode === 'server' && (await pgRoutingAvailable(handle.db)))
  );
}

/**
 * The matrix searched from the destinations first: every node from which a destination is within the limit (less
 * its access leg), then only the origins within the longest access leg of those nodes' extent are snapped — an origin
 * farther joins the network at a node no destination is reached from. The same pairs as the full matrix.
 */
async function towardFewDestinations(
  handle: Pick<DatabaseHandle, 'db' | 'mode'>,
  request: TravelTimeRequest,
  engine: EngineChoice,
): Promise<TravelTimes> {
  const { db, mode } = handle;
  const { networkId, profile, signal } = request;
  const usePgRouting = await usesPgRouting(handle, engine);
  const to = await snapPoints(db, mode, networkId, profile, request.to, signal, 'arriving');
  const limit = request.limitSeconds + limitTolerance;
  const leastTo = new Map<number, number>();
  to.nodes.forEach((node, j) => {
    if (node > 0) leastTo.set(node, Math.min(leastTo.get(node) ?? Number.POSITIVE_INFINITY, to.accessSeconds[j]!));
  });
  const reached = { target: [] as number[], node: [] as number[], seconds: [] as number[] };
  const add = (target: number, node: number, seconds: number) => {
    reached.target.push(target);
    reached.node.push(node);
    reached.seconds.push(seconds);
  };
  // The graph in memory answers in milliseconds where pgRouting reads every edge of the network (seconds for a
  // million): with pgRouting, it is used when built, and built meanwhile for the next request.
  const graph =
    engine === 'pgrouting'
      ? null
      : usePgRouting
        ? await builtProfileGraph(db, networkId, profile)
        : await profileGraph(db, mode, networkId, profile, signal);
  if (graph) {
    const searcher = new Searcher(graph.reversed);
    for (const [target, least] of leastTo) {
      searcher.search(target, limit - least, (node, seconds) => add(target, node, seconds));
    }
  } else {
    if (engine === 'auto') void profileGraph(db, mode, networkId, profile).catch(() => undefined);
    const budget = limit - Math.min(...leastTo.values());
    if (leastTo.size > 0 && budget >= 0) {
      for (const row of await pgRoutingReach(db, networkId, profile, [...leastTo.keys()], budget)) {
        add(Number(row.t), Number(row.node), row.seconds);
      }
    }
  }
  signal?.throwIfAborted();
  const near: number[] = [];
  if (reached.node.length > 0) {
    // An origin joins the network at an end of its street: the streets that end at a reached node, and the points
    // within the longest access leg of them, are all that can be in a pair.
    const reachedNodes = [...new Set(reached.node)];
    const { rows } = await sql<{ west: number; south: number; east: number; north: number }>`
      select ST_XMin(e) as west, ST_YMin(e) as south, ST_XMax(e) as east, ST_YMax(e) as north
      from (select ST_Extent(geom) as e from road_edge
            where network_id = ${networkId}
              and (source = any(${reachedNodes}::int8[]) or target = any(${reachedNodes}::int8[]))) x`.execute(db);
    const box = rows[0]!;
    // Degrees of the longest access leg, on the safe side (a degree of latitude is at least 110.5 km).
    const dLat = maxAccessMetres / 110_000;
    const widestLat = Math.min(89, Math.max(Math.abs(box.south), Math.abs(box.north)) + dLat);
    const dLon = dLat / Math.cos((widestLat * Math.PI) / 180);
    request.from.forEach((point, i) => {
      if (
        point.lon >= box.west - dLon &&
        point.lon <= box.east + dLon &&
        point.lat >= box.south - dLat &&
        point.lat <= box.north + dLat
      )
        near.push(i);
    });
  }
  const from = await snapPoints(
    db,
    mode,
    networkId,
    profile,
    near.map((i) => request.from[i]!),
    signal,
  );
  const originsAt = new Map<number, number[]>();
  from.nodes.forEach((node, k) => {
    if (node > 0) originsAt.set(node, [...(originsAt.get(node) ?? []), k]);
  });
  const destinationsAt = new Map<number, number[]>();
  to.nodes.forEach((node, j) => {
    if (node > 0) destinationsAt.set(node, [...(destinationsAt.get(node) ?? []), j]);
  });
  const pairs = new PairList();
  for (let r = 0; r < reached.node.length; r++) {
    const origins = originsAt.get(reached.node[r]!);
    if (!origins) continue;
    for (const k of origins) {
      const start = from.accessSeconds[k]! + reached.seconds[r]!;
      for (const j of destinationsAt.get(reached.target[r]!)!) {
        const total = start + to.accessSeconds[j]!;
        if (total <= limit) pairs.add(near[k]!, j, total);
      }
    }
  }
  return {
    ...pairs.done(),
    offNetworkFrom: offNetwork(from).map((k) => near[k]!),
    offNetworkTo: offNetwork(to),
    engine: graph ? 'typescript' : 'pgrouting',
  };
}

function offNetwork(snapped: Snapped): number[] {
  const indexes: number[] = [];
  snapped.nodes.forEach((node, i) => {
    if (node === 0) indexes.push(i);
  });
  return indexes;
}

function minimum(values: Float64Array, nodes: Int32Array): number {
  let least = Number.POSITIVE_INFINITY;
  for (let i = 0; i < values.length; i++) if (nodes[i]! > 0 && values[i]! < least) least = values[i]!;
  return least;
}

/** Milliseconds of searching between two turns of the event loop, so that requests are answered meanwhile. */
const sliceMs = 20;

/**
 * The TypeScript engine: one bounded Dijkstra per destination node on the reversed graph (services are fewer than
 * areas, and the time is from the area to the service); points on one node share its search.
 */
async function typescriptMatrix(
  handle: Pick<DatabaseHandle, 'db' | 'mode'>,
  networkId: string,
  profile: TravelProfile,
  from: Snapped,
  to: Snapped,
  limitSeconds: number,
  signal?: AbortSignal,
) {
  const graph = await profileGraph(handle.db, handle.mode, networkId, profile, signal);
  const fromByNode = new PointsByNode(graph.nodeCount, from.nodes);
  const toByNode = new PointsByNode(graph.nodeCount, to.nodes);
  const searcher = new Searcher(graph.reversed);
  const pairs = new PairList();
  const leastFrom = minimum(from.accessSeconds, from.nodes);
  const limit = limitSeconds + limitTolerance;
  let sliceStart = performance.now();
  for (const target of toByNode.nodes) {
    let leastTo = Number.POSITIVE_INFINITY;
    for (let j = toByNode.first[target]! - 1; j >= 0; j = toByNode.next[j]! - 1)
      leastTo = Math.min(leastTo, to.accessSeconds[j]!);
    const budget = limit - leastTo - leastFrom;
    if (!(budget >= 0)) continue;
    searcher.search(target, budget, (node, seconds) => {
      for (let i = fromByNode.first[node]! - 1; i >= 0; i = fromByNode.next[i]! - 1) {
        const start = from.accessSeconds[i]! + seconds;
        for (let j = toByNode.first[target]! - 1; j >= 0; j = toByNode.next[j]! - 1) {
          const total = start + to.accessSeconds[j]!;
          if (total <= limit) pairs.add(i, j, total);
        }
      }
    });
    if (performance.now() - sliceStart > sliceMs) {
      await nextTurn();
      signal?.throwIfAborted();
      sliceStart = performance.now();
    }
  }
  return pairs.done();
}

/** The network an alliance's analyses use now (status 'active'), or null: then analyses use straight lines. */
export async function activeNetworkOf(
  db: Kysely<Database>,
  allianceId: string,
): Promise<{ id: string; importedAt: Date; sourceName: string } | null> {
  const network = await db
    .selectFrom('road_network')
    .select(['id', 'imported_at', 'source_name', 'started_at'])
    .where('alliance_id', '=', allianceId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (!network) return null;
  return { id: network.id, importedAt: network.imported_at ?? network.started_at, sourceName: network.source_name };
}
