import type { Static } from 'typebox';
import type { directorySchemas } from '#contract/api.js';
import type { allianceSchemas } from '#contract/api.js';

export type Directory = Static<typeof directorySchemas.Directory>;
export type DirectoryService = Static<typeof directorySchemas.DirectoryService>;
export type DirectoryPlace = Static<typeof directorySchemas.DirectoryPlace>;
export type AllianceSummary = Static<typeof allianceSchemas.AllianceSummary>;

/** Set by the service worker on answers it gives from its saved copy because the network failed. */
export const SAVED_COPY_HEADER = 'x-passerelle-saved-copy';

export const directoryPaths = {
  alliances: '/api/alliances',
  directory: (slug: string) => `/api/alliances/${encodeURIComponent(slug)}/directory`,
  /** The compact directory's list of parts, then each part's search and details packs (contract/directory/). */
  parts: (slug: string) => `/api/alliances/${encodeURIComponent(slug)}/directory/parts`,
  part: (slug: string, id: string) =>
    `/api/alliances/${encodeURIComponent(slug)}/directory/parts/${encodeURIComponent(id)}`,
  partDetails: (slug: string, id: string) =>
    `/api/alliances/${encodeURIComponent(slug)}/directory/parts/${encodeURIComponent(id)}/details`,
};

export interface Fetched<T> {
  data: T;
  /** True when the answer is the copy saved on this phone, because there was no connection. */
  fromSavedCopy: boolean;
}

export class FetchError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function fetchJson<T>(url: string, signal?: AbortSignal): Promise<Fetched<T>> {
  let response: Response;
  try {
    response = await fetch(url, { signal, headers: { accept: 'application/json' } });
  } catch (reason) {
    if (signal?.aborted) throw reason;
    throw new FetchError(0, 'offline');
  }
  if (!response.ok) throw new FetchError(response.status, `HTTP ${response.status}`);
  return { data: (await response.json()) as T, fromSavedCopy: response.headers.has(SAVED_COPY_HEADER) };
}

export async function fetchAllianceList(signal?: AbortSignal): Promise<Fetched<AllianceSummary[]>> {
  const { data, fromSavedCopy } = await fetchJson<{ items: AllianceSummary[] }>(directoryPaths.alliances, signal);
  return { data: data.items, fromSavedCopy };
}

/**
 * The whole public directory of a region. The request carries the day (in the region) from which to list
 * opening times, never a position: ranking by distance happens on the phone.
 */
export async function fetchDirectory(slug: string, day: string, signal?: AbortSignal): Promise<Fetched<Directory>> {
  return fetchJson<Directory>(`${directoryPaths.directory(slug)}?from=${encodeURIComponent(day)}`, signal);
}
