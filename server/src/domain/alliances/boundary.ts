import { type RawBuilder, sql } from 'kysely';
import { splitAtAntimeridian, unwrappedAcrossAntimeridian } from '../../db/postgis.js';
import { geoJsonWgs84Names } from '../geo-files/coordinateSystems.js';
import { type CodedMessage, said } from '../messages/userError.js';

/** An alliance's region as sent: a GeoJSON Polygon or MultiPolygon in WGS84 longitude/latitude. */
export interface BoundaryGeometry {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: unknown;
}

/** Enough for a detailed region; the request body limit stops anything much larger anyway. */
const MAX_POSITIONS = 100_000;

/** Where in a MultiPolygon a problem is: polygon, ring and point are 1-based; no polygon in a Polygon. */
interface BoundaryPlace {
  polygon?: number;
  ring?: number;
  point?: number;
}

/**
 * The problem's code, `boundary.<problem>` in a Polygon and `boundary.polygon-<problem>` in a polygon of a
 * MultiPolygon, with the place as parameters.
 */
function placed(
  problem: 'not-rings' | 'ring-too-short' | 'ring-not-closed' | 'point-not-pair' | 'point-not-numbers',
  place: BoundaryPlace,
): CodedMessage {
  const params = place as Record<string, number>;
  return place.polygon === undefined
    ? said(`boundary.${problem}`, params as never)
    : said(`boundary.polygon-${problem}`, params as never);
}

function positionProblem(position: unknown, place: BoundaryPlace): CodedMessage | null {
  if (!Array.isArray(position) || position.length < 2 || position.length > 3) return placed('point-not-pair', place);
  if (!position.every((value) => typeof value === 'number' && Number.isFinite(value))) {
    return placed('point-not-numbers', place);
  }
  const [lon, lat] = position as number[];
  if (lon! < -180 || lon! > 180 || lat! < -90 || lat! > 90) {
    const at = { ...place, lon: lon!, lat: lat! } as Required<BoundaryPlace> & { lon: number; lat: number };
    return place.polygon === undefined
      ? said('boundary.point-out-of-range', at)
      : said('boundary.polygon-point-out-of-range', at);
  }
  return null;
}

function polygonProblem(polygon: unknown, at: BoundaryPlace, counted: { positions: number }): CodedMessage | null {
  if (!Array.isArray(polygon) || polygon.length === 0) return placed('not-rings', at);
  for (const [ringIndex, ring] of polygon.entries()) {
    const ringAt = { ...at, ring: ringIndex + 1 };
    if (!Array.isArray(ring) || ring.length < 4) return placed('ring-too-short', ringAt);
    for (const [pointIndex, position] of ring.entries()) {
      const problem = positionProblem(position, { ...ringAt, point: pointIndex + 1 });
      if (problem) return problem;
    }
    const first = ring[0] as number[];
    const last = ring[ring.length - 1] as number[];
    if (first[0] !== last[0] || first[1] !== last[1]) return placed('ring-not-closed', ringAt);
    counted.positions += ring.length;
    if (counted.positions > MAX_POSITIONS) return said('boundary.too-many-points', { max: MAX_POSITIONS });
  }
  return null;
}

/**
 * Why a boundary cannot be stored, as a code for the person who sent it; null when its shape is right. A ring
 * that crosses itself is not a problem here: the database repairs it (see repairedBoundary).
 */
export function boundaryProblem(geometry: unknown): CodedMessage | null {
  if (typeof geometry !== 'object' || geometry === null || Array.isArray(geometry)) {
    return said('boundary.not-object', { example: '{"type": "Polygon", "coordinates": [...]}' });
  }
  const { type, coordinates } = geometry as { type?: unknown; coordinates?: unknown };
  if (type !== 'Polygon' && type !== 'MultiPolygon') {
    return typeof type === 'string' ? said('boundary.wrong-type', { type }) : said('boundary.no-type');
  }
  const counted = { positions: 0 };
  if (type === 'Polygon') return polygonProblem(coordinates, {}, counted);
  if (!Array.isArray(coordinates) || coordinates.length === 0) return said('boundary.not-polygon-list');
  for (const [index, polygon] of coordinates.entries()) {
    const problem = polygonProblem(polygon, { polygon: index + 1 }, counted);
    if (problem) return problem;
  }
  return null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every polygon of a GeoJSON value in the order of the file; points and lines are left out. */
function polygonsOf(value: unknown, into: unknown[]): void {
  if (!isObject(value)) return;
  if (value.type === 'FeatureCollection' && Array.isArray(value.features)) {
    for (const feature of value.features) polygonsOf(feature, into);
  } else if (value.type === 'Feature') {
    polygonsOf(value.geometry, into);
  } else if (value.type === 'GeometryCollection' && Array.isArray(value.geometries)) {
    for (const geometry of value.geometries) polygonsOf(geometry, into);
  } else if (value.type === 'Polygon') {
    into.push(value.coordinates);
  } else if (value.type === 'MultiPolygon' && Array.isArray(value.coordinates)) {
    into.push(...(value.coordinates as unknown[]));
  }
}

/** Seven decimals are about a centimetre: a reprojected file has more, which only make it heavier. */
function rounded(coordinates: unknown): unknown {
  if (typeof coordinates === 'number') return Math.round(coordinates * 1e7) / 1e7;
  return Array.isArray(coordinates) ? coordinates.map(rounded) : coordinates;
}

/**
 * The region a boundary file holds (a FeatureCollection, a Feature, a geometry or a collection of them): all its
 * polygons as one MultiPolygon, or a sentence saying why there is none that can be stored.
 */
export function boundaryFromFile(geojson: unknown, fileName: string): BoundaryGeometry | CodedMessage {
  const crs = isObject(geojson) && isObject(geojson.crs) ? geojson.crs : undefined;
  const crsName = isObject(crs?.properties) ? crs.properties.name : undefined;
  if (crs && (typeof crsName !== 'string' || !geoJsonWgs84Names.has(crsName))) {
    return said('boundary.file-not-wgs84', { fileName, crs: JSON.stringify(crsName ?? crs) });
  }
  const polygons: unknown[] = [];
  polygonsOf(geojson, polygons);
  if (polygons.length === 0) return said('boundary.file-no-polygon', { fileName });
  const boundary: BoundaryGeometry = { type: 'MultiPolygon', coordinates: rounded(polygons) };
  return boundaryProblem(boundary) ?? boundary;
}

/**
 * The boundary with each polygon drawn across the antimeridian given longitudes past 180° (see splitAtAntimeridian),
 * or undefined when none is.
 */
function unwrapped(geometry: BoundaryGeometry): BoundaryGeometry | undefined {
  const polygons = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as number[][][][];
  const moved = polygons.map(unwrappedAcrossAntimeridian);
  return moved.some((polygon, index) => polygon !== polygons[index])
    ? { type: 'MultiPolygon', coordinates: moved }
    : undefined;
}

/**
 * The boundary as the alliance table stores it: a MultiPolygon, repaired when its rings cross themselves or
 * each other (ST_MakeValid), keeping only the areas of the repaired shape. A polygon drawn across the antimeridian
 * (from 179.6° E to 179.7° W, say) is split there into two parts that meet at 180°, rather than read as the strip
 * between them around the rest of the world.
 */
export function repairedBoundary(geometry: BoundaryGeometry): RawBuilder<string> {
  const across = unwrapped(geometry);
  const valid = sql`ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(across ?? geometry)}), 4326))`;
  if (!across) return sql<string>`ST_Multi(ST_CollectionExtract(${valid}, 3))`;
  return sql<string>`ST_Multi(ST_CollectionExtract(${splitAtAntimeridian(sql`ST_CollectionExtract(${valid}, 3)`)}, 3))`;
}
