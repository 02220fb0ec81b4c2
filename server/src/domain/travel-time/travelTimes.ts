import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { Searcher } from './dijkstra.js';
import { profileGraph, type TravelProfile } from './graph.js';
import { limitTolerance, PairList, PointsByNode } from './pairs.js';
import { pgRoutingAvailable, pgRoutingMatrix } from './pgRouting.js';
import { type Snapped, snapPoints, type TravelPoint } from './snapping.js';

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
  const from = await snapPoints(db, mode, networkId, profile, request.from, signal);
  const to = await snapPoints(db, mode, networkId, profile, request.to, signal);
  const usePgRouting =
    engine === 'pgrouting' || (engine === 'auto' && mode === 'server' && (await pgRoutingAvailable(db)));
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
