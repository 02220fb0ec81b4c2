import { setImmediate as nextTurn } from 'node:timers/promises';
import { cellArea, cellToBoundary, latLngToCell, POLYGON_TO_CELLS_FLAGS, polygonToCellsExperimental } from 'h3-js';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { metresAround, splitAtAntimeridian, unwrappedAcrossAntimeridian } from '../../db/postgis.js';
import type { Database } from '../../db/schema.js';
import { BatchSizer, type Slicing } from './batchSizer.js';
import { coastToleranceM, countedByGrid, describeDemandSources, ensureDemandPoints } from './demandPoints.js';
import {
  type DemandSource,
  type DescribedSource,
  demandRelation,
  demandSourceKey,
  demandSourceOf,
  describePlacesCoverage,
  describeSurfaceDemand,
  joinSources,
} from './demandSource.js';
import { ensureOuterDemand } from './outerDemand.js';
import { ensureTownDemandPoints } from './townDemandPoints.js';
import { GapAnalysisInputError } from './gapAnalysisInputError.js';
import { h3Resolutions, maxH3Cells } from './gapParameters.js';
import { type CodedMessage, said } from '../messages/userError.js';

type Position = number[];

/** What the size of a grid over a region depends on, measured by PostGIS on the WGS84 spheroid. */
export interface RegionSize {
  areaM2: number;
  perimeterM: number;
  /** A point inside the region, where the size of the cells is read. */
  lat: number;
  lon: number;
}

/**
 * About how many H3 cells of `resolution` overlap a region: its area over the area of one cell there, plus about
 * one cell per edge length along its outline for the cells that stick out of it. The area of the cell at the
 * region, not h3-js's global average: cells vary by a factor of two over the globe, and in southern Sweden they
 * are a fifth smaller than the average. Over the demo regions at resolutions 7 and 8 this is 5–23% above the count
 * h3-js lists, never below; larger margins only for small grids.
 */
export function estimateH3Cells(region: RegionSize, resolution: number): number {
  const area = cellArea(latLngToCell(region.lat, region.lon, resolution), 'm2');
  const edge = Math.sqrt((2 * area) / (3 * Math.sqrt(3)));
  return region.areaM2 / area + region.perimeterM / edge;
}

const rounded = (count: number) => Number(count.toPrecision(2));

/**
 * Why a grid of `resolution` is too large for the region, naming the limit and the finest coarser resolution that
 * fits; undefined when it fits.
 */
export function gridTooLargeMessage(region: RegionSize, resolution: number): CodedMessage | undefined {
  const cells = estimateH3Cells(region, resolution);
  if (cells <= maxH3Cells) return undefined;
  const params = { resolution, cells: rounded(cells), limit: maxH3Cells };
  for (let coarser = resolution - 1; coarser >= h3Resolutions.min; coarser--) {
    const fewer = estimateH3Cells(region, coarser);
    if (fewer <= maxH3Cells) return said('gap.grid-too-large', { ...params, fits: coarser, fitsCells: rounded(fewer) });
  }
  const coarsest = estimateH3Cells(region, h3Resolutions.min);
  return said('gap.grid-too-large-region', {
    ...params,
    coarsest: h3Resolutions.min,
    coarsestCells: rounded(coarsest),
  });
}

/** md5 of the alliance's boundary as stored, null when it has none: tells which boundary a grid was cut from. */
const boundaryMd5 = sql<string | null>`md5(ST_AsEWKB(boundary))`.as('boundaryMd5');

async function regionOf(
  db: Kysely<Database>,
  allianceId: string,
): Promise<{ size: RegionSize; md5: string } | undefined> {
  const row = await db
    .selectFrom('alliance')
    .select([
      boundaryMd5,
      sql<number>`ST_Area(boundary::geography)`.as('areaM2'),
      sql<number>`ST_Perimeter(boundary::geography)`.as('perimeterM'),
      sql<number>`ST_Y(ST_PointOnSurface(boundary))`.as('lat'),
      sql<number>`ST_X(ST_PointOnSurface(boundary))`.as('lon'),
    ])
    .where('id', '=', allianceId)
    .where('boundary', 'is not', null)
    .executeTakeFirst();
  if (!row?.boundaryMd5) return undefined;
  const { boundaryMd5: md5, ...size } = row;
  return { size, md5 };
}

/** The complete grid of this resolution cut from the boundary with this md5 and peopled from this source, if one was made. */
async function reusableGrid(
  db: Kysely<Database>,
  allianceId: string,
  resolution: number,
  md5: string,
  sourceKey: string | null,
): Promise<string | undefined> {
  const existing = await db
    .selectFrom('analysis_unit_set')
    .select('id')
    .where('alliance_id', '=', allianceId)
    .where('kind', '=', 'h3')
    .where('h3_resolution', '=', resolution)
    .where('boundary_md5', '=', md5)
    .where(sql<boolean>`population_surface_id is not distinct from ${sourceKey}`)
    .where('complete', '=', true)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return existing?.id;
}

const noBoundary = said('gap.no-boundary');

/**
 * Why no H3 grid of `resolution` can be laid over the alliance (no boundary, or too many areas by the estimate),
 * or undefined when it can. Reads two rows and lists no cell: cheap enough for the request that asks for a run.
 */
export async function h3GridProblem(
  db: Kysely<Database>,
  allianceId: string,
  resolution: number,
): Promise<CodedMessage | undefined> {
  const region = await regionOf(db, allianceId);
  if (!region) return noBoundary;
  const sourceKey = demandSourceKey(await demandSourceOf(db, allianceId));
  if (await reusableGrid(db, allianceId, resolution, region.md5, sourceKey)) return undefined;
  return gridTooLargeMessage(region.size, resolution);
}

function geoJsonPolygons(geometry: { type: string; coordinates: unknown } | null): Position[][][] {
  if (!geometry) return [];
  if (geometry.type === 'Polygon') return [geometry.coordinates as Position[][]];
  return geometry.type === 'MultiPolygon' ? (geometry.coordinates as Position[][][]) : [];
}

/**
 * A cell's outline as GeoJSON text, in longitudes past 180° when it lies across the antimeridian: drawn flat from
 * h3-js's −180..180 longitudes, such a cell would be a strip around the world. SQL makes it a geometry with cellGeometry.
 */
function cellOutline(cell: string): string {
  return JSON.stringify({ type: 'Polygon', coordinates: unwrappedAcrossAntimeridian([cellToBoundary(cell, true)]) });
}

/** The geometry of a cellOutline, split at the antimeridian into a MultiPolygon within −180..180. */
function cellGeometry(outline: RawBuilder<unknown>): RawBuilder<string> {
  return splitAtAntimeridian(sql`ST_SetSRID(ST_GeomFromGeoJSON(${outline}), 4326)`);
}

/**
 * The H3 cells of `resolution` that overlap the alliance's boundary (not only those whose centre is inside, so that
 * clipping them to the boundary covers the whole region), listed a piece at a time so that no step holds the event
 * loop for long: the boundary is cut along the cells three resolutions coarser (about 343 cells each; their
 * bounding boxes, to miss none), and h3-js lists the cells of each piece, which overlap the boundary exactly when
 * they overlap a piece. Stops as soon as there are more than maxH3Cells.
 */
async function h3CellsOverAlliance(
  db: Kysely<Database>,
  allianceId: string,
  resolution: number,
  slicing: Slicing,
): Promise<string[]> {
  const row = await db
    .selectFrom('alliance')
    .select(sql<{ type: string; coordinates: unknown } | null>`ST_AsGeoJSON(boundary)::json`.as('boundary'))
    .where('id', '=', allianceId)
    .executeTakeFirst();
  const coarseResolution = Math.max(0, resolution - 3);
  const pieces = new Set<string>();
  for (const polygon of geoJsonPolygons(row?.boundary ?? null)) {
    const flag = POLYGON_TO_CELLS_FLAGS.containmentOverlappingBbox;
    for (const cell of polygonToCellsExperimental(polygon, coarseResolution, flag, true)) pieces.add(cell);
  }
  const coarseCells = [...pieces];
  const cells = new Set<string>();
  const sizer = new BatchSizer(slicing, { first: 8, max: 64 });
  for (let start = 0; start < coarseCells.length;) {
    const batch = coarseCells.slice(start, start + sizer.size);
    const outlines = batch.map(cellOutline);
    const clipped = await sizer.run(db, batch.length, (connection) =>
      sql<{ piece: { type: string; coordinates: unknown } | null }>`
        select ST_AsGeoJSON(ST_CollectionExtract(ST_Intersection(a.boundary, coarse.geom), 3))::json as piece
        from unnest(${outlines}::text[]) as coarse_outline(outline)
        cross join lateral (select ${cellGeometry(sql`coarse_outline.outline`)} as geom) coarse
        join alliance a on a.id = ${allianceId}
        where ST_Intersects(a.boundary, coarse.geom)`.execute(connection),
    );
    start += batch.length;
    for (const { piece } of clipped.rows) {
      for (const polygon of geoJsonPolygons(piece)) {
        const flag = POLYGON_TO_CELLS_FLAGS.containmentOverlapping;
        for (const cell of polygonToCellsExperimental(polygon, resolution, flag, true)) cells.add(cell);
        if (cells.size > maxH3Cells) {
          throw new GapAnalysisInputError(
            resolution > h3Resolutions.min
              ? said('gap.grid-over-limit', { resolution, limit: maxH3Cells, coarser: resolution - 1 })
              : said('gap.grid-over-limit-region', { resolution, limit: maxH3Cells }),
          );
        }
        await nextTurn();
      }
    }
  }
  return [...cells].sort();
}

/** Stores the cells clipped to the boundary (PostGIS, in batches), reporting how many are done. */
async function insertClippedCells(
  db: Kysely<Database>,
  setId: string,
  allianceId: string,
  cells: string[],
  slicing: Slicing,
  onProgress: (done: number) => Promise<void>,
): Promise<void> {
  const sizer = new BatchSizer(slicing, { first: 100, max: 2000 });
  for (let start = 0; start < cells.length;) {
    const batch = cells.slice(start, start + sizer.size);
    const polygons = batch.map(cellOutline);
    await sizer.run(db, batch.length, (connection) =>
      sql`
        insert into analysis_unit (set_id, code, geom, centroid, population)
        select ${setId}, code, geom, ST_PointOnSurface(geom)::geography, 0
        from (
          select cell.code,
                 ST_Multi(ST_CollectionExtract(
                   ST_Intersection(a.boundary, ${cellGeometry(sql`cell.polygon`)}), 3)) as geom
          from unnest(${batch}::text[], ${polygons}::text[]) as cell(code, polygon)
          join alliance a on a.id = ${allianceId}
        ) clipped
        where not ST_IsEmpty(geom)`.execute(connection),
    );
    start += batch.length;
    await onProgress(start);
  }
}

/** A longitude, or a difference of longitudes, brought to −180..180. */
function wrappedLongitude(lon: number): number {
  return lon - 360 * Math.round(lon / 360);
}

/**
 * Gives each demand point near the alliance to exactly one area — the one containing it, else the nearest in metres
 * (a coastal town just at sea) — so that the grid's total equals the points' total, and centres each area on the
 * population-weighted mean of its points (areas without points keep their point on surface). A point outside every
 * area is at most coastToleranceM from one, since the areas cover the boundary: the areas whose box meets that
 * distance around it are measured on the spheroid, because the nearest in degrees is not the nearest in metres away
 * from the equator (a degree of longitude is 38 km at 70° N); the nearest in degrees remains a last resort. The
 * points are assigned a batch at a time and summed here; the areas are then updated a batch at a time.
 */
async function assignDemandPoints(
  db: Kysely<Database>,
  setId: string,
  allianceId: string,
  source: DemandSource,
  slicing: Slicing,
): Promise<{ units: number; populatedUnits: number; population: number }> {
  const candidates = await sql<{ id: string }>`
    select dp.id from ${demandRelation(source)} dp join alliance a on a.id = ${allianceId}
    where ${countedByGrid(sql`dp.geog`, sql`a.boundary`)}
    order by dp.id`.execute(db);
  const pointIds = candidates.rows.map((row) => row.id);
  // x is summed as longitudes within 180° of the area's first point, so that an area across the antimeridian is
  // centred on it, not half a world away; wrappedLongitude brings the mean back to −180..180.
  const perUnit = new Map<string, { population: number; x: number; y: number; firstX: number }>();
  const assigning = new BatchSizer(slicing, { first: 100, max: 5000 });
  for (let start = 0; start < pointIds.length;) {
    const batch = pointIds.slice(start, start + assigning.size);
    const assigned = await assigning.run(db, batch.length, (connection) =>
      sql<{ unit_id: string; population: number; x: number; y: number }>`
        select nearest.id as unit_id, dp.population, ST_X(dp.geog::geometry) as x, ST_Y(dp.geog::geometry) as y
        from ${demandRelation(source)} dp
        cross join lateral (
          select coalesce(
            (select u.id from analysis_unit u
             where u.set_id = ${setId} and ST_Intersects(u.geom, dp.geog::geometry) order by u.code limit 1),
            (select u.id from analysis_unit u
             where u.set_id = ${setId} and u.geom && ${metresAround(sql`dp.geog`, coastToleranceM)}
             order by ST_Distance(u.geom::geography, dp.geog), u.code limit 1),
            (select u.id from analysis_unit u where u.set_id = ${setId}
             order by u.geom <-> dp.geog::geometry limit 1)
          ) as id
        ) nearest
        where dp.id = any(${batch}::uuid[])
        order by dp.id`.execute(connection),
    );
    start += batch.length;
    for (const point of assigned.rows) {
      const sums = perUnit.get(point.unit_id) ?? { population: 0, x: 0, y: 0, firstX: point.x };
      sums.population += point.population;
      sums.x += (sums.firstX + wrappedLongitude(point.x - sums.firstX)) * point.population;
      sums.y += point.y * point.population;
      perUnit.set(point.unit_id, sums);
    }
  }
  const units = [...perUnit];
  const updating = new BatchSizer(slicing, { first: 200, max: 5000 });
  for (let start = 0; start < units.length;) {
    const batch = units.slice(start, start + updating.size);
    await updating.run(db, batch.length, (connection) =>
      sql`
        update analysis_unit u set
          population = v.population,
          centroid = case when v.population > 0
            then ST_SetSRID(ST_MakePoint(v.lon, v.lat), 4326)::geography
            else u.centroid end
        from unnest(${batch.map(([id]) => id)}::uuid[], ${batch.map(([, sums]) => sums.population)}::float8[],
                    ${batch.map(([, sums]) => (sums.population > 0 ? wrappedLongitude(sums.x / sums.population) : 0))}::float8[],
                    ${batch.map(([, sums]) => (sums.population > 0 ? sums.y / sums.population : 0))}::float8[])
             as v(id, population, lon, lat)
        where u.id = v.id and u.set_id = ${setId}`.execute(connection),
    );
    start += batch.length;
  }
  const counted = await db
    .selectFrom('analysis_unit')
    .select(sql<number>`count(*)::int`.as('units'))
    .where('set_id', '=', setId)
    .executeTakeFirstOrThrow();
  return {
    units: counted.units,
    populatedUnits: units.filter(([, sums]) => sums.population > 0).length,
    population: units.reduce((sum, [, sums]) => sum + sums.population, 0),
  };
}

/** Where the grid's people come from and how many of its areas count some, in words (see demandSource.ts). */
async function describeGridDemand(
  db: Kysely<Database>,
  allianceId: string,
  source: DemandSource,
  counted: { units: number; populatedUnits: number; population: number },
  dataDir: string,
): Promise<DescribedSource> {
  if (source.kind === 'surface') return describeSurfaceDemand(source, counted);
  if (counted.population <= 0) return describePlacesCoverage(counted);
  return joinSources(await describeDemandSources(db, allianceId, dataDir), describePlacesCoverage(counted));
}

/**
 * Deletes a set of areas that was never completed, a batch of areas at a time (each one deleted looks for results
 * naming it), then the set.
 */
export async function discardUnitSet(db: Kysely<Database>, setId: string, slicing: Slicing): Promise<void> {
  const sizer = new BatchSizer(slicing, { first: 200, max: 20_000 });
  for (;;) {
    const deleted = await sizer.run(db, sizer.size, (connection) =>
      sql`
        delete from analysis_unit where id in (
          select id from analysis_unit where set_id = ${setId} limit ${sizer.size})`.execute(connection),
    );
    if (Number(deleted.numAffectedRows ?? 0) === 0) break;
  }
  await db.deleteFrom('analysis_unit_set').where('id', '=', setId).execute();
}

export interface GridBuildOptions {
  dataDir: string;
  slicing: Slicing;
  /** Called as the areas are stored, with how many are and how many there will be. */
  onProgress?: (done: number, total: number) => Promise<void>;
}

/**
 * The H3 unit set of an alliance at a resolution, made on first use and reused afterwards so that runs on the
 * same grid compare area by area. A grid is reused only while the alliance keeps the boundary it was cut from:
 * once the boundary is changed or cleared (in the settings, by restoring an old version, or by hand) the next
 * run cuts a new grid, and the old one stays with the runs made on it.
 *
 * The grid is checked against the limit first (the estimate, then the cells as they are listed), then built in
 * short statements (see Slicing) under a set that is not `complete`, hence neither listed nor reused; it is
 * completed in one short transaction that checks the boundary is still the one it was cut from. A failure deletes
 * what was stored; a boundary changed meanwhile makes it start again from the new one.
 */
export async function ensureH3UnitSet(
  db: Kysely<Database>,
  allianceId: string,
  resolution: number,
  options: GridBuildOptions,
): Promise<string> {
  const region = await regionOf(db, allianceId);
  if (!region) throw new GapAnalysisInputError(noBoundary);
  const source = await demandSourceOf(db, allianceId);
  const existing = await reusableGrid(db, allianceId, resolution, region.md5, demandSourceKey(source));
  if (existing) return existing;
  const tooLarge = gridTooLargeMessage(region.size, resolution);
  if (tooLarge) throw new GapAnalysisInputError(tooLarge);

  if (source.kind === 'places') {
    await ensureDemandPoints(db, options.dataDir);
    await ensureTownDemandPoints(db, allianceId, options.slicing);
  }
  const cells = await h3CellsOverAlliance(db, allianceId, resolution, options.slicing);
  const { id } = await db
    .insertInto('analysis_unit_set')
    .values({
      alliance_id: allianceId,
      kind: 'h3',
      h3_resolution: resolution,
      name: `H3 grid, resolution ${resolution}`,
      population_source: '',
      boundary_md5: region.md5,
      population_surface_id: demandSourceKey(source),
      complete: false,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  let completed: boolean;
  try {
    await insertClippedCells(db, id, allianceId, cells, options.slicing, (done) =>
      options.onProgress ? options.onProgress(done, cells.length) : Promise.resolve(),
    );
    const counted = await assignDemandPoints(db, id, allianceId, source, options.slicing);
    await ensureOuterDemand(db, id, options.slicing);
    const populationSource = await describeGridDemand(db, allianceId, source, counted, options.dataDir);
    await db
      .updateTable('analysis_unit_set')
      .set({
        population_source: populationSource.text,
        population_source_parts: JSON.stringify(populationSource.parts),
      })
      .where('id', '=', id)
      .execute();
    completed = await db.transaction().execute(async (trx) => {
      // Held until the set is complete, so that a boundary saved meanwhile waits for this short transaction.
      const now = await trx
        .selectFrom('alliance')
        .select(boundaryMd5)
        .where('id', '=', allianceId)
        .forShare()
        .executeTakeFirst();
      if ((now?.boundaryMd5 ?? null) !== region.md5) return false;
      await trx.updateTable('analysis_unit_set').set({ complete: true }).where('id', '=', id).execute();
      return true;
    });
  } catch (error) {
    // The first error is the one to report; a set left half-built is hidden, and removed at the next start.
    await discardUnitSet(db, id, options.slicing).catch(() => {});
    throw error;
  }
  if (completed) return id;
  // The boundary changed while the grid was being built: start again from the new one.
  await discardUnitSet(db, id, options.slicing);
  return ensureH3UnitSet(db, allianceId, resolution, options);
}
