import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/** What the low-zoom tiles of one database may keep in memory at most: a few thousand tiles of a few kB. */
export const SERVICE_TILE_CACHE_BYTES = 32 * 1024 * 1024;

interface KeptTile {
  scope: string;
  tile: Uint8Array;
}

/**
 * Encoded service tiles of the low zooms (the aggregated ones, below `POINTS_FROM_ZOOM`), kept in memory by the
 * version of their scope's map data (`mapVersion`): at zoom 5 one tile groups tens of thousands of services in SQL,
 * and every phone and browser opening the map asks the same few. Any change to the scope's services, places,
 * organisations or alliance moves the version, so the next request builds the tile again; the tiles of the older
 * version are dropped at once. Bounded by bytes, the least recently used tile going first. Two requests for a tile
 * being built share the build; a build that fails is not kept.
 */
export class ServiceTileCache {
  /** In order of use, the least recently used first (a `Map` keeps the order of insertion). */
  readonly #tiles = new Map<string, KeptTile>();
  readonly #building = new Map<string, Promise<Uint8Array>>();
  /** The version last asked for in each scope (an alliance's id, or `*` for every alliance). */
  readonly #versions = new Map<string, string>();
  #bytes = 0;
  /** How many tiles were built (not found here): for tests and the benchmark's report. */
  builds = 0;

  constructor(readonly maxBytes = SERVICE_TILE_CACHE_BYTES) {}

  /** The bytes kept now. */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * The tile under `key` (which must say everything the tile depends on but the version: what was asked and how the
   * reader sees it) at `version` of `scope`'s map data, built by `build` when it is not kept.
   */
  async tile(
    { scope, version, key }: { scope: string; version: string; key: string },
    build: () => Promise<Uint8Array>,
  ): Promise<Uint8Array> {
    if (this.#versions.get(scope) !== version) this.#forget(scope, version);
    const full = `${scope}|${version}|${key}`;
    const kept = this.#tiles.get(full);
    if (kept) {
      this.#tiles.delete(full);
      this.#tiles.set(full, kept);
      return kept.tile;
    }
    const building = this.#building.get(full);
    if (building) return building;
    this.builds += 1;
    const built = build();
    this.#building.set(full, built);
    try {
      const tile = await built;
      // Kept only if its version is still the scope's newest: a build that a change overtook is not.
      // A copy of its own: a small Buffer from the driver may be a view of a larger shared one, kept alive with it.
      if (this.#versions.get(scope) === version) this.#keep(full, { scope, tile: new Uint8Array(tile) });
      return tile;
    } finally {
      this.#building.delete(full);
    }
  }

  #keep(full: string, kept: KeptTile): void {
    if (kept.tile.byteLength > this.maxBytes) return;
    this.#tiles.set(full, kept);
    this.#bytes += kept.tile.byteLength;
    for (const [oldest, tile] of this.#tiles) {
      if (this.#bytes <= this.maxBytes) break;
      this.#tiles.delete(oldest);
      this.#bytes -= tile.tile.byteLength;
    }
  }

  /** Drops the scope's tiles of other versions than `version`, now its newest. */
  #forget(scope: string, version: string): void {
    this.#versions.set(scope, version);
    for (const [full, kept] of this.#tiles) {
      if (kept.scope !== scope) continue;
      this.#tiles.delete(full);
      this.#bytes -= kept.tile.byteLength;
    }
  }
}

const caches = new WeakMap<Kysely<Database>, ServiceTileCache>();

/** The tile cache of one database (its data, and so its versions, are that database's). */
export function serviceTileCacheOf(db: Kysely<Database>): ServiceTileCache {
  let cache = caches.get(db);
  if (!cache) {
    cache = new ServiceTileCache();
    caches.set(db, cache);
  }
  return cache;
}
