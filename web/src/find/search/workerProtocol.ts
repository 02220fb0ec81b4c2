import type { Directory } from '../api/directory';
import type { LatLon } from './geo';
import type { ServiceMatch } from './matchServices';
import type { SearchAnswer, SearchQuery } from './directoryStore';

/** What the page keeps of a region's directory: everything but the services, which stay in the worker. */
export interface DirectorySummary extends Omit<Directory, 'services'> {
  /** How many services (at a location) the region holds. */
  serviceCount: number;
  /** The languages spoken somewhere in the region: empty until every search pack is in. */
  languagesSpoken: string[];
  /** The addresses fetched, for the service worker to keep for offline use: empty until every pack is in. */
  urls: string[];
  /** Milliseconds the worker spent reading the search packs (its own thread's time, not the network's). */
  readMs: number;
  /** The first day (in the region) of the opening times loaded, YYYY-MM-DD. */
  day: string;
}

/**
 * Where the newcomer is, for the order of the fetches only: a point, a town of the index (by id), or not known.
 * It never leaves the worker.
 */
export type Near = LatLon | { town: string } | null;

export type WorkerRequest =
  /**
   * `day` null: the region's today as the server counts it, before the page knows the region's time zone.
   * `handed`: the addresses (paths) the page is fetching itself while the worker's script downloads, and will hand
   * over (`handed` below) rather than the worker fetching them again.
   */
  | { id: number; kind: 'load'; slug: string; day: string | null; near: Near; handed: string[] }
  | { id: 0; kind: 'handed'; path: string; status: number; text: string; etag: string | null; saved: boolean }
  | { id: number; kind: 'search'; query: SearchQuery }
  | { id: number; kind: 'service'; serviceId: string; origin: LatLon | null; now: number };

export type WorkerReply =
  /** The index is in (the region, its towns, its parts): searches may be asked, and are answered when final. */
  | { id: number; kind: 'loaded'; summary: DirectorySummary; fromSavedCopy: boolean }
  | { id: number; kind: 'failed'; status: number; message: string }
  | { id: number; kind: 'answer'; answer: SearchAnswer; tookMs: number }
  | { id: number; kind: 'service'; match: ServiceMatch | null }
  /** Unasked (id 0): every search pack is in. */
  | { id: 0; kind: 'complete'; languagesSpoken: string[]; readMs: number }
  /** Unasked (id 0): a search pack could not be fetched. */
  | { id: 0; kind: 'incomplete'; status: number }
  /** Unasked (id 0): every details pack is in too; these addresses are worth keeping for offline use. */
  | { id: 0; kind: 'saved'; urls: string[] };
