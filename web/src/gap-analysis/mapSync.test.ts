import { describe, expect, it } from 'vitest';
import { cameraOf, MapSync, type MapCamera, type SyncedMap } from './mapSync';

type MoveListener = () => void;

/** A map reduced to its camera: it fires `move` at once for a jump, as MapLibre does when it is not busy. */
class StubMap implements SyncedMap {
  camera: MapCamera;
  jumps = 0;
  /** Whether its `move` events wait for {@link deliverLateMoves} instead of firing at once. */
  movesLate = false;
  #lateMoves = 0;
  readonly #listeners = new Set<MoveListener>();

  constructor(camera: Partial<MapCamera> = {}) {
    this.camera = { center: [0, 0], zoom: 5, bearing: 0, pitch: 0, ...camera };
  }

  on(_type: 'move', listener: MoveListener): void {
    this.#listeners.add(listener);
  }

  off(_type: 'move', listener: MoveListener): void {
    this.#listeners.delete(listener);
  }

  getCenter() {
    const [lng, lat] = this.camera.center;
    return { lng, lat };
  }

  getZoom() {
    return this.camera.zoom;
  }

  getBearing() {
    return this.camera.bearing;
  }

  getPitch() {
    return this.camera.pitch;
  }

  jumpTo(camera: MapCamera): void {
    this.jumps++;
    this.#moveTo(camera);
  }

  /** A person dragging or zooming the map, or the app fitting it to the areas. */
  moved(camera: Partial<MapCamera>): void {
    this.#moveTo({ ...this.camera, ...camera });
  }

  /** Delivers the `move` of a jump made while the map was busy firing other events. */
  deliverLateMoves(): void {
    const late = this.#lateMoves;
    this.#lateMoves = 0;
    for (let i = 0; i < late; i++) this.#fireMove();
  }

  #moveTo(camera: MapCamera): void {
    this.camera = { ...camera, center: [...camera.center] };
    if (this.movesLate) this.#lateMoves++;
    else this.#fireMove();
  }

  #fireMove(): void {
    for (const listener of this.#listeners) listener();
  }
}

describe('map sync', () => {
  it('moves the other maps to the centre, zoom and bearing of the one a person moves, either way', () => {
    const sync = new MapSync();
    const first = new StubMap();
    const second = new StubMap();
    sync.add(first);
    sync.add(second);

    first.moved({ center: [-0.58, 44.84], zoom: 9, bearing: 12 });
    expect(cameraOf(second)).toEqual(cameraOf(first));

    second.moved({ center: [-0.4, 44.9], zoom: 11 });
    expect(cameraOf(first)).toEqual({ center: [-0.4, 44.9], zoom: 11, bearing: 12, pitch: 0 });
  });

  it('does not echo a followed move back to the map that was moved', () => {
    const sync = new MapSync();
    const first = new StubMap();
    const second = new StubMap();
    sync.add(first);
    sync.add(second);
    const [firstJumps, secondJumps] = [first.jumps, second.jumps];

    first.moved({ zoom: 8 });

    expect(second.jumps).toBe(secondJumps + 1);
    expect(first.jumps).toBe(firstJumps);
  });

  it('ends without a back-and-forth when the follower reports its move after the jump', () => {
    const sync = new MapSync();
    const first = new StubMap();
    const second = new StubMap();
    sync.add(first);
    sync.add(second);
    second.movesLate = true;
    const firstJumps = first.jumps;

    first.moved({ zoom: 8 });
    second.deliverLateMoves();

    expect(second.camera.zoom).toBe(8);
    expect(first.jumps).toBe(firstJumps);
  });

  it('opens a map added later on the view the others already show', () => {
    const sync = new MapSync();
    const first = new StubMap({ center: [-0.58, 44.84], zoom: 10 });
    sync.add(first);

    const added = new StubMap({ center: [2.35, 48.85], zoom: 6 });
    sync.add(added);

    expect(cameraOf(added)).toEqual(cameraOf(first));
  });

  it('stops following once a map is removed', () => {
    const sync = new MapSync();
    const first = new StubMap();
    const second = new StubMap();
    sync.add(first);
    const removeSecond = sync.add(second);

    removeSecond();
    first.moved({ zoom: 12 });
    second.moved({ zoom: 3 });

    expect(second.camera.zoom).toBe(3);
    expect(first.camera.zoom).toBe(12);
  });
});
