import type {
  AllianceDetail,
  AllianceSummary,
  AnalysisUnitSet,
  BBox,
  AnalysisUnitsFileImport,
  AnalysisUnitsImport,
  AnalysisUnitsImported,
  BoundaryFileRead,
  Category,
  GapAnalysisAccepted,
  GapAnalysisRequest,
  GapAnalysisRun,
  GapArea,
  GapAreas,
  GapMeasureColumns,
  GapResultPage,
  GapResultsQuery,
  HealthStatus,
  NearestService,
  ServiceDetail,
  ServiceFilters,
  ServicePage,
  ServicePoints,
  TownPoints,
  TownSearchAnswer,
  AlliancePopulationSurfaces,
  PopulationPreview,
  PopulationSurface,
  AllianceRoadNetworks,
  RoadNetwork,
  RoadSpeeds,
  GapRoadNetwork,
  GapScenario,
  GapScenarioRequest,
  ScenarioLocation,
  Isochrones,
  TravelProfileName,
} from './types';

import { apiRequest } from './request';

export type * from './types';

export { ApiError, apiRequest, sendCsrfTokenFrom } from './request';

/** Paths are same-origin: in production the API serves the page, in development Vite proxies /api. */
export const apiPaths = {
  alliances: '/api/alliances',
  alliance: (idOrSlug: string) => `/api/alliances/${encodeURIComponent(idOrSlug)}`,
  categories: '/api/categories',
  services: '/api/services',
  servicePoints: '/api/services.geojson',
  service: (id: string) => `/api/services/${encodeURIComponent(id)}`,
  countries: '/api/basemap/countries.geojson',
  lowZoomCountries: '/api/basemap/countries-low.geojson',
  towns: '/api/basemap/towns.geojson',
  townSearch: '/api/towns',
  health: '/api/health',
  boundaryFiles: '/api/boundary-files',
  analysisUnitSets: (idOrSlug: string) => `/api/alliances/${encodeURIComponent(idOrSlug)}/analysis-units`,
  allianceGapAnalyses: (idOrSlug: string) => `/api/alliances/${encodeURIComponent(idOrSlug)}/gap-analyses`,
  gapAnalysis: (id: string) => `/api/gap-analyses/${encodeURIComponent(id)}`,
  gapResults: (id: string) => `/api/gap-analyses/${encodeURIComponent(id)}/results`,
  gapResultsGeojson: (id: string) => `/api/gap-analyses/${encodeURIComponent(id)}/results.geojson`,
  gapResultsCsv: (id: string) => `/api/gap-analyses/${encodeURIComponent(id)}/results.csv`,
  gapArea: (id: string, unitId: string) =>
    `/api/gap-analyses/${encodeURIComponent(id)}/units/${encodeURIComponent(unitId)}`,
  gapMeasures: (id: string, subject: string) =>
    `/api/gap-analyses/${encodeURIComponent(id)}/measures?subject=${encodeURIComponent(subject)}`,
  gapRoadNetwork: (idOrSlug: string) => `/api/alliances/${encodeURIComponent(idOrSlug)}/gap-analyses/road-network`,
  gapScenarios: (id: string) => `/api/gap-analyses/${encodeURIComponent(id)}/scenarios`,
  gapScenarioLocations: (id: string) => `/api/gap-analyses/${encodeURIComponent(id)}/scenario-locations`,
  isochrones: (idOrSlug: string) => `/api/alliances/${encodeURIComponent(idOrSlug)}/isochrones`,
  gapNearest: (id: string, unitId: string) =>
    `/api/gap-analyses/${encodeURIComponent(id)}/units/${encodeURIComponent(unitId)}/nearest`,
} as const;

function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return apiRequest<T>(path, { signal });
}

/** Query string for the service filters; empty filters are left out so the URL stays cacheable. */
export function serviceFilterQuery(filters: ServiceFilters, page?: { limit?: number; offset?: number }): string {
  const params = new URLSearchParams();
  if (filters.alliance) params.set('alliance', filters.alliance);
  if (filters.category) params.set('category', filters.category);
  if (filters.topic) params.set('topic', filters.topic);
  if (filters.language) params.set('language', filters.language);
  if (filters.bbox) params.set('bbox', filters.bbox.join(','));
  if (filters.notCheckedForMonths) params.set('notCheckedForMonths', String(filters.notCheckedForMonths));
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

/** The towns to label in a box at a zoom, biggest first (the server bounds how many and how small). */
export function fetchTowns(bbox: BBox, zoom: number, signal?: AbortSignal): Promise<TownPoints> {
  const [west, south, east, north] = bbox.map((value) => Math.round(value * 1000) / 1000) as BBox;
  // Rounded, and kept within the world, so that a box the map gives past the antimeridian is still a box.
  const box = [Math.max(-180, west), Math.max(-90, south), Math.min(180, east), Math.min(90, north)];
  const query = new URLSearchParams({ bbox: box.join(','), zoom: String(Math.floor(zoom)) });
  return getJson<TownPoints>(`${apiPaths.towns}?${query}`, signal);
}

/**
 * Towns whose name starts with `query` (accents and case aside), those in or near the alliance's area first. The
 * search is answered by this server from its own town list: nothing is sent anywhere else.
 */
export async function searchTowns(
  query: string,
  near: { alliance: string } | { lat: number; lon: number },
  signal?: AbortSignal,
): Promise<TownSearchAnswer['items']> {
  const parameters = new URLSearchParams({ q: query, limit: '8' });
  if ('alliance' in near) parameters.set('alliance', near.alliance);
  else parameters.set('near', `${near.lat.toFixed(3)},${near.lon.toFixed(3)}`);
  return (await getJson<TownSearchAnswer>(`${apiPaths.townSearch}?${parameters}`, signal)).items;
}

export function fetchHealth(signal?: AbortSignal): Promise<HealthStatus> {
  return getJson<HealthStatus>(apiPaths.health, signal);
}

export async function fetchAnalysisUnitSets(
  allianceIdOrSlug: string,
  signal?: AbortSignal,
): Promise<AnalysisUnitSet[]> {
  const body = await getJson<{ items: AnalysisUnitSet[] }>(apiPaths.analysisUnitSets(allianceIdOrSlug), signal);
  return body.items;
}

/** The alliance's runs, newest first, without their summaries. */
export async function fetchGapAnalyses(allianceIdOrSlug: string, signal?: AbortSignal): Promise<GapAnalysisRun[]> {
  const body = await getJson<{ items: GapAnalysisRun[] }>(apiPaths.allianceGapAnalyses(allianceIdOrSlug), signal);
  return body.items;
}

/** Imports areas (a GeoJSON FeatureCollection with names and populations) as a set of analysis units (edit role). */
export function importAnalysisUnits(
  allianceIdOrSlug: string,
  request: AnalysisUnitsImport,
): Promise<AnalysisUnitsImported> {
  return apiRequest<AnalysisUnitsImported>(apiPaths.analysisUnitSets(allianceIdOrSlug), {
    method: 'POST',
    body: request,
  });
}

/**
 * Imports areas from a file the server reads (a zipped Shapefile in a national projection, or GeoJSON) as a set
 * of analysis units (edit role). Its refusals list the rows, as the JSON import's do.
 */
export function importAnalysisUnitsFile(
  allianceIdOrSlug: string,
  fields: AnalysisUnitsFileImport,
  file: File,
): Promise<AnalysisUnitsImported> {
  const form = new FormData();
  form.append('name', fields.name);
  form.append('nameProperty', fields.nameProperty);
  form.append('populationProperty', fields.populationProperty);
  if (fields.layer) form.append('layer', fields.layer);
  form.append('file', file, file.name);
  return apiRequest<AnalysisUnitsImported>(`${apiPaths.analysisUnitSets(allianceIdOrSlug)}/file`, {
    method: 'POST',
    body: form,
  });
}

/** Has the server read a region from a file (a zipped Shapefile, or GeoJSON) into WGS84; nothing is stored. */
export function readBoundaryFile(file: File): Promise<BoundaryFileRead> {
  const form = new FormData();
  form.append('file', file, file.name);
  return apiRequest<BoundaryFileRead>(apiPaths.boundaryFiles, {
    method: 'POST',
    body: form,
  });
}

/** Starts a run as the signed-in editor; the server computes it in the background. */
export function startGapAnalysis(
  allianceIdOrSlug: string,
  request: GapAnalysisRequest,
  signal?: AbortSignal,
): Promise<GapAnalysisAccepted> {
  return apiRequest<GapAnalysisAccepted>(apiPaths.allianceGapAnalyses(allianceIdOrSlug), {
    method: 'POST',
    body: request,
    signal,
  });
}

/** The road network the alliance's travel-time analyses use now, or null (then straight lines only). */
export async function fetchGapRoadNetwork(
  allianceIdOrSlug: string,
  signal?: AbortSignal,
): Promise<GapRoadNetwork | null> {
  const body = await getJson<{ network: GapRoadNetwork | null }>(apiPaths.gapRoadNetwork(allianceIdOrSlug), signal);
  return body.network;
}

/** The what-if scenarios saved with a run. */
export async function fetchGapScenarios(id: string, signal?: AbortSignal): Promise<GapScenario[]> {
  const body = await getJson<{ items: GapScenario[] }>(apiPaths.gapScenarios(id), signal);
  return body.items;
}

/** Computes a what-if on a finished run (editors) and saves it with the run. */
export function createGapScenario(id: string, request: GapScenarioRequest, signal?: AbortSignal): Promise<GapScenario> {
  return apiRequest<GapScenario>(apiPaths.gapScenarios(id), { method: 'POST', body: request, signal });
}

/** The service locations of a run's subjects nearest a point, that a what-if may remove, nearest first. */
export async function fetchScenarioLocations(
  id: string,
  near: { lon: number; lat: number },
  signal?: AbortSignal,
): Promise<ScenarioLocation[]> {
  const query = new URLSearchParams({ lon: String(near.lon), lat: String(near.lat), limit: '8' });
  const body = await getJson<{ items: ScenarioLocation[] }>(`${apiPaths.gapScenarioLocations(id)}?${query}`, signal);
  return body.items;
}

/** A run's status and progress and, once done, its summary. */
export function fetchGapAnalysis(id: string, signal?: AbortSignal): Promise<GapAnalysisRun> {
  return getJson<GapAnalysisRun>(apiPaths.gapAnalysis(id), signal);
}

export function gapResultsQuery(query: GapResultsQuery): string {
  const params = new URLSearchParams();
  if (query.subject) params.set('subject', query.subject);
  if (query.flagged) params.set('flagged', 'true');
  if (query.sort) params.set('sort', query.sort);
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  if (query.offset !== undefined) params.set('offset', String(query.offset));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The ranked table: worst-served areas first unless another sort is asked for. */
export function fetchGapResults(id: string, query: GapResultsQuery, signal?: AbortSignal): Promise<GapResultPage> {
  return getJson<GapResultPage>(apiPaths.gapResults(id) + gapResultsQuery(query), signal);
}

export function fetchGapAreas(id: string, signal?: AbortSignal): Promise<GapAreas> {
  return getJson<GapAreas>(apiPaths.gapResultsGeojson(id), signal);
}

/** One area of a run with its outline and every subject's measures: a map drawn from tiles has no GeoJSON. */
export function fetchGapArea(id: string, unitId: string, signal?: AbortSignal): Promise<GapArea> {
  return getJson<GapArea>(apiPaths.gapArea(id, unitId), signal);
}

/** One subject's measures over all the run's areas, for the classes and legend of a map drawn from tiles. */
export function fetchGapMeasures(id: string, subject: string, signal?: AbortSignal): Promise<GapMeasureColumns> {
  return getJson<GapMeasureColumns>(apiPaths.gapMeasures(id, subject), signal);
}

export async function fetchNearestServices(
  id: string,
  unitId: string,
  subject: string,
  limit = 5,
  signal?: AbortSignal,
): Promise<NearestService[]> {
  const query = new URLSearchParams({ subject, limit: String(limit) });
  const body = await getJson<{ items: NearestService[] }>(`${apiPaths.gapNearest(id, unitId)}?${query}`, signal);
  return body.items;
}

/** The alliance's population surface: the active one, the import under way and the last that failed. */
export function fetchPopulationSurfaces(
  allianceIdOrSlug: string,
  signal?: AbortSignal,
): Promise<AlliancePopulationSurfaces> {
  return getJson(`/api/alliances/${encodeURIComponent(allianceIdOrSlug)}/population-surface`, signal);
}

export function fetchPopulationSurface(id: string, signal?: AbortSignal): Promise<PopulationSurface> {
  return getJson(`/api/population-surfaces/${encodeURIComponent(id)}`, signal);
}

/** Uploads a population file and answers its preview; nothing is imported yet (edit role). */
export function uploadPopulationFile(
  allianceIdOrSlug: string,
  file: File,
  populationField: string | null,
): Promise<PopulationPreview> {
  const form = new FormData();
  if (populationField) form.append('populationField', populationField);
  form.append('file', file, file.name);
  return apiRequest(`/api/alliances/${encodeURIComponent(allianceIdOrSlug)}/population-surface/uploads`, {
    method: 'POST',
    body: form,
  });
}

/** Starts importing an uploaded population file in the background (edit role); follow it with fetchPopulationSurface. */
export function importPopulationFile(
  allianceIdOrSlug: string,
  request: { uploadId: string; populationField?: string },
): Promise<PopulationSurface> {
  return apiRequest(`/api/alliances/${encodeURIComponent(allianceIdOrSlug)}/population-surface`, {
    method: 'POST',
    body: request,
  });
}

/** Removes the active population surface: runs count populated places again (edit role). */
export function removePopulationSurface(allianceIdOrSlug: string): Promise<void> {
  return apiRequest(`/api/alliances/${encodeURIComponent(allianceIdOrSlug)}/population-surface`, { method: 'DELETE' });
}

const roadNetworksPath = (allianceIdOrSlug: string) =>
  `/api/alliances/${encodeURIComponent(allianceIdOrSlug)}/road-networks`;

/** The alliance's road networks (active, importing, failed, replaced) and the default speeds. */
export function fetchRoadNetworks(allianceIdOrSlug: string, signal?: AbortSignal): Promise<AllianceRoadNetworks> {
  return getJson(roadNetworksPath(allianceIdOrSlug), signal);
}

export function fetchRoadNetwork(allianceIdOrSlug: string, id: string, signal?: AbortSignal): Promise<RoadNetwork> {
  return getJson(`${roadNetworksPath(allianceIdOrSlug)}/${encodeURIComponent(id)}`, signal);
}

/** Uploads an OpenStreetMap extract and starts importing it in the background (edit role). */
export function importRoadNetwork(allianceIdOrSlug: string, file: File): Promise<RoadNetwork> {
  const form = new FormData();
  form.append('file', file, file.name);
  return apiRequest(roadNetworksPath(allianceIdOrSlug), { method: 'POST', body: form });
}

export function removeRoadNetwork(allianceIdOrSlug: string, id: string): Promise<void> {
  return apiRequest(`${roadNetworksPath(allianceIdOrSlug)}/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** Changes the active network's speeds; its costs are recomputed (edit role). */
export function saveRoadSpeeds(allianceIdOrSlug: string, id: string, speeds: RoadSpeeds): Promise<RoadNetwork> {
  return apiRequest(`${roadNetworksPath(allianceIdOrSlug)}/${encodeURIComponent(id)}/speeds`, {
    method: 'PUT',
    body: speeds,
  });
}

/**
 * What is reachable from a point within 10, 20 and 30 minutes (or the limits given) on the alliance's road network,
 * and how many people live there (members). An alliance without a network answers 404 `not-found.no-road-network`.
 */
export function fetchIsochrones(
  allianceIdOrSlug: string,
  request: { lon: number; lat: number; profile: TravelProfileName; minutes?: readonly number[] },
  signal?: AbortSignal,
): Promise<Isochrones> {
  const query = new URLSearchParams({ lon: String(request.lon), lat: String(request.lat), profile: request.profile });
  if (request.minutes) query.set('minutes', request.minutes.join(','));
  return getJson(`${apiPaths.isochrones(allianceIdOrSlug)}?${query}`, signal);
}
