import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database, PopulationSurfaceTable } from '../../db/schema.js';
import { BatchSizer, type Slicing } from '../gap-analysis/batchSizer.js';
import {
  type PopulationFile,
  type PopulationFileDescription,
  PopulationFileError,
  type PopulationPoint,
  type WgsBox,
} from './populationFiles.js';
import { type CodedMessage, codedFrom, type MessageParams, said, UserError } from '../messages/userError.js';
import { stage, stageColumns } from '../gap-analysis/runStages.js';

/**
 * How far beyond the alliance's boundary people are kept: 30 km, three times the default reach of a gap analysis
 * (10 km) and more than the reach most runs use. People there are counted as services there are — by the services
 * within a run's reach of them — without being an area of the region. A run whose reach is longer than this counts
 * the people beyond the boundary only up to it; the longest reach allowed (maxThresholdM, 100 km) would keep many
 * times more cells for the rare run that needs it.
 */
export const populationMarginM = 30_000;

/** A population surface as the API shows it. */
export interface PopulationSurfaceSummary {
  id: string;
  allianceId: string;
  sourceName: string;
  format: PopulationFileDescription['format'];
  crs: string;
  cellSizeM: number | null;
  populationField: string | null;
  status: Selectable<PopulationSurfaceTable>['status'];
  progress: number;
  stage: string | null;
  /** The stage as a code of gap-analysis/runStages.ts, with its parameters. */
  stageCode: string | null;
  stageParams: MessageParams | null;
  error: string | null;
  /** The failure as a code of errorMessages.ts, with its parameters; null for a failure stored before codes. */
  errorCode: string | null;
  errorParams: MessageParams | null;
  cellsRead: number;
  cellsKept: number;
  totalPopulation: number;
  marginM: number;
  startedAt: string;
  importedAt: string | null;
  importedBy: string | null;
}

/** A request that cannot be done as asked, with its status (400 or 409), shown as is. */
export class PopulationSurfaceRequestError extends UserError {
  constructor(
    override readonly statusCode: 400 | 409,
    message: CodedMessage,
  ) {
    super(statusCode, message);
  }
}

function summaryColumns(db: Kysely<Database>) {
  return db
    .selectFrom('population_surface as s')
    .leftJoin('account as a', 'a.id', 's.account_id')
    .select([
      's.id',
      's.alliance_id',
      's.source_name',
      's.format',
      's.crs',
      's.cell_size_m',
      's.population_field',
      's.status',
      's.progress',
      's.stage',
      's.stage_code',
      's.stage_params',
      's.error',
      's.error_code',
      's.error_params',
      's.cells_read',
      's.cells_kept',
      's.total_population',
      's.margin_m',
      's.started_at',
      's.imported_at',
      'a.display_name as imported_by',
    ]);
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaryColumns>['execute']>>[number];

function toSummary(row: SummaryRow): PopulationSurfaceSummary {
  return {
    id: row.id,
    allianceId: row.alliance_id,
    sourceName: row.source_name,
    format: row.format,
    crs: row.crs,
    cellSizeM: row.cell_size_m,
    populationField: row.population_field,
    status: row.status,
    progress: row.progress,
    stage: row.stage,
    stageCode: row.stage_code,
    stageParams: (row.stage_params as MessageParams | null) ?? null,
    error: row.error,
    errorCode: row.error_code,
    errorParams: (row.error_params as MessageParams | null) ?? null,
    cellsRead: Number(row.cells_read),
    cellsKept: Number(row.cells_kept),
    totalPopulation: row.total_population,
    marginM: row.margin_m,
    startedAt: row.started_at.toISOString(),
    importedAt: row.imported_at?.toISOString() ?? null,
    importedBy: row.imported_by ?? null,
  };
}

export async function findSurface(db: Kysely<Database>, id: string): Promise<PopulationSurfaceSummary | undefined> {
  const row = await summaryColumns(db).where('s.id', '=', id).executeTakeFirst();
  return row && toSummary(row);
}

/** The alliance's active surface, the import under way if any, and the last import that failed after it. */
export async function surfacesOfAlliance(
  db: Kysely<Database>,
  allianceId: string,
): Promise<{
  active: PopulationSurfaceSummary | null;
  importing: PopulationSurfaceSummary | null;
  lastFailed: PopulationSurfaceSummary | null;
}> {
  const rows = await summaryColumns(db)
    .where('s.alliance_id', '=', allianceId)
    .where('s.status', 'in', ['active', 'importing', 'failed'])
    .orderBy('s.started_at', 'desc')
    .execute();
  const summaries = rows.map(toSummary);
  const active = summaries.find((surface) => surface.status === 'active') ?? null;
  const lastFailed = summaries.find((surface) => surface.status === 'failed') ?? null;
  return {
    active,
    importing: summaries.find((surface) => surface.status === 'importing') ?? null,
    lastFailed: lastFailed && (!active || lastFailed.startedAt > active.startedAt) ? lastFailed : null,
  };
}

/** The id of the alliance's surface in `status` (at most one is active, one importing), if it has one. */
async function surfaceIdIn(
  db: Kysely<Database>,
  allianceId: string,
  status: 'active' | 'importing',
): Promise<string | undefined> {
  const row = await db
    .selectFrom('population_surface')
    .select('id')
    .where('alliance_id', '=', allianceId)
    .where('status', '=', status)
    .executeTakeFirst();
  return row?.id;
}

/** The id of the alliance's active surface, if it has one. */
export function activeSurfaceId(db: Kysely<Database>, allianceId: string): Promise<string | undefined> {
  return surfaceIdIn(db, allianceId, 'active');
}

/** The longitude/latitude bounds of the alliance's boundary with the margin, or undefined without a boundary. */
export async function clipBoxOf(db: Kysely<Database>, allianceId: string): Promise<WgsBox | undefined> {
  const result = await sql<WgsBox>`
    select ST_XMin(box) as west, ST_YMin(box) as south, ST_XMax(box) as east, ST_YMax(box) as north
    from (select ST_Envelope(ST_Buffer(boundary::geography, ${populationMarginM})::geometry) as box
          from alliance where id = ${allianceId} and boundary is not null) b`.execute(db);
  return result.rows[0];
}

/**
 * Records an import that starts, with the boundary and margin its cells will be clipped to. Refused while another
 * import of the alliance is under way (409) and for an alliance without a boundary (400).
 */
export async function createSurface(
  db: Kysely<Database>,
  values: { allianceId: string; accountId: string | null; sourceName: string; description: PopulationFileDescription },
): Promise<string> {
  const { allianceId, description } = values;
  const waiting = stageColumns(stage('waiting'));
  // The unique index on the alliance's importing surface decides between two imports started at the same time:
  // a check before the insert would let both through it.
  const row = await sql<{ id: string }>`
    insert into population_surface (alliance_id, account_id, source_name, format, crs, cell_size_m, population_field,
                                    margin_m, clip_area, stage, stage_code, stage_params)
    select a.id, ${values.accountId}, ${values.sourceName}, ${description.format}, ${description.crs},
           ${description.cellSizeM}, ${description.populationField}, ${populationMarginM},
           ST_Buffer(a.boundary::geography, ${populationMarginM})::geometry, ${waiting.stage},
           ${waiting.stage_code}, ${waiting.stage_params}::jsonb
    from alliance a where a.id = ${allianceId} and a.boundary is not null
    on conflict (alliance_id) where status = 'importing' do nothing
    returning id`.execute(db);
  const id = row.rows[0]?.id;
  if (!id && (await surfaceIdIn(db, allianceId, 'importing'))) {
    throw new PopulationSurfaceRequestError(409, said('population.import-running'));
  }
  if (!id) {
    throw new PopulationSurfaceRequestError(400, said('population.no-boundary'));
  }
  return id;
}

/** Stores a batch of points that fall inside the clip area, answering how many were kept and their population. */
async function insertPoints(
  db: Kysely<Database>,
  surfaceId: string,
  points: PopulationPoint[],
): Promise<{ kept: number; population: number }> {
  const lon = points.map((point) => ('lon' in point ? point.lon : null));
  const lat = points.map((point) => ('lat' in point ? point.lat : null));
  const area = points.map((point) => ('area' in point ? point.area : null));
  const population = points.map((point) => point.population);
  const result = await sql<{ kept: number; population: number }>`
    with input as (
      select coalesce(ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326),
                      ST_PointOnSurface(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(p.area), 4326)))) as point,
             p.population
      from unnest(${lon}::float8[], ${lat}::float8[], ${area}::text[], ${population}::float8[])
           as p(lon, lat, area, population)
    ),
    inserted as (
      insert into population_cell (surface_id, geog, population)
      select s.id, input.point::geography, input.population
      from input join population_surface s on s.id = ${surfaceId}
      where ST_Intersects(s.clip_area, input.point)
      returning population
    )
    select count(*)::int as kept, coalesce(sum(population), 0)::float8 as population from inserted`.execute(db);
  return result.rows[0] ?? { kept: 0, population: 0 };
}

/** Deletes a surface's cells a batch per statement (see Slicing). */
async function deleteCells(db: Kysely<Database>, surfaceId: string, slicing: Slicing): Promise<void> {
  const sizer = new BatchSizer(slicing, { first: 2000, max: 100_000 });
  for (;;) {
    const limit = sizer.size;
    const deleted = await sizer.run(db, limit, (connection) =>
      sql`
        delete from population_cell where id in (
          select id from population_cell where surface_id = ${surfaceId} limit ${limit})`.execute(connection),
    );
    if (Number(deleted.numAffectedRows ?? 0) < limit) return;
  }
}

/**
 * Reads a population file into a surface started by createSurface, then makes it the alliance's active surface.
 * The cells are stored a batch per statement under a surface that is `importing`, which nothing reads; the old
 * surface is replaced by the new one in one short transaction at the end, and its cells deleted afterwards. A
 * failure deletes what was stored and marks the import failed with a message. Never throws.
 */
export async function runSurfaceImport(
  db: Kysely<Database>,
  surfaceId: string,
  file: PopulationFile,
  options: { slicing: Slicing; onUnexpectedError?: (error: unknown) => void },
): Promise<void> {
  const { slicing } = options;
  try {
    const surface = await db
      .selectFrom('population_surface')
      .select(['alliance_id'])
      .where('id', '=', surfaceId)
      .executeTakeFirstOrThrow();
    const box = await clipBoxOf(db, surface.alliance_id);
    if (!box) throw new PopulationFileError(said('population.boundary-gone'));
    let read = 0;
    let kept = 0;
    let population = 0;
    let written = Number.NEGATIVE_INFINITY;
    const sizer = new BatchSizer(slicing, { first: 500, max: 20_000 });
    for await (const batch of file.batches(box)) {
      read += batch.read;
      for (let start = 0; start < batch.points.length;) {
        const points = batch.points.slice(start, start + sizer.size);
        const stored = await sizer.run(db, points.length, (connection) => insertPoints(connection, surfaceId, points));
        kept += stored.kept;
        population += stored.population;
        start += points.length;
      }
      if (file.fraction - written >= 0.01) {
        written = file.fraction;
        await db
          .updateTable('population_surface')
          .set({
            progress: 0.95 * file.fraction,
            ...stageColumns(stage('reading-file', { read, kept })),
            cells_read: read,
            cells_kept: kept,
            total_population: population,
          })
          .where('id', '=', surfaceId)
          .execute();
      }
    }
    if (kept === 0) {
      throw new PopulationFileError(
        said('population.nobody-in-region-read', { marginKm: populationMarginM / 1000, read }),
      );
    }
    const replaced = await db.transaction().execute(async (trx) => {
      const old = await trx
        .updateTable('population_surface')
        .set({ status: 'replaced' })
        .where('alliance_id', '=', surface.alliance_id)
        .where('status', '=', 'active')
        .returning('id')
        .execute();
      await trx
        .updateTable('population_surface')
        .set({
          status: 'active',
          progress: 1,
          ...stageColumns(stage('done')),
          cells_read: read,
          cells_kept: kept,
          total_population: population,
          imported_at: sql`now()`,
        })
        .where('id', '=', surfaceId)
        .execute();
      return old.map((row) => row.id);
    });
    for (const id of replaced) await deleteCells(db, id, slicing);
  } catch (error) {
    const failure = error instanceof PopulationFileError ? codedFrom(error) : said('population.import-unexpected');
    if (!(error instanceof PopulationFileError)) options.onUnexpectedError?.(error);
    try {
      await db
        .updateTable('population_surface')
        .set({
          status: 'failed',
          error: failure.message,
          error_code: failure.code,
          error_params: JSON.stringify(failure.params),
          ...stageColumns(null),
        })
        .where('id', '=', surfaceId)
        .execute();
      await deleteCells(db, surfaceId, slicing);
    } catch (markError) {
      options.onUnexpectedError?.(markError);
    }
  }
}

/** Removes the alliance's active surface: its gap analyses count populated places again. False when it had none. */
export async function removeActiveSurface(
  db: Kysely<Database>,
  allianceId: string,
  slicing: Slicing,
): Promise<boolean> {
  const removed = await db
    .updateTable('population_surface')
    .set({ status: 'removed' })
    .where('alliance_id', '=', allianceId)
    .where('status', '=', 'active')
    .returning('id')
    .executeTakeFirst();
  if (!removed) return false;
  await deleteCells(db, removed.id, slicing);
  return true;
}

/**
 * Imports run inside the server process, so one still "importing" when the server starts was cut off: mark it
 * failed and delete the cells of every surface that is not active. Runs once, before the server answers requests.
 */
export async function failInterruptedSurfaceImports(db: Kysely<Database>): Promise<number> {
  const result = await db
    .updateTable('population_surface')
    .set({ status: 'failed', error: 'The server stopped while this file was being imported. Import it again.' })
    .where('status', '=', 'importing')
    .executeTakeFirst();
  await sql`
    delete from population_cell c using population_surface s
    where s.id = c.surface_id and s.status <> 'active'`.execute(db);
  return Number(result.numUpdatedRows);
}
