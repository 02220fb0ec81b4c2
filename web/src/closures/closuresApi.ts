import { apiRequest } from '../api/request';
import type { Closure, ClosureCreateBody } from './closureForm';

const encoded = encodeURIComponent;

export async function fetchClosures(serviceId: string, signal?: AbortSignal): Promise<Closure[]> {
  return (await apiRequest<{ items: Closure[] }>(`/api/services/${encoded(serviceId)}/closures`, { signal })).items;
}

export function createClosure(serviceId: string, body: ClosureCreateBody): Promise<Closure> {
  return apiRequest<Closure>(`/api/services/${encoded(serviceId)}/closures`, { method: 'POST', body });
}

export function updateClosure(id: string, version: number, body: ClosureCreateBody): Promise<Closure> {
  return apiRequest<Closure>(`/api/closures/${encoded(id)}`, { method: 'PATCH', body: { ...body, version } });
}

export function deleteClosure(id: string): Promise<void> {
  return apiRequest<void>(`/api/closures/${encoded(id)}`, { method: 'DELETE' });
}
