import type { Geometry } from 'geojson';
import type { BBox } from '../api/types';

function extend(bbox: BBox, coordinates: unknown): void {
  if (!Array.isArray(coordinates)) return;
  if (typeof coordinates[0] === 'number' && typeof coordinates[1] === 'number') {
    bbox[0] = Math.min(bbox[0], coordinates[0]);
    bbox[1] = Math.min(bbox[1], coordinates[1]);
    bbox[2] = Math.max(bbox[2], coordinates[0]);
    bbox[3] = Math.max(bbox[3], coordinates[1]);
    return;
  }
  for (const inner of coordinates) extend(bbox, inner);
}

/** The bounding box of polygon geometries, or null when they hold no coordinate. */
export function geometryBounds(geometries: Iterable<Geometry | null>): BBox | null {
  const bbox: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const geometry of geometries) {
    if (geometry && 'coordinates' in geometry) extend(bbox, geometry.coordinates);
  }
  return Number.isFinite(bbox[0]) ? bbox : null;
}
