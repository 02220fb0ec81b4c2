import type { MultiPolygon, Polygon, Position } from 'geojson';

/** A file larger than this is refused before it is read: a region's outline is rarely more than a few hundred KB. */
export const MAX_BOUNDARY_FILE_BYTES = 5 * 1024 * 1024;
/** The server takes request bodies up to 1 MiB; the boundary must leave room for the rest of the body. */
export const MAX_BOUNDARY_JSON_CHARS = 900 * 1024;

/** What reading a boundary gave: the region as one MultiPolygon, or a sentence saying why it could not. */
export type BoundaryReading = { boundary: MultiPolygon; error: null } | { boundary: null; error: string };

function refused(error: string): BoundaryReading {
  return { boundary: null, error };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const geoJsonTypes = new Set([
  'FeatureCollection',
  'Feature',
  'GeometryCollection',
  'Point',
  'MultiPoint',
  'LineString',
  'MultiLineString',
  'Polygon',
  'MultiPolygon',
]);

/** Six decimals are about 10 cm: more only makes the file heavier. */
function rounded(position: Position): Position {
  return [Math.round(position[0]! * 1e6) / 1e6, Math.round(position[1]! * 1e6) / 1e6];
}

function isPosition(value: unknown): value is Position {
  return (
    Array.isArray(value) &&
    value.length >= 2 &&
    value.every((coordinate) => typeof coordinate === 'number' && Number.isFinite(coordinate))
  );
}

/** The polygon's rings, or a sentence about the first thing wrong with them. */
function polygonRings(coordinates: unknown): Position[][] | string {
  if (!Array.isArray(coordinates) || coordinates.length === 0) return 'A polygon in the file has no coordinates.';
  const rings: Position[][] = [];
  for (const ring of coordinates) {
    if (!Array.isArray(ring) || !ring.every(isPosition)) {
      return 'A polygon in the file has coordinates that are not [longitude, latitude] pairs of numbers.';
    }
    if (ring.length < 4) return 'A polygon in the file has a ring of fewer than 4 points, so it encloses no area.';
    if (ring.some(([lon, lat]) => Math.abs(lon!) > 180 || Math.abs(lat!) > 90)) {
      return 'The coordinates are not longitudes and latitudes (WGS 84). Export the file again in EPSG:4326, the usual projection of GeoJSON.';
    }
    const closed = ring.map(rounded);
    const first = closed[0]!;
    const last = closed[closed.length - 1]!;
    if (first[0] !== last[0] || first[1] !== last[1]) closed.push(first);
    rings.push(closed);
  }
  return rings;
}

/** Every polygon in a GeoJSON value, in the order of the file; a string when one of them is broken. */
function collectPolygons(value: unknown, into: Position[][][]): string | null {
  if (!isObject(value)) return null;
  switch (value.type) {
    case 'FeatureCollection':
      if (!Array.isArray(value.features)) return 'The FeatureCollection has no list of "features".';
      for (const feature of value.features) {
        const problem = collectPolygons(feature, into);
        if (problem) return problem;
      }
      return null;
    case 'Feature':
      return collectPolygons(value.geometry, into);
    case 'GeometryCollection':
      if (!Array.isArray(value.geometries)) return 'The GeometryCollection has no list of "geometries".';
      for (const geometry of value.geometries) {
        const problem = collectPolygons(geometry, into);
        if (problem) return problem;
      }
      return null;
    case 'Polygon': {
      const rings = polygonRings(value.coordinates);
      if (typeof rings === 'string') return rings;
      into.push(rings);
      return null;
    }
    case 'MultiPolygon': {
      if (!Array.isArray(value.coordinates)) return 'A MultiPolygon in the file has no coordinates.';
      for (const polygon of value.coordinates) {
        const rings = polygonRings(polygon);
        if (typeof rings === 'string') return rings;
        into.push(rings);
      }
      return null;
    }
    default:
      return null;
  }
}

/**
 * Reads a region from parsed GeoJSON: a FeatureCollection, a Feature, a geometry collection, a Polygon or a
 * MultiPolygon. Every polygon found becomes one part of a single MultiPolygon; points and lines are left out.
 */
export function boundaryFromGeoJson(value: unknown): BoundaryReading {
  if (!isObject(value) || typeof value.type !== 'string' || !geoJsonTypes.has(value.type)) {
    return refused(
      'This file is JSON but not GeoJSON: it should be a FeatureCollection, a Feature, a Polygon or a MultiPolygon.',
    );
  }
  const polygons: Position[][][] = [];
  const problem = collectPolygons(value, polygons);
  if (problem) return refused(problem);
  if (polygons.length === 0) {
    return refused(
      'This GeoJSON holds no polygon, only points or lines. The region must be an area: a Polygon or a MultiPolygon.',
    );
  }
  const boundary: MultiPolygon = { type: 'MultiPolygon', coordinates: polygons };
  if (JSON.stringify(boundary).length > MAX_BOUNDARY_JSON_CHARS) {
    return refused(
      `This boundary has too many points to send (${pointCount(boundary).toLocaleString('en')}). Simplify it first, for example with mapshaper.org, then import it again.`,
    );
  }
  return { boundary, error: null };
}

/** Reads a region from the text of a file the person chose. */
export function boundaryFromText(text: string): BoundaryReading {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return refused('This file is not JSON, so it cannot be GeoJSON. Choose a .geojson or .json file.');
  }
  return boundaryFromGeoJson(value);
}

/** Why a file will not be read at all (too big, empty), or null. */
export function boundaryFileProblem(file: { name: string; size: number }): string | null {
  if (file.size === 0) return `“${file.name}” is empty.`;
  if (file.size > MAX_BOUNDARY_FILE_BYTES) {
    const megabytes = (file.size / 1024 / 1024).toFixed(1);
    return `“${file.name}” is ${megabytes} MB; the limit is ${MAX_BOUNDARY_FILE_BYTES / 1024 / 1024} MB. Simplify the region first, for example with mapshaper.org.`;
  }
  return null;
}

/** Reads a region from a file chosen in the browser, checking its size before reading it. */
export async function boundaryFromFile(file: File): Promise<BoundaryReading> {
  const problem = boundaryFileProblem(file);
  if (problem) return refused(problem);
  return boundaryFromText(await file.text());
}

/** A region drawn point by point: the ring closed on its first point. Null with fewer than 3 points. */
export function polygonFromPoints(points: readonly Position[]): Polygon | null {
  if (points.length < 3) return null;
  const ring = points.map(rounded);
  return { type: 'Polygon', coordinates: [[...ring, ring[0]!]] };
}

/** A Polygon as the one part of a MultiPolygon, the shape every boundary has in the app. */
export function asMultiPolygon(polygon: Polygon): MultiPolygon {
  return { type: 'MultiPolygon', coordinates: [polygon.coordinates] };
}

/** How many points a region's outline has, to say how detailed it is. */
export function pointCount(boundary: MultiPolygon): number {
  return boundary.coordinates.reduce(
    (sum, polygon) => sum + polygon.reduce((inPolygon, ring) => inPolygon + ring.length, 0),
    0,
  );
}
