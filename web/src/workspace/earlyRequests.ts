import { fetchAlliances, fetchCategories } from '../api/client';
import { apiRequest } from '../api/request';
import type { AllianceSummary, Category } from '../api/types';
import type { Me } from '../account/session.svelte';

/**
 * The first requests of every workspace page (who is signed in, the alliances, the categories), started by
 * `main.ts` while the page's messages load instead of after the page has mounted: on a slow connection they
 * would otherwise wait a round trip or two behind the messages, and the map's services behind them.
 */
interface EarlyRequests {
  me: Promise<Me>;
  alliances: Promise<AllianceSummary[]>;
  categories: Promise<Category[]>;
}

let early: Partial<EarlyRequests> = {};

export function startEarlyRequests(): void {
  early = {
    me: apiRequest<Me>('/api/auth/me'),
    alliances: fetchAlliances(),
    categories: fetchCategories(),
  };
  // A refusal is handled by whoever takes the answer; none is left unhandled meanwhile.
  for (const request of Object.values(early)) request.catch(() => {});
}

/** The answer started early, once: a later load (an alliance created, a retry) asks afresh. */
export function takeEarly<K extends keyof EarlyRequests>(name: K): EarlyRequests[K] | null {
  const request = early[name] ?? null;
  delete early[name];
  return request as EarlyRequests[K] | null;
}
