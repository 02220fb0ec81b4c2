import { categoryLabel } from '../../../server/src/domain/gap-analysis/gapParameters.js';
import type { GapAnalysisParameters } from '../../../server/src/domain/gap-analysis/gapParameters.js';
import { categoryIds } from '#contract/taxonomy/categories.js';
import { sphereToSpheroidMargin } from '../../../server/src/db/postgis.js';
import { elapsedMs } from '../lib/stats.js';

/** A `pg` client or a PGlite instance: the baseline talks to the database with nothing in between. */
export interface RawSql {
  query(text: string, parameters?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** W(d) for pairs already within d0; the same function as decayWeight in floatingCatchment.ts. */
function decayExpression(decay: GapAnalysisParameters['decay'], d0: string, sigmaM: number | undefined): string {
  switch (decay) {
    case 'none':
      return '1::float8';
    case 'stepped':
      return `case when distance <= ${d0} / 3 then 1::float8 when distance <= (2 * ${d0}) / 3 then 0.68::float8 else 0.22::float8 end`;
    case 'dai_gaussian':
    case 'gaussian':
      return `(exp(-0.5::float8 * (distance / ${d0}) ^ 2) - exp(-0.5::float8)) / (1 - exp(-0.5::float8))`;
    case 'gaussian_sigma':
      return `exp(-(distance * distance) / (2 * ${sigmaM === undefined ? d0 : `${sigmaM}::float8`} ^ 2))`;
  }
}

const activeServicesOfAlliance = `service_at_location sal
  join service s on s.id = sal.service_id
  join organization o on o.id = s.organization_id
  where o.alliance_id = $2::uuid and s.status = 'active'`;

/**
 * The people beyond the boundary of an H3 grid (analysis_outer_demand: grouped when the grid was built) within d0
 * of each service location in reach of an area, P_k and P_k·W(d) summed; only the locations outside the boundary or
 * within d0 of its outline can have any. Without a grid, no row.
 */
function outerDemandSql(parameters: GapAnalysisParameters, outerSetId: string | undefined): string {
  if (!outerSetId) return 'select null::uuid as supply_id, 0::float8 as demand, 0::float8 as weighted where false';
  return `
      select sal.id as supply_id, sum(beyond.population)::float8 as demand,
             sum(beyond.population * ${decayExpression(parameters.decay, '$3::float8', parameters.decaySigmaM)})::float8 as weighted
      from service_at_location sal
      join alliance a on a.id = $2::uuid
      cross join lateral (
        select o.population, ST_Distance(o.centroid, sal.geog) as distance from analysis_outer_demand o
        where o.set_id = ${literal(outerSetId)}::uuid and ST_DWithin(o.centroid, sal.geog, $3::float8)
      ) beyond
      where sal.id in (select supply_id from in_reach)
        and (not ST_Intersects(a.boundary::geography, sal.geog)
             or ST_DWithin(sal.geog, ST_Boundary(a.boundary)::geography, $3::float8))
      group by sal.id`;
}

/**
 * Every measure, flag and reason of every unit for one category, hand-written as one set-based query: pairs
 * unit × service within d0 (ST_DWithin, on the (geog, category) GiST index), the FCA ratios per service and sums
 * per unit, the geodesic distance to the nearest service (the KNN nearest on the sphere, then every service within
 * sphereToSpheroidMargin of its sphere distance measured on the spheroid), the services located in each unit, the
 * regional mean as a window function, the flags and the reasons (code and parameters). One query per category, as the application does (a first
 * version with one query for all categories was no faster at 1M services). No CTE is materialized around the
 * units, so that PostgreSQL may plan the pairs in parallel. Parameters: $1 unit set, $2 alliance, $3 d0, $4 run,
 * $5 belowMeanFraction.
 */
export function baselineResultsSql(
  parameters: GapAnalysisParameters,
  category: string,
  /** An H3 grid whose people beyond the boundary (analysis_outer_demand) share the services near its edge. */
  outerSetId?: string,
): string {
  const subjects = [category].map((id) => `(${literal(id)})`);
  const inSubjects = `sal.category = ${literal(category)}`;
  const score = parameters.method === '2sfca' ? 'score_2sfca' : 'score_e2sfca';
  return `
    with unit as not materialized (
      select id, code, population, centroid, geom from analysis_unit where set_id = $1::uuid
    ),
    subject (category) as (values ${subjects.join(', ')}),
    pairs as materialized (
      select u.id as unit_id, u.population, sal.category, sal.id as supply_id, sal.capacity,
             ST_Distance(u.centroid, sal.geog) as distance
      from unit u
      cross join lateral (
        select sal.id, sal.category, sal.geog, coalesce(s.capacity, 1)::float8 as capacity from ${activeServicesOfAlliance}
          and ${inSubjects} and ST_DWithin(sal.geog, u.centroid, $3::float8)
      ) sal
    ),
    weighted as (
      select unit_id, population, category, supply_id, capacity, ${decayExpression(parameters.decay, '$3::float8', parameters.decaySigmaM)} as weight
      from pairs
    ),
    in_reach as (
      select supply_id, max(capacity) as capacity, sum(population) as demand, sum(population * weight) as weighted
      from weighted group by supply_id
    ),
    outer_demand as (${outerDemandSql(parameters, outerSetId)}),
    ratios as (
      select r.supply_id,
             case when r.demand + coalesce(b.demand, 0) > 0
               then r.capacity / (r.demand + coalesce(b.demand, 0)) else 0 end as ratio_2sfca,
             case when r.weighted + coalesce(b.weighted, 0) > 0
               then r.capacity / (r.weighted + coalesce(b.weighted, 0)) else 0 end as ratio_e2sfca
      from in_reach r left join outer_demand b on b.supply_id = r.supply_id
    ),
    scores as (
      select w.unit_id, w.category, count(*)::int as count_within,
             sum(r.ratio_2sfca) as score_2sfca, sum(r.ratio_e2sfca * w.weight) as score_e2sfca
      from weighted w join ratios r on r.supply_id = w.supply_id
      group by w.unit_id, w.category
    ),
    measured as (
      select u.id as unit_id, u.population, c.category,
             (select min(ST_Distance(u.centroid, candidate.geog))
              from (select sal.geog <-> u.centroid as sphere_m from ${activeServicesOfAlliance}
                      and sal.category = c.category order by sal.geog <-> u.centroid limit 1) knn
              cross join lateral (
                select sal.geog from ${activeServicesOfAlliance} and sal.category = c.category
                  and ST_DWithin(sal.geog, u.centroid, knn.sphere_m * ${sphereToSpheroidMargin}::float8, false)
              ) candidate) as nearest_distance_m,
             coalesce(sc.count_within, 0) as count_within,
             (select count(*)::int from ${activeServicesOfAlliance} and ${inSubjects}
                and sal.geog && u.geom::geography and ST_Intersects(u.geom, sal.geog::geometry)) as supply_count,
             coalesce(sc.score_2sfca, 0) * 10000 as score_2sfca,
             coalesce(sc.score_e2sfca, 0) * 10000 as score_e2sfca
      from unit u
      cross join subject c
      left join scores sc on sc.unit_id = u.id and sc.category = c.category
    ),
    judged as (
      select *, coalesce(sum(population * ${score}) over per_subject
                           / nullif(sum(population) over per_subject, 0), 0) as regional_mean
      from measured
      window per_subject as (partition by category)
    ),
    flagged as (
      select *, case when population <= 0 then null
                     when count_within = 0 then 'no_service_within_reach'
                     when regional_mean > 0 and ${score} < $5::float8 * regional_mean then 'below_regional_mean'
                end as flag
      from judged
    )
    select $4::uuid as run_id, unit_id, 'category' as subject_kind, category as subject, population,
           nearest_distance_m, count_within, supply_count,
           case when population > 0 then supply_count / population * 10000 end as supply_per_10k,
           score_2sfca, score_e2sfca,
           case when flag is null then '{}'::text[] else array[flag] end as flags,
           case flag
             when 'no_service_within_reach' then 'no-service-within'
             when 'below_regional_mean' then 'below-regional-mean'
           end as reason_code,
           case flag
             when 'no_service_within_reach' then jsonb_build_object('subjectKind', 'category', 'subject', category,
               'population', population, 'thresholdM', $3::float8)
             when 'below_regional_mean' then jsonb_build_object('subjectKind', 'category', 'subject', category,
               'population', population, 'method', ${literal(parameters.method)},
               'percent', floor(100 * ${score} / regional_mean + 0.5)::int)
           end as reason_params
    from flagged`;
}

/**
 * The summary the application keeps with a run, in SQL from the results just written: per category the
 * service locations, population-weighted means, flagged units and population without a service in reach; the
 * duplication clusters (the same DBSCAN on points scaled to local metres); the categories without a member.
 * Parameters: $1 unit set, $2 alliance, $3 duplication radius, $4 run. A query, computed into a temporary table
 * (in parallel where PostgreSQL chooses to) and then stored with the run's "done" status.
 */
export function baselineSummarySql(parameters: GapAnalysisParameters): string {
  const subjects = parameters.categories.map(
    (id, index) => `(${index}, ${literal(id)}, ${literal(categoryLabel(id))})`,
  );
  const everyCategory = categoryIds.map((id) => `(${literal(id)}, ${literal(categoryLabel(id))})`);
  const chosen = `(${parameters.categories.map(literal).join(', ')})`;
  return `
    select (
      with subject (ord, subject, label) as (values ${subjects.join(', ')}),
      located as (
        select sal.category, count(*)::int as n from ${activeServicesOfAlliance} and sal.category in ${chosen}
        group by sal.category
      ),
      per_subject as (
        select subject,
               coalesce(sum(population * score_2sfca) / nullif(sum(population), 0), 0) as mean_2sfca,
               coalesce(sum(population * score_e2sfca) / nullif(sum(population), 0), 0) as mean_e2sfca,
               case when count(nearest_distance_m) = 0 then null
                    else coalesce(sum(population * nearest_distance_m)
                                  / nullif(sum(population) filter (where nearest_distance_m is not null), 0), 0)
               end as mean_nearest,
               count(*) filter (where cardinality(flags) > 0)::int as flagged,
               coalesce(sum(population) filter (where 'no_service_within_reach' = any(flags)), 0) as without
        from gap_analysis_result where run_id = $4::uuid group by subject
      ),
      scale as (
        select 111132.954 - 559.822 * cos(2 * lat) as per_degree_lat,
               111412.84 * cos(lat) - 93.5 * cos(3 * lat) as per_degree_lon
        from (select radians(ST_Y(ST_Centroid(boundary))) as lat from alliance where id = $2::uuid) centre
      ),
      points as (
        select sal.category, s.id as service_id, s.name, o.id as organization_id, o.name as organization_name,
               l.precision, ST_X(sal.geog::geometry) as lon, ST_Y(sal.geog::geometry) as lat
        from service_at_location sal
        join service s on s.id = sal.service_id
        join organization o on o.id = s.organization_id
        join location l on l.id = sal.location_id
        where o.alliance_id = $2::uuid and s.status = 'active' and sal.category in ${chosen}
      ),
      clustered as (
        select points.*, ST_ClusterDBSCAN(ST_MakePoint(lon * per_degree_lon, lat * per_degree_lat),
                 eps := $3::float8, minpoints := 2) over (partition by category) as cluster
        from points, scale
      ),
      clusters as (
        select category, count(*)::int as service_count, count(distinct organization_id)::int as organization_count,
               avg(lat) as lat, avg(lon) as lon, bool_or(precision = 'town') as town_precision,
               json_agg(json_build_object('serviceId', service_id, 'name', name, 'organizationId', organization_id,
                        'organizationName', organization_name, 'precision', precision) order by name, service_id)
                 as services
        from clustered where cluster is not null
        group by category, cluster
        having count(distinct organization_id) >= 2
      ),
      present as (
        select distinct s.category from service s join organization o on o.id = s.organization_id
        where o.alliance_id = $2::uuid and s.status = 'active'
      )
      select jsonb_build_object(
        'totalPopulation', (select coalesce(sum(population), 0)::float8 from analysis_unit where set_id = $1::uuid),
        'unitCount', (select count(*)::int from analysis_unit where set_id = $1::uuid),
        'populationSource', (select population_source from analysis_unit_set where id = $1::uuid),
        'subjects', (
          select jsonb_agg(jsonb_build_object('kind', 'category', 'subject', subject.subject, 'label', label,
                   'serviceLocations', coalesce(located.n, 0), 'regionalMean2sfca', mean_2sfca,
                   'regionalMeanE2sfca', mean_e2sfca, 'meanNearestDistanceM', mean_nearest, 'flaggedUnits', flagged,
                   'populationWithoutServiceWithinReach', without) order by ord)
          from subject
          join per_subject on per_subject.subject = subject.subject
          left join located on located.category = subject.subject),
        'duplication', jsonb_build_object('radiusM', $3::float8, 'clusters', coalesce((
          select json_agg(json_build_object('category', category, 'serviceCount', service_count,
                   'organizationCount', organization_count, 'lat', lat, 'lon', lon, 'townPrecision', town_precision,
                   'services', services) order by category, service_count desc, lat)
          from clusters)::jsonb, '[]'::jsonb)),
        'missingActors', jsonb_build_object('categories', coalesce((
          select jsonb_agg(jsonb_build_object('id', id, 'label', label) order by id)
          from (values ${everyCategory.join(', ')}) as every_category (id, label)
          where id not in (select category from present)), '[]'::jsonb))
      )
    ) as summary`;
}

export interface BaselineRun {
  totalMs: number;
  steps: { [step: string]: number };
}

/** The baseline, timed: its statements in one transaction, like the application's results and summary. */
export async function runRawBaseline(
  client: RawSql,
  texts: { results: string[]; summary: string },
  values: { unitSetId: string; allianceId: string; runId: string; parameters: GapAnalysisParameters },
): Promise<BaselineRun> {
  const { unitSetId, allianceId, runId, parameters } = values;
  const start = performance.now();
  await client.query('begin');
  try {
    // JIT compilation costs most of a second per statement on PostgreSQL 15 and saves nothing here: the time
    // goes into PostGIS function calls, which it cannot compile. A hand-tuned script would turn it off.
    await client.query('set local jit = off');
    const resultsStart = performance.now();
    // CREATE TABLE AS may run in parallel where INSERT … SELECT may not (PostgreSQL 15): the rows of each
    // category are computed into a temporary table, then all of them written with one INSERT.
    for (const [index, text] of texts.results.entries()) {
      await client.query(`create temporary table gap_rows_${index} on commit drop as ${text}`, [
        unitSetId,
        allianceId,
        parameters.thresholdM,
        runId,
        parameters.belowMeanFraction,
      ]);
    }
    await client.query(
      `insert into gap_analysis_result (run_id, unit_id, subject_kind, subject, population, nearest_distance_m,
         count_within, supply_count, supply_per_10k, score_2sfca, score_e2sfca, flags, reason_code, reason_params)
       ${texts.results.map((_, index) => `select * from gap_rows_${index}`).join(' union all ')}`,
    );
    const resultsMs = elapsedMs(resultsStart);
    const summaryStart = performance.now();
    await client.query(`create temporary table gap_summary on commit drop as ${texts.summary}`, [
      unitSetId,
      allianceId,
      parameters.duplicationRadiusM,
      runId,
    ]);
    await client.query(
      `update gap_analysis_run set status = 'done', progress = 1, stage = 'Done', finished_at = now(),
         summary = (select summary from gap_summary) where id = $1::uuid`,
      [runId],
    );
    const summaryMs = elapsedMs(summaryStart);
    await client.query('commit');
    const totalMs = elapsedMs(start);
    return {
      totalMs,
      steps: {
        'measures, flags and result writes (one query per category, one insert)': resultsMs,
        'summary and duplication (one query, one update)': summaryMs,
        'begin/commit': totalMs - resultsMs - summaryMs,
      },
    };
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}
