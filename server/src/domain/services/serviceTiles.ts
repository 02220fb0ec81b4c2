import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { DatabaseMode } from '../../db/database.js';
import { type PointReader, readsExactly, visiblePoint, visiblePrecision } from '../locations/hiddenAddresses.js';
import { ageExpression } from '../freshness/serviceFreshness.js';
import { applyServiceFilters, type ServiceFilters } from './serviceFilters.js';
import { encodePointTile, type TileFeature } from './mvtEncoder.js';
import { prepareOnEachConnection } from '../../db/preparedStatements.js';

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
 * The services of one tile as rows, for both modes: each service once, at its first placed location (as the
 * GeoJSON has it), at the point the reader may see (a hidden address's rounded point for non-members), in tile
 * coordinates. The search walks the GiST index of `location.geog` with the tile's box and the hidden points'
 * margin, then keeps the points inside the tile.
 */
function tilePoints(
  db: Kysely<Database>,
  filters: ServiceFilters,
  reader: PointReader,
  tile: TileAddress,
  options: { aggregated: boolean; now: Date },
) {
  const box = tileBox(tile);
  const exact = readsExactly(reader, 'o.alliance_id');
  const m = HIDDEN_POINT_MARGIN_DEG;
  // A box wider than a quarter of the world is no help to the index and is ambiguous as a geography.
  const nearTile =
    box.east - box.west > 90
      ? sql<boolean>`l.geog is not null`
      : sql<boolean>`l.geog && ST_MakeEnvelope(${box.west - m}, ${Math.max(box.south - m, -90)}, ${box.east + m},
          ${Math.min(box.north + m, 90)}, 4326)::geography`;
  let query = db
    .selectFrom('location as l')
    .innerJoin('service_at_location as sal', 'sal.location_id', 'l.id')
    .innerJoin('service as s', 's.id', 'sal.service_id')
    .innerJoin('organization as o', 'o.id', 's.organization_id')
    .where(nearTile)
    // The first placed location stands for the service, as in the GeoJSON and the list.
    .where(
      sql<boolean>`not exists (
        select 1 from service_at_location sal2 join location l2 on l2.id = sal2.location_id
        where sal2.service_id = s.id and l2.geog is not null
          and (l2.created_at, l2.id) < (l.created_at, l.id))`,
    );
  query = applyServiceFilters(query as never, { ...filters, bbox: undefined }) as unknown as typeof query;
  const point = sql`(${visiblePoint('l', exact)})::geometry`;
  const columns: RawBuilder<unknown>[] = [sql`s.category`, sql`ST_X(${point})`, sql`ST_Y(${point})`];
  if (!options.aggregated) {
    columns.push(
      sql`s.id`,
      sql`s.name`,
      visiblePrecision('l', exact),
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
  const inner = query
    .$if(!options.aggregated, (q) => q.innerJoin('alliance as a', 'a.id', 'o.alliance_id'))
    .select(columns.map((column, index) => sql`${column}`.as(`c${index}`)))
    .as('inner_points');
  // Tile pixels from longitude and latitude directly: the Web Mercator formula, without a projection library;
  // latitudes beyond the map's ±85.05° fall outside every tile.
  const scale = 2 ** tile.z * TILE_EXTENT;
  const keep = options.aggregated ? sql`category` : sql`category, id, name, precision, age, organization_name, town`;
  return sql<TilePointRow>`
    select ${keep}, px, py from (
      select c0 as category, ${options.aggregated ? sql`` : sql`c3 as id, c4 as name, c5 as precision, c6 as age, c7 as organization_name, c8 as town,`}
        floor((c1 + 180) / 360 * ${scale}::float8 - ${tile.x * TILE_EXTENT}::float8)::int as px,
        floor((1 - ln(tan(radians(least(greatest(c2, -86), 86))) + 1 / cos(radians(least(greatest(c2, -86), 86))))
          / pi()) / 2 * ${scale}::float8 - ${tile.y * TILE_EXTENT}::float8)::int as py
      from ${inner}
    ) r
    where px >= 0 and px < ${TILE_EXTENT} and py >= 0 and py < ${TILE_EXTENT}`;
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
function tileCells(points: RawBuilder<TilePointRow>) {
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
  { filters, reader, tile, now = new Date() }: ServiceTileRequest,
): Promise<Uint8Array> {
  const aggregated = tile.z < POINTS_FROM_ZOOM;
  const points = tilePoints(db, filters, reader, tile, { aggregated, now });
  if (mode === 'server') {
    const features = aggregated
      ? sql`select count, categories, ST_MakePoint(px, py) as geom from (${tileCells(points)}) c`
      : sql`select id, name, category, age, precision, organization_name as "organizationName", town,
          ST_MakePoint(px, py) as geom from (${points}) p`;
    const tile = sql<{ tile: Uint8Array | null }>`
      select ST_AsMVT(f, ${SERVICE_TILE_LAYER}, ${TILE_EXTENT}, 'geom') as tile from (${features}) f`;
    const { rows } = await executePrepared(db, tile);
    return rows[0]?.tile ?? new Uint8Array();
  }
  if (aggregated) {
    const { rows } = await executePrepared(db, tileCells(points));
    return encodePointTile(
      SERVICE_TILE_LAYER,
      TILE_EXTENT,
      rows.map((row): TileFeature => ({
        x: row.px,
        y: row.py,
        properties: { count: row.count, ...row.categories },
      })),
    );
  }
  const { rows } = await executePrepared(db, points);
  return encodePointTile(
    SERVICE_TILE_LAYER,
    TILE_EXTENT,
    rows.map((row): TileFeature => ({
      x: row.px,
      y: row.py,
      properties: { id: row.id!, name: row.name!, category: row.category, age: row.age!, precision: row.precision! },
    })),
  );
}
