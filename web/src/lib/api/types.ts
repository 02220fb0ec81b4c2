import type { FeatureCollection, MultiPolygon, Point } from 'geojson';

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
  bbox: BBox;
  organizationCount: number;
  serviceCount: number;
}

export interface AllianceDetail extends AllianceSummary {
  description: string | null;
  boundary: MultiPolygon;
}

export interface Category {
  id: string;
  label: string;
  color: string;
}

export interface ServiceLocationSummary {
  lat: number;
  lon: number;
  town: string | null;
  precision: LocationPrecision;
}

export interface ServiceSummary {
  id: string;
  name: string;
  category: string;
  topics: string[];
  languages: string[];
  organization: { id: string; name: string };
  location: ServiceLocationSummary | null;
  allianceSlug: string;
}

export interface ServicePage {
  items: ServiceSummary[];
  total: number;
  limit: number;
  offset: number;
}

export interface ServiceFilters {
  /** Alliance slug or id. */
  alliance?: string;
  category?: string;
  topic?: string;
  language?: string;
  bbox?: BBox;
}

export interface ServicePointProperties {
  id: string;
  name: string;
  category: string;
  organizationName: string;
  precision: LocationPrecision;
  town: string | null;
}

export type ServicePoints = FeatureCollection<Point, ServicePointProperties>;

export interface ServiceLocation {
  id: string;
  name: string | null;
  address: string | null;
  town: string | null;
  lat: number;
  lon: number;
  precision: LocationPrecision;
  note: string | null;
}

export interface ServiceDetail {
  id: string;
  name: string;
  description: string | null;
  category: string;
  topics: string[];
  audiences: string[];
  languages: string[];
  url: string | null;
  email: string | null;
  status: 'active' | 'inactive' | 'defunct' | 'temporarily closed';
  fees: string | null;
  /** Who may use the service; HSDS fields the server may leave out. */
  eligibility?: string | null;
  applicationProcess?: string | null;
  interpretationServices?: string | null;
  serviceArea: 'local' | 'region';
  organization: {
    id: string;
    name: string;
    description: string | null;
    website: string | null;
    email: string | null;
  };
  locations: ServiceLocation[];
  alliance: { id: string; slug: string; name: string };
}

export interface TownProperties {
  name: string;
  population: number;
  country: string;
}

export type TownPoints = FeatureCollection<Point, TownProperties>;

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
  message: string;
}
