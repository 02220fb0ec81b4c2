import type { MapPoint } from '../../workspace/serviceEdits';

/**
 * A pin being moved: shared by the place form, which starts and saves it, and the map, which takes the click and
 * shows the new point as a marker that can be dragged.
 */
export class PinPlacement {
  /** The map waits for a click (crosshair and hint). */
  waiting = $state(false);
  /** The point chosen and not saved yet. */
  point = $state.raw<MapPoint | null>(null);
  /** Where the pin is now, drawn for comparison while the new one is placed. */
  current = $state.raw<MapPoint | null>(null);
  /** The centre of the map's view, for placing the pin without a pointer. */
  viewCentre = $state.raw<MapPoint | null>(null);

  start(current: MapPoint | null): void {
    this.current = current;
    this.point = null;
    this.waiting = true;
  }

  place(point: MapPoint): void {
    this.point = point;
    this.waiting = false;
  }

  /** Escape: stops waiting for a click; a point already placed stays. */
  stopWaiting(): void {
    this.waiting = false;
  }

  reset(): void {
    this.waiting = false;
    this.point = null;
    this.current = null;
  }
}
