import type { LngLatBounds } from 'maplibre-gl';
import type { BBox } from '../api/types';

/** True when the point lies inside the box; boxes never cross the antimeridian in the four regions we map. */
export function bboxContains([west, south, east, north]: BBox, lon: number, lat: number): boolean {
  return lon >= west && lon <= east && lat >= south && lat <= north;
}

/** Smallest box holding every given box (an alliance without boundary has none), or null when there is none. */
export function unionBbox(boxes: readonly (BBox | null)[]): BBox | null {
  const present = boxes.filter((box): box is BBox => box !== null);
  if (present.length === 0) return null;
  return present.reduce<BBox>(
    (union, [west, south, east, north]) => [
      Math.min(union[0], west),
      Math.min(union[1], south),
      Math.max(union[2], east),
      Math.max(union[3], north),
    ],
    [Infinity, Infinity, -Infinity, -Infinity],
  );
}

export function bboxFromBounds(bounds: LngLatBounds): BBox {
  return [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()];
}

/** A stable string for a box, so that effects can tell a new box from the same values recomputed. */
export function bboxKey(bbox: BBox | null): string {
  return bbox ? bbox.map((value) => value.toFixed(5)).join(',') : '';
}

/** A rectangle in screen pixels, used to keep HTML labels and markers from covering each other. */
export interface ScreenBox {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export function boxesOverlap(a: ScreenBox, b: ScreenBox): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}
