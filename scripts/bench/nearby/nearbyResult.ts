import type { ThroughputResult } from '../lib/closedLoop.js';
import type { CpuSplit } from '../lib/machineLoad.js';
import type { LatencySummary } from '../lib/stats.js';
import type { ApiLoadResult } from './apiLoad.js';
import type { ServerSideResult } from './databaseLatency.js';
import type { Distribution, LoadSummary } from './syntheticServices.js';

export type BenchMode = 'server' | 'embedded';

/** Everything measured for one database mode and one data size. */
export interface NearbyResult {
  mode: BenchMode;
  size: number;
  distribution: Distribution;
  load: LoadSummary;
  /** Sequential round trips on one connection (or through the embedded pool). */
  roundTrip: LatencySummary;
  meanRows: number;
  serverSide: ServerSideResult;
  /** The floor the API is compared with: the best raw query for the same answer, on its own table. */
  rawBaseline: { method: string; result: ThroughputResult };
  /** The application's own SQL, run the same way as the floor: tells the SQL's share from the API's. */
  appSql: ThroughputResult;
  api: ApiLoadResult;
  /** How the machine's cores were spent during each measurement (undefined off Linux). */
  cpu: { roundTrip?: CpuSplit; raw?: CpuSplit; appSql?: CpuSplit; api?: CpuSplit };
}

export const targets = {
  /** Database p50 (sequential round trip), at 1M services. */
  databaseP50Ms: 1,
  /** API req/s over the floor's queries/s, same questions, same data, same connections. */
  throughputRatio: 0.6,
  apiP95Ms: 20,
};

export function throughputRatio(result: NearbyResult): number {
  return result.api.requestsPerSecond / result.rawBaseline.result.perSecond;
}
