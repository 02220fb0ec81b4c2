import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { BatchSizer, type Slicing } from './batchSizer.js';
import { decayWeight, type DistanceDecay, pairedCatchmentScores } from './floatingCatchment.js';
import { type Subject, suppliedService } from './gapParameters.js';
import type { UnitSubjectMeasures } from './measures.js';
import {
  activeNetworkOf,
  limitTolerance,
  type TravelTimeRequest,
  type TravelTimes,
} from '../travel-time/travelTimes.js';

/**
 * Gap measures in minutes: a travel run asks the travel-time matrix (domain/travel-time) once for its areas'
 * population-weighted centres → every service location of its subjects within the largest catchment, keeps the
 * pairs (`gap_travel_pair`), and computes each subject's measures from them with the formulas of
 * floatingCatchment.ts — the same 2SFCA/E2SFCA as the straight-line SQL, with seconds instead of metres.
 */

export type { TravelPoint, TravelTimes } from '../travel-time/travelTimes.js';
export type TravelMatrixRequest = TravelTimeRequest;

/** travelTimeMatrix bound to a database (the run passes the real one; a test may pass its own). */
export type TravelMatrix = (request: TravelMatrixRequest) => Promise<TravelTimes>;

/** The network a travel run used, as its summary says it. */
export interface RoadNetworkUsed {
  id: string;
  sourceName: string;
  importedAt: string;
}

export interface TravelArea {
  id: string;
  population: number;
  lon: number;
  lat: number;
}

/** A service location measured by a travel run: its supply S_j and what it is (category, topics). */
export interface TravelLocation {
  id: string;
  lon: number;
  lat: number;
  capacity: number;
  category: string;
  topics: string[];
}

/** The pairs of a run within its largest catchment, by area index: location indexes and seconds. */
export interface TravelPairs {
  areas: TravelArea[];
  locations: TravelLocation[];
  /** For each area, the indexes of the locations it reaches within the limit, and the times. */
  byArea: { locations: number[]; seconds: number[] }[];
  offNetwork: Set<number>;
  engine: TravelTimes['engine'];
}

/** The areas of a set with their population-weighted centres, by code. */
export async function travelAreas(db: Kysely<Database>, unitSetId: string): Promise<TravelArea[]> {
  const result = await sql<TravelArea>`
    select id, population, ST_X(centroid::geometry) as lon, ST_Y(centroid::geometry) as lat
    from analysis_unit where set_id = ${unitSetId} order by code`.execute(db);
  return result.rows;
}

/** Every placed service location of the alliance that is supply for one of the subjects. */
export async function travelLocations(
  db: Kysely<Database>,
  allianceId: string,
  parameters: { categories: string[]; topics: string[]; checkedSince?: string },
): Promise<TravelLocation[]> {
  const result = await sql<TravelLocation>`
    select sal.id, ST_X(sal.geog::geometry) as lon, ST_Y(sal.geog::geometry) as lat,
           coalesce(s.capacity, 1)::float8 as capacity, sal.category, s.topics
    from service_at_location sal
    join service s on s.id = sal.service_id
    join organization o on o.id = s.organization_id
    where o.alliance_id = ${allianceId} and ${suppliedService(parameters.checkedSince)} and sal.geog is not null
      and (sal.category = any(${parameters.categories}::text[]) or s.topics && ${parameters.topics}::text[])
    order by sal.id`.execute(db);
  return result.rows;
}

/** Groups a matrix's pairs by area. */
export function pairsByArea(areaCount: number, times: TravelTimes): TravelPairs['byArea'] {
  const byArea = Array.from({ length: areaCount }, () => ({ locations: [] as number[], seconds: [] as number[] }));
  for (let pair = 0; pair < times.length; pair++) {
    const area = byArea[times.from[pair]!]!;
    area.locations.push(times.to[pair]!);
    area.seconds.push(times.seconds[pair]!);
  }
  return byArea;
}

/**
 * Whether a pair is within a catchment, the limit included: a time summed by the engine in another order may pass
 * the limit by the last bits of a float (limitTolerance of domain/travel-time); its weight is then W(limit).
 */
export function withinLimit(cost: number, limit: number): boolean {
  return cost <= limit + limitTolerance;
}

/** Whether a location is supply for a subject. */
export function locationServes(location: Pick<TravelLocation, 'category' | 'topics'>, subject: Subject): boolean {
  return subject.kind === 'category' ? location.category === subject.id : location.topics.includes(subject.id);
}

/**
 * A subject's measures from the pairs (without the count of services located in each area, added by the caller):
 * nearest time, count within the limit (included), 2SFCA and E2SFCA per 10,000 with W(t) of `decay` over the limit
 * in seconds. `serves` says which location indexes are supply for the subject.
 */
export function measuresFromPairs(
  pairs: Pick<TravelPairs, 'areas' | 'locations' | 'byArea' | 'offNetwork'>,
  serves: (location: number) => boolean,
  options: { limitSeconds: number; decay: DistanceDecay; sigmaSeconds?: number },
): (Omit<UnitSubjectMeasures, 'supplyCount' | 'supplyPer10k'> & { offNetwork: boolean })[] {
  const { limitSeconds, decay, sigmaSeconds } = options;
  const demand = pairs.byArea.map((area, index) => {
    const supplies: number[] = [];
    const weights: number[] = [];
    let nearest: number | null = null;
    area.locations.forEach((location, pair) => {
      const seconds = area.seconds[pair]!;
      if (!serves(location) || !withinLimit(seconds, limitSeconds)) return;
      supplies.push(location);
      weights.push(decayWeight(Math.min(seconds, limitSeconds), limitSeconds, decay, sigmaSeconds));
      if (nearest === null || seconds < nearest) nearest = seconds;
    });
    return { population: pairs.areas[index]!.population, supplies, weights, nearest: nearest as number | null };
  });
  const capacities = Float64Array.from(pairs.locations, (location) => location.capacity);
  const scores = pairedCatchmentScores(demand, capacities);
  return demand.map((area, index) => ({
    unitId: pairs.areas[index]!.id,
    population: area.population,
    nearestDistanceM: null,
    nearestSeconds: area.nearest,
    countWithin: area.supplies.length,
    score2sfca: scores[index]!.score2sfca * 10000,
    scoreE2sfca: scores[index]!.scoreE2sfca * 10000,
    offNetwork: pairs.offNetwork.has(index),
  }));
}

/** The count of a subject's service locations placed in each area (as the straight-line measures count them). */
export async function locatedCounts(
  db: Kysely<Database>,
  unitSetId: string,
  locationIds: string[],
): Promise<Map<string, number>> {
  if (locationIds.length === 0) return new Map();
  const result = await sql<{ unit_id: string; count: number }>`
    select u.id as unit_id, count(*)::int as count
    from service_at_location sal
    join analysis_unit u on u.set_id = ${unitSetId} and ST_Intersects(u.geom, sal.geog::geometry)
    where sal.id = any(${locationIds}::uuid[])
    group by u.id`.execute(db);
  return new Map(result.rows.map((row) => [row.unit_id, row.count]));
}

/** Stores a run's pairs, a batch per statement (deleted with the run, or by discardResults on a failure). */
export async function storeTravelPairs(
  db: Kysely<Database>,
  runId: string,
  pairs: TravelPairs,
  slicing: Slicing,
): Promise<void> {
  const rows: { u: string; l: string; s: number }[] = [];
  pairs.byArea.forEach((area, index) => {
    area.locations.forEach((location, pair) => {
      rows.push({ u: pairs.areas[index]!.id, l: pairs.locations[location]!.id, s: area.seconds[pair]! });
    });
  });
  const sizer = new BatchSizer(slicing, { first: 1000, max: 20_000 });
  for (let start = 0; start < rows.length;) {
    const batch = rows.slice(start, start + sizer.size);
    await sizer.run(db, batch.length, (connection) =>
      sql`
        insert into gap_travel_pair (run_id, unit_id, location_id, seconds)
        select ${runId}, u, l, s from json_to_recordset(${JSON.stringify(batch)}::json) as r(u uuid, l uuid, s float8)`.execute(
        connection,
      ),
    );
    start += batch.length;
  }
}

/** A run's stored pairs, for its what-if scenarios: by area id, location id → seconds. */
export async function readTravelPairs(
  db: Kysely<Database>,
  runId: string,
): Promise<{ unitId: string; locationId: string; seconds: number }[]> {
  const rows = await db
    .selectFrom('gap_travel_pair')
    .select(['unit_id as unitId', 'location_id as locationId', 'seconds'])
    .where('run_id', '=', runId)
    .execute();
  return rows;
}

/** The network an alliance's analyses use now (its one active network), or null: then they use straight lines. */
export async function activeRoadNetwork(db: Kysely<Database>, allianceId: string): Promise<RoadNetworkUsed | null> {
  const network = await activeNetworkOf(db, allianceId);
  return network ? { ...network, importedAt: network.importedAt.toISOString() } : null;
}
