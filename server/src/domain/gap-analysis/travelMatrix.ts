import type { DatabaseHandle } from '../../db/database.js';
import type { TravelMatrix } from './travelMeasures.js';

/** The travel-time matrix of domain/travel-time over a database, as a travel run calls it. */
export function travelMatrixOf(_handle: DatabaseHandle): TravelMatrix {
  return () => Promise.reject(new Error('The travel-time engine is not available yet.'));
}
