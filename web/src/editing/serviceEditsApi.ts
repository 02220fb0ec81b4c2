import type { Static } from 'typebox';
import type { locationSchemas } from '#contract/api.js';
import { apiRequest } from '../api/request';
import type { ServiceDetail } from '../api/types';
import type {
  NewService,
  OrganizationChoice,
  OrganizationWithPlaces,
  PlaceChanges,
  ServiceChanges,
} from './serviceEdits';

const servicePath = (id: string) => `/api/services/${encodeURIComponent(id)}`;

export function updateService(id: string, version: number, changes: ServiceChanges): Promise<ServiceDetail> {
  return apiRequest<ServiceDetail>(servicePath(id), { method: 'PATCH', body: { ...changes, version } });
}

export function deleteService(id: string): Promise<void> {
  return apiRequest<void>(servicePath(id), { method: 'DELETE' });
}

export function createService(service: NewService): Promise<ServiceDetail> {
  return apiRequest<ServiceDetail>('/api/services', { method: 'POST', body: service });
}

export function fetchServiceForEditing(id: string, signal?: AbortSignal): Promise<ServiceDetail> {
  return apiRequest<ServiceDetail>(servicePath(id), { signal });
}

/** A place's changes; a pin put on an address found may say it stands for the street or the town only. */
export type PlaceUpdate = Omit<PlaceChanges, 'precision'> & {
  precision?: Static<typeof locationSchemas.LocationUpdateBody>['precision'];
};

export function updatePlace(
  id: string,
  version: number,
  changes: PlaceUpdate,
): Promise<Static<typeof locationSchemas.LocationDetail>> {
  return apiRequest(`/api/locations/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    body: { ...changes, version },
  });
}

export type NewPlace = Static<typeof locationSchemas.LocationCreateBody>;

/** Gives the organisation a new place; a service is offered there once linked to it. */
export function createPlace(
  organizationId: string,
  place: NewPlace,
): Promise<Static<typeof locationSchemas.LocationDetail>> {
  return apiRequest(`/api/organizations/${encodeURIComponent(organizationId)}/locations`, {
    method: 'POST',
    body: place,
  });
}

export function fetchOrganizationWithPlaces(id: string, signal?: AbortSignal): Promise<OrganizationWithPlaces> {
  return apiRequest<OrganizationWithPlaces>(`/api/organizations/${encodeURIComponent(id)}`, { signal });
}

/** The organisations of an alliance by name, for choosing whose service is added. */
export async function fetchOrganizationChoices(
  allianceSlug: string,
  signal?: AbortSignal,
): Promise<OrganizationChoice[]> {
  const query = new URLSearchParams({ alliance: allianceSlug, limit: '500' });
  const page = await apiRequest<{ items: OrganizationChoice[] }>(`/api/organizations?${query}`, { signal });
  return page.items.map(({ id, name, town }) => ({ id, name, town })).sort((a, b) => a.name.localeCompare(b.name));
}
