import type { OrganizationPlace } from './serviceEdits';
import { fetchOrganizationWithPlaces } from './serviceEditsApi';
import { apiRequest } from '../api/request';

/** The organisation's places, hidden addresses included for members, each with its count of services. */
export async function fetchPlacesWithServices(
  organizationId: string,
  signal?: AbortSignal,
): Promise<OrganizationPlace[]> {
  return (await fetchOrganizationWithPlaces(organizationId, signal)).locations;
}

/** Deletes a closed or wrong place; 409 with the services for which it is the only place. */
export function deletePlace(id: string): Promise<void> {
  return apiRequest<void>(`/api/locations/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
