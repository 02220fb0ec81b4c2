import type { NearbyQuery } from '../../../server/src/domain/services/serviceRepository.js';
import { categoryIds } from '#contract/taxonomy/categories.js';
import { seededRandom } from '../lib/stats.js';
import { benchTowns, type Distribution, drawPoint, type Region } from './syntheticServices.js';

/**
 * A fixed list of "near me" queries: seeded random points drawn as the data's
 * services are (people ask where they live, and services are where people
 * live: evenly for uniform data, mostly in the towns for clustered data),
 * every other one filtered on a category (in turn), so that each run and each
 * mode asks exactly the same questions.
 */
export function nearbyQueries(
  region: Region,
  options: { count: number; radiusM: number; limit: number; seed: number; distribution?: Distribution },
): NearbyQuery[] {
  const random = seededRandom(options.seed);
  const towns = benchTowns(region, options.seed);
  return Array.from({ length: options.count }, (_, index) => {
    const point = drawPoint(options.distribution ?? 'uniform', region, towns, random);
    const query: NearbyQuery = {
      lon: round6(point.lon),
      lat: round6(point.lat),
      radiusM: options.radiusM,
      limit: options.limit,
    };
    if (index % 2 === 1) query.category = categoryIds[((index - 1) / 2) % categoryIds.length];
    return query;
  });
}

/** Six decimals (about 0.1 m): what a phone's position looks like in a URL. */
function round6(degrees: number): number {
  return Math.round(degrees * 1e6) / 1e6;
}

/** The API path that asks the same question. */
export function nearbyPath(query: NearbyQuery): string {
  const parameters = new URLSearchParams({
    lat: String(query.lat),
    lon: String(query.lon),
    radius_m: String(query.radiusM),
    limit: String(query.limit),
  });
  if (query.category) parameters.set('category', query.category);
  return `/api/services/nearby?${parameters}`;
}
