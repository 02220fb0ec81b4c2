import type { GeocodedPlace } from './geocoderAnswer.js';
import type { BoundingBox } from './geocoderUrl.js';

/** Too many searches are already waiting for the geocoder: this one is refused rather than kept waiting long. */
export class GeocoderBusy extends Error {
  constructor() {
    super('too many searches waiting');
    this.name = 'GeocoderBusy';
  }
}

export interface PolitenessOptions {
  /** The shortest time between two requests to the geocoder (Nominatim's public service allows one a second). */
  minIntervalMs: number;
  /** How many searches may wait for their turn before more are refused. */
  maxWaiting?: number;
  /** How many different searches are remembered, and for how long. */
  cacheSize?: number;
  cacheMs?: number;
  /** The clock and the wait, replaceable in tests. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

type Search = (query: string, bbox: BoundingBox | null) => Promise<GeocodedPlace[]>;

/**
 * Keeps to the usage policies of public geocoders: one request at a time, at least `minIntervalMs` apart, and a
 * search made again within the hour answered from memory. The memory holds editors' searches for the addresses
 * of services, never a newcomer's: the public finder does not geocode.
 */
export class PoliteGeocoder {
  private readonly options: Required<PolitenessOptions>;
  private lastRequestAt = Number.NEGATIVE_INFINITY;
  private turn: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  private readonly remembered = new Map<string, { places: GeocodedPlace[]; until: number }>();

  constructor(
    private readonly search: Search,
    options: PolitenessOptions,
  ) {
    this.options = {
      maxWaiting: 10,
      cacheSize: 500,
      cacheMs: 60 * 60_000,
      now: Date.now,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      ...options,
    };
  }

  /** The places for `query`; throws {@link GeocoderBusy} when too many searches wait, or what the search throws. */
  async find(query: string, bbox: BoundingBox | null): Promise<GeocodedPlace[]> {
    const key = JSON.stringify([query.trim().toLowerCase().replace(/\s+/g, ' '), bbox]);
    const known = this.remembered.get(key);
    if (known && known.until > this.options.now()) {
      // Used again: it moves to the end, the last to be forgotten.
      this.remembered.delete(key);
      this.remembered.set(key, known);
      return known.places;
    }
    if (this.waiting >= this.options.maxWaiting) throw new GeocoderBusy();
    this.waiting += 1;
    const request = this.turn.then(async () => {
      const wait = this.lastRequestAt + this.options.minIntervalMs - this.options.now();
      if (wait > 0) await this.options.sleep(wait);
      this.lastRequestAt = this.options.now();
      return this.search(query, bbox);
    });
    this.turn = request.catch(() => undefined);
    try {
      const places = await request;
      this.remember(key, places);
      return places;
    } finally {
      this.waiting -= 1;
    }
  }

  private remember(key: string, places: GeocodedPlace[]): void {
    this.remembered.delete(key);
    this.remembered.set(key, { places, until: this.options.now() + this.options.cacheMs });
    while (this.remembered.size > this.options.cacheSize) {
      const oldest = this.remembered.keys().next().value;
      if (oldest === undefined) break;
      this.remembered.delete(oldest);
    }
  }
}
