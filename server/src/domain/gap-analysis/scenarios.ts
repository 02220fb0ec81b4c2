import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type CodedMessage, said } from '../messages/userError.js';
import { pairedCatchmentScores, decayWeight, type DistanceDecay, steppedWeights } from './floatingCatchment.js';
import {
  catchmentOf,
  type GapAnalysisParameters,
  gapFlagsAndReason,
  type Subject,
  subjectsOf,
  travelOf,
} from './gapParameters.js';
import {
  locationServes,
  pairsByArea,
  travelAreas,
  type TravelArea,
  type TravelLocation,
  type TravelMatrix,
  withinLimit,
} from './travelMeasures.js';

/**
 * What-if scenarios on a finished run (issue 15, part 4): services added (points with a category and a capacity)
 * and service locations removed, and what changes, per subject. Only the added points are measured again: their
 * travel times (the matrix with the few new destinations) or, in a straight-line run, their geodesic distances
 * within d0; the run's other pairs are read (a travel run's `gap_travel_pair`) or listed again (a straight-line
 * run's pairs within d0). A removed location's pairs drop out. The scores are then summed again from the pairs with
 * the formulas of floatingCatchment.ts: an added service's ratio R_j depends only on the people in its catchment,
 * and the areas' scores change only within it (and within the catchments of the services those areas share).
 * "Before" is computed from the same pairs, so that before and after differ by the scenario only. People beyond an
 * H3 grid's boundary are not counted as demand in a scenario (a straight-line run counts them in its own results).
 */

export interface AddedService {
  lon: number;
  lat: number;
  category: string;
  /** S_j; 1 when absent, as a service without capacity. */
  capacity?: number;
  label?: string;
  planActionId?: string;
}

export interface ScenarioRequest {
  label?: string;
  add: AddedService[];
  /** service_at_location ids measured by the run. */
  remove: string[];
}

/** The pairs a scenario starts from: areas, locations, and per area the location indexes and their cost (m or s). */
export interface ScenarioPairs {
  areas: TravelArea[];
  locations: Pick<TravelLocation, 'id' | 'capacity' | 'category' | 'topics'>[];
  byArea: { locations: number[]; seconds: number[] }[];
  offNetwork: Set<number>;
}

export interface SubjectOutcome {
  kind: Subject['kind'];
  subject: string;
  /** The limits of the catchment's zones (stepped decay: thirds of d0; else d0), in metres or seconds. */
  limits: { limit: number; populationNewlyWithin: number; populationNoLongerWithin: number }[];
  before: { flaggedUnits: number; populationWithoutServiceWithinReach: number; regionalMean: number };
  after: { flaggedUnits: number; populationWithoutServiceWithinReach: number; regionalMean: number };
  /** Areas flagged before and not after, and the reverse (a removal, or a regional mean that rose). */
  areasNoLongerFlagged: string[];
  areasNewlyFlagged: string[];
  /** Areas whose nearest service, count within reach or score changed. */
  changedAreas: string[];
}

export interface ScenarioOutcome {
  unit: 'm' | 's';
  /** Added points too far from any road of the run's mode: they reach nobody. */
  addedOffNetwork: number[];
  subjects: SubjectOutcome[];
}

interface Judged {
  nearest: (number | null)[];
  count: number[];
  score: number[];
  flagged: boolean[];
  regionalMean: number;
}

function judge(
  pairs: ScenarioPairs,
  subject: Subject,
  parameters: GapAnalysisParameters,
  options: { limit: number; decay: DistanceDecay; sigma?: number },
): Judged {
  const serving = pairs.locations.map((location) => locationServes(location, subject));
  const nearest: (number | null)[] = [];
  const demand = pairs.byArea.map((area, index) => {
    const supplies: number[] = [];
    const weights: number[] = [];
    let best: number | null = null;
    area.locations.forEach((location, pair) => {
      const cost = area.seconds[pair]!;
      if (!serving[location] || !withinLimit(cost, options.limit)) return;
      supplies.push(location);
      weights.push(decayWeight(Math.min(cost, options.limit), options.limit, options.decay, options.sigma));
      if (best === null || cost < best) best = cost;
    });
    nearest.push(best);
    return { population: pairs.areas[index]!.population, supplies, weights };
  });
  const scores = pairedCatchmentScores(
    demand,
    Float64Array.from(pairs.locations, (location) => location.capacity),
  ).map((score) => (parameters.method === '2sfca' ? score.score2sfca : score.scoreE2sfca) * 10000);
  const totalPopulation = pairs.areas.reduce((sum, area) => sum + area.population, 0);
  const regionalMean =
    totalPopulation > 0
      ? pairs.areas.reduce((sum, area, index) => sum + area.population * scores[index]!, 0) / totalPopulation
      : 0;
  const flagged = pairs.areas.map(
    (area, index) =>
      gapFlagsAndReason(
        subject,
        {
          population: area.population,
          countWithin: demand[index]!.supplies.length,
          score: scores[index]!,
          regionalMean,
          offNetwork: pairs.offNetwork.has(index),
        },
        parameters,
      ).flags.length > 0,
  );
  return { nearest, count: demand.map((area) => area.supplies.length), score: scores, flagged, regionalMean };
}

/** The zone limits reported: thirds of d0 with the stepped decay (0–10–20–30 minutes for 30), else d0. */
export function zoneLimits(limit: number, decay: DistanceDecay): number[] {
  return decay === 'stepped' ? steppedWeights.map((_, zone) => (limit * (zone + 1)) / steppedWeights.length) : [limit];
}

/**
 * Before and after for every subject of a run: `before` the run's pairs, `after` them without the removed
 * locations and with the added ones (their pairs appended as new locations).
 */
export function compareScenario(
  before: ScenarioPairs,
  after: ScenarioPairs,
  parameters: GapAnalysisParameters,
): SubjectOutcome[] {
  const { limit, sigma } = catchmentOf(parameters);
  const options = { limit, decay: parameters.decay, sigma };
  return subjectsOf(parameters).map((subject) => {
    const was = judge(before, subject, parameters, options);
    const is = judge(after, subject, parameters, options);
    const summary = (judged: Judged) => ({
      flaggedUnits: judged.flagged.filter(Boolean).length,
      populationWithoutServiceWithinReach: before.areas.reduce(
        (sum, area, index) => sum + (judged.count[index] === 0 ? area.population : 0),
        0,
      ),
      regionalMean: judged.regionalMean,
    });
    const ids = (test: (index: number) => boolean) =>
      before.areas.flatMap((area, index) => (test(index) ? [area.id] : []));
    const within = (nearest: number | null, zone: number) => nearest !== null && withinLimit(nearest, zone);
    return {
      kind: subject.kind,
      subject: subject.id,
      limits: zoneLimits(limit, parameters.decay).map((zone) => ({
        limit: zone,
        populationNewlyWithin: before.areas.reduce(
          (sum, area, index) =>
            sum + (!within(was.nearest[index]!, zone) && within(is.nearest[index]!, zone) ? area.population : 0),
          0,
        ),
        populationNoLongerWithin: before.areas.reduce(
          (sum, area, index) =>
            sum + (within(was.nearest[index]!, zone) && !within(is.nearest[index]!, zone) ? area.population : 0),
          0,
        ),
      })),
      before: summary(was),
      after: summary(is),
      areasNoLongerFlagged: ids((index) => was.flagged[index]! && !is.flagged[index]!),
      areasNewlyFlagged: ids((index) => !was.flagged[index]! && is.flagged[index]!),
      changedAreas: ids(
        (index) =>
          was.nearest[index] !== is.nearest[index] ||
          was.count[index] !== is.count[index] ||
          Math.abs(was.score[index]! - is.score[index]!) > 1e-9 * Math.max(1, Math.abs(was.score[index]!)),
      ),
    };
  });
}

/** The scenario's pairs: the run's, less the removed locations, plus the added points' (appended as locations). */
export function withScenario(
  before: ScenarioPairs,
  removed: ReadonlySet<string>,
  added: { service: AddedService; byArea: Map<number, number> }[],
): ScenarioPairs {
  const gone = new Set(before.locations.flatMap((location, index) => (removed.has(location.id) ? [index] : [])));
  const first = before.locations.length;
  const locations = [
    ...before.locations,
    ...added.map(({ service }, index) => ({
      id: `added-${index}`,
      capacity: service.capacity ?? 1,
      category: service.category,
      topics: [] as string[],
    })),
  ];
  const byArea = before.byArea.map((area, areaIndex) => {
    const kept = { locations: [] as number[], seconds: [] as number[] };
    area.locations.forEach((location, pair) => {
      if (gone.has(location)) return;
      kept.locations.push(location);
      kept.seconds.push(area.seconds[pair]!);
    });
    added.forEach(({ byArea: costs }, index) => {
      const cost = costs.get(areaIndex);
      if (cost === undefined) return;
      kept.locations.push(first + index);
      kept.seconds.push(cost);
    });
    return kept;
  });
  return { areas: before.areas, locations, byArea, offNetwork: before.offNetwork };
}

/** A run's locations as they stand now (capacity, category, topics), for the ids of its pairs. */
async function locationsById(db: Kysely<Database>, ids: string[]) {
  if (ids.length === 0) return new Map<string, ScenarioPairs['locations'][number]>();
  const result = await sql<{ id: string; capacity: number; category: string; topics: string[] }>`
    select sal.id, coalesce(s.capacity, 1)::float8 as capacity, sal.category, s.topics
    from service_at_location sal join service s on s.id = sal.service_id
    where sal.id = any(${ids}::uuid[])`.execute(db);
  return new Map(result.rows.map((row) => [row.id, row]));
}

/**
 * The pairs a scenario starts from. A travel run: its stored pairs (a location removed since from the directory
 * has no category any more and serves no subject). A straight-line run: its subjects' locations within d0 of each
 * area's centre, geodesic, as measureSubject lists them, and every location measured by the run's subjects.
 */
export async function scenarioPairs(
  db: Kysely<Database>,
  run: { id: string; allianceId: string; unitSetId: string; parameters: GapAnalysisParameters },
): Promise<ScenarioPairs> {
  const areas = await travelAreas(db, run.unitSetId);
  const areaIndex = new Map(areas.map((area, index) => [area.id, index]));
  const { parameters } = run;
  let rows: { unitId: string; locationId: string; seconds: number }[];
  if (travelOf(parameters) === 'straight') {
    const result = await sql<{ unitId: string; locationId: string; seconds: number }>`
      select u.id as "unitId", sal.id as "locationId", ST_Distance(u.centroid, sal.geog) as seconds
      from analysis_unit u
      join service_at_location sal on ST_DWithin(sal.geog, u.centroid, ${parameters.thresholdM})
      join service s on s.id = sal.service_id
      join organization o on o.id = s.organization_id
      where u.set_id = ${run.unitSetId} and o.alliance_id = ${run.allianceId} and s.status = 'active'
        and (${parameters.freshness?.checkedSince ?? null}::timestamptz is null
             or s.verified_at >= ${parameters.freshness?.checkedSince ?? null}::timestamptz)
        and (sal.category = any(${parameters.categories}::text[]) or s.topics && ${parameters.topics}::text[])`.execute(
      db,
    );
    rows = result.rows;
  } else {
    rows = await db
      .selectFrom('gap_travel_pair')
      .select(['unit_id as unitId', 'location_id as locationId', 'seconds'])
      .where('run_id', '=', run.id)
      .execute();
  }
  const ids = [...new Set(rows.map((row) => row.locationId))].sort();
  const known = await locationsById(db, ids);
  const locations = ids.map((id) => known.get(id) ?? { id, capacity: 1, category: '', topics: [] });
  const locationIndex = new Map(ids.map((id, index) => [id, index]));
  const byArea = areas.map(() => ({ locations: [] as number[], seconds: [] as number[] }));
  for (const row of rows) {
    const area = byArea[areaIndex.get(row.unitId)!];
    if (!area) continue;
    area.locations.push(locationIndex.get(row.locationId)!);
    area.seconds.push(row.seconds);
  }
  const offNetwork = new Set<number>();
  if (travelOf(parameters) !== 'straight') {
    const flagged = await db
      .selectFrom('gap_analysis_result')
      .select('unit_id')
      .distinct()
      .where('run_id', '=', run.id)
      .where('reason_code', '=', 'off-network')
      .execute();
    for (const row of flagged) offNetwork.add(areaIndex.get(row.unit_id)!);
  }
  return { areas, locations, byArea, offNetwork };
}

/** The added points' costs from every area within d0: travel times by the run's mode, or geodesic metres. */
export async function addedPairs(
  db: Kysely<Database>,
  run: { unitSetId: string; parameters: GapAnalysisParameters },
  areas: TravelArea[],
  added: AddedService[],
  travel: { matrix?: TravelMatrix; networkId?: string },
): Promise<{ byArea: Map<number, number>[]; offNetwork: number[] }> {
  const { parameters } = run;
  const mode = travelOf(parameters);
  const byArea = added.map(() => new Map<number, number>());
  if (added.length === 0) return { byArea, offNetwork: [] };
  if (mode === 'straight') {
    const areaIndex = new Map(areas.map((area, index) => [area.id, index]));
    const points = added.map((service, index) => ({ i: index, lon: service.lon, lat: service.lat }));
    const result = await sql<{ unit_id: string; i: number; distance: number }>`
      with p as (
        select i, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography as geog
        from json_to_recordset(${JSON.stringify(points)}::json) as r(i int, lon float8, lat float8))
      select u.id as unit_id, p.i, ST_Distance(u.centroid, p.geog) as distance
      from analysis_unit u cross join p
      where u.set_id = ${run.unitSetId} and ST_DWithin(u.centroid, p.geog, ${parameters.thresholdM})`.execute(db);
    for (const row of result.rows) byArea[row.i]!.set(areaIndex.get(row.unit_id)!, row.distance);
    return { byArea, offNetwork: [] };
  }
  if (!travel.matrix || !travel.networkId) throw new Error('A travel scenario needs the travel-time matrix.');
  const times = await travel.matrix({
    networkId: travel.networkId,
    profile: mode,
    from: areas,
    to: added.map(({ lon, lat }) => ({ lon, lat })),
    limitSeconds: catchmentOf(parameters).limit,
    nearDestinationsOnly: true,
  });
  pairsByArea(areas.length, times).forEach((area, areaIndex) => {
    area.locations.forEach((point, pair) => byArea[point]!.set(areaIndex, area.seconds[pair]!));
  });
  return { byArea, offNetwork: times.offNetworkTo };
}

export interface SavedScenario {
  id: string;
  runId: string;
  label: string | null;
  added: AddedService[];
  removed: string[];
  outcome: ScenarioOutcome;
  createdAt: string;
}

/** Why a scenario cannot be computed on a run, as a message code, or null. */
export async function scenarioProblem(
  db: Kysely<Database>,
  run: { id: string; allianceId: string; parameters: GapAnalysisParameters },
  request: ScenarioRequest,
): Promise<CodedMessage | null> {
  if (request.add.length === 0 && request.remove.length === 0) return said('gap.scenario-empty');
  const { parameters } = run;
  for (const service of request.add) {
    if (!parameters.categories.includes(service.category as never)) {
      return said('gap.scenario-category', { category: service.category, measured: parameters.categories.join(', ') });
    }
  }
  if (request.remove.length === 0) return null;
  const measured = await sql<{ id: string }>`
    select sal.id from service_at_location sal
    join service s on s.id = sal.service_id join organization o on o.id = s.organization_id
    where o.alliance_id = ${run.allianceId} and sal.id = any(${request.remove}::uuid[])
      and (sal.category = any(${parameters.categories}::text[]) or s.topics && ${parameters.topics}::text[])
    union select distinct location_id from gap_travel_pair
    where run_id = ${run.id} and location_id = any(${request.remove}::uuid[])`.execute(db);
  const known = new Set(measured.rows.map((row) => row.id));
  const unknown = request.remove.find((id) => !known.has(id));
  return unknown ? said('gap.scenario-unknown-location', { id: unknown }) : null;
}

/** Computes a scenario on a finished run and saves it with the run. */
export async function createScenario(
  db: Kysely<Database>,
  run: {
    id: string;
    allianceId: string;
    unitSetId: string;
    parameters: GapAnalysisParameters;
    networkId?: string;
  },
  request: ScenarioRequest,
  options: { accountId: string | null; travelMatrix?: TravelMatrix },
): Promise<SavedScenario> {
  const before = await scenarioPairs(db, run);
  const added = await addedPairs(db, run, before.areas, request.add, {
    matrix: options.travelMatrix,
    networkId: run.networkId,
  });
  const after = withScenario(
    before,
    new Set(request.remove),
    request.add.map((service, index) => ({ service, byArea: added.byArea[index]! })),
  );
  const outcome: ScenarioOutcome = {
    unit: catchmentOf(run.parameters).unit,
    addedOffNetwork: added.offNetwork,
    subjects: compareScenario(before, after, run.parameters),
  };
  const row = await db
    .insertInto('gap_scenario')
    .values({
      run_id: run.id,
      account_id: options.accountId,
      label: request.label ?? null,
      added: JSON.stringify(request.add),
      removed: request.remove,
      outcome: JSON.stringify(outcome),
    })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    runId: run.id,
    label: request.label ?? null,
    added: request.add,
    removed: request.remove,
    outcome,
    createdAt: row.created_at.toISOString(),
  };
}

/** The scenarios saved with a run, oldest first. */
export async function listScenarios(db: Kysely<Database>, runId: string): Promise<SavedScenario[]> {
  const rows = await db
    .selectFrom('gap_scenario')
    .select(['id', 'run_id', 'label', 'added', 'removed', 'outcome', 'created_at'])
    .where('run_id', '=', runId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    runId: row.run_id,
    label: row.label,
    added: row.added as AddedService[],
    removed: row.removed,
    outcome: row.outcome as ScenarioOutcome,
    createdAt: row.created_at.toISOString(),
  }));
}
