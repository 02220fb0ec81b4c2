import type { FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import type { Static } from 'typebox';
import type { gapAnalysisSchemas } from '#contract/api.js';
import type { memberSchemas } from '#contract/api.js';
import type { serviceSchemas } from '#contract/api.js';
import type { townSchemas } from '#contract/api.js';
import type { RoadClass, TravelProfileName } from '#contract/travel/roadClasses.js';
import type { travelTimeSchemas } from '#contract/api.js';

/** West, south, east, north in WGS 84 degrees. */
export type BBox = [west: number, south: number, east: number, north: number];

/** How much a location's coordinates can be trusted: the demo data only knows towns. */
export type LocationPrecision = 'exact' | 'street' | 'town';

export interface AllianceSummary {
  id: string;
  slug: string;
  name: string;
  country: string;
  languages: string[];
  timezone: string;
  /** The extent of the region boundary; null for an alliance without one. */
  bbox: BBox | null;
  organizationCount: number;
  serviceCount: number;
}

export interface AllianceDetail extends AllianceSummary {
  description: string | null;
  boundary: MultiPolygon | null;
}

export interface Category {
  id: string;
  label: string;
  color: string;
}

export type ServiceSummary = Static<typeof serviceSchemas.ServiceSummary>;

export type ServicePage = Static<typeof serviceSchemas.ServicePage>;

export interface ServiceFilters {
  /** Alliance slug or id. */
  alliance?: string;
  category?: string;
  topic?: string;
  language?: string;
  bbox?: BBox;
  /** Only services not checked within this many months. */
  notCheckedForMonths?: number;
}

export interface ServicePointProperties {
  id: string;
  name: string;
  category: string;
  organizationName: string;
  precision: LocationPrecision;
  town: string | null;
  /** Age at a glance (freshness/serviceAge.ts); the workspace's points have it, the finder's do not. */
  age?: 'fresh' | 'due-soon' | 'overdue' | 'never';
  dueOn?: string | null;
  verifiedAt?: string | null;
}

export type ServicePoints = FeatureCollection<Point, ServicePointProperties>;

export type ServiceDetail = Static<typeof serviceSchemas.ServiceDetail>;

export type ServiceLocation = ServiceDetail['locations'][number];

export interface TownProperties {
  name: string;
  population: number;
  country: string;
}

export type TownPoints = FeatureCollection<Point, TownProperties>;

export type TownSearchAnswer = Static<typeof townSchemas.TownSearchAnswer>;

export interface CountryProperties {
  name: string;
}

export interface HealthStatus {
  status: 'ok';
  database: 'embedded' | 'server';
}

/** The error body every API route returns. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  /** The English sentence, for scripts and logs; pages show `code` in the reader's language. */
  message: string;
  /** A stable code for what went wrong, with the values its sentence needs. */
  code?: string;
  params?: Record<string, string | number>;
  /** Row-level problems of an import, by feature index. */
  problems?: ImportProblem[];
}

export interface ImportProblem {
  feature: number;
  message: string;
  code?: string;
  params?: Record<string, string | number>;
}

/** How a gap analysis cuts the region: an H3 hexagon grid or a set of imported areas. */
export type AnalysisUnitsChoice = { kind: 'h3'; resolution: number } | { kind: 'imported'; unitSetId: string };

export type GapMethod = '2sfca' | 'e2sfca';
/** `gaussian` is the former name of `dai_gaussian`, kept by runs saved before it. */
export type DistanceDecay = 'none' | 'stepped' | 'dai_gaussian' | 'gaussian' | 'gaussian_sigma';

/** How people travel in a run: straight lines, or travel times on the alliance's road network. */
export type TravelMode = 'straight' | 'walk' | 'bike' | 'drive';

/** The road network an alliance's travel-time analyses use. */
export interface GapRoadNetwork {
  id: string;
  sourceName: string;
  importedAt: string;
}

/** A what-if saved with a run: services added and removed, and the before/after per subject. */
export type GapScenario = Static<typeof gapAnalysisSchemas.Scenario>;

/** A service location a what-if may remove (GET /api/gap-analyses/:id/scenario-locations). */
export type ScenarioLocation = Static<typeof gapAnalysisSchemas.ScenarioLocations>['items'][number];

/** The body of POST /api/gap-analyses/:id/scenarios. */
export interface GapScenarioRequest {
  label?: string;
  add: { lon: number; lat: number; category: string; capacity?: number; label?: string; planActionId?: string }[];
  remove: string[];
}

/** The body of POST /api/alliances/:idOrSlug/gap-analyses. */
export interface GapAnalysisRequest {
  units: AnalysisUnitsChoice;
  /** Absent: straight lines. */
  travel?: TravelMode;
  thresholdM: number;
  /** d0 in minutes, for a travel mode. */
  thresholdMinutes?: number;
  method: GapMethod;
  decay: DistanceDecay;
  /** σ of the gaussian_sigma decay, in metres. */
  decaySigmaM?: number;
  belowMeanFraction: number;
  duplicationRadiusM?: number;
  categories?: string[];
  topics: string[];
  /** Leave out services not checked within this many months (1–60). */
  leaveOutUncheckedMonths?: number;
}

export type GapAnalysisAccepted = Static<typeof gapAnalysisSchemas.RunAccepted>;

/** A run as the server lists it; `progress` goes from 0 to 1. */
export type GapAnalysisRun = Static<typeof gapAnalysisSchemas.Run>;

export type GapAnalysisParameters = GapAnalysisRun['parameters'];

/** A finished run's summary; `populationSource` says where the population comes from, always approximate for places. */
export type GapAnalysisSummary = NonNullable<GapAnalysisRun['summary']>;

export type GapSubjectSummary = GapAnalysisSummary['subjects'][number];

export type DuplicationCluster = GapAnalysisSummary['duplication']['clusters'][number];

/**
 * One area × category or topic of a run, as the ranked table lists it; its `flags` are among
 * "no_service_within_reach" and "below_regional_mean".
 */
export type GapUnitResult = Static<typeof gapAnalysisSchemas.UnitResult>;

export type GapResultPage = Static<typeof gapAnalysisSchemas.ResultPage>;

export interface GapResultsQuery {
  subject?: string;
  flagged?: boolean;
  sort?: 'severity' | 'population' | 'score' | 'distance';
  limit?: number;
  offset?: number;
}

/**
 * An area of results.geojson: its measures are flat "<subject>.<measure>" properties (nearestDistanceM,
 * countWithin, supplyPer10k, score2sfca, scoreE2sfca, flags as a space-separated string, reason).
 */
export interface GapAreaProperties {
  unitId: string;
  code: string;
  name: string | null;
  population: number;
  [measure: string]: string | number | null;
}

export type GapAreas = FeatureCollection<Polygon | MultiPolygon, GapAreaProperties>;

/** One area of a run, as results.geojson has it (`GET /api/gap-analyses/:id/units/:unitId`). */
export type GapArea = GapAreas['features'][number];

/** One subject's measures over all of a run's areas, as columns without outlines (`GET …/measures`). */
export type GapMeasureColumns = Static<typeof gapAnalysisSchemas.MeasureColumns>;

export type NearestService = Static<typeof gapAnalysisSchemas.NearestServices>['items'][number];

export type AnalysisUnitSet = Static<typeof gapAnalysisSchemas.UnitSet>;

/** What the server says after importing areas: the new set, and what it repaired or found outside the region. */
export type AnalysisUnitsImported = Static<typeof gapAnalysisSchemas.UnitSetCreated>;

/** The body of POST /api/alliances/:idOrSlug/analysis-units. */
export type AnalysisUnitsImport = Static<typeof gapAnalysisSchemas.UnitSetCreateBody>;

/** The fields of POST /api/alliances/:idOrSlug/analysis-units/file, beside the file. */
/** The fields sent with a file of areas; `layer` names a GeoPackage's layer (its first feature table when empty). */
export type AnalysisUnitsFileImport = Omit<AnalysisUnitsImport, 'areas'> & { layer?: string };

/** The answer of POST /api/boundary-files: the region of a file as a WGS84 MultiPolygon, not yet stored. */
export type BoundaryFileRead = Static<typeof memberSchemas.BoundaryFileRead>;

/** What an uploaded population file is and holds in the region's box, before it is imported. */
export interface PopulationPreview {
  uploadId: string;
  fileName: string;
  format: 'geotiff' | 'kontur_h3' | 'insee_grid' | 'census_areas';
  crs: string;
  cellSizeM: number | null;
  numericFields: string[];
  populationField: string | null;
  cellsRead: number;
  cellsFound: number;
  population: number | null;
  marginM: number;
}

/** An alliance's population surface, or an import of one under way. */
export interface PopulationSurface {
  id: string;
  allianceId: string;
  sourceName: string;
  format: PopulationPreview['format'];
  crs: string;
  cellSizeM: number | null;
  populationField: string | null;
  status: 'importing' | 'active' | 'replaced' | 'removed' | 'failed';
  progress: number;
  stage: string | null;
  /** The stage as a code (`gap-analysis.stage.<code>`), with its parameters. */
  stageCode: string | null;
  stageParams: Record<string, string | number> | null;
  error: string | null;
  /** The failure as an error code (`api.error.<code>`), with its parameters; null for one stored before codes. */
  errorCode: string | null;
  errorParams: Record<string, string | number> | null;
  cellsRead: number;
  cellsKept: number;
  totalPopulation: number;
  marginM: number;
  startedAt: string;
  importedAt: string | null;
  importedBy: string | null;
}

export interface AlliancePopulationSurfaces {
  active: PopulationSurface | null;
  importing: PopulationSurface | null;
  lastFailed: PopulationSurface | null;
}

/** The road classes and profiles of a road network's speeds table. */
export type { RoadClass, TravelProfileName };

/**
 * GET /api/alliances/:idOrSlug/isochrones: the areas reachable from a point within each limit (the shortest first),
 * with the people inside, over the alliance's road network.
 */
export type Isochrones = Static<typeof travelTimeSchemas.IsochroneCollection>;

/** km/h per profile and road class. */
export type RoadSpeeds = Record<TravelProfileName, Record<RoadClass, number>>;

/** An alliance's road network imported from an OpenStreetMap extract, or its import under way. */
export interface RoadNetwork {
  id: string;
  allianceId: string;
  sourceName: string;
  status: 'importing' | 'active' | 'replaced' | 'removed' | 'failed';
  progress: number;
  stageCode: string | null;
  stageParams: Record<string, string | number> | null;
  error: string | null;
  errorCode: string | null;
  errorParams: Record<string, string | number> | null;
  speeds: RoadSpeeds;
  waysRead: number;
  nodeCount: number;
  edgeCount: number;
  marginM: number;
  bounds: { west: number; south: number; east: number; north: number } | null;
  startedAt: string;
  importedAt: string | null;
  importedBy: string | null;
}

export interface AllianceRoadNetworks {
  networks: RoadNetwork[];
  defaultSpeeds: RoadSpeeds;
  marginM: number;
}
