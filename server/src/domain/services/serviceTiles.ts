import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { DatabaseMode } from '../../db/database.js';
import { type PointReader, readsExactly } from '../locations/hiddenAddresses.js';
import { ageExpression } from '../freshness/serviceFreshness.js';
import { notCheckedForCondition } from '../freshness/updateCycles.js';
import { meetsNeed, type ServiceFilters } from './serviceFilters.js';
import { encodePointTile, type TileFeature } from './mvtEncoder.js';
import { prepareOnEachConnection } from '../../db/preparedStatements.js';
import { mapVersion, mapVersionColumns, type MapVersionRow, versionOf } from './mapVersion.js';

/** Tile coordinates run from 0 to 4095 across a tile, as MapLibre and `ST_AsMVTGeom` expect. */
export const TILE_EXTENT = 4096;
/** The layer the service tiles hold. */
export const SERVICE_TILE_LAYER = 'services';
/** From this zoom a tile holds every service; below it, cells of the grid with their counts. */
export const POINTS_FROM_ZOOM = 12;
/** The grid of the aggregated tiles: 8 × 8 cells a tile (64 px of a 512 px tile). */
export const CELL_SIZE = 512;
/** The deepest zoom asked for; deeper, the map overzooms the tiles of this one. */
export const MAX_TILE_ZOOM = 22;

export interface TileAddress {
  z: number;
  x: number;
  y: number;
}

export function tileInRange({ z, x, y }: TileAddress): boolean {
  return z >= 0 && z <= MAX_TILE_ZOOM && x >= 0 && y >= 0 && x < 2 ** z && y < 2 ** z;
}

/** The tile's box in degrees (Web Mercator rows: north above south). */
export function tileBox({ z, x, y }: TileAddress) {
  const n = 2 ** z;
  const lon = (column: number) => (column / n) * 360 - 180;
  const lat = (row: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * row) / n))) * 180) / Math.PI;
  return { west: lon(x), east: lon(x + 1), north: lat(y), south: lat(y + 1) };
}

/**
 * How a reader sees the points of a scope: `public` (every point is the public one, `service_at_location.geog`:
 * a hidden address rounded to 0.01°), `exact` (every point is the location's own: members of the scope's alliance,
 * platform admins), or `mixed` (a member's reading of several alliances: exact for theirs, public for the others).
 */
type Reach = 'public' | 'exact' | 'mixed';

function reachOf(reader: PointReader, allianceId: string | undefined): Reach {
  if (reader.memberOf === 'every') return 'exact';
  if (allianceId !== undefined) return reader.memberOf.includes(allianceId) ? 'exact' : 'public';
  return reader.memberOf.length === 0 ? 'public' : 'mixed';
}

/** The tile's box in tile space (Web Mercator on the unit square, as `service_map` holds its points). */
function tileSpaceBox({ z, x, y }: TileAddress): RawBuilder<unknown> {
  const n = 2 ** z;
  return sql`ST_MakeEnvelope(${x / n}::float8, ${y / n}::float8, ${(x + 1) / n}::float8, ${(y + 1) / n}::float8)`;
}

/** The filters of a service, on the map table `m` (`applyServiceFilters`'s twin for it; the box is the tile's). */
function mapFilters(filters: ServiceFilters): RawBuilder<boolean> {
  const conditions: RawBuilder<boolean>[] = [];
  if (filters.allianceId) conditions.push(sql<boolean>`m.alliance_id = ${filters.allianceId}`);
  if (filters.category) conditions.push(sql<boolean>`m.category = ${filters.category}`);
  if (filters.topic) conditions.push(sql<boolean>`${filters.topic} = any(m.topics)`);
  if (filters.language) conditions.push(sql<boolean>`${filters.language} = any(m.languages)`);
  if (filters.need) conditions.push(meetsNeed('m.category', 'm.topics', filters.need));
  if (filters.notCheckedForMonths !== undefined) {
    const timeZone = sql`(select tz.timezone from alliance tz where tz.id = m.alliance_id)`;
    conditions.push(
      notCheckedForCondition(
        { verifiedAt: sql.ref('m.verified_at'), timeZone },
        filters.notCheckedForMonths,
        filters.now,
      ),
    );
  }
  return conditions.length === 0 ? sql<boolean>`true` : sql<boolean>`${sql.join(conditions, sql` and `)}`;
}

/**
 * The rows of the map table in one tile's box as the reader sees them, with the point they are seen at (`point`)
 * and whether it is the exact one (`exact`). A public or exact reader's points are one walk of the GiST index of
 * the column that holds them; a mixed reading walks the exact points of the reader's alliances and the public
 * points of the others.
 */
function candidateRows(reach: Reach, reader: PointReader, tile: TileAddress, filters: ServiceFilters) {
  const box = tileSpaceBox(tile);
  const where = mapFilters(filters);
  if (reach !== 'mixed') {
    const point = sql.ref(reach === 'exact' ? 'm.exact_point' : 'm.public_point');
    return sql`select m.*, ${point} as point, ${reach === 'exact' ? sql`true` : sql`false`} as exact
      from service_map m where ${point} && ${box} and ${where}`;
  }
  const theirs = readsExactly(reader, 'm.alliance_id');
  return sql`select m.*, m.exact_point as point, true as exact
      from service_map m where m.exact_point && ${box} and ${theirs} and ${where}
    union all
    select m.*, m.public_point as point, false as exact
      from service_map m where m.public_point && ${box} and not ${theirs} and ${where}`;
}

/**
 * The services of one tile as rows, for both modes: each service once, at its first placed location (as the
 * GeoJSON has it), at the point the reader may see (a hidden address's rounded point for non-members), in tile
 * coordinates. One table, `service_map` (migration 2026-12-06-03), which holds each service's first placed
 * location's two points in tile space and what a tile shows: one index walk, a multiplication a point, no join but
 * the alliance's calendar for the services' ages.
 */
export function tilePoints(
  filters: ServiceFilters,
  reader: PointReader,
  tile: TileAddress,
  options: { aggregated: boolean; now: Date },
) {
  const reach = reachOf(reader, filters.allianceId);
  const scale = 2 ** tile.z * TILE_EXTENT;
  const pixels = sql`(
    select c.*, floor(ST_X(c.point) * ${scale}::float8 - ${tile.x * TILE_EXTENT}::float8)::int as px,
      floor(ST_Y(c.point) * ${scale}::float8 - ${tile.y * TILE_EXTENT}::float8)::int as py
    from (${candidateRows(reach, reader, tile, filters)}) c)`;
  const inTile = sql`p.px >= 0 and p.px < ${TILE_EXTENT} and p.py >= 0 and p.py < ${TILE_EXTENT}`;
  if (options.aggregated) {
    return sql<TilePointRow>`select p.category, p.px, p.py from ${pixels} p where ${inTile}`;
  }
  // The services' ages follow their alliance's calendar and cycle: read once for the statement (an init plan)
  // when the scope is one alliance, else joined to each point.
  const { allianceId } = filters;
  const alliance = (column: string) =>
    allianceId === undefined
      ? sql.ref(`a.${column}`)
      : sql`(select ${sql.ref(column)} from alliance where id = ${allianceId})`;
  const age = ageExpression(
    {
      verifiedAt: sql.ref('p.verified_at'),
      serviceCycle: sql.ref('p.update_cycle_months'),
      allianceCycle: alliance('update_cycle_months'),
      timeZone: alliance('timezone'),
    },
    options.now,
  );
  return sql<TilePointRow>`
    select p.category, p.px, p.py, p.service_id as id, p.name,
      (case when p.exact or not p.hide_address then p.precision else 'town' end) as precision,
      ${age} as age, p.organization_name, p.town
    from ${pixels} p ${allianceId === undefined ? sql`join alliance a on a.id = p.alliance_id` : sql``}
    where ${inTile}`;
}

export interface TilePointRow {
  category: string;
  px: number;
  py: number;
  id?: string;
  name?: string;
  precision?: string;
  age?: string;
  organization_name?: string;
  town?: string | null;
}

/** A cell of an aggregated tile: how many services, per category, around their mean point. */
export interface TileCellRow {
  count: number;
  px: number;
  py: number;
  categories: Record<string, number>;
}

/** The cells of an aggregated tile: the tile's points grouped by cell of the grid, then by category. */
export function tileCells(points: RawBuilder<TilePointRow>) {
  return sql<TileCellRow>`
    select sum(n)::int as count, floor(sum(sx) / sum(n))::int as px, floor(sum(sy) / sum(n))::int as py,
      jsonb_object_agg('category:' || category, n) as categories
    from (
      select px / ${CELL_SIZE} as cx, py / ${CELL_SIZE} as cy, category, count(*)::int as n,
        sum(px)::float8 as sx, sum(py)::float8 as sy
      from (${points}) p group by 1, 2, 3
    ) per_category
    group by cx, cy`;
}

/**
 * Runs a tile query as a named prepared statement in server mode: its text has a few shapes (zoomed in or out, the
 * filters given) and its values change, and planning it costs ten times more than running it for a tile.
 */
function executePrepared<Row>(db: Kysely<Database>, query: RawBuilder<Row>) {
  const compiled = query.compile(db);
  prepareOnEachConnection(compiled.sql);
  return db.executeQuery(compiled);
}

export interface ServiceTileRequest {
  filters: ServiceFilters;
  reader: PointReader;
  tile: TileAddress;
  now?: Date;
}

/**
 * The services of one tile as a Mapbox Vector Tile, layer `services`: from zoom 12 one point a service (`id`,
 * `name`, `category`, `age`, `precision`,
 * `organizationName`, `town`), below it one point a cell of an 8 × 8 grid (`count` and
 * `category:<id>` counts). Server mode encodes it in the database with `ST_AsMVT`; the embedded database's PostGIS
 * has no protocol buffers, so there the same rows are encoded here. The one place that decides which.
 */
export async function serviceTile(
  db: Kysely<Database>,
  mode: DatabaseMode,
  request: ServiceTileRequest,
): Promise<Uint8Array> {
  return (await tileQuery(db, mode, request, false)).tile;
}

/**
 * The tile and the version of the map's data it was read at (`mapVersion`), in one statement in server mode: one
 * round trip for an uncached tile instead of two. The version is read in the same snapshot as the tile.
 */
export async function serviceTileWithVersion(
  db: Kysely<Database>,
  mode: DatabaseMode,
  request: ServiceTileRequest & { allianceNamed?: string },
): Promise<{ tile: Uint8Array; version: string; allianceHolds: boolean }> {
  const answer = await tileQuery(db, mode, request, true);
  return { tile: answer.tile, version: answer.version!, allianceHolds: answer.allianceHolds };
}

/**
 * `allianceNamed`: the slug or id the scope's alliance id was remembered under (server mode); the statement also
 * says whether that alliance still bears it (`allianceHolds`), so that a remembered id is never used after a change.
 */
async function tileQuery(
  db: Kysely<Database>,
  mode: DatabaseMode,
  { filters, reader, tile, now = new Date(), allianceNamed }: ServiceTileRequest & { allianceNamed?: string },
  withVersion: boolean,
): Promise<{ tile: Uint8Array; version?: string; allianceHolds: boolean }> {
  const aggregated = tile.z < POINTS_FROM_ZOOM;
  const points = tilePoints(filters, reader, tile, { aggregated, now });
  if (mode === 'server') {
    const features = aggregated
      ? sql`select count, categories, ST_MakePoint(px, py) as geom from (${tileCells(points)}) c`
      : sql`select id, name, category, age, precision, organization_name as "organizationName", town,
          ST_MakePoint(px, py) as geom from (${points}) p`;
    const encoded = sql`(select ST_AsMVT(f, ${SERVICE_TILE_LAYER}, ${TILE_EXTENT}, 'geom') from (${features}) f)`;
    const holds =
      allianceNamed === undefined || filters.allianceId === undefined
        ? sql`true`
        : sql`exists (select 1 from alliance where id = ${filters.allianceId}
            and (slug = ${allianceNamed} or id::text = ${allianceNamed}))`;
    type Row = MapVersionRow & { tile: Uint8Array | null; holds: boolean };
    const statement = withVersion
      ? sql<Row>`select ${mapVersionColumns(filters.allianceId)}, ${holds} as holds, ${encoded} as tile`
      : sql<Row>`select ${encoded} as tile, true as holds`;
    const { rows } = await executePrepared(db, statement);
    const row = rows[0]!;
    return {
      tile: row.tile ?? new Uint8Array(),
      version: withVersion ? await versionOf(db, row) : undefined,
      allianceHolds: row.holds,
    };
  }
  // PGlite runs one statement at a time: the version first, as in server mode the snapshot of one statement.
  const version = withVersion ? await mapVersion(db, filters.allianceId) : undefined;
  if (aggregated) {
    const { rows } = await executePrepared(db, tileCells(points));
    const encoded = encodePointTile(
      SERVICE_TILE_LAYER,
      TILE_EXTENT,
      rows.map((row): TileFeature => ({
        x: row.px,
        y: row.py,
        properties: { count: row.count, ...row.categories },
      })),
    );
    return { tile: encoded, version, allianceHolds: true };
  }
  const { rows } = await executePrepared(db, points);
  const encoded = encodePointTile(
    SERVICE_TILE_LAYER,
    TILE_EXTENT,
    rows.map((row): TileFeature => {
      const properties: TileFeature['properties'] = {
        id: row.id!,
        name: row.name!,
        category: row.category,
        age: row.age!,
        precision: row.precision!,
        organizationName: row.organization_name!,
      };
      if (row.town != null) properties.town = row.town;
      return { x: row.px, y: row.py, properties };
    }),
  );
  return { tile: encoded, version, allianceHolds: true };
}
