import { setImmediate as nextTurn } from 'node:timers/promises';
import { type Kysely, sql } from 'kysely';
import type { DatabaseMode } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { costColumns, type TravelProfile } from './graph.js';

export interface TravelPoint {
  lon: number;
  lat: number;
}

/**
 * The access leg: from a point in a straight line to the nearest point of the nearest street the profile can use, on
 * foot at 5 km/h whatever the profile (to the road, the bike or the car; as AccessMod and r5 treat the first and
 * last metres), then along that street to one of its ends at the street's own speed for the profile. A point
 * farther than 1,000 m from every such street is off the network.
 */
export const accessSpeedKmh = 5;
export const accessSecondsPerMetre = 3.6 / accessSpeedKmh;
export const maxAccessMetres = 1000;

/**
 * Which way the point is travelled: `leaving` it (an origin: along the street away from the point) or `arriving` at
 * it (a destination: along the street toward the point); one-way streets make the two differ.
 */
export type SnapDirection = 'leaving' | 'arriving';

/** Where a point joins the network: its node and the seconds of its access leg; node 0 when it is off the network. */
export interface Snapped {
  nodes: Int32Array;
  accessSeconds: Float64Array;
  /** The metres from the point to its street (geodesic), kept for the records. */
  accessMetres: Float64Array;
  /** The street joined (0 when off the network), and where along it, as a fraction of its line from its source. */
  edges: Int32Array;
  fractions: Float64Array;
}

/** Streets KNN gives before the nearest is chosen on the spheroid (KNN orders by degrees). */
const candidates = 8;
const chunk: Record<DatabaseMode, number> = { embedded: 500, server: 2500 };
/** Chunks snapped at once in server mode, each on a connection of the pool. */
const parallelChunks = 2;

/** An end of the joined street, and the seconds along the street between it and the point. */
interface StreetEnd {
  node: number;
  seconds: number;
}

/**
 * The end of a street a point at `fraction` of it joins the network by, with the seconds along the street: the
 * quicker of the two ends the profile may travel to (leaving) or from (arriving); costs are negative where it may not.
 */
export function streetEnd(
  street: { source: number; target: number; cost: number; reverseCost: number },
  fraction: number,
  direction: SnapDirection,
): StreetEnd | null {
  const ends: StreetEnd[] = [];
  // A point at an end of its street is on that node, whichever way the street may be travelled.
  if (fraction <= 0) ends.push({ node: street.source, seconds: 0 });
  if (fraction >= 1) ends.push({ node: street.target, seconds: 0 });
  // Leaving: toward the target along the street (its cost), or back toward the source (its reverse cost).
  // Arriving: from the source along the street (its cost), or from the target against it (its reverse cost).
  const forward = direction === 'leaving' ? 1 - fraction : fraction;
  const backward = direction === 'leaving' ? fraction : 1 - fraction;
  if (street.cost >= 0)
    ends.push({ node: direction === 'leaving' ? street.target : street.source, seconds: street.cost * forward });
  if (street.reverseCost >= 0) {
    ends.push({
      node: direction === 'leaving' ? street.source : street.target,
      seconds: street.reverseCost * backward,
    });
  }
  return ends.reduce<StreetEnd | null>((best, end) => (best === null || end.seconds < best.seconds ? end : best), null);
}

/**
 * Each point's nearest street that the profile can use (a cost ≥ 0 in one direction; ferries excepted: nobody boards
 * one midway), found by PostGIS KNN on road_edge, a chunk of points per statement; the point joins it at its
 * nearest point, then goes along it to an end (streetEnd).
 */
export async function snapPoints(
  db: Kysely<Database>,
  mode: DatabaseMode,
  networkId: string,
  profile: TravelProfile,
  points: readonly TravelPoint[],
  signal?: AbortSignal,
  direction: SnapDirection = 'leaving',
): Promise<Snapped> {
  const { cost, reverseCost } = costColumns(profile);
  const snapped: Snapped = {
    nodes: new Int32Array(points.length),
    accessSeconds: new Float64Array(points.length),
    accessMetres: new Float64Array(points.length).fill(Number.POSITIVE_INFINITY),
    edges: new Int32Array(points.length),
    fractions: new Float64Array(points.length),
  };
  const snapChunk = async (start: number) => {
    signal?.throwIfAborted();
    const part = points.slice(start, start + chunk[mode]);
    const { rows } = await sql<{
      i: number;
      edge: number | null;
      source: number;
      target: number;
      cost: number;
      reverse_cost: number;
      fraction: number;
      metres: number | null;
    }>`
      select p.i::int as i, s.id as edge, s.source, s.target, s.cost, s.reverse_cost, s.fraction, s.metres
      from unnest(${part.map((p) => p.lon)}::float8[], ${part.map((p) => p.lat)}::float8[])
        with ordinality as p(lon, lat, i)
      left join lateral (
        select c.id, c.source, c.target, c.cost, c.reverse_cost,
          ST_LineLocatePoint(c.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)) as fraction,
          ST_Distance(ST_ClosestPoint(c.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326))::geography,
            ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)::geography) as metres
        from (
          select e.id, e.source, e.target, e.geom, e.${sql.ref(cost)} as cost, e.${sql.ref(reverseCost)} as reverse_cost
          from road_edge e
          where e.network_id = ${networkId} and e.highway <> 'ferry'
            and (e.${sql.ref(cost)} >= 0 or e.${sql.ref(reverseCost)} >= 0)
          order by e.geom <-> ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)
          limit ${candidates}
        ) c
        order by metres, c.id
        limit 1
      ) s on true`.execute(db);
    for (const row of rows) {
      const index = start + Number(row.i) - 1;
      if (row.edge === null || row.metres === null || row.metres > maxAccessMetres) continue;
      const end = streetEnd(
        { source: Number(row.source), target: Number(row.target), cost: row.cost, reverseCost: row.reverse_cost },
        row.fraction,
        direction,
      );
      if (!end) continue;
      snapped.nodes[index] = end.node;
      snapped.edges[index] = Number(row.edge);
      snapped.fractions[index] = row.fraction;
      snapped.accessMetres[index] = row.metres;
      snapped.accessSeconds[index] = row.metres * accessSecondsPerMetre + end.seconds;
    }
  };
  const starts: number[] = [];
  for (let start = 0; start < points.length; start += chunk[mode]) starts.push(start);
  if (mode === 'embedded') {
    // One connection: a chunk after the other, with a turn of the event loop between them.
    for (const start of starts) {
      await snapChunk(start);
      await nextTurn();
    }
  } else {
    // The server answers on several connections: chunks in parallel, a few at a time (KNN of thousands of points is
    // most of a matrix's own work beside the search).
    for (let first = 0; first < starts.length; first += parallelChunks) {
      await Promise.all(starts.slice(first, first + parallelChunks).map(snapChunk));
    }
  }
  return snapped;
}
