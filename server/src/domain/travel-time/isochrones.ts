import { sql } from 'kysely';
import type { DatabaseHandle } from '../../db/database.js';
import { demandRelation, type DemandSource } from '../gap-analysis/demandSource.js';
import { Searcher } from './dijkstra.js';
import { profileGraph, type TravelProfile } from './graph.js';
import { accessSecondsPerMetre, snapPoints, type TravelPoint } from './snapping.js';

/**
 * How far beside a reached street a place counts as reached, in metres: about a minute on foot, the access leg a
 * matrix would add. Isochrones are the reached streets (whole, and the reached part of a street left midway)
 * buffered by this width, so that a park or a lake no street crosses is not painted as reachable.
 */
export const isochroneWidthMetres = 100;

export interface IsochroneRequest {
  networkId: string;
  profile: TravelProfile;
  point: TravelPoint;
  /** Limits in minutes, each included. */
  minutes: readonly number[];
  /** Whose people to count inside (the alliance's demand); none when absent. */
  demand?: DemandSource;
}

export interface Isochrone {
  minutes: number;
  /** GeoJSON Polygon or MultiPolygon (null when nothing is reached). */
  geometry: { type: string; coordinates: unknown } | null;
  /** The people inside (of the demand given), rounded. */
  population: number;
}

export interface Isochrones {
  /** The point is farther than 1,000 m from any street the profile may use: nothing is reached. */
  offNetwork: boolean;
  /** Seconds from the point to the node the search starts from: the walk to its street, then along the street. */
  accessSeconds: number;
  /** Seconds of the walk alone, from the point to the nearest point of its street (5 km/h). */
  walkSeconds: number;
  isochrones: Isochrone[];
}

/**
 * What is reachable FROM a point within each limit: one search over the forward graph (the TypeScript engine in
 * both modes, the graph cached), then per limit the reached streets, whole or in part, buffered and measured in
 * PostGIS with the people inside.
 */
export async function isochrones(
  handle: Pick<DatabaseHandle, 'db' | 'mode'>,
  request: IsochroneRequest,
): Promise<Isochrones> {
  const { db, mode } = handle;
  const { networkId, profile } = request;
  const minutes = [...new Set(request.minutes)].sort((a, b) => a - b);
  const snapped = await snapPoints(db, mode, networkId, profile, [request.point]);
  const start = snapped.nodes[0]!;
  if (start === 0) {
    return {
      offNetwork: true,
      accessSeconds: 0,
      walkSeconds: 0,
      isochrones: minutes.map((m) => ({ minutes: m, geometry: null, population: 0 })),
    };
  }
  const access = snapped.accessSeconds[0]!;
  const street = snapped.edges[0]!;
  const fraction = snapped.fractions[0]!;
  const graph = await profileGraph(db, mode, networkId, profile);
  const searcher = new Searcher(graph.forward);
  const reached: number[] = [];
  const maxBudget = minutes[minutes.length - 1]! * 60 - access;
  searcher.search(start, maxBudget, (node) => reached.push(node));
  const { offsets, costs, edges } = graph.forward;
  const dist = searcher.dist;
  const result: Isochrone[] = [];
  const kx = 111_320 * Math.cos((request.point.lat * Math.PI) / 180);
  const ky = 110_574;
  for (const limit of minutes) {
    const budget = limit * 60 - access;
    // Per edge: how much is reached from each end (fractions of its length; 1 = all of it).
    const fromNode = new Map<number, { node: number; fraction: number }[]>();
    if (budget >= 0) {
      for (const node of reached) {
        const time = dist[node]!;
        if (time > budget) continue;
        for (let arc = offsets[node]!, end = offsets[node + 1]!; arc < end; arc++) {
          const cost = costs[arc]!;
          const fraction = cost <= 0 || time + cost <= budget ? 1 : (budget - time) / cost;
          const edge = edges[arc]!;
          const list = fromNode.get(edge) ?? [];
          list.push({ node, fraction });
          fromNode.set(edge, list);
        }
      }
    }
    const edgeIds: number[] = [];
    const nodes: number[] = [];
    const fractions: number[] = [];
    for (const [edge, parts] of fromNode) {
      const total = parts.reduce((sum, part) => sum + part.fraction, 0);
      if (total >= 1) {
        edgeIds.push(edge);
        nodes.push(0);
        fractions.push(1);
      } else {
        for (const part of parts) {
          edgeIds.push(edge);
          nodes.push(part.node);
          fractions.push(part.fraction);
        }
      }
    }
    const people = request.demand
      ? sql`(select coalesce(sum(dp.population), 0)::float8 from ${demandRelation(request.demand)} dp
          where ST_Intersects(dp.geog, shape.area::geography))`
      : sql`0::float8`;
    const { rows } = await sql<{ geometry: string | null; population: number }>`
      with parts as (
        select * from unnest(${edgeIds}::int8[], ${nodes}::int8[], ${fractions}::float8[]) as p(edge, node, fraction)
      ), lines as (
        select case
            when p.fraction >= 1 then e.geom
            when p.node = e.source then ST_LineSubstring(e.geom, 0, p.fraction)
            else ST_LineSubstring(e.geom, 1 - p.fraction, 1)
          end as geom
        from parts p join road_edge e on e.network_id = ${networkId} and e.id = p.edge
        union all
        -- The access leg: from the point to its street, then along the street to the node the search started from.
        select ST_MakeLine(ST_SetSRID(ST_MakePoint(${request.point.lon}, ${request.point.lat}), 4326),
          ST_LineInterpolatePoint(e.geom, ${fraction}::float8))
        from road_edge e where e.network_id = ${networkId} and e.id = ${street} and ${budget >= 0}
        union all
        select ST_LineSubstring(e.geom, least(${fraction}::float8, a.at), greatest(${fraction}::float8, a.at))
        from road_edge e, lateral (select case when e.source = ${start} then 0::float8 else 1::float8 end as at) a
        where e.network_id = ${networkId} and e.id = ${street} and ${budget >= 0} and a.at <> ${fraction}::float8
      ), shape as (
        -- Buffered in metres on a local plane (equirectangular about the point: x = lon · cos(lat₀) · 111,320 m,
        -- y = lat · 110,574 m), which PostGIS does without a projection library in both modes; the distortion
        -- over the tens of kilometres of an isochrone is far below the buffer's width. Each street is buffered
        -- alone and the buffers unioned (the same area): the embedded database's GEOS answers no row at all for the
        -- buffer of a collection of streets crossing one another (a ferry across the grid of
        -- tests/support/handRoadNetwork.ts), where the union of their buffers succeeds.
        select ST_Affine(
          ST_Union(ST_Buffer(
            ST_Affine(geom, ${kx}::float8, 0, 0, ${ky}::float8, ${-kx * request.point.lon}::float8,
              ${-ky * request.point.lat}::float8),
            ${isochroneWidthMetres}, 'quad_segs=4')),
          ${1 / kx}::float8, 0, 0, ${1 / ky}::float8, ${request.point.lon}::float8, ${request.point.lat}::float8) as area
        from lines
      )
      select ST_AsGeoJSON(area, 6) as geometry, ${people} as population from shape`.execute(db);
    const row = rows[0];
    // An aggregate always answers one row: none means the database failed without saying so (see above).
    if (!row) throw new Error(`The ${limit}-minute isochrone of network ${networkId} could not be computed.`);
    result.push({
      minutes: limit,
      geometry: row?.geometry ? JSON.parse(row.geometry) : null,
      population: Math.round(row?.population ?? 0),
    });
  }
  return {
    offNetwork: false,
    accessSeconds: access,
    walkSeconds: snapped.accessMetres[0]! * accessSecondsPerMetre,
    isochrones: result,
  };
}
