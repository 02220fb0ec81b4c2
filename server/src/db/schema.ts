import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** PostGIS values travel as SQL expressions (see postgis.ts), never as raw row values. */
type SpatialColumn = ColumnType<string, string, string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type CategoryId = 'social_action' | 'socio_cultural_sports' | 'professional_integration';
export type LocationPrecision = 'exact' | 'street' | 'town';
export type ServiceStatus = 'active' | 'inactive' | 'defunct' | 'temporarily closed';
export type AreaScope = 'local' | 'region';

export interface AllianceTable {
  id: Generated<string>;
  slug: string;
  name: string;
  country: string;
  description: string | null;
  vision: string | null;
  languages: string[];
  timezone: string;
  boundary: SpatialColumn | null;
  /** Demonstration data: the finder says its details are examples. */
  is_demo: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OrganizationTable {
  id: Generated<string>;
  alliance_id: string;
  name: string;
  alternate_name: string | null;
  description: string | null;
  website: string | null;
  email: string | null;
  legal_status: string | null;
  parent_organization_id: string | null;
  text_language: Generated<string>;
  contact_person: string | null;
  contact_phone: string | null;
  contact_email: string | null;
  contribution: string | null;
  what_matters: string | null;
  influence: 'low' | 'medium' | 'high' | null;
  engagement_strategy: string | null;
  member_role: 'president' | 'secretariat' | 'member' | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ServiceTable {
  id: Generated<string>;
  organization_id: string;
  name: string;
  alternate_name: string | null;
  description: string | null;
  url: string | null;
  email: string | null;
  status: Generated<ServiceStatus>;
  fees_description: string | null;
  eligibility_description: string | null;
  application_process: string | null;
  interpretation_services: string | null;
  category: CategoryId;
  topics: Generated<string[]>;
  audiences: Generated<string[]>;
  languages: Generated<string[]>;
  area_scope: Generated<AreaScope>;
  text_language: Generated<string>;
  /** null while nobody knows whether the service costs anything. */
  free: boolean | null;
  phone: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface LocationTable {
  id: Generated<string>;
  organization_id: string | null;
  name: string | null;
  description: string | null;
  address_1: string | null;
  city: string | null;
  postal_code: string | null;
  country: string | null;
  geog: SpatialColumn;
  precision: Generated<LocationPrecision>;
  note: string | null;
  hide_address: Generated<boolean>;
  accessibility: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ServiceAtLocationTable {
  id: Generated<string>;
  service_id: string;
  location_id: string;
  /** Filled by a trigger from the service. */
  category: ColumnType<CategoryId, never, never>;
  /** Filled by a trigger from the location. */
  geog: ColumnType<string, never, never>;
}

export interface ScheduleTable {
  id: Generated<string>;
  service_id: string | null;
  location_id: string | null;
  opening_hours: string | null;
  freq: 'WEEKLY' | 'MONTHLY' | null;
  byday: string | null;
  opens_at: string | null;
  closes_at: string | null;
  valid_from: string | null;
  valid_to: string | null;
  description: string | null;
}

export interface TranslationTable {
  id: Generated<string>;
  entity_type: 'alliance' | 'organization' | 'service' | 'location';
  entity_id: string;
  field: string;
  language: string;
  text: string;
  origin: 'human' | 'machine';
  updated_at: Timestamp;
}

export interface AdminTokenTable {
  id: Generated<string>;
  token_hash: string;
  created_at: Timestamp;
}

export type AnalysisUnitKind = 'h3' | 'imported';
export type GapAnalysisStatus = 'running' | 'done' | 'failed';
export type SubjectKind = 'category' | 'topic';
type Json = ColumnType<unknown, string, string>;

export interface AnalysisUnitSetTable {
  id: Generated<string>;
  alliance_id: string;
  kind: AnalysisUnitKind;
  h3_resolution: number | null;
  name: string;
  population_source: string;
  created_at: Timestamp;
}

export interface AnalysisUnitTable {
  id: Generated<string>;
  set_id: string;
  code: string;
  name: string | null;
  geom: SpatialColumn;
  centroid: SpatialColumn;
  population: number;
}

export interface DemandPointTable {
  id: Generated<string>;
  source_key: string;
  region_code: string;
  country: string;
  name: string;
  population: number;
  geog: SpatialColumn;
  source: string;
}

export interface GapAnalysisRunTable {
  id: Generated<string>;
  alliance_id: string;
  unit_set_id: string | null;
  parameters: Json;
  status: Generated<GapAnalysisStatus>;
  progress: Generated<number>;
  stage: string | null;
  error: string | null;
  summary: Json | null;
  started_at: Timestamp;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface GapAnalysisResultTable {
  run_id: string;
  unit_id: string;
  subject_kind: SubjectKind;
  subject: string;
  population: number;
  nearest_distance_m: number | null;
  count_within: number;
  supply_count: number;
  supply_per_10k: number | null;
  score_2sfca: number;
  score_e2sfca: number;
  flags: string[];
  reason: string | null;
}

export interface Database {
  alliance: AllianceTable;
  organization: OrganizationTable;
  service: ServiceTable;
  location: LocationTable;
  service_at_location: ServiceAtLocationTable;
  schedule: ScheduleTable;
  translation: TranslationTable;
  admin_token: AdminTokenTable;
  analysis_unit_set: AnalysisUnitSetTable;
  analysis_unit: AnalysisUnitTable;
  demand_point: DemandPointTable;
  gap_analysis_run: GapAnalysisRunTable;
  gap_analysis_result: GapAnalysisResultTable;
}

export type AllianceRow = Selectable<AllianceTable>;
export type OrganizationRow = Selectable<OrganizationTable>;
export type NewOrganization = Insertable<OrganizationTable>;
export type OrganizationUpdate = Updateable<OrganizationTable>;
export type ServiceRow = Selectable<ServiceTable>;
export type NewService = Insertable<ServiceTable>;
export type ServiceUpdate = Updateable<ServiceTable>;
export type NewLocation = Insertable<LocationTable>;
