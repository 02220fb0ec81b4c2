import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { DatabaseMode } from '../../db/database.js';
import { prepareOnEachConnection } from '../../db/preparedStatements.js';
import { encodeTile, type TilePolygonFeature } from '../services/mvtEncoder.js';
import { TILE_EXTENT, type TileAddress } from '../services/serviceTiles.js';

/** The layer the units' tiles hold. */
export const UNIT_TILE_LAYER = 'units';
/** Pixels drawn past a tile's edge (of 4096), so that outlines and fills meet without seams between tiles. */
const TILE_BUFFER = 64;

/**
 * Each unit's properties as a JSON object, the flat names of `results.geojson` (`<subject>.<measure>`): the
 * measures of one subject, or of every subject when none is given. `reason` (English) is left out: pages say
 * `reasonCode`. Null values are left out of a tile.
 */
function measuresOf(runId: string, subject: string | undefined) {
  const oneSubject = subject === undefined ? sql`true` : sql`r.subject = ${subject}`;
  return sql`(
    select jsonb_object_agg(r.subject || '.' || kv.measure, kv.value)
    from gap_analysis_result r
    cross join lateral (values
      ('nearestDistanceM', to_jsonb(r.nearest_distance_m)),
      ('nearestMinutes', to_jsonb(r.nearest_seconds / 60)),
      ('countWithin', to_jsonb(r.count_within)),
      ('supplyPer10k', to_jsonb(r.supply_per_10k)),
      ('score2sfca', to_jsonb(r.score_2sfca)),
      ('scoreE2sfca', to_jsonb(r.score_e2sfca)),
      ('flags', to_jsonb(array_to_string(r.flags, ' '))),
      ('reasonCode', to_jsonb(r.reason_code))
    ) as kv(measure, value)
    where r.run_id = ${runId} and r.unit_id = u.id and ${oneSubject})`;
}

export interface UnitTileRequest {
  runId: string;
  unitSetId: string;
  subject?: string;
  tile: TileAddress;
}

/** The tile's envelope in Web Mercator, grown by the buffer. */
function envelope({ z, x, y }: TileAddress) {
  return sql`ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int, margin => ${TILE_BUFFER / TILE_EXTENT}::float8)`;
}

/**
 * The units of a finished run that meet one tile, as a Mapbox Vector Tile, layer `units`: each unit's outline
 * (clipped to the tile and its buffer, simplified to the pixel) with `unitId`, `code`, `name`, `population` and its
 * measures as `results.geojson` names them. Server mode: `ST_AsMVTGeom` and `ST_AsMVT`. The embedded database's
 * PostGIS has neither (no protocol buffers): there the same units are projected, clipped, simplified and snapped to
 * tile pixels in SQL, and encoded here.
 */
export async function unitTile(
  db: Kysely<Database>,
  mode: DatabaseMode,
  { runId, unitSetId, subject, tile }: UnitTileRequest,
): Promise<Uint8Array> {
  const near = sql`u.geom && ST_Transform(${envelope(tile)}, 4326)`;
  if (mode === 'server') {
    const statement = sql<{ tile: Uint8Array | null }>`
      select ST_AsMVT(t, ${UNIT_TILE_LAYER}, ${TILE_EXTENT}, 'geom') as tile from (
        select u.id as "unitId", u.code, u.name, u.population, ${measuresOf(runId, subject)} as measures,
          ST_AsMVTGeom(ST_Transform(u.geom, 3857), ST_TileEnvelope(${tile.z}::int, ${tile.x}::int, ${tile.y}::int),
            ${TILE_EXTENT}, ${TILE_BUFFER}, true) as geom
        from analysis_unit u
        where u.set_id = ${unitSetId} and ${near}
      ) t where geom is not null`.compile(db);
    prepareOnEachConnection(statement.sql);
    const { rows } = await db.executeQuery(statement);
    return rows[0]?.tile ?? new Uint8Array();
  }
  // One tile pixel in metres of Web Mercator; the affine map takes the tile's envelope to 0…4096, y down.
  const size = (2 * 20037508.342789244) / 2 ** tile.z;
  const west = -20037508.342789244 + tile.x * size;
  const north = 20037508.342789244 - tile.y * size;
  const scale = TILE_EXTENT / size;
  const statement = sql<{
    unitId: string;
    code: string;
    name: string | null;
    population: number;
    measures: Record<string, string | number | null> | null;
    geometry: string | null;
  }>`
    select "unitId", code, name, population, measures, ST_AsGeoJSON(geom, 0) as geometry from (
      select u.id as "unitId", u.code, u.name, u.population, ${measuresOf(runId, subject)} as measures,
        ST_SnapToGrid(
          ST_Affine(
            ST_Simplify(ST_ClipByBox2D(ST_Transform(u.geom, 3857), ${envelope(tile)}), ${size / TILE_EXTENT}::float8),
            ${scale}::float8, 0, 0, ${-scale}::float8, ${-west * scale}::float8, ${north * scale}::float8),
          1) as geom
      from analysis_unit u
      where u.set_id = ${unitSetId} and ${near}
    ) t where geom is not null and not ST_IsEmpty(geom)`.compile(db);
  const { rows } = await db.executeQuery(statement);
  const features: TilePolygonFeature[] = [];
  for (const row of rows) {
    const rings = polygonsOf(JSON.parse(row.geometry!) as { type: string; coordinates: unknown });
    if (rings.length === 0) continue;
    const properties: TilePolygonFeature['properties'] = {
      unitId: row.unitId,
      code: row.code,
      population: row.population,
    };
    if (row.name !== null) properties.name = row.name;
    for (const [key, value] of Object.entries(row.measures ?? {})) if (value !== null) properties[key] = value;
    features.push({ polygons: rings, properties });
  }
  return encodeTile(UNIT_TILE_LAYER, TILE_EXTENT, features);
}

type Ring = [number, number][];

/** The polygons of a GeoJSON geometry in tile pixels, as lists of rings (outer first); lines and points dropped. */
function polygonsOf(geometry: { type: string; coordinates: unknown; geometries?: unknown[] }): Ring[][] {
  if (geometry.type === 'Polygon') return [geometry.coordinates as Ring[]];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates as Ring[][];
  if (geometry.type === 'GeometryCollection') {
    return (geometry.geometries as (typeof geometry)[]).flatMap((part) => polygonsOf(part));
  }
  return [];
}
