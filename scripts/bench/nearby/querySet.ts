import type { CompiledQuery } from 'kysely';
import { compileNearbyServicesQuery } from '../../../server/src/domain/services/serviceRepository.js';
import type { BenchOptions } from './benchOptions.js';
import { compileOnlyDb, type SqlRunner } from './databaseLatency.js';
import { compileFloorQuery } from './floorQuery.js';
import { nearbyPath, nearbyQueries } from './nearbyQueries.js';
import { benchRegion, type Distribution } from './syntheticServices.js';

/** The same questions three ways: the application's SQL, the floor's SQL, the API's paths. */
export interface QuerySet {
  app: CompiledQuery[];
  floor: CompiledQuery[];
  paths: string[];
}

export function querySet(distribution: Distribution, options: BenchOptions): QuerySet {
  const queries = nearbyQueries(benchRegion, {
    count: options.points,
    radiusM: options.radiusM,
    limit: options.limit,
    seed: options.seed,
    distribution,
  });
  const compileDb = compileOnlyDb();
  return {
    // Compiled and registered as the API does, so that the `pg` clients of the
    // benchmark run them as the same named prepared statements.
    app: queries.map((query) => compileNearbyServicesQuery(compileDb, query)),
    floor: queries.map(compileFloorQuery),
    paths: queries.map(nearbyPath),
  };
}

/**
 * Checks that the floor answers as the application does (the same rows, fields and order) on the first
 * questions: a floor that answered less would not be a floor.
 */
export async function checkSameAnswers(run: SqlRunner, queries: QuerySet, count = 50): Promise<void> {
  for (let index = 0; index < Math.min(count, queries.app.length); index++) {
    const app = await run(queries.app[index]!.sql, queries.app[index]!.parameters);
    const floor = await run(queries.floor[index]!.sql, queries.floor[index]!.parameters);
    if (JSON.stringify(app.rows) !== JSON.stringify(floor.rows)) {
      throw new Error(`The floor and the application answer question ${index} differently (${queries.paths[index]}).`);
    }
  }
}
