import type { Static } from 'typebox';
import type { historySchemas } from '#contract/api.js';
import { apiRequest } from '../api/request';
import { HISTORY_PAGE, type Change } from './history';

const alliancePath = (slug: string) => `/api/alliances/${encodeURIComponent(slug)}`;

/** The alliance's changes, newest first; `before` (a change id) pages back through older ones. */
export async function fetchHistory(
  allianceSlug: string,
  before: string | null,
  signal?: AbortSignal,
): Promise<Change[]> {
  const query = new URLSearchParams({ limit: String(HISTORY_PAGE) });
  if (before) query.set('before', before);
  const body = await apiRequest<{ items: Change[] }>(`${alliancePath(allianceSlug)}/history?${query}`, {
    signal,
  });
  return body.items;
}

export async function fetchDeleted(allianceSlug: string, signal?: AbortSignal): Promise<Change[]> {
  const body = await apiRequest<{ items: Change[] }>(`${alliancePath(allianceSlug)}/deleted`, { signal });
  return body.items;
}

/** Puts the record back as it was before `changeId` (or back at all, for a deletion). */
export function restoreChange(changeId: string): Promise<Static<typeof historySchemas.RestoreResult>> {
  return apiRequest(`/api/history/${encodeURIComponent(changeId)}/restore`, { method: 'POST' });
}
