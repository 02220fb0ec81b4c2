import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { DatabaseMode } from '../../db/database.js';
import { type PointReader, readsExactly, visiblePoint, visiblePrecision } from '../locations/hiddenAddresses.js';
import { ageExpression } from '../freshness/serviceFreshness.js';
import { applyServiceFilters, type ServiceFilters } from './serviceFilters.js';
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
/** A hidden address is shown at its point rounded to 0.01°: the places searched reach that far past the tile. */
const HIDDEN_POINT_MARGIN_DEG = 0.011;

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

/** The box to search the GiST index with, as a geography, grown by `margin` degrees. */
function nearTile(column: RawBuilder<unknown>, tile: TileAddress, margin: number): RawBuilder<boolean> {
  const box = tileBox(tile);
  // A box wider than a quarter of the world is no help to the index and is ambiguous as a geography.
  if (box.east - box.west > 90) return sql<boolean>`${column} is not null`;
  return sql<boolean>`${column} && ST_MakeEnvelope(${box.west - margin}, ${Math.max(box.south - margin, -90)},
    ${box.east + margin}, ${Math.min(box.north + margin, 90)}, 4326)::geography`;
}

/**
 * The placed points of one tile as the reader sees them, before any service filter: `service_id`, `location_id`,
 * `lon`, `lat`. A public or exact reader's points are searched directly in the GiST index of the column that holds
 * them (`service_at_location.geog` or `location.geog`), with the tile's box; a mixed reading searches the exact
 * points with the hidden points' margin and works out each one's visible point.
 */
function candidatePoints(reach: Reach, reader: PointReader, tile: TileAddress): RawBuilder<unknown> {
  if (reach === 'public') {
    return sql`select sal.service_id, sal.location_id, ST_X(sal.geog::geometry) as lon, ST_Y(sal.geog::geometry) as lat
      from service_at_location sal where ${nearTile(sql.ref('sal.geog'), tile, 0)}`;
  }
  if (reach === 'exact') {
    return sql`select sal.service_id, l.id as location_id, ST_X(l.geog::geometry) as lon, ST_Y(l.geog::geometry) as lat
      from location l join service_at_location sal on sal.location_id = l.id
      where ${nearTile(sql.ref('l.geog'), tile, 0)}`;
  }
  const point = sql`(${visiblePoint('l', readsExactly(reader, 'o.alliance_id'))})::geometry`;
  return sql`select sal.service_id, l.id as location_id, ST_X(${point}) as lon, ST_Y(${point}) as lat
    from location l join service_at_location sal on sal.location_id = l.id
    join service s on s.id = sal.service_id join organization o on o.id = s.organization_id
    where ${nearTile(sql.ref('l.geog'), tile, HIDDEN_POINT_MARGIN_DEG)}`;
}

/**
 * The services of one tile as rows, for both modes: each service once, at its first placed location (as the
 * GeoJSON has it), at the point the reader may see (a hidden address's rounded point for non-members), in tile
 * coordinates. The points of the tile are found first (one index walk, see `candidatePoints`) and turned into tile
 * pixels once (the subquery is kept apart with `offset 0`, so the planner does not compute them again in each
 * place they are used); only those inside the tile are joined to their service, organisation and alliance.
 */
export function tilePoints(
  db: Kysely<Database>,
  filters: ServiceFilters,
  reader: PointReader,
  tile: TileAddress,
  options: { aggregated: boolean; now: Date },
) {
  const reach = reachOf(reader, filters.allianceId);
  // Tile pixels from longitude and latitude directly: the Web Mercator formula, without a projection library;
  // latitudes beyond the map's ±85.05° fall outside every tile.
  const scale = 2 ** tile.z * TILE_EXTENT;
  const pixels = sql`(
    select * from (
      select service_id, location_id,
        floor((lon + 180) / 360 * ${scale}::float8 - ${tile.x * TILE_EXTENT}::float8)::int as px,
        floor((1 - ln(tan(radians(least(greatest(lat, -86), 86))) + 1 / cos(radians(least(greatest(lat, -86), 86))))
          / pi()) / 2 * ${scale}::float8 - ${tile.y * TILE_EXTENT}::float8)::int as py
      from (${candidatePoints(reach, reader, tile)} offset 0) c
    ) r
    where px >= 0 and px < ${TILE_EXTENT} and py >= 0 and py < ${TILE_EXTENT})`;
  let query = db
    .selectFrom(pixels.as('p') as never)
    .innerJoin('location as l', 'l.id', 'p.location_id' as never)
    .innerJoin('service as s', 's.id', 'p.service_id' as never)
    .innerJoin('organization as o', 'o.id', 's.organization_id')
    // The first placed location stands for the service, as in the GeoJSON and the list. Most services have one
    // link: the index on (service_id, location_id) answers then, without reading another location.
    .where(
      sql<boolean>`not exists (
        select 1 from service_at_location sal2 join location l2 on l2.id = sal2.location_id
        where sal2.service_id = s.id and sal2.location_id <> l.id and l2.geog is not null
          and (l2.created_at, l2.id) < (l.created_at, l.id))`,
    );
  query = applyServiceFilters(query as never, { ...filters, bbox: undefined }) as unknown as typeof query;
  const exact = reach === 'public' ? sql<boolean>`false` : reach === 'exact' ? sql<boolean>`true` : undefined;
  const columns: RawBuilder<unknown>[] = [sql`s.category`, sql`p.px`, sql`p.py`];
  if (!options.aggregated) {
    columns.push(
      sql`s.id`,
      sql`s.name`,
      visiblePrecision('l', exact ?? readsExactly(reader, 'o.alliance_id')),
      sql`${ageExpression(
        {
          verifiedAt: sql.ref('s.verified_at'),
          serviceCycle: sql.ref('s.update_cycle_months'),
          allianceCycle: sql`a.update_cycle_months`,
          timeZone: sql`a.timezone`,
        },
        options.now,
      )}`,
      sql`o.name`,
      sql`l.city`,
    );
  }
  const names = options.aggregated
    ? ['category', 'px', 'py']
    : ['category', 'px', 'py', 'id', 'name', 'precision', 'age', 'organization_name', 'town'];
  const select = query
    .$if(!options.aggregated, (q) => q.innerJoin('alliance as a', 'a.id', 'o.alliance_id'))
    .select(columns.map((column, index) => sql`${column}`.as(names[index]!)));
  return sql<TilePointRow>`${select}`;
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
  const points = tilePoints(db, filters, reader, tile, { aggregated, now });
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
