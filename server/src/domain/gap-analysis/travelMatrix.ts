import type { DatabaseHandle } from '../../db/database.js';
import { travelTimeMatrix } from '../travel-time/travelTimes.js';
import type { TravelMatrix } from './travelMeasures.js';

/** The travel-time matrix of domain/travel-time over a database, as a travel run calls it. */
export function travelMatrixOf(handle: Pick<DatabaseHandle, 'db' | 'mode'>): TravelMatrix {
  return (request) => travelTimeMatrix(handle, request);
}
