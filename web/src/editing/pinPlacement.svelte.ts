import type { MapPoint } from './serviceEdits';

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
  /** A point the map should bring into view, close enough to see the pin apart from its neighbours. */
  showRequest = $state.raw<MapPoint | null>(null);

  /** Waits for a click on the map, which first shows where the pin is now. */
  start(current: MapPoint | null): void {
    this.current = current;
    this.point = null;
    this.waiting = true;
    this.showRequest = current;
  }

  place(point: MapPoint): void {
    this.point = point;
    this.waiting = false;
  }

  /** Waits for another click, leaving the map where the person has moved it. */
  clickAgain(): void {
    this.point = null;
    this.waiting = true;
  }

  /** Places the pin somewhere the map may not be showing (an address found by the geocoder), and brings it into view. */
  placeAndShow(point: MapPoint): void {
    this.place(point);
    this.showRequest = point;
  }

  /** Brings a point into view (a town found by name) without placing the pin: the person clicks the exact spot. */
  show(point: MapPoint): void {
    this.showRequest = point;
  }

  /** Escape: stops waiting for a click; a point already placed stays. */
  stopWaiting(): void {
    this.waiting = false;
  }

  reset(): void {
    this.waiting = false;
    this.point = null;
    this.current = null;
    this.showRequest = null;
  }
}
