import type { MultiPolygon, Polygon, Position } from 'geojson';
import { pageLanguage, t } from '../i18n/pageLanguage.svelte';

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
  if (!Array.isArray(coordinates) || coordinates.length === 0) return t('alliance.file.noCoordinates');
  const rings: Position[][] = [];
  for (const ring of coordinates) {
    if (!Array.isArray(ring) || !ring.every(isPosition)) {
      return t('alliance.file.notPairs');
    }
    if (ring.length < 4) return t('alliance.file.shortRing', { count: 4 });
    if (ring.some(([lon, lat]) => Math.abs(lon!) > 180 || Math.abs(lat!) > 90)) {
      return t('alliance.file.notWgs84');
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
      if (!Array.isArray(value.features)) return t('alliance.file.noFeatures');
      for (const feature of value.features) {
        const problem = collectPolygons(feature, into);
        if (problem) return problem;
      }
      return null;
    case 'Feature':
      return collectPolygons(value.geometry, into);
    case 'GeometryCollection':
      if (!Array.isArray(value.geometries)) return t('alliance.file.noGeometries');
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
      if (!Array.isArray(value.coordinates)) return t('alliance.file.multiPolygonEmpty');
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
    return refused(t('alliance.file.notGeoJson'));
  }
  const polygons: Position[][][] = [];
  const problem = collectPolygons(value, polygons);
  if (problem) return refused(problem);
  if (polygons.length === 0) {
    return refused(t('alliance.file.noPolygon'));
  }
  const boundary: MultiPolygon = { type: 'MultiPolygon', coordinates: polygons };
  if (JSON.stringify(boundary).length > MAX_BOUNDARY_JSON_CHARS) {
    return refused(t('alliance.file.tooManyPoints', { count: pointCount(boundary) }));
  }
  return { boundary, error: null };
}

/** Reads a region from the text of a file the person chose. */
export function boundaryFromText(text: string): BoundaryReading {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return refused(t('alliance.file.notJson'));
  }
  return boundaryFromGeoJson(value);
}

/** Why a file will not be read at all (too big, empty), or null. */
export function boundaryFileProblem(file: { name: string; size: number }): string | null {
  if (file.size === 0) return t('alliance.file.empty', { file: file.name });
  if (file.size > MAX_BOUNDARY_FILE_BYTES) {
    const megabytes = (bytes: number) =>
      pageLanguage.format.number(bytes / 1024 / 1024, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    return t('alliance.file.tooBig', {
      file: file.name,
      size: megabytes(file.size),
      limit: pageLanguage.format.number(MAX_BOUNDARY_FILE_BYTES / 1024 / 1024),
    });
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
