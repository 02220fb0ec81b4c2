import { cellToBoundary, POLYGON_TO_CELLS_FLAGS, polygonToCellsExperimental } from 'h3-js';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { AnalysisUnitKind, Database } from '../../db/schema.js';
import { coastToleranceM, describeDemandSources, ensureDemandPoints } from './demandPoints.js';

type Position = number[];

/**
 * The H3 cells that overlap the alliance boundary (not only those whose centre is inside, so that
 * clipping them to the boundary covers the whole region), or undefined when the alliance has no boundary.
 */
export async function h3CellsOverAlliance(
  db: Kysely<Database>,
  allianceId: string,
  resolution: number,
): Promise<string[] | undefined> {
  const row = await db
    .selectFrom('alliance')
    .select(sql<{ coordinates: Position[][][] } | null>`ST_AsGeoJSON(boundary)::json`.as('boundary'))
    .where('id', '=', allianceId)
    .executeTakeFirst();
  if (!row?.boundary) return undefined;
  const cells = new Set<string>();
  for (const polygon of row.boundary.coordinates) {
    for (const cell of polygonToCellsExperimental(
      polygon,
      resolution,
      POLYGON_TO_CELLS_FLAGS.containmentOverlapping,
      true,
    )) {
      cells.add(cell);
    }
  }
  return [...cells].sort();
}

export interface UnitSetSummary {
  id: string;
  allianceId: string;
  kind: AnalysisUnitKind;
  h3Resolution: number | null;
  name: string;
  populationSource: string;
  unitCount: number;
  totalPopulation: number;
  createdAt: string;
}

export async function listUnitSets(
  db: Kysely<Database>,
  allianceId: string,
  setId?: string,
): Promise<UnitSetSummary[]> {
  let query = db
    .selectFrom('analysis_unit_set as s')
    .select([
      's.id',
      's.alliance_id',
      's.kind',
      's.h3_resolution',
      's.name',
      's.population_source',
      's.created_at',
      sql<number>`(select count(*)::int from analysis_unit u where u.set_id = s.id)`.as('unit_count'),
      sql<number>`(select coalesce(sum(u.population), 0)::float8 from analysis_unit u where u.set_id = s.id)`.as(
        'total_population',
      ),
    ])
    .where('s.alliance_id', '=', allianceId);
  if (setId) query = query.where('s.id', '=', setId);
  const rows = await query.orderBy('s.created_at', 'desc').execute();
  return rows.map((row) => ({
    id: row.id,
    allianceId: row.alliance_id,
    kind: row.kind,
    h3Resolution: row.h3_resolution,
    name: row.name,
    populationSource: row.population_source,
    unitCount: row.unit_count,
    totalPopulation: row.total_population,
    createdAt: row.created_at.toISOString(),
  }));
}

/**
 * Gives each unit its population-weighted centroid from the demand points it holds (the point on its surface
 * when it holds none). With `assignPopulation`, each demand point near the alliance also adds its
 * population to exactly one unit — the one containing it, else the nearest (a coastal town just at sea) — so
 * the grid's total equals the points' total.
 */
async function applyDemandPoints(
  trx: Transaction<Database>,
  setId: string,
  allianceId: string,
  assignPopulation: boolean,
): Promise<void> {
  const assigned = assignPopulation
    ? sql`
      select nearest.id as unit_id, dp.population, dp.geog
      from demand_point dp
      join alliance a on a.id = ${allianceId}
      cross join lateral (
        select u.id from analysis_unit u where u.set_id = ${setId}
        order by u.geom <-> dp.geog::geometry limit 1
      ) nearest
      where ST_Intersects(ST_Expand(a.boundary, 0.1), dp.geog::geometry)
        and ST_DWithin(dp.geog, a.boundary::geography, ${coastToleranceM})`
    : sql`
      select u.id as unit_id, dp.population, dp.geog
      from analysis_unit u
      join demand_point dp on ST_Intersects(u.geom, dp.geog::geometry)
      where u.set_id = ${setId}`;
  await sql`
    with assigned as (${assigned}),
    per_unit as (
      select unit_id, sum(population) as population,
             sum(ST_X(geog::geometry) * population) as x, sum(ST_Y(geog::geometry) * population) as y
      from assigned group by unit_id
    )
    update analysis_unit u set
      population = case when ${sql.lit(assignPopulation)} then per_unit.population else u.population end,
      centroid = case when per_unit.population > 0
        then ST_SetSRID(ST_MakePoint(per_unit.x / per_unit.population, per_unit.y / per_unit.population), 4326)::geography
        else u.centroid end
    from per_unit where u.id = per_unit.unit_id`.execute(trx);
}

/** md5 of the alliance's boundary as stored, null when it has none: tells which boundary a grid was cut from. */
const boundaryMd5 = sql<string | null>`md5(ST_AsEWKB(boundary))`.as('boundaryMd5');

/**
 * The H3 unit set of an alliance at a resolution, made on first use and reused afterwards so that runs on the
 * same grid compare area by area. A grid is reused only while the alliance keeps the boundary it was cut from:
 * once the boundary is changed or cleared (in the settings, by restoring an old version, or by hand) the next
 * run cuts a new grid, and the old one stays with the runs made on it.
 */
export async function ensureH3UnitSet(
  db: Kysely<Database>,
  allianceId: string,
  resolution: number,
  dataDir: string,
): Promise<string> {
  const alliance = await db.selectFrom('alliance').select(boundaryMd5).where('id', '=', allianceId).executeTakeFirst();
  const cutFrom = alliance?.boundaryMd5 ?? null;
  if (cutFrom !== null) {
    const existing = await db
      .selectFrom('analysis_unit_set')
      .select('id')
      .where('alliance_id', '=', allianceId)
      .where('kind', '=', 'h3')
      .where('h3_resolution', '=', resolution)
      .where('boundary_md5', '=', cutFrom)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (existing) return existing.id;
  }
  await ensureDemandPoints(db, dataDir);
  const cells = (await h3CellsOverAlliance(db, allianceId, resolution)) ?? [];
  const populationSource = await describeDemandSources(db, allianceId, dataDir);
  const created = await db.transaction().execute(async (trx) => {
    // Held until the grid is stored, so that a boundary saved meanwhile waits instead of leaving a grid labelled
    // with a boundary it was not cut from.
    const now = await trx
      .selectFrom('alliance')
      .select(boundaryMd5)
      .where('id', '=', allianceId)
      .forShare()
      .executeTakeFirst();
    if ((now?.boundaryMd5 ?? null) !== cutFrom) return null;
    const { id } = await trx
      .insertInto('analysis_unit_set')
      .values({
        alliance_id: allianceId,
        kind: 'h3',
        h3_resolution: resolution,
        name: `H3 grid, resolution ${resolution}`,
        population_source: populationSource,
        boundary_md5: cutFrom,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const batchSize = 2000;
    for (let start = 0; start < cells.length; start += batchSize) {
      const batch = cells.slice(start, start + batchSize);
      const polygons = batch.map((cell) =>
        JSON.stringify({ type: 'Polygon', coordinates: [cellToBoundary(cell, true)] }),
      );
      await sql`
        insert into analysis_unit (set_id, code, geom, centroid, population)
        select ${id}, code, geom, ST_PointOnSurface(geom)::geography, 0
        from (
          select cell.code,
                 ST_Multi(ST_CollectionExtract(
                   ST_Intersection(a.boundary, ST_SetSRID(ST_GeomFromGeoJSON(cell.polygon), 4326)), 3)) as geom
          from unnest(${batch}::text[], ${polygons}::text[]) as cell(code, polygon)
          join alliance a on a.id = ${allianceId}
        ) clipped
        where not ST_IsEmpty(geom)`.execute(trx);
    }
    await applyDemandPoints(trx, id, allianceId, true);
    return id;
  });
  // The boundary changed while the cells were being worked out: start again from the new one.
  return created ?? ensureH3UnitSet(db, allianceId, resolution, dataDir);
}

export interface ImportedArea {
  /** Position of the feature in the collection, as reported to the user. */
  index: number;
  name: string;
  population: number;
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
}

export interface ImportReport {
  repaired: { feature: number; name: string; problem: string }[];
  outsideRegion: { feature: number; name: string }[];
}

/** A problem found in the database (e.g. a ring that ST_MakeValid reduces to nothing): nothing is stored. */
export class ImportProblemsError extends Error {
  constructor(readonly problems: { feature: number; message: string }[]) {
    super(`The areas cannot be imported: ${problems.map((problem) => problem.message).join(' ')}`);
  }
}

/**
 * Stores validated areas as a unit set in the caller's transaction, which must roll back when this throws.
 * Invalid geometries (self-intersections, bad ring orientation…) are repaired with ST_MakeValid and reported;
 * a feature that cannot be repaired into an area makes the whole import fail. The demand points must be loaded
 * beforehand (ensureDemandPoints).
 */
export async function createImportedUnitSet(
  trx: Transaction<Database>,
  allianceId: string,
  name: string,
  areas: ImportedArea[],
  populationProperty: string,
): Promise<{ id: string; report: ImportReport }> {
  const { id } = await trx
    .insertInto('analysis_unit_set')
    .values({
      alliance_id: allianceId,
      kind: 'imported',
      h3_resolution: null,
      name,
      population_source: `Imported with the areas (property "${populationProperty}").`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const checked = await sql<{
    feature: number;
    name: string;
    valid: boolean;
    reason: string;
    empty: boolean;
    outside: boolean;
  }>`
    with input as (
      select feature, name, population, ST_SetSRID(ST_GeomFromGeoJSON(geometry), 4326) as raw
      from unnest(${areas.map((area) => area.index)}::int[], ${areas.map((area) => area.name)}::text[],
                  ${areas.map((area) => area.population)}::float8[],
                  ${areas.map((area) => JSON.stringify(area.geometry))}::text[])
           as a(feature, name, population, geometry)
    ),
    repaired as (
      select feature, name, population, ST_IsValid(raw) as valid, ST_IsValidReason(raw) as reason,
             case when ST_IsValid(raw) then ST_Multi(raw)
                  else ST_Multi(ST_CollectionExtract(ST_MakeValid(raw), 3)) end as geom
      from input
    ),
    inserted as (
      insert into analysis_unit (set_id, code, name, geom, centroid, population)
      select ${id}, feature::text, name, geom, ST_PointOnSurface(geom)::geography, population
      from repaired where not ST_IsEmpty(geom)
      returning code
    )
    select r.feature, r.name, r.valid, r.reason, ST_IsEmpty(r.geom) as empty,
           not ST_Intersects(r.geom, a.boundary) as outside
    from repaired r join alliance a on a.id = ${allianceId}
    order by r.feature`.execute(trx);
  const empty = checked.rows.filter((row) => row.empty);
  if (empty.length > 0) {
    throw new ImportProblemsError(
      empty.map((row) => ({
        feature: row.feature,
        message: `Feature ${row.feature} ("${row.name}"): the geometry is not valid (${row.reason}) and repairing it leaves no area.`,
      })),
    );
  }
  await applyDemandPoints(trx, id, allianceId, false);
  return {
    id,
    report: {
      repaired: checked.rows
        .filter((row) => !row.valid)
        .map((row) => ({ feature: row.feature, name: row.name, problem: row.reason })),
      outsideRegion: checked.rows.filter((row) => row.outside).map((row) => ({ feature: row.feature, name: row.name })),
    },
  };
}
