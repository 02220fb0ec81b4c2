import { findNeed, serviceMeetsNeed } from '#contract/taxonomy/needs.js';
import type { DirectoryService } from '../api/directory';
import { cellDegrees } from '#contract/directory/compactDirectory.js';
import { distanceMeters, distanceToBox, type LatLon } from './geo';
import type { SearchCriteria, ServiceMatch } from './matchServices';
import type { CoveredPeriod, OpeningStatus } from './openingStatus';

/** One search: what `matchServices` takes, with how many results to give and which services to look among. */
export interface SearchQuery {
  criteria: SearchCriteria;
  origin: LatLon | null;
  now: number;
  /** The reader's language: names are ordered as it orders them. */
  language: string;
  /** How many of the first matches to give in full. */
  limit: number;
  /** Only these services (those of a spot chosen on the map); null: all. */
  only: readonly string[] | null;
  /** Whether to give every match's point, for the map. */
  points: boolean;
}

/** What the map needs of each match: where it is, what to call it, and its colour. */
export interface MapPoint {
  id: string;
  name: string;
  category: DirectoryService['category'];
  organizationName: string;
  precision: DirectoryService['precision'];
  city: string | null;
  lat: number;
  lon: number;
}

export interface SearchAnswer {
  /** How many services match in all; while parts are still arriving, how many among those in. */
  total: number;
  /** Whether every part of the region was in: else `total` and `points` count only the parts in. */
  complete: boolean;
  /** The first `limit` matches, in order. */
  matches: ServiceMatch[];
  /** Every match's point, in order, when asked for. */
  points: MapPoint[] | null;
}

const primaryLanguage = (code: string) => code.toLowerCase().split('-')[0]!;

/**
 * The region's services held in the finder's Web Worker, searched there so that the page never waits on them.
 * Gives the same matches in the same order as `matchServices`, which it is tested against, but faster on a
 * large region: open intervals read once as numbers, the name order worked out once per language, opening status
 * worked out only where it decides (the "open now" filter) or is shown (the results given in full).
 *
 * Parts arrive one cell at a time, nearest first. Until all are in, a search near a place is answered only when
 * its answer is provably the final one: the last result asked for is nearer than the nearest edge of any cell
 * still to come, so nothing in those cells could come before it.
 */
export class DirectoryStore {
  #services: DirectoryService[] = [];
  /** Per service: its open intervals as [opens, closes, …] in milliseconds; null: hours not known. */
  #intervals: (Float64Array | null)[] = [];
  #byId = new Map<string, number>();
  #nameRanks = new Map<string, Int32Array>();
  readonly #cells = new Map<string, readonly DirectoryService[]>();
  /** The region's cells not in yet. */
  readonly #missing: Set<string>;

  /** `cells`: every cell of the region, as the index lists them; none: parts come as they come, all counted in. */
  constructor(
    readonly period: CoveredPeriod,
    cells: readonly string[] = [],
  ) {
    this.#missing = new Set(cells);
  }

  get size(): number {
    return this.#services.length;
  }

  /** Whether every cell of the region is in. */
  get complete(): boolean {
    return this.#missing.size === 0;
  }

  /** The cells still to come. */
  get missingCells(): string[] {
    return [...this.#missing];
  }

  /** The services of one cell, as given; none when it is not in. */
  cellServices(cell: string): readonly DirectoryService[] {
    return this.#cells.get(cell) ?? [];
  }

  /** The services of one cell; a cell given again replaces what it held. */
  addCell(cell: string, services: readonly DirectoryService[]): void {
    this.#missing.delete(cell);
    const replacing = this.#cells.has(cell);
    this.#cells.set(cell, services);
    if (replacing) {
      this.#services = [];
      this.#intervals = [];
      this.#byId.clear();
      for (const list of this.#cells.values()) this.#append(list);
    } else {
      this.#append(services);
    }
    this.#nameRanks.clear();
  }

  #append(services: readonly DirectoryService[]): void {
    for (const service of services) {
      this.#byId.set(service.id, this.#services.length);
      this.#services.push(service);
      const intervals = service.openIntervals;
      if (!intervals) {
        this.#intervals.push(null);
        continue;
      }
      const times = new Float64Array(intervals.length * 2);
      intervals.forEach(([opens, closes], index) => {
        times[index * 2] = Date.parse(opens);
        times[index * 2 + 1] = Date.parse(closes);
      });
      this.#intervals.push(times);
    }
  }

  /** The languages spoken somewhere in the region, for the "language spoken" filter. */
  languagesSpoken(): string[] {
    const codes = new Set<string>();
    for (const service of this.#services) for (const code of service.languages) codes.add(primaryLanguage(code));
    return [...codes].sort();
  }

  /** One service with its distance and status, whatever the filters (a card opened from a link). */
  service(id: string, origin: LatLon | null, now: number): ServiceMatch | null {
    const position = this.#byId.get(id);
    if (position === undefined) return null;
    const service = this.#services[position]!;
    return {
      service,
      distance: origin ? distanceMeters(origin, service) : null,
      status: this.#status(position, now),
    };
  }

  /** How near the nearest cell still to come is to `origin`, in metres (Infinity when all are in). */
  nearestMissing(origin: LatLon): number {
    let nearest = Infinity;
    for (const cell of this.#missing) {
      const [row, column] = cell.split('_').map(Number) as [number, number];
      const south = row * cellDegrees;
      const west = column * cellDegrees;
      nearest = Math.min(nearest, distanceToBox(origin, south, west, south + cellDegrees, west + cellDegrees));
    }
    return nearest;
  }

  /**
   * The answer to a search, or null while it could still change: some cells are still to come and the answer
   * does not provably hold whatever they bring (see the class).
   */
  search({ criteria, origin, now, language, limit, only, points }: SearchQuery): SearchAnswer | null {
    const need = criteria.need ? findNeed(criteria.need) : undefined;
    const speaks = criteria.speaks ? primaryLanguage(criteria.speaks) : null;
    const candidates = only
      ? only.map((id) => this.#byId.get(id)).filter((position) => position !== undefined)
      : this.#services.keys();
    const found: number[] = [];
    for (const position of candidates) {
      const service = this.#services[position]!;
      if (need && !serviceMeetsNeed(need, service)) continue;
      if (criteria.free && service.free !== true) continue;
      if (speaks && !service.languages.some((code) => primaryLanguage(code) === speaks)) continue;
      if (criteria.audience && !service.audiences.includes(criteria.audience)) continue;
      if (criteria.openNow && this.#status(position, now).state !== 'open') continue;
      found.push(position);
    }
    // The services of a spot on the map are all in already: their answer is final.
    const complete = this.complete || only !== null;
    if (!complete && (!origin || found.length < limit)) return null;
    const ranks = this.#nameRanksFor(language);
    let ordered: number[];
    if (origin) {
      const distances = new Float64Array(this.#services.length);
      for (const position of found) distances[position] = distanceMeters(origin, this.#services[position]!);
      ordered = found.sort((a, b) => distances[a]! - distances[b]! || ranks[a]! - ranks[b]!);
      // A service in a cell still to come is at least this far: the last result asked for must be nearer.
      if (!complete && !(distances[ordered[limit - 1]!]! < this.nearestMissing(origin))) return null;
    } else {
      ordered = found.sort((a, b) => ranks[a]! - ranks[b]!);
    }
    return {
      total: ordered.length,
      complete,
      matches: ordered.slice(0, limit).map((position) => {
        const service = this.#services[position]!;
        return {
          service,
          distance: origin ? distanceMeters(origin, service) : null,
          status: this.#status(position, now),
        };
      }),
      points: points
        ? ordered.map((position) => {
            const { id, name, category, organizationName, precision, city, lat, lon } = this.#services[position]!;
            return { id, name, category, organizationName, precision, city, lat, lon };
          })
        : null,
    };
  }

  /** Each service's place in name order for a language (ties by id, as `matchServices` breaks them). */
  #nameRanksFor(language: string): Int32Array {
    let ranks = this.#nameRanks.get(language);
    if (!ranks) {
      const collator = new Intl.Collator(language);
      const services = this.#services;
      const order = [...services.keys()].sort(
        (a, b) =>
          collator.compare(services[a]!.name, services[b]!.name) || services[a]!.id.localeCompare(services[b]!.id),
      );
      ranks = new Int32Array(services.length);
      order.forEach((position, rank) => (ranks![position] = rank));
      this.#nameRanks.set(language, ranks);
    }
    return ranks;
  }

  /** As `openingStatus`, from the intervals read once. */
  #status(position: number, now: number): OpeningStatus {
    const times = this.#intervals[position];
    if (!times) return { state: 'unknown' };
    if (now < Date.parse(this.period.openFrom) || now >= Date.parse(this.period.openUntil)) {
      return { state: 'outOfDate' };
    }
    const intervals = this.#services[position]!.openIntervals!;
    let next = -1;
    for (let index = 0; index < intervals.length; index += 1) {
      const opens = times[index * 2]!;
      const closes = times[index * 2 + 1]!;
      if (opens <= now && now < closes) return { state: 'open', closesAt: intervals[index]![1] };
      if (opens > now && (next === -1 || opens < times[next * 2]!)) next = index;
    }
    return { state: 'closed', opensAt: next === -1 ? null : intervals[next]![0] };
  }
}
