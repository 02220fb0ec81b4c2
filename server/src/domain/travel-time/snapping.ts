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
 * The access leg: from a point to the network's nearest node the profile can use, in a straight line, on foot at
 * 5 km/h whatever the profile (to the road, the bike or the car; as AccessMod and r5 treat the first and last
 * metres). A point farther than 1,000 m from every such node is off the network.
 */
export const accessSpeedKmh = 5;
export const accessSecondsPerMetre = 3.6 / accessSpeedKmh;
export const maxAccessMetres = 1000;

/** Where a point joins the network: its node and the seconds of its access leg; node 0 when it is off the network. */
export interface Snapped {
  nodes: Int32Array;
  accessSeconds: Float64Array;
  /** The metres of the access leg (geodesic), kept for the records. */
  accessMetres: Float64Array;
}

/** Nodes KNN gives before the nearest is chosen on the spheroid (KNN orders by degrees). */
const candidates = 8;
const chunk: Record<DatabaseMode, number> = { embedded: 500, server: 5000 };

/**
 * Each point's nearest node that the profile can leave or reach (it ends an edge with a cost ≥ 0 in one direction),
 * found by PostGIS KNN on road_node, a chunk of points per statement.
 */
export async function snapPoints(
  db: Kysely<Database>,
  mode: DatabaseMode,
  networkId: string,
  profile: TravelProfile,
  points: readonly TravelPoint[],
  signal?: AbortSignal,
): Promise<Snapped> {
  const { cost, reverseCost } = costColumns(profile);
  const usable = sql`(e.${sql.ref(cost)} >= 0 or e.${sql.ref(reverseCost)} >= 0)`;
  const snapped: Snapped = {
    nodes: new Int32Array(points.length),
    accessSeconds: new Float64Array(points.length),
    accessMetres: new Float64Array(points.length).fill(Number.POSITIVE_INFINITY),
  };
  for (let start = 0; start < points.length; start += chunk[mode]) {
    signal?.throwIfAborted();
    const part = points.slice(start, start + chunk[mode]);
    const { rows } = await sql<{ i: number; node: number | null; metres: number | null }>`
      select p.i::int as i, s.id as node, s.metres
      from unnest(${part.map((p) => p.lon)}::float8[], ${part.map((p) => p.lat)}::float8[])
        with ordinality as p(lon, lat, i)
      left join lateral (
        select c.id, ST_Distance(c.geom::geography, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)::geography) as metres
        from (
          select n.id, n.geom from road_node n
          where n.network_id = ${networkId}
            and (exists (select 1 from road_edge e where e.network_id = n.network_id and e.source = n.id and ${usable})
              or exists (select 1 from road_edge e where e.network_id = n.network_id and e.target = n.id and ${usable}))
          order by n.geom <-> ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)
          limit ${candidates}
        ) c
        order by metres, c.id
        limit 1
      ) s on true`.execute(db);
    for (const row of rows) {
      const index = start + Number(row.i) - 1;
      if (row.node === null || row.metres === null || row.metres > maxAccessMetres) continue;
      snapped.nodes[index] = Number(row.node);
      snapped.accessMetres[index] = row.metres;
      snapped.accessSeconds[index] = row.metres * accessSecondsPerMetre;
    }
    if (mode === 'embedded') await nextTurn();
  }
  return snapped;
}
