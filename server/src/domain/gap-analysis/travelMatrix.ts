import { type Kysely, sql } from 'kysely';
import type { DatabaseHandle } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { prepareProfileGraph, profileGraphCacheSize, type TravelProfile } from '../travel-time/graph.js';
import { travelTimeMatrix } from '../travel-time/travelTimes.js';
import type { TravelMatrix } from './travelMeasures.js';

/**
 * The travel-time matrix of domain/travel-time over a database, as a travel run calls it. After a run's full matrix,
 * the graph of its network and profile is built in the background (pgRouting answered the run without it), so that
 * the run's first what-if searches in memory rather than waiting for pgRouting to read the whole network.
 */
export function travelMatrixOf(handle: Pick<DatabaseHandle, 'db' | 'mode'>): TravelMatrix {
  return async (request) => {
    const times = await travelTimeMatrix(handle, request);
    if (!request.nearDestinationsOnly)
      void prepareProfileGraph(handle.db, handle.mode, request.networkId, request.profile);
    return times;
  };
}

/**
 * The networks and profiles of the latest finished travel runs whose network is still the alliance's active one,
 * newest first, as many as the graph cache keeps: the what-ifs a coordinator is likely to ask for next.
 */
export async function networksOfLatestTravelRuns(
  db: Kysely<Database>,
): Promise<{ networkId: string; profile: TravelProfile }[]> {
  const { rows } = await sql<{ network_id: string; profile: TravelProfile }>`
    select network_id, profile from (
      select distinct on (n.id, r.parameters ->> 'travel')
        n.id as network_id, r.parameters ->> 'travel' as profile, r.finished_at
      from gap_analysis_run r
      join road_network n on n.alliance_id = r.alliance_id and n.status = 'active'
      where r.status = 'done' and r.parameters ->> 'travel' in ('walk', 'bike', 'drive')
      order by n.id, r.parameters ->> 'travel', r.finished_at desc
    ) latest
    order by finished_at desc
    limit ${profileGraphCacheSize}`.execute(db);
  return rows.map((row) => ({ networkId: row.network_id, profile: row.profile }));
}

/**
 * Builds, one after the other, the graphs of the latest travel runs (networksOfLatestTravelRuns): run at start, in
 * the background, so that the first what-if after a restart does not wait for the graph. Resolves to how many.
 */
export async function prepareGraphsOfLatestTravelRuns(handle: Pick<DatabaseHandle, 'db' | 'mode'>): Promise<number> {
  const latest = await networksOfLatestTravelRuns(handle.db);
  // The oldest first: the cache keeps the most recently used, so the newest run's graph is the last to go.
  for (const { networkId, profile } of latest.reverse()) {
    await prepareProfileGraph(handle.db, handle.mode, networkId, profile);
  }
  return latest.length;
}
