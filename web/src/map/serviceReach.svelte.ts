import type { Isochrones } from '../api/types';

/**
 * What a service's "Reach from here" section has asked the map to draw: shared by the section, which fetches the
 * areas and clears them when it closes, and the map, which draws them and brings them into view.
 */
export class ServiceReach {
  /** The areas to draw; null draws none. A new answer is a new object, and the map fits it into view. */
  areas = $state.raw<Isochrones | null>(null);

  show(areas: Isochrones): void {
    this.areas = areas;
  }

  clear(): void {
    this.areas = null;
  }
}
