import type { Directory } from '../api/directory';
import type { LatLon } from './geo';
import type { ServiceMatch } from './matchServices';
import type { SearchAnswer, SearchQuery } from './directoryStore';

/** What the page keeps of a region's directory: everything but the services, which stay in the worker. */
export interface DirectorySummary extends Omit<Directory, 'services'> {
  /** How many services (at a location) the region holds. */
  serviceCount: number;
  languagesSpoken: string[];
  /** The addresses fetched, for the service worker to keep for offline use. */
  urls: string[];
  /** Milliseconds the worker spent reading the parts (its own thread's time, not the network's). */
  readMs: number;
}

export type WorkerRequest =
  | { id: number; kind: 'load'; slug: string; day: string }
  | { id: number; kind: 'search'; query: SearchQuery }
  | { id: number; kind: 'service'; serviceId: string; origin: LatLon | null; now: number };

export type WorkerReply =
  | { id: number; kind: 'loaded'; summary: DirectorySummary; fromSavedCopy: boolean }
  | { id: number; kind: 'failed'; status: number; message: string }
  | { id: number; kind: 'answer'; answer: SearchAnswer; tookMs: number }
  | { id: number; kind: 'service'; match: ServiceMatch | null };
