import { type Kysely, type RawBuilder, sql } from 'kysely';
import { nearestGeodesicDistance, sphereToSpheroidMargin } from '../../db/postgis.js';
import type { Database } from '../../db/schema.js';
import { BatchSizer, type Slicing } from './batchSizer.js';
import {
  type CatchmentPairs,
  type DistanceDecay,
  type OuterDemand,
  pairedCatchmentScores,
} from './floatingCatchment.js';
import { type GapAnalysisParameters, type Subject, suppliedService } from './gapParameters.js';

export interface UnitSubjectMeasures {
  unitId: string;
  population: number;
  /** Geodesic distance from the unit's demand centroid to the nearest service, or null when there is none. */
  nearestDistanceM: number | null;
  /** In a travel run: the time to the nearest service in seconds, null beyond the largest catchment. */
  nearestSeconds?: number | null;
  /** In a travel run: the area's centre is too far from any road the mode may use. */
  offNetwork?: boolean;
  countWithin: number;
  supplyCount: number;
  supplyPer10k: number | null;
  /** 2SFCA accessibility, per 10,000 inhabitants. */
  score2sfca: number;
  /** E2SFCA accessibility, per 10,000 inhabitants. */
  scoreE2sfca: number;
}

/** W(d) in SQL, the same function as decayWeight in floatingCatchment.ts, for pairs already within d0. */
function decaySql(
  distance: RawBuilder<unknown>,
  thresholdM: number,
  decay: DistanceDecay,
  sigmaM: number = thresholdM,
): RawBuilder<number> {
  const d0 = sql`${thresholdM}::float8`;
  switch (decay) {
    case 'none':
      return sql<number>`1::float8`;
    case 'stepped':
      return sql<number>`case when ${distance} <= ${d0} / 3 then 1::float8
        when ${distance} <= (2 * ${d0}) / 3 then 0.68::float8 else 0.22::float8 end`;
    case 'dai_gaussian':
    case 'gaussian':
      return sql<number>`(exp(-0.5::float8 * (${distance} / ${d0}) ^ 2) - exp(-0.5::float8)) / (1 - exp(-0.5::float8))`;
    case 'gaussian_sigma':
      return sql<number>`exp(-(${distance} * ${distance}) / (2 * ${sigmaM}::float8 ^ 2))`;
  }
}

/**
 * The supply S_j of a service location: the service's capacity at each of its locations, 1 when it has none (as
 * every service counted before capacities).
 */
const supplyCapacity = sql<number>`coalesce(s.capacity, 1)::float8`;

/**
 * The services measured for a subject: active services of the alliance's organisations, one row per placed
 * location. A place not placed yet has no point and is no supply anywhere (the run counts them: placementCounts).
 */
function subjectFilter(subject: Subject): RawBuilder<boolean> {
  return subject.kind === 'category'
    ? sql<boolean>`sal.category = ${subject.id}`
    : sql<boolean>`${subject.id} = any(s.topics)`;
}

function allianceServices(allianceId: string, subject: Subject) {
  return sql`service_at_location sal
    join service s on s.id = sal.service_id
    join organization o on o.id = s.organization_id
    where o.alliance_id = ${allianceId} and ${suppliedService(subject.checkedSince)} and sal.geog is not null
      and ${subjectFilter(subject)}`;
}

/**
 * Whether a service location `sal` may have people beyond the boundary of alliance `a` within d0: it stands outside
 * the boundary, or within d0 of its outline. Within d0 of any other lies only the inside of the boundary, where every
 * demand point is counted by an area; the search for people beyond is left to the services along the edge.
 */
function nearTheEdge(thresholdM: number): RawBuilder<boolean> {
  return sql<boolean>`(not ST_Intersects(a.area, sal.geog) or ST_DWithin(sal.geog, a.outline, ${thresholdM}))`;
}

/**
 * The alliance's boundary as a CTE `a`: the geometry, and as geography the area and its outline, computed once per
 * statement (a materialized CTE; a subquery would be merged and its expressions computed again on every row), so
 * that PostGIS measures every row against the same values and reuses the trees it builds for them. Read with
 * `with ${regionOf(…)} select … cross join a`.
 */
function regionOf(allianceId: string): RawBuilder<unknown> {
  return sql`a as materialized (
    select boundary, boundary::geography as area, ST_Boundary(boundary)::geography as outline
    from alliance where id = ${allianceId})`;
}

/**
 * The people beyond the boundary of an H3 grid (outerDemandRelation: grouped once per grid) within d0 of a service
 * location `sal`, with their geodesic distance to it, found through the groups' GiST index.
 */
function outerPeopleNear(demand: RawBuilder<unknown>, thresholdM: number): RawBuilder<unknown> {
  return sql`(
    select o.id, o.population, ST_Distance(o.geog, sal.geog) as distance from ${demand} o
    where ST_DWithin(o.geog, sal.geog, ${thresholdM}))`;
}

interface OuterDemandOptions {
  allianceId: string;
  /** The people beyond the grid's boundary (outerDemandRelation). */
  demand: RawBuilder<unknown>;
  thresholdM: number;
  decay: DistanceDecay;
  sigmaM?: number;
}

/**
 * The outer demand of the service locations `sal` that `which` selects, on an H3 grid: the people beyond the
 * boundary within d0 of each, P_k summed (2SFCA's denominator) and P_k·W(d_kj) summed from each point's own distance
 * (E2SFCA's). A location with nobody beyond the boundary in reach is not listed.
 */
function outerDemandByLocation(which: RawBuilder<boolean>, options: OuterDemandOptions) {
  const { allianceId, demand, thresholdM, decay, sigmaM } = options;
  return sql<{ supply_id: string; demand: number; weighted: number }>`
    with ${regionOf(allianceId)}
    select sal.id as supply_id, sum(beyond.population)::float8 as demand,
           sum(beyond.population * ${decaySql(sql`beyond.distance`, thresholdM, decay, sigmaM)})::float8 as weighted
    from service_at_location sal
    cross join a
    cross join lateral ${outerPeopleNear(demand, thresholdM)} beyond
    where ${which} and ${nearTheEdge(thresholdM)}
    group by sal.id`;
}

/**
 * Every measure of one subject for every unit of a set, in one set-based query: pairs of unit centroid × service
 * within d0 (ST_DWithin on geography, geodesic), the FCA ratios per service and sums per unit, the geodesic distance
 * to the nearest service (nearestGeodesicDistance: KNN on the sphere, then the candidates that may be nearer on the
 * WGS84 spheroid measured there), and the services located in each unit. On an H3 grid, `outerDemand` names the
 * people beyond its boundary (outerDemandRelation): those within d0 of a service add to its ratio's
 * denominator (outerDemandByLocation).
 */
export async function measureSubject(
  db: Kysely<Database>,
  options: {
    unitSetId: string;
    allianceId: string;
    subject: Subject;
    thresholdM: number;
    decay: DistanceDecay;
    sigmaM?: number;
    /** On an H3 grid, the people beyond its boundary (outerDemandRelation), who count as outer demand. */
    outerDemand?: RawBuilder<unknown>;
  },
): Promise<UnitSubjectMeasures[]> {
  const { unitSetId, allianceId, subject, thresholdM, decay, sigmaM, outerDemand } = options;
  const beyond = outerDemand
    ? outerDemandByLocation(sql`sal.id in (select supply_id from in_reach)`, {
        allianceId,
        demand: outerDemand,
        thresholdM,
        decay,
        sigmaM,
      })
    : sql`select null::uuid as supply_id, 0::float8 as demand, 0::float8 as weighted where false`;
  const services = allianceServices(allianceId, subject);
  const result = await sql<{
    unit_id: string;
    population: number;
    nearest_distance_m: number | null;
    count_within: number;
    supply_count: number;
    score_2sfca: number;
    score_e2sfca: number;
  }>`
    with pairs as materialized (
      select u.id as unit_id, u.population, sal.id as supply_id, sal.capacity,
             ST_Distance(u.centroid, sal.geog) as distance
      from analysis_unit u
      cross join lateral (
        select sal.id, sal.geog, ${supplyCapacity} as capacity from ${services}
          and ST_DWithin(sal.geog, u.centroid, ${thresholdM})
      ) sal
      where u.set_id = ${unitSetId}
    ),
    weighted as (
      select unit_id, population, supply_id, capacity, ${decaySql(sql`distance`, thresholdM, decay, sigmaM)} as weight
      from pairs
    ),
    in_reach as (
      select supply_id, max(capacity) as capacity, sum(population) as demand, sum(population * weight) as weighted
      from weighted group by supply_id
    ),
    outer_demand as (${beyond}),
    ratios as (
      select r.supply_id,
             case when r.demand + coalesce(b.demand, 0) > 0
               then r.capacity / (r.demand + coalesce(b.demand, 0)) else 0 end as ratio_2sfca,
             case when r.weighted + coalesce(b.weighted, 0) > 0
               then r.capacity / (r.weighted + coalesce(b.weighted, 0)) else 0 end as ratio_e2sfca
      from in_reach r left join outer_demand b on b.supply_id = r.supply_id
    ),
    scores as (
      select w.unit_id, count(*)::int as count_within,
             sum(r.ratio_2sfca) as score_2sfca, sum(r.ratio_e2sfca * w.weight) as score_e2sfca
      from weighted w join ratios r on r.supply_id = w.supply_id
      group by w.unit_id
    )
    select u.id as unit_id, u.population,
           ${nearestGeodesicDistance(sql`u.centroid`, services)} as nearest_distance_m,
           coalesce(scores.count_within, 0) as count_within,
           (select count(*)::int from ${services}
              and sal.geog && u.geom::geography and ST_Intersects(u.geom, sal.geog::geometry)) as supply_count,
           coalesce(scores.score_2sfca, 0) * 10000 as score_2sfca,
           coalesce(scores.score_e2sfca, 0) * 10000 as score_e2sfca
    from analysis_unit u
    left join scores on scores.unit_id = u.id
    where u.set_id = ${unitSetId}
    order by u.code`.execute(db);
  return result.rows.map((row) => ({
    unitId: row.unit_id,
    population: row.population,
    nearestDistanceM: row.nearest_distance_m,
    countWithin: row.count_within,
    supplyCount: row.supply_count,
    supplyPer10k: row.population > 0 ? (row.supply_count / row.population) * 10000 : null,
    score2sfca: row.score_2sfca,
    scoreE2sfca: row.score_e2sfca,
  }));
}

/** The service locations measured for a subject (see allianceServices), by id, with their supply S_j. */
async function subjectServiceLocations(
  db: Kysely<Database>,
  allianceId: string,
  subject: Subject,
): Promise<Map<string, number>> {
  const result = await sql<{ id: string; capacity: number }>`
    select sal.id, ${supplyCapacity} as capacity from ${allianceServices(allianceId, subject)} order by sal.id`.execute(
    db,
  );
  return new Map(result.rows.map((row) => [row.id, row.capacity]));
}

/** Up to this many, a subject's service locations are named by id in the queries of a sliced run. */
const listedLocationsMax = 1000;

/**
 * The subject's service locations as `from … where …` on `sal`, to which conditions are added with `and`. Named by
 * id when they are few, as in any alliance of the embedded database: each subquery then reads service_at_location
 * alone, through its GiST index or primary key, whatever the planner knows — PGlite has no autovacuum, hence no
 * statistics, and without them the joins of allianceServices were planned from the organisations, once per area
 * (19 s for the nearest services of a resolution-8 grid over Bordeaux, 1 s with statistics). A long list of ids
 * is slow to test row by row, so many locations go through the joins, as in measureSubject.
 */
function subjectLocations(allianceId: string, subject: Subject, ids: string[]) {
  return ids.length <= listedLocationsMax
    ? sql`service_at_location sal where sal.id = any(${ids}::uuid[])`
    : allianceServices(allianceId, subject);
}

export interface SlicedMeasureOptions {
  /** The areas measured, in the order of the answer (their code, as measureSubject). */
  unitIds: string[];
  allianceId: string;
  subject: Subject;
  thresholdM: number;
  decay: DistanceDecay;
  /** σ of the unscaled Gaussian decay, in metres; d0 unless given. */
  sigmaM?: number;
  /** On an H3 grid, the people beyond its boundary (outerDemandRelation), who count as outer demand. */
  outerDemand?: RawBuilder<unknown>;
  slicing: Slicing;
  /** Called after each batch with how many areas are measured, out of how many. */
  onProgress?: (done: number, total: number) => Promise<void>;
}

type SlicedUnit = CatchmentPairs & { unitId: string; nearestDistanceM: number | null; supplyCount: number };

/**
 * The measures of measureSubject, a batch of areas per statement, for the embedded database, which must stay free
 * for other requests between statements (see Slicing). Each statement gives its areas' nearest service (geodesic,
 * as nearestGeodesicDistance), the services located in them and their pairs within d0 with the weight W(d), in the
 * SQL of measureSubject; a service's FCA ratio needs the demand of every area in its reach, so the ratios and
 * scores are summed here once every batch is in (pairedCatchmentScores). The areas of a batch are named by id, so
 * that it is read by primary key. On an H3 grid, the outer demand of the services in reach of an area is then
 * listed a batch of services per statement (outerDemandInSlices). Answers the measures, and how many service
 * locations were measured.
 */
export async function measureSubjectInSlices(
  db: Kysely<Database>,
  options: SlicedMeasureOptions,
): Promise<{ measures: UnitSubjectMeasures[]; serviceLocations: number }> {
  const { unitIds, thresholdM, decay, sigmaM } = options;
  const capacities = await subjectServiceLocations(db, options.allianceId, options.subject);
  const serviceLocationIds = [...capacities.keys()];
  const services = () => subjectLocations(options.allianceId, options.subject, serviceLocationIds);
  const supplyIndex = new Map<string, number>();
  const indexOf = (id: string) => supplyIndex.get(id) ?? supplyIndex.set(id, supplyIndex.size).get(id)!;
  const units: SlicedUnit[] = [];
  const sizer = new BatchSizer(options.slicing, { first: 100, max: 5000 });
  for (let start = 0; start < unitIds.length;) {
    const batch = unitIds.slice(start, start + sizer.size);
    const measured = await sizer.run(db, batch.length, (connection) =>
      sql<{
        unit_id: string;
        population: number;
        nearest_distance_m: number | null;
        supply_count: number;
        supply_ids: string[];
        weights: number[];
      }>`
        select u.id as unit_id, u.population,
               ${nearestGeodesicDistance(sql`u.centroid`, services())} as nearest_distance_m,
               (select count(*)::int from ${services()}
                  and sal.geog && u.geom::geography and ST_Intersects(u.geom, sal.geog::geometry)) as supply_count,
               pairs.supply_ids, pairs.weights
        from analysis_unit u
        cross join lateral (
          select coalesce(array_agg(within.id), '{}') as supply_ids,
                 coalesce(array_agg(${decaySql(sql`within.distance`, thresholdM, decay, sigmaM)}), '{}') as weights
          from (
            select sal.id, ST_Distance(u.centroid, sal.geog) as distance from ${services()}
              and ST_DWithin(sal.geog, u.centroid, ${thresholdM})
          ) within
        ) pairs
        where u.id = any(${batch}::uuid[])`.execute(connection),
    );
    const byId = new Map(measured.rows.map((row) => [row.unit_id, row]));
    for (const id of batch) {
      const row = byId.get(id);
      if (!row) continue;
      units.push({
        unitId: row.unit_id,
        population: row.population,
        nearestDistanceM: row.nearest_distance_m,
        supplyCount: row.supply_count,
        supplies: Int32Array.from(row.supply_ids, indexOf),
        weights: Float64Array.from(row.weights),
      });
    }
    start += batch.length;
    await options.onProgress?.(start, unitIds.length);
  }
  const supplies = new Float64Array(supplyIndex.size);
  for (const [id, index] of supplyIndex) supplies[index] = capacities.get(id) ?? 1;
  const outer = options.outerDemand
    ? await outerDemandInSlices(db, supplyIndex, { ...options, demand: options.outerDemand })
    : undefined;
  const scores = pairedCatchmentScores(units, supplies, outer);
  const measures = units.map((unit, index) => ({
    unitId: unit.unitId,
    population: unit.population,
    nearestDistanceM: unit.nearestDistanceM,
    countWithin: unit.supplies.length,
    supplyCount: unit.supplyCount,
    supplyPer10k: unit.population > 0 ? (unit.supplyCount / unit.population) * 10000 : null,
    score2sfca: scores[index]!.score2sfca * 10000,
    scoreE2sfca: scores[index]!.scoreE2sfca * 10000,
  }));
  return { measures, serviceLocations: serviceLocationIds.length };
}

/**
 * outerDemandByLocation for the service locations of `supplyIndex` (id → index), a batch of locations per
 * statement, as arrays by index for pairedCatchmentScores.
 */
async function outerDemandInSlices(
  db: Kysely<Database>,
  supplyIndex: ReadonlyMap<string, number>,
  options: OuterDemandOptions & { slicing: Slicing },
): Promise<OuterDemand> {
  const outer = { demand: new Float64Array(supplyIndex.size), weighted: new Float64Array(supplyIndex.size) };
  const ids = [...supplyIndex.keys()];
  const sizer = new BatchSizer(options.slicing, { first: 10, max: 1000 });
  for (let start = 0; start < ids.length;) {
    const batch = ids.slice(start, start + sizer.size);
    const listed = await sizer.run(db, batch.length, (connection) =>
      outerDemandByLocation(sql`sal.id = any(${batch}::uuid[])`, options).execute(connection),
    );
    for (const row of listed.rows) {
      const index = supplyIndex.get(row.supply_id)!;
      outer.demand[index] = row.demand;
      outer.weighted[index] = row.weighted;
    }
    start += batch.length;
  }
  return outer;
}

/**
 * How many people beyond the boundary of an H3 grid count as demand on the services near its edge: those whom no
 * area counts, within d0 of at least one service location of the run's categories or topics that has an area's
 * centre within d0 (so that its ratio is used), each counted once. Listed a batch of service locations per
 * statement (see Slicing); the locations are few, so they are listed in one.
 */
export async function outerPopulationInReach(
  db: Kysely<Database>,
  options: {
    unitSetId: string;
    allianceId: string;
    parameters: Pick<GapAnalysisParameters, 'categories' | 'topics' | 'thresholdM' | 'freshness'>;
    demand: RawBuilder<unknown>;
    slicing: Slicing;
  },
): Promise<number> {
  const { unitSetId, allianceId, parameters, demand, slicing } = options;
  const locations = await sql<{ id: string }>`
    with ${regionOf(allianceId)}
    select sal.id from service_at_location sal
    join service s on s.id = sal.service_id
    join organization o on o.id = s.organization_id
    cross join a
    where o.alliance_id = ${allianceId} and ${suppliedService(parameters.freshness?.checkedSince)} and sal.geog is not null
      and (sal.category = any(${parameters.categories}::text[]) or s.topics && ${parameters.topics}::text[])
      and ${nearTheEdge(parameters.thresholdM)}
      and exists (select 1 from analysis_unit u
                  where u.set_id = ${unitSetId} and ST_DWithin(u.centroid, sal.geog, ${parameters.thresholdM}))
    order by sal.id`.execute(db);
  const ids = locations.rows.map((row) => row.id);
  const people = new Map<string, number>();
  const sizer = new BatchSizer(slicing, { first: 10, max: 1000 });
  for (let start = 0; start < ids.length;) {
    const batch = ids.slice(start, start + sizer.size);
    const listed = await sizer.run(db, batch.length, (connection) =>
      sql<{ id: string; population: number }>`
        select distinct beyond.id, beyond.population
        from service_at_location sal
        cross join lateral ${outerPeopleNear(demand, parameters.thresholdM)} beyond
        where sal.id = any(${batch}::uuid[])`.execute(connection),
    );
    for (const row of listed.rows) people.set(row.id, row.population);
    start += batch.length;
  }
  let population = 0;
  for (const count of people.values()) population += count;
  return population;
}

export interface DuplicationCluster {
  category: string;
  serviceCount: number;
  organizationCount: number;
  lat: number;
  lon: number;
  townPrecision: boolean;
  services: { serviceId: string; name: string; organizationId: string; organizationName: string; precision: string }[];
}

/**
 * Same-category services of different organisations within `radiusM` of each other (DBSCAN, at least two
 * points). The points are projected to local metres with the scale of the alliance's mean latitude
 * (its boundary's centroid, else its places'; equirectangular): over a region this is within a few per cent, enough to flag "possible duplication".
 */
export async function duplicationClusters(
  db: Kysely<Database>,
  options: { allianceId: string; categories: string[]; radiusM: number; checkedSince?: string },
): Promise<DuplicationCluster[]> {
  if (options.categories.length === 0) return [];
  // Without a boundary (a run over imported areas), the mean latitude of the alliance's own places.
  const centre = await sql<{ lat: number | null }>`
    select coalesce(
             (select ST_Y(ST_Centroid(boundary)) from alliance where id = ${options.allianceId}),
             (select avg(ST_Y(l.geog::geometry)) from location l
              join organization o on o.id = l.organization_id where o.alliance_id = ${options.allianceId})
           ) as lat`.execute(db);
  const latitude = ((centre.rows[0]?.lat ?? 0) * Math.PI) / 180;
  const metresPerDegreeLat = 111132.954 - 559.822 * Math.cos(2 * latitude);
  const metresPerDegreeLon = 111412.84 * Math.cos(latitude) - 93.5 * Math.cos(3 * latitude);
  const result = await sql<DuplicationCluster>`
    with points as (
      select sal.category, s.id as service_id, s.name, o.id as organization_id, o.name as organization_name,
             case when l.hide_address then 'town' else l.precision end as precision,
             ST_X(sal.geog::geometry) as lon, ST_Y(sal.geog::geometry) as lat
      from service_at_location sal
      join service s on s.id = sal.service_id
      join organization o on o.id = s.organization_id
      join location l on l.id = sal.location_id
      where o.alliance_id = ${options.allianceId} and ${suppliedService(options.checkedSince)} and sal.geog is not null
        and sal.category = any(${options.categories}::text[])
    ),
    clustered as (
      select *, ST_ClusterDBSCAN(
               ST_MakePoint(lon * ${metresPerDegreeLon}::float8, lat * ${metresPerDegreeLat}::float8),
               eps := ${options.radiusM}::float8, minpoints := 2) over (partition by category) as cluster
      from points
    )
    select category, count(*)::int as "serviceCount", count(distinct organization_id)::int as "organizationCount",
           avg(lat) as lat, avg(lon) as lon, bool_or(precision = 'town') as "townPrecision",
           json_agg(json_build_object('serviceId', service_id, 'name', name, 'organizationId', organization_id,
                    'organizationName', organization_name, 'precision', precision) order by name, service_id) as services
    from clustered where cluster is not null
    group by category, cluster
    having count(distinct organization_id) >= 2
    order by category, count(*) desc, avg(lat)`.execute(db);
  return result.rows;
}

/** Categories in which no organisation of the alliance offers an active service. */
export async function categoriesWithoutMember(
  db: Kysely<Database>,
  allianceId: string,
  categories: readonly string[],
  checkedSince?: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('service as s')
    .innerJoin('organization as o', 'o.id', 's.organization_id')
    .select('s.category')
    .distinct()
    .where('o.alliance_id', '=', allianceId)
    .where(suppliedService(checkedSince))
    .execute();
  const present = new Set(rows.map((row) => row.category as string));
  return categories.filter((category) => !present.has(category));
}

/**
 * The nearest services of a subject to a unit's demand centroid, nearest first by geodesic distance. The `limit`
 * nearest on the sphere (KNN) bound the search: every service within sphereToSpheroidMargin times the farthest of
 * them is measured on the WGS84 spheroid, and the nearest there are kept. Anyone may read them: the points and
 * distances are the public ones of `service_at_location.geog`, so a hidden address shows as its rounded point.
 */
export async function nearestServicesOfUnit(
  db: Kysely<Database>,
  options: { unitId: string; allianceId: string; subject: Subject; limit: number },
) {
  const services = allianceServices(options.allianceId, options.subject);
  const result = await sql<{
    serviceId: string;
    name: string;
    category: string;
    organizationName: string;
    lat: number;
    lon: number;
    precision: string;
    distanceM: number;
  }>`
    select s.id as "serviceId", s.name, s.category, o.name as "organizationName",
           ST_Y(sal.geog::geometry) as lat, ST_X(sal.geog::geometry) as lon,
           case when l.hide_address then 'town' else l.precision end as precision,
           sal.distance_m as "distanceM"
    from analysis_unit u
    cross join lateral (
      select max(sphere_m) as sphere_m
      from (select sal.geog <-> u.centroid as sphere_m from ${services} order by sal.geog <-> u.centroid limit ${options.limit}) knn
    ) farthest
    cross join lateral (
      select sal.*, ST_Distance(sal.geog, u.centroid) as distance_m from ${services}
        and ST_DWithin(sal.geog, u.centroid, farthest.sphere_m * ${sphereToSpheroidMargin}::float8, false)
      order by distance_m, sal.id limit ${options.limit}
    ) sal
    join service s on s.id = sal.service_id
    join organization o on o.id = s.organization_id
    join location l on l.id = sal.location_id
    where u.id = ${options.unitId}
    order by "distanceM", s.name`.execute(db);
  return result.rows;
}
