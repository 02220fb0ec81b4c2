import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database, GapAnalysisStatus } from '../../db/schema.js';
import { categoryIds } from '#contract/taxonomy/categories.js';
import { BatchSizer, isSliced, type Slicing } from './batchSizer.js';
import { GapAnalysisInputError } from './gapAnalysisInputError.js';
import { type GapNote, gapNoteText, methodNoteCodes, missingActorsNote, townPrecisionNote } from './gapNotes.js';
import {
  categoryLabel,
  type GapAnalysisParameters,
  gapFlagsAndReason,
  type Subject,
  subjectsOf,
  type GapReason,
  type GapReasonCode,
  gapReasonText,
  storedGapReason,
  suppliedService,
  catchmentOf,
  travelOf,
  type TravelProfile,
} from './gapParameters.js';
import {
  activeRoadNetwork,
  locatedCounts,
  locationServes,
  measuresFromPairs,
  pairsByArea,
  type RoadNetworkUsed,
  storeTravelPairs,
  travelAreas,
  travelLocations,
  type TravelMatrix,
  type TravelPairs,
} from './travelMeasures.js';
import { ensureH3UnitSet } from './h3Grid.js';
import {
  categoriesWithoutMember,
  duplicationClusters,
  type DuplicationCluster,
  measureSubject,
  measureSubjectInSlices,
  outerPopulationInReach,
  type UnitSubjectMeasures,
} from './measures.js';
import { type DescribedSource, describeOuterDemand, joinSources, type PopulationSourcePart } from './demandSource.js';
import { ensureOuterDemand, outerDemandRelation } from './outerDemand.js';
import { codedFrom, type MessageParams, said } from '../messages/userError.js';
import { type Stage, stage, stageColumns } from './runStages.js';
import { checkedSinceInstant, overdueCondition } from '../freshness/updateCycles.js';

export interface SubjectSummary {
  kind: Subject['kind'];
  subject: string;
  label: string;
  serviceLocations: number;
  /** Population-weighted means over the units, per 10,000 inhabitants. */
  regionalMean2sfca: number;
  regionalMeanE2sfca: number;
  /** Population-weighted mean distance to the nearest service, or null when there is no service. */
  meanNearestDistanceM: number | null;
  /** In a travel run: the population-weighted mean time to the nearest service within the catchment, in seconds. */
  meanNearestSeconds?: number | null;
  flaggedUnits: number;
  populationWithoutServiceWithinReach: number;
}

/** Services of a run known at town level only, and those not placed yet, one per place (see placementCounts). */
export interface PlacementCounts {
  /** Measured from their town's point. */
  townLevelServiceLocations: number;
  /** Not placed yet: left out of the supply. */
  unplacedServiceLocations: number;
}

export interface GapAnalysisSummary {
  totalPopulation: number;
  unitCount: number;
  populationSource: string;
  /** populationSource as parts with codes; null for areas made before they were kept. */
  populationSourceParts?: PopulationSourcePart[] | null;
  /**
   * On an H3 grid, the people beyond the boundary (farther than 3 km, so in no area) within the threshold of a
   * service in reach of an area: counted in those services' demand, each once. Absent for imported areas (they carry
   * their own population) and from runs made before people beyond the boundary were counted.
   */
  outerPopulation?: number;
  /** Absent from runs made before places could be left unplaced. */
  placement?: PlacementCounts;
  subjects: SubjectSummary[];
  duplication: {
    radiusM: number;
    clusters: DuplicationCluster[];
    precisionNote: string | null;
    precisionNoteCode: GapNote | null;
  };
  missingActors: { categories: { id: string; label: string }[]; note: string; noteCode: GapNote };
  /** Absent from runs made before services had a capacity, when each counted 1. */
  capacities?: CapacityUse;
  /** How fresh the measured services were; absent from runs made before services had a check date. */
  freshness?: FreshnessCounts;
  /** A travel run's mode, road network and engine; absent from straight-line runs. */
  travel?: TravelSummary;
  notes: string[];
  /** The notes as codes (gapNotes.ts), in the order of `notes`; derived again when read (withNoteCodes). */
  noteCodes: GapNote[];
}

/** How a travel run measured: the mode, the network (so that the run can be reproduced) and the engine. */
export interface TravelSummary {
  mode: TravelProfile;
  network: RoadNetworkUsed;
  engine: 'pgrouting' | 'typescript';
  /** The largest catchment, the matrix's limit (included). */
  limitMinutes: number;
  /** Areas whose centre is too far from any road the mode may use (flagged off-network). */
  offNetworkAreas: number;
  /** Service locations too far from any road the mode may use: they reach nobody. */
  offNetworkLocations: number;
  /** How many pairs area → service location are within the limit (kept in gap_travel_pair). */
  pairs: number;
  /**
   * People beyond an H3 grid's boundary are not counted as demand in a travel run (the matrix starts from the
   * areas only): `not-counted` on an H3 grid, `none` for imported areas, which carry their own population.
   */
  outerDemand: 'not-counted' | 'none';
}

/** Of the active services of a run's categories and topics: how many were past their update cycle, and left out. */
export interface FreshnessCounts {
  /** Active services of the run's subjects whose last check is older than their cycle (or never checked). */
  olderThanCycle: number;
  /** The months of the run's option, null when every active service counted. */
  leaveOutUncheckedMonths: number | null;
  /** Services left out of the supply by that option. */
  leftOut: number;
}

/** The run's option to leave out services not checked within `months`, fixed at the run's start in the region. */
export async function freshnessOption(
  db: Kysely<Database>,
  allianceId: string,
  months: number,
  now: Date = new Date(),
): Promise<NonNullable<GapAnalysisParameters['freshness']>> {
  const { timezone } = await db
    .selectFrom('alliance')
    .select('timezone')
    .where('id', '=', allianceId)
    .executeTakeFirstOrThrow();
  return { leaveOutUncheckedMonths: months, checkedSince: checkedSinceInstant(months, timezone, now).toISOString() };
}

async function freshnessCounts(
  db: Kysely<Database>,
  allianceId: string,
  parameters: Pick<GapAnalysisParameters, 'categories' | 'topics' | 'freshness'>,
  at: Date,
): Promise<FreshnessCounts> {
  const overdue = overdueCondition(
    {
      verifiedAt: sql.ref('s.verified_at'),
      serviceCycle: sql.ref('s.update_cycle_months'),
      allianceCycle: sql.ref('a.update_cycle_months'),
      timeZone: sql.ref('a.timezone'),
    },
    at,
  );
  const checkedSince = parameters.freshness?.checkedSince ?? null;
  const result = await sql<{ olderThanCycle: number; leftOut: number }>`
    select count(*) filter (where ${overdue})::int as "olderThanCycle",
           count(*) filter (where ${checkedSince}::timestamptz is not null
                              and (s.verified_at is null or s.verified_at < ${checkedSince}::timestamptz))::int as "leftOut"
    from service s join organization o on o.id = s.organization_id join alliance a on a.id = o.alliance_id
    where o.alliance_id = ${allianceId} and s.status = 'active'
      and (s.category = any(${parameters.categories}::text[]) or s.topics && ${parameters.topics}::text[])`.execute(db);
  const counts = result.rows[0] ?? { olderThanCycle: 0, leftOut: 0 };
  return { ...counts, leaveOutUncheckedMonths: parameters.freshness?.leaveOutUncheckedMonths ?? null };
}

/** Whether the services measured by a run gave capacities (the supply S_j of 2SFCA/E2SFCA), and in which units. */
export interface CapacityUse {
  used: boolean;
  servicesWithCapacity: number;
  units: string[];
}

export interface GapAnalysisRun {
  id: string;
  allianceId: string;
  unitSetId: string | null;
  parameters: GapAnalysisParameters;
  status: GapAnalysisStatus;
  progress: number;
  stage: string | null;
  /** The stage as a code of runStages.ts (`gap-analysis.stage.<code>` on a page), with its parameters. */
  stageCode: string | null;
  stageParams: MessageParams | null;
  error: string | null;
  /** The failure as a code of errorMessages.ts, with its parameters; null for a failure stored before codes. */
  errorCode: string | null;
  errorParams: MessageParams | null;
  summary: GapAnalysisSummary | null;
  startedAt: string;
  finishedAt: string | null;
}

/** The active services of the alliance, in the categories or with the topics measured, that give a capacity. */
async function capacityUse(
  db: Kysely<Database>,
  allianceId: string,
  parameters: Pick<GapAnalysisParameters, 'categories' | 'topics' | 'freshness'>,
): Promise<CapacityUse> {
  const result = await sql<{ count: number; units: string[] }>`
    select count(*)::int as count,
           coalesce(array_agg(distinct s.capacity_unit) filter (where s.capacity_unit is not null), '{}') as units
    from service s join organization o on o.id = s.organization_id
    where o.alliance_id = ${allianceId} and ${suppliedService(parameters.freshness?.checkedSince)}
      and s.capacity is not null
      and (s.category = any(${parameters.categories}::text[]) or s.topics && ${parameters.topics}::text[])`.execute(db);
  const { count, units } = result.rows[0] ?? { count: 0, units: [] };
  return { used: count > 0, servicesWithCapacity: count, units };
}

/**
 * A stored summary with its notes as codes beside the English: derived from its figures (the population, the
 * clusters' precision), so that runs stored before the codes existed get them as well.
 */
function withNoteCodes(summary: GapAnalysisSummary): GapAnalysisSummary {
  const townPrecision = summary.duplication.clusters.some((cluster) => cluster.townPrecision);
  return {
    ...summary,
    noteCodes: methodNoteCodes(summary.totalPopulation),
    duplication: { ...summary.duplication, precisionNoteCode: townPrecision ? townPrecisionNote : null },
    missingActors: { ...summary.missingActors, noteCode: missingActorsNote },
  };
}

export async function createRun(
  db: Kysely<Database>,
  allianceId: string,
  parameters: GapAnalysisParameters,
): Promise<string> {
  const { id } = await db
    .insertInto('gap_analysis_run')
    .values({
      alliance_id: allianceId,
      unit_set_id: parameters.units.kind === 'imported' ? parameters.units.unitSetId : null,
      parameters: JSON.stringify(parameters),
      ...stageColumns(stage('waiting')),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/**
 * Writes a run's progress and stage for others to read. A new step is always written; within a step that goes a
 * batch at a time, only a move of at least 1% of the run is: a hundred small writes per run at most.
 */
class RunProgress {
  readonly #db: Kysely<Database>;
  readonly #runId: string;
  #written = Number.NEGATIVE_INFINITY;

  constructor(db: Kysely<Database>, runId: string) {
    this.#db = db;
    this.#runId = runId;
  }

  async step(progress: number, now: Stage): Promise<void> {
    this.#written = progress;
    await this.#db
      .updateTable('gap_analysis_run')
      .set({ progress, ...stageColumns(now) })
      .where('id', '=', this.#runId)
      .execute();
  }

  async within(progress: number, now: Stage): Promise<void> {
    if (progress - this.#written >= 0.01) await this.step(progress, now);
  }
}

function weightedMean(values: { weight: number; value: number }[]): number {
  const total = values.reduce((sum, item) => sum + item.weight, 0);
  return total > 0 ? values.reduce((sum, item) => sum + item.weight * item.value, 0) / total : 0;
}

interface ResultRow extends UnitSubjectMeasures {
  subject: Subject;
  flags: string[];
  reason: GapReason | null;
}

/** Regional means, flags and reasons for one subject's measures. */
function judgeSubject(
  subject: Subject,
  measures: UnitSubjectMeasures[],
  parameters: GapAnalysisParameters,
  serviceLocations: number,
): { rows: ResultRow[]; summary: SubjectSummary } {
  const regionalMean2sfca = weightedMean(measures.map((m) => ({ weight: m.population, value: m.score2sfca })));
  const regionalMeanE2sfca = weightedMean(measures.map((m) => ({ weight: m.population, value: m.scoreE2sfca })));
  const regionalMean = parameters.method === '2sfca' ? regionalMean2sfca : regionalMeanE2sfca;
  const rows = measures.map((measure) => {
    const score = parameters.method === '2sfca' ? measure.score2sfca : measure.scoreE2sfca;
    const { flags, reason } = gapFlagsAndReason(
      subject,
      {
        population: measure.population,
        countWithin: measure.countWithin,
        score,
        regionalMean,
        offNetwork: measure.offNetwork ?? false,
      },
      parameters,
    );
    return { ...measure, subject, flags, reason };
  });
  const withDistance = measures.filter((m) => m.nearestDistanceM !== null);
  const withTime = measures.filter((m) => m.nearestSeconds !== undefined && m.nearestSeconds !== null);
  const travel = travelOf(parameters) !== 'straight';
  return {
    rows,
    summary: {
      kind: subject.kind,
      subject: subject.id,
      label: subject.label,
      serviceLocations,
      regionalMean2sfca,
      regionalMeanE2sfca,
      meanNearestDistanceM:
        withDistance.length === 0
          ? null
          : weightedMean(withDistance.map((m) => ({ weight: m.population, value: m.nearestDistanceM! }))),
      ...(travel
        ? {
            meanNearestSeconds:
              withTime.length === 0
                ? null
                : weightedMean(withTime.map((m) => ({ weight: m.population, value: m.nearestSeconds! }))),
          }
        : {}),
      flaggedUnits: rows.filter((row) => row.flags.length > 0).length,
      populationWithoutServiceWithinReach: rows
        .filter((row) => row.flags.includes('no_service_within_reach'))
        .reduce((sum, row) => sum + row.population, 0),
    },
  };
}

/**
 * Runs heavy read-only analysis queries with PostgreSQL's JIT compiler off (for this transaction only). Their
 * cost estimates are high enough for JIT, which then spends most of a second per query compiling expressions
 * while the time goes into PostGIS calls it cannot compile: at 10k units × 100k services, scripts/bench/gap-analysis
 * measured a full run at 7.9 s with it and 6.4 s without. Each query gets its own short transaction, so progress
 * updates stay visible.
 */
function withoutJit<T>(db: Kysely<Database>, query: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`set local jit = off`.execute(trx);
    return query(trx);
  });
}

async function countServiceLocations(db: Kysely<Database>, allianceId: string, subject: Subject): Promise<number> {
  const filter = subject.kind === 'category' ? sql`sal.category = ${subject.id}` : sql`${subject.id} = any(s.topics)`;
  const result = await sql<{ count: number }>`
    select count(*)::int as count from service_at_location sal
    join service s on s.id = sal.service_id join organization o on o.id = s.organization_id
    where o.alliance_id = ${allianceId} and ${suppliedService(subject.checkedSince)} and sal.geog is not null
      and ${filter}`.execute(db);
  return result.rows[0]?.count ?? 0;
}

/**
 * How honest the run's supply is: of the active services of the run's categories and topics, one per place, how
 * many stand at their town only (measured from the town's point) and how many are not placed yet (left out).
 */
export async function placementCounts(
  db: Kysely<Database>,
  allianceId: string,
  parameters: Pick<GapAnalysisParameters, 'categories' | 'topics' | 'freshness'>,
): Promise<PlacementCounts> {
  const result = await sql<PlacementCounts>`
    select count(*) filter (where l.geog is not null and l.precision = 'town')::int as "townLevelServiceLocations",
           count(*) filter (where l.geog is null)::int as "unplacedServiceLocations"
    from service_at_location sal
    join location l on l.id = sal.location_id
    join service s on s.id = sal.service_id join organization o on o.id = s.organization_id
    where o.alliance_id = ${allianceId} and ${suppliedService(parameters.freshness?.checkedSince)}
      and (sal.category = any(${parameters.categories}::text[]) or s.topics && ${parameters.topics}::text[])`.execute(
    db,
  );
  return result.rows[0] ?? { townLevelServiceLocations: 0, unplacedServiceLocations: 0 };
}

/**
 * Writes the results a batch of rows per statement, then the "done" status, summary and end time in one more.
 * Nothing reads the results of a run that is not done (the API answers 409, an action cannot link it), so they
 * become visible all at once with that last statement; until then the run's progress follows the writing. Without
 * slicing (a PostgreSQL server) all of it is one transaction, as fast as it gets.
 */
async function storeResults(
  db: Kysely<Database>,
  runId: string,
  rows: ResultRow[],
  summary: GapAnalysisSummary,
  options: { slicing: Slicing; progress: RunProgress },
): Promise<void> {
  if (isSliced(options.slicing)) return writeResults(db, runId, rows, summary, options);
  // No progress within the transaction: in embedded mode it holds the one connection a progress write would wait for.
  await db.transaction().execute((trx) => writeResults(trx, runId, rows, summary, { slicing: options.slicing }));
}

async function writeResults(
  db: Kysely<Database>,
  runId: string,
  rows: ResultRow[],
  summary: GapAnalysisSummary,
  options: { slicing: Slicing; progress?: RunProgress },
): Promise<void> {
  const { slicing } = options;
  // One JSON parameter per batch: no limit on bind parameters, and text[] flags arrive intact in both modes.
  const sizer = new BatchSizer(slicing, { first: 500, max: 5000 });
  for (let start = 0; start < rows.length;) {
    const batch = rows.slice(start, start + sizer.size).map((row) => ({
      unit_id: row.unitId,
      subject_kind: row.subject.kind,
      subject: row.subject.id,
      population: row.population,
      nearest_distance_m: row.nearestDistanceM,
      nearest_seconds: row.nearestSeconds ?? null,
      count_within: row.countWithin,
      supply_count: row.supplyCount,
      supply_per_10k: row.supplyPer10k,
      score_2sfca: row.score2sfca,
      score_e2sfca: row.scoreE2sfca,
      flags: row.flags,
      reason_code: row.reason?.code ?? null,
      reason_params: row.reason?.params ?? null,
    }));
    await sizer.run(db, batch.length, (connection) =>
      sql`
        insert into gap_analysis_result (run_id, unit_id, subject_kind, subject, population, nearest_distance_m,
          nearest_seconds, count_within, supply_count, supply_per_10k, score_2sfca, score_e2sfca, flags, reason_code,
          reason_params)
        select ${runId}, unit_id, subject_kind, subject, population, nearest_distance_m, nearest_seconds, count_within,
               supply_count, supply_per_10k, score_2sfca, score_e2sfca, flags, reason_code, reason_params
        from json_to_recordset(${JSON.stringify(batch)}::json) as r(unit_id uuid, subject_kind text, subject text,
          population float8, nearest_distance_m float8, nearest_seconds float8, count_within int, supply_count int,
          supply_per_10k float8,
          score_2sfca float8, score_e2sfca float8, flags text[], reason_code text, reason_params jsonb)`.execute(
        connection,
      ),
    );
    start += batch.length;
    await options.progress?.within(0.95 + (0.05 * start) / rows.length, stage('saving'));
  }
  const done = await db
    .updateTable('gap_analysis_run')
    .set({
      status: 'done',
      progress: 1,
      ...stageColumns(stage('done')),
      summary: JSON.stringify(summary),
      finished_at: sql`now()`,
    })
    .where('id', '=', runId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  // Marked failed meanwhile (another instance starting thinks this run was cut off): its results must not stay.
  if (Number(done.numUpdatedRows) === 0) await discardResults(db, runId, slicing);
}

/** Deletes the results (and travel-time pairs) a failed run had written so far, a batch per statement. */
async function discardResults(db: Kysely<Database>, runId: string, slicing: Slicing): Promise<void> {
  const sizer = new BatchSizer(slicing, { first: 1000, max: 50_000 });
  for (;;) {
    const limit = sizer.size;
    const deleted = await sizer.run(db, limit, (connection) =>
      sql`
        delete from gap_travel_pair where run_id = ${runId} and (unit_id, location_id) in (
          select unit_id, location_id from gap_travel_pair where run_id = ${runId} limit ${limit})`.execute(connection),
    );
    if (Number(deleted.numAffectedRows ?? 0) < limit) break;
  }
  for (;;) {
    const limit = sizer.size;
    const deleted = await sizer.run(db, limit, (connection) =>
      sql`
        delete from gap_analysis_result where run_id = ${runId} and (subject, unit_id) in (
          select subject, unit_id from gap_analysis_result where run_id = ${runId} limit ${limit})`.execute(connection),
    );
    if (Number(deleted.numAffectedRows ?? 0) < limit) return;
  }
}

/** The measures of one subject: one statement for every area, or a batch of areas per statement (see Slicing). */
async function measureOneSubject(
  db: Kysely<Database>,
  options: {
    allianceId: string;
    unitSetId: string;
    /** The set's areas by code, for a run measured in batches of areas. */
    unitIds: () => Promise<string[]>;
    subject: Subject;
    parameters: GapAnalysisParameters;
    /** On an H3 grid, its people, whose part beyond the boundary is outer demand (see measureSubject). */
    outerDemand: RawBuilder<unknown> | undefined;
    slicing: Slicing;
    progress: RunProgress;
    share: { from: number; to: number };
  },
): Promise<{ measures: UnitSubjectMeasures[]; serviceLocations: number }> {
  const { allianceId, unitSetId, subject, parameters, outerDemand, slicing, progress, share } = options;
  const measuring = { subject: subject.id, subjectKind: subject.kind, subjectLabel: subject.label };
  await progress.step(share.from, stage('measuring', measuring));
  if (!isSliced(slicing)) {
    const measures = await withoutJit(db, (trx) =>
      measureSubject(trx, {
        unitSetId,
        allianceId,
        subject,
        thresholdM: parameters.thresholdM,
        decay: parameters.decay,
        sigmaM: parameters.decaySigmaM,
        outerDemand,
      }),
    );
    return { measures, serviceLocations: await countServiceLocations(db, allianceId, subject) };
  }
  return measureSubjectInSlices(db, {
    unitIds: await options.unitIds(),
    allianceId,
    subject,
    thresholdM: parameters.thresholdM,
    decay: parameters.decay,
    sigmaM: parameters.decaySigmaM,
    outerDemand,
    slicing,
    onProgress: (done, total) =>
      progress.within(
        share.from + ((share.to - share.from) * done) / total,
        stage('measuring-areas', { ...measuring, done, total }),
      ),
  });
}

/** One subject's measures of a travel run, from its pairs (travelMeasures.ts). */
async function travelMeasuresOf(
  db: Kysely<Database>,
  unitSetId: string,
  pairs: TravelPairs,
  subject: Subject,
  parameters: GapAnalysisParameters,
): Promise<{ measures: UnitSubjectMeasures[]; serviceLocations: number }> {
  const { limit, sigma } = catchmentOf(parameters);
  const serving = pairs.locations.map((location) => locationServes(location, subject));
  const measured = measuresFromPairs(pairs, (location) => serving[location]!, {
    limitSeconds: limit,
    decay: parameters.decay,
    sigmaSeconds: sigma,
  });
  const ids = pairs.locations.filter((_, index) => serving[index]).map((location) => location.id);
  const located = await locatedCounts(db, unitSetId, ids);
  return {
    measures: measured.map((measure) => {
      const supplyCount = located.get(measure.unitId) ?? 0;
      return {
        ...measure,
        supplyCount,
        supplyPer10k: measure.population > 0 ? (supplyCount / measure.population) * 10000 : null,
      };
    }),
    serviceLocations: ids.length,
  };
}

export interface RunOptions {
  dataDir: string;
  /** The travel-time matrix over the database (domain/travel-time), for a run in minutes. */
  travelMatrix?: TravelMatrix;
  /** How finely the work is cut into statements: slicingFor(the database's mode). */
  slicing: Slicing;
  onUnexpectedError?: (error: unknown) => void;
}

/**
 * Computes a run from start to end. Progress is written between steps, so that another request can follow it. The
 * work is cut into statements as `slicing` says: in embedded mode many short ones, between which the requests
 * queued meanwhile are answered, the results written while the run is still "running", which nothing reads, and
 * "done" with the summary in one last statement; with a PostgreSQL server the results and "done" are one
 * transaction. On a failure the results written so far are deleted and the run is marked failed with a message.
 * Never throws: the caller may start it without awaiting it.
 */
export async function executeRun(db: Kysely<Database>, runId: string, options: RunOptions): Promise<void> {
  const { slicing } = options;
  const progress = new RunProgress(db, runId);
  try {
    const run = await db
      .selectFrom('gap_analysis_run')
      .select(['alliance_id', 'unit_set_id', 'parameters', 'started_at'])
      .where('id', '=', runId)
      .executeTakeFirstOrThrow();
    const parameters = run.parameters as GapAnalysisParameters;
    let unitSetId = run.unit_set_id;
    if (parameters.units.kind === 'h3') {
      const { resolution } = parameters.units;
      await progress.step(0.02, stage('h3-grid', { resolution }));
      unitSetId = await ensureH3UnitSet(db, run.alliance_id, parameters.units.resolution, {
        dataDir: options.dataDir,
        slicing,
        onProgress: (done, total) =>
          progress.within(0.02 + (0.08 * done) / total, stage('h3-grid-areas', { resolution, done, total })),
      });
      await db.updateTable('gap_analysis_run').set({ unit_set_id: unitSetId }).where('id', '=', runId).execute();
    }
    const unitSet = unitSetId
      ? await db
          .selectFrom('analysis_unit_set')
          .select(['population_source', 'population_source_parts', 'kind'])
          .select(
            sql<number>`(select count(*)::int from analysis_unit u where u.set_id = analysis_unit_set.id)`.as('units'),
          )
          .select(
            sql<number>`(select coalesce(sum(population), 0)::float8 from analysis_unit u where u.set_id = analysis_unit_set.id)`.as(
              'population',
            ),
          )
          .where('id', '=', unitSetId)
          .executeTakeFirst()
      : undefined;
    if (!unitSetId || !unitSet) throw new GapAnalysisInputError(said('gap.unit-set-gone'));
    if (unitSet.units === 0) throw new GapAnalysisInputError(said('gap.unit-set-empty'));

    let unitIds: Promise<string[]> | undefined;
    const unitIdsOnce = () =>
      (unitIds ??= db
        .selectFrom('analysis_unit')
        .select('id')
        .where('set_id', '=', unitSetId)
        .orderBy('code')
        .execute()
        .then((rows) => rows.map((row) => row.id)));
    // Imported areas carry their own population: nobody beyond them is known.
    // The people beyond an H3 grid's boundary, listed when the grid was built (or now, for a grid built before).
    if (unitSet.kind === 'h3') await ensureOuterDemand(db, unitSetId, slicing);
    const travelMode = travelOf(parameters);
    // A travel run counts nobody beyond the areas (see TravelSummary.outerDemand).
    const outerDemand = unitSet.kind === 'h3' && travelMode === 'straight' ? outerDemandRelation(unitSetId) : undefined;
    const subjects = subjectsOf(parameters);
    const rows: ResultRow[] = [];
    const subjectSummaries: SubjectSummary[] = [];
    let travelSummary: TravelSummary | undefined;
    let travelPairs: TravelPairs | undefined;
    if (travelMode !== 'straight') {
      const network = await activeRoadNetwork(db, run.alliance_id);
      if (!network) throw new GapAnalysisInputError(said('gap.no-road-network'));
      if (!options.travelMatrix) throw new Error('A travel run needs the travel-time matrix.');
      const { limit } = catchmentOf(parameters);
      await progress.step(0.1, stage('travel-times', { travel: travelMode }));
      const areas = await travelAreas(db, unitSetId);
      const locations = await travelLocations(db, run.alliance_id, {
        categories: parameters.categories,
        topics: parameters.topics,
        checkedSince: parameters.freshness?.checkedSince,
      });
      const times = await options.travelMatrix({
        networkId: network.id,
        profile: travelMode,
        from: areas,
        to: locations,
        limitSeconds: limit,
      });
      travelPairs = {
        areas,
        locations,
        byArea: pairsByArea(areas.length, times),
        offNetwork: new Set(times.offNetworkFrom),
        engine: times.engine,
      };
      await storeTravelPairs(db, runId, travelPairs, slicing);
      travelSummary = {
        mode: travelMode,
        network,
        engine: times.engine,
        limitMinutes: limit / 60,
        offNetworkAreas: times.offNetworkFrom.length,
        offNetworkLocations: times.offNetworkTo.length,
        pairs: times.length,
        outerDemand: unitSet.kind === 'h3' ? 'not-counted' : 'none',
      };
    }
    for (const [index, subject] of subjects.entries()) {
      if (travelPairs) {
        const measures = await travelMeasuresOf(db, unitSetId, travelPairs, subject, parameters);
        const judged = judgeSubject(subject, measures.measures, parameters, measures.serviceLocations);
        rows.push(...judged.rows);
        subjectSummaries.push(judged.summary);
        continue;
      }
      const { measures, serviceLocations } = await measureOneSubject(db, {
        allianceId: run.alliance_id,
        unitSetId,
        unitIds: unitIdsOnce,
        subject,
        parameters,
        outerDemand,
        slicing,
        progress,
        share: { from: 0.1 + (0.8 * index) / subjects.length, to: 0.1 + (0.8 * (index + 1)) / subjects.length },
      });
      const judged = judgeSubject(subject, measures, parameters, serviceLocations);
      rows.push(...judged.rows);
      subjectSummaries.push(judged.summary);
    }

    await progress.step(0.9, stage('outer-demand'));
    const outerPopulation = outerDemand
      ? await outerPopulationInReach(db, {
          unitSetId,
          allianceId: run.alliance_id,
          parameters,
          demand: outerDemand,
          slicing,
        })
      : undefined;
    await progress.step(0.92, stage('duplication-and-missing'));
    const clusters = await withoutJit(db, (trx) =>
      duplicationClusters(trx, {
        allianceId: run.alliance_id,
        categories: parameters.categories,
        radiusM: parameters.duplicationRadiusM,
        checkedSince: parameters.freshness?.checkedSince,
      }),
    );
    const missing = await categoriesWithoutMember(db, run.alliance_id, categoryIds, parameters.freshness?.checkedSince);
    const capacities = await capacityUse(db, run.alliance_id, parameters);
    const summary: GapAnalysisSummary = {
      totalPopulation: unitSet.population,
      unitCount: unitSet.units,
      ...populationSourceOf(unitSet, describeOuterDemand(outerPopulation ?? 0)),
      ...(outerPopulation === undefined ? {} : { outerPopulation }),
      placement: await placementCounts(db, run.alliance_id, parameters),
      subjects: subjectSummaries,
      duplication: {
        radiusM: parameters.duplicationRadiusM,
        clusters,
        precisionNote: clusters.some((cluster) => cluster.townPrecision) ? gapNoteText(townPrecisionNote) : null,
        precisionNoteCode: clusters.some((cluster) => cluster.townPrecision) ? townPrecisionNote : null,
      },
      missingActors: {
        categories: missing.map((id) => ({ id, label: categoryLabel(id) })),
        note: gapNoteText(missingActorsNote),
        noteCode: missingActorsNote,
      },
      capacities,
      freshness: await freshnessCounts(db, run.alliance_id, parameters, run.started_at),
      ...(travelSummary ? { travel: travelSummary } : {}),
      notes: methodNoteCodes(unitSet.population).map(gapNoteText),
      noteCodes: methodNoteCodes(unitSet.population),
    };
    await progress.step(0.95, stage('saving'));
    await storeResults(db, runId, rows, summary, { slicing, progress });
  } catch (error) {
    const failure = error instanceof GapAnalysisInputError ? codedFrom(error) : said('gap.run-unexpected');
    if (!(error instanceof GapAnalysisInputError)) options.onUnexpectedError?.(error);
    try {
      await discardResults(db, runId, slicing);
      await db
        .updateTable('gap_analysis_run')
        .set({
          status: 'failed',
          error: failure.message,
          error_code: failure.code,
          error_params: JSON.stringify(failure.params),
          finished_at: sql`now()`,
        })
        .where('id', '=', runId)
        .execute();
    } catch (markError) {
      options.onUnexpectedError?.(markError);
    }
  }
}

function toRun(row: {
  id: string;
  alliance_id: string;
  unit_set_id: string | null;
  parameters: unknown;
  status: GapAnalysisStatus;
  progress: number;
  stage: string | null;
  stage_code: string | null;
  stage_params: unknown;
  error: string | null;
  error_code: string | null;
  error_params: unknown;
  summary: unknown;
  started_at: Date;
  finished_at: Date | null;
}): GapAnalysisRun {
  return {
    id: row.id,
    allianceId: row.alliance_id,
    unitSetId: row.unit_set_id,
    parameters: row.parameters as GapAnalysisParameters,
    status: row.status,
    progress: row.progress,
    stage: row.stage,
    stageCode: row.stage_code,
    stageParams: (row.stage_params as MessageParams | null) ?? null,
    error: row.error,
    errorCode: row.error_code,
    errorParams: (row.error_params as MessageParams | null) ?? null,
    summary: row.summary ? withNoteCodes(row.summary as GapAnalysisSummary) : null,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at ? row.finished_at.toISOString() : null,
  };
}

const runColumns = [
  'id',
  'alliance_id',
  'unit_set_id',
  'parameters',
  'status',
  'progress',
  'stage',
  'stage_code',
  'stage_params',
  'error',
  'error_code',
  'error_params',
  'summary',
  'started_at',
  'finished_at',
] as const;

export async function findRun(db: Kysely<Database>, runId: string): Promise<GapAnalysisRun | undefined> {
  const row = await db.selectFrom('gap_analysis_run').select(runColumns).where('id', '=', runId).executeTakeFirst();
  return row ? toRun(row) : undefined;
}

/** The runs of an alliance, newest first, without their summaries. */
export async function listRuns(db: Kysely<Database>, allianceId: string): Promise<GapAnalysisRun[]> {
  const rows = await db
    .selectFrom('gap_analysis_run')
    .select(runColumns)
    .where('alliance_id', '=', allianceId)
    .orderBy('started_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ ...toRun(row), summary: null }));
}

export type ResultSort = 'severity' | 'population' | 'score' | 'distance';

export interface ResultQuery {
  subject?: string;
  flaggedOnly?: boolean;
  sort: ResultSort;
  limit: number;
  offset: number;
}

export interface UnitResult {
  unit: { id: string; code: string; name: string | null; lat: number; lon: number };
  subjectKind: string;
  subject: string;
  population: number;
  nearestDistanceM: number | null;
  /** In a travel run: the time to the nearest service in seconds (null beyond the catchment); else null. */
  nearestSeconds: number | null;
  countWithin: number;
  supplyCount: number;
  supplyPer10k: number | null;
  score2sfca: number;
  scoreE2sfca: number;
  flags: string[];
  /** The reason in English, for scripts and the CSV export; pages say `reasonCode` with `reasonParams`. */
  reason: string | null;
  reasonCode: GapReasonCode | null;
  reasonParams: GapReason['params'] | null;
}

function resultRows(db: Kysely<Database>, runId: string, query: Pick<ResultQuery, 'subject' | 'flaggedOnly'>) {
  let select = db
    .selectFrom('gap_analysis_result as r')
    .innerJoin('analysis_unit as u', 'u.id', 'r.unit_id')
    .select([
      'u.id as unit_id',
      'u.code',
      'u.name',
      sql<number>`ST_Y(u.centroid::geometry)`.as('lat'),
      sql<number>`ST_X(u.centroid::geometry)`.as('lon'),
      'r.subject_kind',
      'r.subject',
      'r.population',
      'r.nearest_distance_m',
      'r.nearest_seconds',
      'r.count_within',
      'r.supply_count',
      'r.supply_per_10k',
      'r.score_2sfca',
      'r.score_e2sfca',
      'r.flags',
      'r.reason_code',
      'r.reason_params',
    ])
    .where('r.run_id', '=', runId);
  if (query.subject) select = select.where('r.subject', '=', query.subject);
  if (query.flaggedOnly) select = select.where(sql<boolean>`cardinality(r.flags) > 0`);
  return select;
}

type ResultRowOut = Awaited<ReturnType<ReturnType<typeof resultRows>['execute']>>[number];

function toUnitResult(row: ResultRowOut): UnitResult {
  return {
    unit: { id: row.unit_id, code: row.code, name: row.name, lat: row.lat, lon: row.lon },
    subjectKind: row.subject_kind,
    subject: row.subject,
    population: row.population,
    nearestDistanceM: row.nearest_distance_m,
    nearestSeconds: row.nearest_seconds,
    countWithin: row.count_within,
    supplyCount: row.supply_count,
    supplyPer10k: row.supply_per_10k,
    score2sfca: row.score_2sfca,
    scoreE2sfca: row.score_e2sfca,
    flags: row.flags,
    ...reasonFields(storedGapReason(row.reason_code, row.reason_params)),
  };
}

/** A result's reason as the API gives it: in English, and as a code with its parameters. */
export function reasonFields(reason: GapReason | null): Pick<UnitResult, 'reason' | 'reasonCode' | 'reasonParams'> {
  return reason
    ? { reason: gapReasonText(reason), reasonCode: reason.code, reasonParams: reason.params }
    : { reason: null, reasonCode: null, reasonParams: null };
}

/**
 * The ranked table. "severity": areas with no service within reach first, then those below the regional mean,
 * each by population (most people first) and then by score.
 */
export async function listResults(
  db: Kysely<Database>,
  run: GapAnalysisRun,
  query: ResultQuery,
): Promise<{ items: UnitResult[]; total: number }> {
  const score = run.parameters.method === '2sfca' ? sql`r.score_2sfca` : sql`r.score_e2sfca`;
  let select = resultRows(db, run.id, query);
  switch (query.sort) {
    case 'severity':
      select = select
        .orderBy(sql`'no_service_within_reach' = any(r.flags)`, 'desc')
        .orderBy(sql`cardinality(r.flags) > 0`, 'desc')
        .orderBy('r.population', 'desc')
        .orderBy(score);
      break;
    case 'population':
      select = select.orderBy('r.population', 'desc');
      break;
    case 'score':
      select = select.orderBy(score);
      break;
    case 'distance':
      select = select.orderBy(
        travelOf(run.parameters) === 'straight'
          ? sql`r.nearest_distance_m desc nulls first`
          : sql`r.nearest_seconds desc nulls first`,
      );
      break;
  }
  const rows = await select.orderBy('u.code').orderBy('r.subject').limit(query.limit).offset(query.offset).execute();
  let count = db
    .selectFrom('gap_analysis_result as r')
    .select(sql<number>`count(*)::int`.as('total'))
    .where('r.run_id', '=', run.id);
  if (query.subject) count = count.where('r.subject', '=', query.subject);
  if (query.flaggedOnly) count = count.where(sql<boolean>`cardinality(r.flags) > 0`);
  const { total } = await count.executeTakeFirstOrThrow();
  return { items: rows.map(toUnitResult), total };
}

/** Every result of a run, by unit then subject, for the CSV export. */
export async function allResults(db: Kysely<Database>, runId: string, subject?: string): Promise<UnitResult[]> {
  const rows = await resultRows(db, runId, { subject }).orderBy('u.code').orderBy('r.subject').execute();
  return rows.map(toUnitResult);
}

/** The units of a run with their outlines (GeoJSON, 6 decimals), for the map export. */
export async function unitGeometries(
  db: Kysely<Database>,
  unitSetId: string,
): Promise<Map<string, { code: string; name: string | null; population: number; geometry: unknown }>> {
  const rows = await db
    .selectFrom('analysis_unit')
    .select(['id', 'code', 'name', 'population', sql<unknown>`ST_AsGeoJSON(geom, 6)::json`.as('geometry')])
    .where('set_id', '=', unitSetId)
    .orderBy('code')
    .execute();
  return new Map(rows.map((row) => [row.id, row]));
}

/** One unit of a set with its outline, as `unitGeometries` has it; undefined when the set has no such unit. */
export async function unitGeometry(
  db: Kysely<Database>,
  unitSetId: string,
  unitId: string,
): Promise<{ code: string; name: string | null; population: number; geometry: unknown } | undefined> {
  return db
    .selectFrom('analysis_unit')
    .select(['code', 'name', 'population', sql<unknown>`ST_AsGeoJSON(geom, 6)::json`.as('geometry')])
    .where('id', '=', unitId)
    .where('set_id', '=', unitSetId)
    .executeTakeFirst();
}

/** A run's results for one unit, every subject. */
export async function unitResults(db: Kysely<Database>, runId: string, unitId: string): Promise<UnitResult[]> {
  const rows = await resultRows(db, runId, {}).where('r.unit_id', '=', unitId).orderBy('r.subject').execute();
  return rows.map(toUnitResult);
}

/**
 * One subject's measures over every unit of a run, as columns in one order (the units' codes), without outlines or
 * ids: what a map drawn from tiles needs to cut its measure into classes and count the areas with nobody or no
 * service. A unit without a result row has null measures. `bbox` is the units' extent, for the map to fit them.
 */
export interface MeasureColumns {
  bbox: [number, number, number, number] | null;
  population: number[];
  nearestDistanceM: (number | null)[];
  /** In a travel run, the time to the nearest service in seconds; null elsewhere. */
  nearestSeconds: (number | null)[];
  countWithin: (number | null)[];
  supplyPer10k: (number | null)[];
  score2sfca: (number | null)[];
  scoreE2sfca: (number | null)[];
}

export async function measureColumns(
  db: Kysely<Database>,
  run: { id: string; unitSetId: string },
  subject: string,
): Promise<MeasureColumns> {
  const rows = await db
    .selectFrom('analysis_unit as u')
    .leftJoin('gap_analysis_result as r', (join) =>
      join.onRef('r.unit_id', '=', 'u.id').on('r.run_id', '=', run.id).on('r.subject', '=', subject),
    )
    .select([
      'u.population',
      'r.nearest_distance_m',
      'r.nearest_seconds',
      'r.count_within',
      'r.supply_per_10k',
      'r.score_2sfca',
      'r.score_e2sfca',
    ])
    .where('u.set_id', '=', run.unitSetId)
    .orderBy('u.code')
    .execute();
  const extent = await db
    .selectFrom('analysis_unit')
    .select([
      sql<number | null>`ST_XMin(ST_Extent(geom))`.as('west'),
      sql<number | null>`ST_YMin(ST_Extent(geom))`.as('south'),
      sql<number | null>`ST_XMax(ST_Extent(geom))`.as('east'),
      sql<number | null>`ST_YMax(ST_Extent(geom))`.as('north'),
    ])
    .where('set_id', '=', run.unitSetId)
    .executeTakeFirstOrThrow();
  return {
    bbox:
      extent.west === null
        ? null
        : [Number(extent.west), Number(extent.south), Number(extent.east), Number(extent.north)],
    population: rows.map((row) => row.population),
    nearestDistanceM: rows.map((row) => row.nearest_distance_m),
    nearestSeconds: rows.map((row) => row.nearest_seconds),
    countWithin: rows.map((row) => row.count_within),
    supplyPer10k: rows.map((row) => row.supply_per_10k),
    score2sfca: rows.map((row) => row.score_2sfca),
    scoreE2sfca: rows.map((row) => row.score_e2sfca),
  };
}

export async function unitBelongsToSet(db: Kysely<Database>, unitId: string, unitSetId: string): Promise<boolean> {
  const row = await db
    .selectFrom('analysis_unit')
    .select('id')
    .where('id', '=', unitId)
    .where('set_id', '=', unitSetId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Runs compute inside the server process, so a run still "running" when the server starts was cut off by a stop or
 * a crash: mark it failed, with a message saying to start it again, rather than leave it running forever, and delete
 * what such runs left half-written: their results, and the H3 grids they had not completed. Runs once, before the
 * server answers requests. Answers how many runs were marked failed.
 */
export async function failInterruptedRuns(db: Kysely<Database>): Promise<number> {
  const interrupted = said('gap.run-interrupted');
  const result = await db
    .updateTable('gap_analysis_run')
    .set({
      status: 'failed',
      error: interrupted.message,
      error_code: interrupted.code,
      error_params: JSON.stringify(interrupted.params),
      finished_at: sql`now()`,
    })
    .where('status', '=', 'running')
    .executeTakeFirst();
  await sql`
    delete from gap_analysis_result r using gap_analysis_run g
    where g.id = r.run_id and g.status <> 'done'`.execute(db);
  await sql`
    delete from gap_travel_pair p using gap_analysis_run g
    where g.id = p.run_id and g.status <> 'done'`.execute(db);
  await db.deleteFrom('analysis_unit_set').where('complete', '=', false).execute();
  return Number(result.numUpdatedRows);
}

/** The summary's population source: the set's, then the people beyond the boundary; no parts when the set has none. */
function populationSourceOf(
  unitSet: { population_source: string; population_source_parts: unknown },
  outer: DescribedSource,
): Pick<GapAnalysisSummary, 'populationSource' | 'populationSourceParts'> {
  const parts = unitSet.population_source_parts as PopulationSourcePart[] | null;
  const joined = joinSources({ text: unitSet.population_source, parts: parts ?? [] }, outer);
  return { populationSource: joined.text, populationSourceParts: parts ? joined.parts : null };
}
