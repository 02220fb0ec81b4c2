import type {
  AllianceDetail,
  AllianceSummary,
  ApiErrorBody,
  Category,
  HealthStatus,
  ServiceDetail,
  ServiceFilters,
  ServicePage,
  ServicePoints,
  TownPoints,
} from './types';

export type * from './types';

/** An API call that failed, either with an HTTP error from the server or without reaching it at all. */
export class ApiError extends Error {
  /** HTTP status, or 0 when the server could not be reached. */
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

/** Paths are same-origin: in production the API serves the page, in development Vite proxies /api. */
export const apiPaths = {
  alliances: '/api/alliances',
  alliance: (idOrSlug: string) => `/api/alliances/${encodeURIComponent(idOrSlug)}`,
  categories: '/api/categories',
  services: '/api/services',
  servicePoints: '/api/services.geojson',
  service: (id: string) => `/api/services/${encodeURIComponent(id)}`,
  countries: '/api/basemap/countries.geojson',
  towns: '/api/basemap/towns.geojson',
  health: '/api/health',
} as const;

function isApiErrorBody(body: unknown): body is ApiErrorBody {
  return typeof body === 'object' && body !== null && typeof (body as ApiErrorBody).message === 'string';
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: 'application/json' }, signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'The server could not be reached.');
  }
  if (response.ok) return (await response.json()) as T;

  const body: unknown = await response.json().catch(() => null);
  throw new ApiError(response.status, isApiErrorBody(body) ? body.message : response.statusText);
}

/** Query string for the service filters; empty filters are left out so the URL stays cacheable. */
export function serviceFilterQuery(filters: ServiceFilters, page?: { limit?: number; offset?: number }): string {
  const params = new URLSearchParams();
  if (filters.alliance) params.set('alliance', filters.alliance);
  if (filters.category) params.set('category', filters.category);
  if (filters.topic) params.set('topic', filters.topic);
  if (filters.language) params.set('language', filters.language);
  if (filters.bbox) params.set('bbox', filters.bbox.join(','));
  if (page?.limit !== undefined) params.set('limit', String(page.limit));
  if (page?.offset !== undefined) params.set('offset', String(page.offset));
  const query = params.toString();
  return query ? `?${query}` : '';
}

export async function fetchAlliances(signal?: AbortSignal): Promise<AllianceSummary[]> {
  const body = await getJson<{ items: AllianceSummary[] }>(apiPaths.alliances, signal);
  return body.items;
}

export function fetchAlliance(idOrSlug: string, signal?: AbortSignal): Promise<AllianceDetail> {
  return getJson<AllianceDetail>(apiPaths.alliance(idOrSlug), signal);
}

export async function fetchCategories(signal?: AbortSignal): Promise<Category[]> {
  const body = await getJson<{ items: Category[] }>(apiPaths.categories, signal);
  return body.items;
}

export function fetchServicePage(
  filters: ServiceFilters,
  page: { limit?: number; offset?: number } = {},
  signal?: AbortSignal,
): Promise<ServicePage> {
  return getJson<ServicePage>(apiPaths.services + serviceFilterQuery(filters, page), signal);
}

/** Every matching service as map points, unpaginated: the browser clusters them. */
export function fetchServicePoints(filters: ServiceFilters, signal?: AbortSignal): Promise<ServicePoints> {
  return getJson<ServicePoints>(apiPaths.servicePoints + serviceFilterQuery(filters), signal);
}

export function fetchService(id: string, signal?: AbortSignal): Promise<ServiceDetail> {
  return getJson<ServiceDetail>(apiPaths.service(id), signal);
}

export function fetchTowns(signal?: AbortSignal): Promise<TownPoints> {
  return getJson<TownPoints>(apiPaths.towns, signal);
}

export function fetchHealth(signal?: AbortSignal): Promise<HealthStatus> {
  return getJson<HealthStatus>(apiPaths.health, signal);
}
