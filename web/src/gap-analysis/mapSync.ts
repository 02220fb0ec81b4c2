/** Where a map looks: what {@link MapSync} copies from the map that moved to the others. */
export interface MapCamera {
  center: [number, number];
  zoom: number;
  bearing: number;
  pitch: number;
}

/** The part of a MapLibre map that {@link MapSync} needs: its camera and its `move` event. */
export interface SyncedMap {
  on(type: 'move', listener: () => void): unknown;
  off(type: 'move', listener: () => void): unknown;
  getCenter(): { lng: number; lat: number };
  getZoom(): number;
  getBearing(): number;
  getPitch(): number;
  jumpTo(camera: MapCamera): unknown;
}

/** Far below a pixel at any zoom: a camera this close is the same view, read back with rounding. */
const SAME_VIEW = 1e-9;

/** The camera of `map`, as a fresh object: MapLibre may change the options it is given. */
export function cameraOf(map: SyncedMap): MapCamera {
  const { lng, lat } = map.getCenter();
  return { center: [lng, lat], zoom: map.getZoom(), bearing: map.getBearing(), pitch: map.getPitch() };
}

function sameCamera(a: MapCamera, b: MapCamera): boolean {
  return (
    Math.abs(a.center[0] - b.center[0]) < SAME_VIEW &&
    Math.abs(a.center[1] - b.center[1]) < SAME_VIEW &&
    Math.abs(a.zoom - b.zoom) < SAME_VIEW &&
    Math.abs(a.bearing - b.bearing) < SAME_VIEW &&
    Math.abs(a.pitch - b.pitch) < SAME_VIEW
  );
}

/**
 * Keeps maps shown side by side on one view: whenever one of them moves (a drag, the wheel, the keyboard, the
 * zoom buttons, or the app fitting it to an area), the others jump to the same camera.
 *
 * MapLibre fires `move` at once for a jump, so the `move` of a map that is following is recognised by the flag
 * set around the jump and not sent back. The `move` events of a person's wheel zoom carry no `originalEvent`
 * in MapLibre 6, so that cannot tell a person's move from the app's.
 */
export class MapSync {
  readonly #maps = new Set<SyncedMap>();
  #following = false;

  /** Links `map` to the others, moving it at once to the view they show; returns how to unlink it. */
  add(map: SyncedMap): () => void {
    const [shown] = this.#maps;
    if (shown) this.#jump(map, cameraOf(shown));
    const lead = () => {
      if (this.#following) return;
      const camera = cameraOf(map);
      for (const other of this.#maps) {
        if (other !== map) this.#jump(other, camera);
      }
    };
    map.on('move', lead);
    this.#maps.add(map);
    return () => {
      map.off('move', lead);
      this.#maps.delete(map);
    };
  }

  #jump(map: SyncedMap, camera: MapCamera): void {
    // Also ends a back-and-forth should a map deliver its `move` after the jump rather than during it.
    if (sameCamera(cameraOf(map), camera)) return;
    this.#following = true;
    try {
      map.jumpTo(camera);
    } finally {
      this.#following = false;
    }
  }
}
