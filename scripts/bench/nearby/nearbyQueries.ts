import type { NearbyQuery } from '../../../server/src/domain/services/serviceRepository.js';
import { categoryIds } from '#contract/taxonomy/categories.js';
import { seededRandom } from '../lib/stats.js';
import type { Region } from './syntheticServices.js';

/**
 * A fixed list of "near me" queries: seeded random points inside the data's
 * region, every other one filtered on a category (in turn), so that each run
 * and each mode asks exactly the same questions.
 */
export function nearbyQueries(
  region: Region,
  options: { count: number; radiusM: number; limit: number; seed: number },
): NearbyQuery[] {
  const random = seededRandom(options.seed);
  return Array.from({ length: options.count }, (_, index) => {
    const query: NearbyQuery = {
      lon: round6(region.west + random() * (region.east - region.west)),
      lat: round6(region.south + random() * (region.north - region.south)),
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
