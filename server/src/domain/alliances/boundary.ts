import { type RawBuilder, sql } from 'kysely';
import { splitAtAntimeridian, unwrappedAcrossAntimeridian } from '../../db/postgis.js';
import { geoJsonWgs84Names } from '../geo-files/coordinateSystems.js';

/** An alliance's region as sent: a GeoJSON Polygon or MultiPolygon in WGS84 longitude/latitude. */
export interface BoundaryGeometry {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: unknown;
}

/** Enough for a detailed region; the request body limit stops anything much larger anyway. */
const MAX_POSITIONS = 100_000;

function positionProblem(position: unknown, where: string): string | null {
  if (!Array.isArray(position) || position.length < 2 || position.length > 3) {
    return `${where} must be a [longitude, latitude] pair.`;
  }
  if (!position.every((value) => typeof value === 'number' && Number.isFinite(value))) {
    return `${where} must hold numbers only.`;
  }
  const [lon, lat] = position as number[];
  if (lon! < -180 || lon! > 180 || lat! < -90 || lat! > 90) {
    return `${where} (${lon}, ${lat}) is not a longitude between -180 and 180 and a latitude between -90 and 90.`;
  }
  return null;
}

function polygonProblem(polygon: unknown, name: string, counted: { positions: number }): string | null {
  if (!Array.isArray(polygon) || polygon.length === 0) return `${name} must be a list of rings (lists of points).`;
  for (const [ringIndex, ring] of polygon.entries()) {
    const ringName = `Ring ${ringIndex + 1} of ${name.toLowerCase()}`;
    if (!Array.isArray(ring) || ring.length < 4) {
      return `${ringName} must have at least 4 points, the last one repeating the first.`;
    }
    for (const [pointIndex, position] of ring.entries()) {
      const problem = positionProblem(position, `Point ${pointIndex + 1} of ${ringName.toLowerCase()}`);
      if (problem) return problem;
    }
    const first = ring[0] as number[];
    const last = ring[ring.length - 1] as number[];
    if (first[0] !== last[0] || first[1] !== last[1]) {
      return `${ringName} is not closed: its last point must repeat its first.`;
    }
    counted.positions += ring.length;
    if (counted.positions > MAX_POSITIONS) return `The boundary has more than ${MAX_POSITIONS} points; simplify it.`;
  }
  return null;
}

/**
 * Why a boundary cannot be stored, in words for the person who sent it; null when its shape is right. A ring
 * that crosses itself is not a problem here: the database repairs it (see repairedBoundary).
 */
export function boundaryProblem(geometry: unknown): string | null {
  if (typeof geometry !== 'object' || geometry === null || Array.isArray(geometry)) {
    return 'The boundary must be a GeoJSON geometry object, such as {"type": "Polygon", "coordinates": [...]}.';
  }
  const { type, coordinates } = geometry as { type?: unknown; coordinates?: unknown };
  if (type !== 'Polygon' && type !== 'MultiPolygon') {
    return `The boundary must be a GeoJSON Polygon or MultiPolygon, not ${typeof type === 'string' ? `a ${type}` : 'something without a "type"'}.`;
  }
  const counted = { positions: 0 };
  if (type === 'Polygon') return polygonProblem(coordinates, 'The boundary', counted);
  if (!Array.isArray(coordinates) || coordinates.length === 0) {
    return 'The boundary must be a list of polygons (a MultiPolygon’s coordinates).';
  }
  for (const [index, polygon] of coordinates.entries()) {
    const problem = polygonProblem(polygon, `Polygon ${index + 1} of the boundary`, counted);
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
export function boundaryFromFile(geojson: unknown): BoundaryGeometry | string {
  const crs = isObject(geojson) && isObject(geojson.crs) ? geojson.crs : undefined;
  const crsName = isObject(crs?.properties) ? crs.properties.name : undefined;
  if (crs && (typeof crsName !== 'string' || !geoJsonWgs84Names.has(crsName))) {
    return `This GeoJSON uses the coordinate system ${JSON.stringify(crsName ?? crs)}; export it again in WGS84 longitude/latitude (EPSG:4326), as GeoJSON requires, or send the layer as a zipped Shapefile.`;
  }
  const polygons: unknown[] = [];
  polygonsOf(geojson, polygons);
  if (polygons.length === 0) {
    return 'The file holds no polygon (only points or lines, or no GeoJSON): the region must be an area.';
  }
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
