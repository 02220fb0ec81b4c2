import type { Static } from 'typebox';
import type { freshnessSchemas } from '#contract/api.js';
import { apiRequest } from '../api/request';
import type { ServiceDetail } from '../api/types';

/** An overdue service, as `GET /api/alliances/:idOrSlug/services-to-check` gives it to members. */
export type ServiceToCheck = Static<typeof freshnessSchemas.ServiceToCheck>;

/** The alliance's services past their cycle: never checked first, then the oldest due first. */
export async function fetchServicesToCheck(
  allianceSlug: string,
  filters: { organization?: string | null },
  signal?: AbortSignal,
): Promise<ServiceToCheck[]> {
  const query = filters.organization ? `?${new URLSearchParams({ organization: filters.organization })}` : '';
  const body = await apiRequest<{ items: ServiceToCheck[] }>(
    `/api/alliances/${encodeURIComponent(allianceSlug)}/services-to-check${query}`,
    { signal },
  );
  return body.items;
}

/** "Still true": stamps today's check on a service read at `version`; answers the service as it now stands. */
export function verifyService(id: string, version: number): Promise<ServiceDetail> {
  return apiRequest<ServiceDetail>(`/api/services/${encodeURIComponent(id)}/verify`, {
    method: 'POST',
    body: { version },
  });
}
