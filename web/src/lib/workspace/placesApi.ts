import type { OrganizationPlace } from './serviceEdits';
import { fetchOrganizationWithPlaces, fetchServiceForEditing } from './serviceEditsApi';
import { workspaceRequest } from './session.svelte';

/** A place of an organisation, with how many of its services are offered there. */
export interface PlaceWithServices extends OrganizationPlace {
  serviceCount: number;
}

/**
 * The organisation's places, hidden addresses included for members. The organisation's answer lists its services
 * without their places, so each service is read to count the services offered at each place.
 */
export async function fetchPlacesWithServices(
  organizationId: string,
  signal?: AbortSignal,
): Promise<PlaceWithServices[]> {
  const organization = await fetchOrganizationWithPlaces(organizationId, signal);
  const services = await Promise.all(
    organization.services.map((service) => fetchServiceForEditing(service.id, signal)),
  );
  return organization.locations.map((place) => ({
    ...place,
    serviceCount: services.filter((service) => service.locations.some((at) => at.id === place.id)).length,
  }));
}

/** Deletes a closed or wrong place; 409 with the services for which it is the only place. */
export function deletePlace(id: string): Promise<void> {
  return workspaceRequest<void>(`/api/locations/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
