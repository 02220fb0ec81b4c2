import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** PostGIS values travel as SQL expressions (see postgis.ts), never as raw row values. */
type SpatialColumn = ColumnType<string, string, string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type CategoryId = 'social_action' | 'socio_cultural_sports' | 'professional_integration';
export type LocationPrecision = 'exact' | 'street' | 'town';
export type ServiceStatus = 'active' | 'inactive' | 'defunct' | 'temporarily closed';
export type AreaScope = 'local' | 'region';
export type UpdateCycleMonths = 1 | 3 | 6 | 12;
/** Who confirmed a service: an editor, the organisation itself through its self-service link, or the import's source. */
export type VerifiedVia = 'editor' | 'organization' | 'import';

export interface AllianceTable {
  id: Generated<string>;
  slug: string;
  name: string;
  country: string;
  description: string | null;
  vision: string | null;
  languages: string[];
  timezone: string;
  /** Whose public holidays the opening hours follow where they differ within the country (`Bayern`); see domain/schedules. */
  holiday_state: string | null;
  boundary: SpatialColumn | null;
  /** Demonstration data: the finder says its details are examples. */
  is_demo: Generated<boolean>;
  charter: string | null;
  /** Whether the alliance's public profile page is published. */
  profile_published: Generated<boolean>;
  /** How often its services should be checked, in months, unless a service says otherwise (domain/freshness). */
  update_cycle_months: Generated<UpdateCycleMonths>;
  /** Whether what an organisation changes through its self-service link waits for an editor's approval. */
  self_service_approval: Generated<boolean>;
  version: Generated<number>;
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
  sector: Sector | null;
  version: Generated<number>;
  /** Provenance of an imported record (migration 2026-12-02-02-record-provenance); all null for one typed in. */
  import_source_id: string | null;
  source_record_id: string | null;
  source_updated_at: Timestamp | null;
  imported_at: Timestamp | null;
  /** The values the last import wrote, to tell an editor's later change from the source's. */
  imported_values: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  /** HSDS organization_identifiers: `[{ scheme, type, identifier }]` (a SIRET in France). */
  identifiers: ColumnType<OrganizationIdentifier[], string | undefined, string>;
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
  version: Generated<number>;
  /** null while nobody knows whether the service costs anything. */
  free: boolean | null;
  phone: string | null;
  /** What the service can take at each location (S_j of 2SFCA/E2SFCA), > 0; null counts as 1. */
  capacity: number | null;
  /** What the capacity counts: "places", "staff hours a week"; free text. */
  capacity_unit: string | null;
  /** Its own update cycle; null follows the alliance's `update_cycle_months`. */
  update_cycle_months: UpdateCycleMonths | null;
  /** When somebody last confirmed the record is true; null: never checked (domain/freshness). */
  verified_at: Timestamp | null;
  /** The account that confirmed it (an editor); null for an organisation through its link or an import. */
  verified_by: string | null;
  verified_via: VerifiedVia | null;
  /** Provenance of an imported record (migration 2026-12-02-02-record-provenance); all null for one typed in. */
  import_source_id: string | null;
  source_record_id: string | null;
  source_updated_at: Timestamp | null;
  imported_at: Timestamp | null;
  /** The values the last import wrote, to tell an editor's later change from the source's. */
  imported_values: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
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
  /** Null while the place is not placed yet (then `needs_place` is true): no pin rather than a made-up one. */
  geog: SpatialColumn | null;
  precision: Generated<LocationPrecision>;
  note: string | null;
  hide_address: Generated<boolean>;
  accessibility: string | null;
  version: Generated<number>;
  /** Provenance of an imported record (migration 2026-12-02-02-record-provenance); all null for one typed in. */
  import_source_id: string | null;
  source_record_id: string | null;
  source_updated_at: Timestamp | null;
  imported_at: Timestamp | null;
  /** The values the last import wrote, to tell an editor's later change from the source's. */
  imported_values: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  /** The place is not known yet: it stands at its town or region until an editor places it. */
  needs_place: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ServiceAtLocationTable {
  id: Generated<string>;
  service_id: string;
  location_id: string;
  /** Filled by a trigger from the service. */
  category: ColumnType<CategoryId, never, never>;
  /**
   * The location's public point, filled by triggers: its own point, or for a hidden address that point rounded to
   * 0.01° (`public_point`, migration 2026-12-02-01). What anyone may search by and see; `location.geog` is exact.
   * Null while the location is not placed yet (migration 2026-12-03-12).
   */
  geog: ColumnType<string | null, never, never>;
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
  /** A person's own text is reviewed by definition; a machine's is a draft until a person reviews it. */
  review_state: Generated<'machine-draft' | 'reviewed'>;
  reviewed_by: string | null;
  reviewed_at: Timestamp | null;
  /** md5 of the original text the translation was written or reviewed from: another md5 today means outdated. */
  source_hash: string | null;
  version: Generated<number>;
  updated_at: Timestamp;
}

export interface AdminTokenTable {
  id: Generated<string>;
  token_hash: string;
  /** The account the API token acts for; null for a token from before accounts (acts as a platform admin). */
  account_id: string | null;
  created_at: Timestamp;
}

export interface OrganizationIdentifier {
  /** The register, e.g. `FR-SIRET` (org-id.guide), when known. */
  scheme?: string;
  /** What kind of number, e.g. `siret`, `siren`, `charity_number`. */
  type: string;
  identifier: string;
}

export interface ImportSourceTable {
  id: Generated<string>;
  alliance_id: string;
  name: string;
  format: string;
  column_mapping: ColumnType<Record<string, unknown>, string | undefined, string>;
  vocabulary_mapping: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type ImportJobStatus =
  'reading' | 'preview' | 'committing' | 'committed' | 'failed' | 'expired' | 'undone' | 'discarded';
export type ImportRowOutcome = 'new' | 'updated' | 'unchanged' | 'error' | 'skipped' | 'gone';
export type ImportRowKind = 'organization' | 'location' | 'service';
export type DuplicateDecision = 'merge' | 'skip' | 'create';

/**
 * A ledger of the services each alliance gains and loses per status, written by triggers (migration
 * 2026-12-03-01-service-tally): the sum of an alliance's rows is its count. Read by domain/hsds/serviceTally.ts.
 */
export interface ServiceTallyTable {
  id: Generated<string>;
  alliance_id: string;
  status: string;
  delta: number;
}

/**
 * A ledger of the statements that changed what an alliance's map shows, one row per statement and alliance,
 * written by triggers (migration 2026-12-05-12-map-changes); read by domain/services/mapVersion.ts for ETags.
 */
export interface MapChangeTable {
  id: Generated<string>;
  alliance_id: string;
}

/** One import of files into an alliance (migration 2026-12-02-03-import-jobs); see domain/imports. */
export interface ImportJobTable {
  id: Generated<string>;
  alliance_id: string;
  import_source_id: string | null;
  source_name: string;
  account_id: string | null;
  format: string | null;
  file_names: ColumnType<string[], string[] | undefined, string[]>;
  status: Generated<ImportJobStatus>;
  progress: Json | null;
  options: ColumnType<unknown, string | undefined, string>;
  columns: Json | null;
  available_fields: Json | null;
  vocabulary: ColumnType<unknown, string | undefined, string>;
  counts: Json | null;
  geocoding: Json | null;
  report: Json | null;
  error: string | null;
  change_set: number | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  committed_at: Timestamp | null;
}

/** A record read from an import's files, staged until the commit. */
export interface ImportRowTable {
  job_id: string;
  key: number;
  file: string | null;
  row: number | null;
  kind: ImportRowKind | null;
  source_id: string | null;
  name: string | null;
  record: Json | null;
  incoming: Json | null;
  problems: ColumnType<unknown, string | undefined, string>;
  outcome: ImportRowOutcome | null;
  existing_id: string | null;
  candidates: Json | null;
  decision: DuplicateDecision | null;
  target_id: string | null;
  changes: Json | null;
  overwrite: ColumnType<string[], string[] | undefined, string[]>;
  new_id: Generated<string>;
  record_id: string | null;
  parent_id: string | null;
  lat: number | null;
  lon: number | null;
  precision: LocationPrecision | null;
  needs_place: Generated<boolean>;
}

/** The sectors the guide asks an alliance to balance its 8–12 representatives across. */
export type Sector =
  | 'public_authority'
  | 'ngo'
  | 'migrant_association'
  | 'mediator'
  | 'social_services'
  | 'education'
  | 'employer'
  | 'other';

/** Roles in an alliance, from most to least powerful; the public has none. */
export type AllianceRole = 'coordinator' | 'secretariat' | 'editor' | 'member';

export interface AccountTable {
  id: Generated<string>;
  email: string;
  display_name: string;
  /** argon2id: every account can sign in (an invitation creates the account only when it is accepted). */
  password_hash: string;
  is_platform_admin: Generated<boolean>;
  /** The language the person reads the workspace and their mails in (workspaceLanguages), null: the alliance's. */
  language: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SessionTable {
  /** sha256 of the cookie's token: a stolen database does not hold usable sessions. */
  id: string;
  account_id: string;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface AllianceMemberTable {
  alliance_id: string;
  account_id: string;
  role: AllianceRole;
  organization_id: string | null;
  created_at: Timestamp;
}

export interface AccountLinkTable {
  /** sha256 of the link's token. */
  id: string;
  kind: 'invitation' | 'password_reset';
  /** The account a password reset link is for; null on invitations, which name an e-mail instead. */
  account_id: string | null;
  /** The address an invitation was sent to; whoever accepts must hold this account, or create it. */
  email: string | null;
  /** The organisation an invited person will represent in the alliance. */
  organization_id: string | null;
  /** What the member list and the withdraw route call an invitation: never the token or its hash. */
  public_id: Generated<string>;
  alliance_id: string | null;
  role: AllianceRole | null;
  created_by: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface OutboxTable {
  id: Generated<string>;
  to_email: string;
  subject: string;
  body: string;
  created_at: Timestamp;
  sent_at: Timestamp | null;
  /** Delivery tries so far; the next one not before `next_attempt_at`; `failed_at` once given up. */
  attempts: Generated<number>;
  next_attempt_at: Timestamp | null;
  failed_at: Timestamp | null;
  last_error: string | null;
}

/** An address that bounced: no mail is queued or sent to it until an administrator clears it. */
export interface MailBounceTable {
  /** Lower case. */
  email: string;
  bounced_at: Generated<Date>;
  reason: string | null;
}

/** Days (both ends included, region calendar) when a service is closed, or open at `opening_hours` instead. */
export interface ServiceClosureTable {
  id: Generated<string>;
  service_id: string;
  /** YYYY-MM-DD. */
  starts_on: ColumnType<string, string, string>;
  ends_on: ColumnType<string, string, string>;
  /** Exceptional hours for those days (OSM syntax); null: closed. */
  opening_hours: string | null;
  note: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type ServiceReportKind = 'closed' | 'moved' | 'wrong_hours' | 'other';

/** What a newcomer or a member of staff says is wrong with a service; anonymous. */
export interface ServiceReportTable {
  id: Generated<string>;
  service_id: string;
  kind: ServiceReportKind;
  comment: string | null;
  /** The finder language it was written in. */
  language: string | null;
  resolved_at: Timestamp | null;
  resolved_by: string | null;
  resolution: 'corrected' | 'dismissed' | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A self-service link mailed to an organisation; opened once, it hands a short session. */
export interface SelfServiceLinkTable {
  /** sha256 of the link's token. */
  id: string;
  public_id: Generated<string>;
  organization_id: string;
  email: string | null;
  created_by: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  opened_at: Timestamp | null;
  /** sha256 of the session token handed when the link was opened. */
  session_id: string | null;
  session_expires_at: Timestamp | null;
}

/** A change an organisation proposed through its link, waiting for an editor's decision. */
export interface SelfServiceProposalTable {
  id: Generated<string>;
  organization_id: string;
  service_id: string;
  link_id: string | null;
  kind: 'verify' | 'edit' | 'closure';
  changes: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: Timestamp;
  decided_at: Timestamp | null;
  decided_by: string | null;
  decision: 'approved' | 'rejected' | null;
}

/** The monthly digest of services to check, once per alliance and month (YYYY-MM, region calendar). */
export interface FreshnessDigestTable {
  alliance_id: string;
  month: string;
  sent_at: Timestamp;
}

export type PlanActionStatus = 'proposed' | 'planned' | 'in_progress' | 'done' | 'dropped';

export interface PlanActionTable {
  id: Generated<string>;
  alliance_id: string;
  number: number;
  title: string;
  problem: string | null;
  description: string | null;
  gap_run_id: string | null;
  gap_unit_id: string | null;
  gap_subject: string | null;
  /** numeric(14,2): pg returns it as a string. */
  estimated_budget: ColumnType<string | null, string | number | null, string | number | null>;
  currency: string | null;
  resources: string | null;
  responsible_organization_id: string | null;
  partner_organization_ids: Generated<string[]>;
  indicator: string | null;
  starts_on: ColumnType<string | null, string | null, string | null>;
  due_on: ColumnType<string | null, string | null, string | null>;
  status: Generated<PlanActionStatus>;
  published: Generated<boolean>;
  /** The planned service's point (migration 2026-12-08-02-plan-action-place): both or neither, WGS 84. */
  planned_lon: number | null;
  planned_lat: number | null;
  planned_category: CategoryId | null;
  /** S_j of the planned service in a what-if; none counts as 1. */
  planned_capacity: number | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type SwotQuadrant = 'strengths' | 'weaknesses' | 'opportunities' | 'threats';

export interface SwotItemTable {
  id: Generated<string>;
  alliance_id: string;
  quadrant: SwotQuadrant;
  text: string;
  position: Generated<number>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CharterSignatureTable {
  id: Generated<string>;
  alliance_id: string;
  signer_name: string;
  organization_id: string | null;
  /** Personal: visible to alliance members only. */
  contact: string | null;
  signed_on: ColumnType<string, string | undefined, string>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CommentTable {
  id: Generated<string>;
  alliance_id: string;
  entity_type: 'plan_action' | 'organization' | 'service';
  entity_id: string;
  account_id: string | null;
  body: string;
  created_at: Timestamp;
}

export interface ChangeLogTable {
  id: Generated<string>;
  change_set: Generated<string>;
  entity_type: string;
  entity_id: string;
  alliance_id: string | null;
  account_id: string | null;
  /** An author that is not an account: "the contact of <organisation>, through its link". */
  author_label: string | null;
  action: 'create' | 'update' | 'delete';
  old_values: Record<string, unknown> | null;
  new_values: Record<string, unknown> | null;
  changed_at: Timestamp;
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
  /**
   * population_source as the parts a page says in its reader's language (PopulationSourcePart[] of
   * domain/gap-analysis/demandSource.ts); null for sets made before they were kept.
   */
  population_source_parts: ColumnType<unknown, string | null | undefined, string | null>;
  /** md5 of the boundary an H3 grid was cut from (null for imported areas and for grids made before it was kept). */
  boundary_md5: ColumnType<string | null, string | null | undefined, string | null>;
  /** False while an H3 grid is being built: such a set is neither listed nor reused. */
  complete: Generated<boolean>;
  created_at: Timestamp;
  /** The population surface an H3 grid took its population from; null for populated places and imported areas. */
  population_surface_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** Whether the people beyond the boundary of an H3 grid are listed in analysis_outer_demand. */
  outer_demand_ready: Generated<boolean>;
}

/** The people beyond the boundary of an H3 grid, grouped by 0.01° square at their weighted mean position. */
export interface AnalysisOuterDemandTable {
  id: Generated<string>;
  set_id: string;
  population: number;
  centroid: SpatialColumn;
}

export type PopulationSurfaceFormat = 'geotiff' | 'kontur_h3' | 'insee_grid' | 'census_areas';
export type PopulationSurfaceStatus = 'importing' | 'active' | 'replaced' | 'removed' | 'failed';

export interface PopulationSurfaceTable {
  id: Generated<string>;
  alliance_id: string;
  account_id: string | null;
  source_name: string;
  format: PopulationSurfaceFormat;
  crs: string;
  cell_size_m: number | null;
  population_field: string | null;
  status: Generated<PopulationSurfaceStatus>;
  progress: Generated<number>;
  stage: string | null;
  /** The stage as a code of domain/gap-analysis/runStages.ts, with its parameters. */
  stage_code: string | null;
  stage_params: Json | null;
  error: string | null;
  /** The failure as a code of domain/messages/errorMessages.ts, with its parameters. */
  error_code: string | null;
  error_params: Json | null;
  cells_read: ColumnType<string, number | undefined, number>;
  cells_kept: ColumnType<string, number | undefined, number>;
  total_population: Generated<number>;
  margin_m: number;
  clip_area: ColumnType<string | null, string | null | undefined, string | null>;
  started_at: Timestamp;
  imported_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface PopulationCellTable {
  id: Generated<string>;
  surface_id: string;
  geog: SpatialColumn;
  population: number;
}

export type RoadNetworkStatus = 'importing' | 'active' | 'replaced' | 'removed' | 'failed';

/** An imported OpenStreetMap extract (migration 2026-12-07-01-road-networks). */
export interface RoadNetworkTable {
  id: Generated<string>;
  alliance_id: string;
  account_id: string | null;
  source_name: string;
  status: Generated<RoadNetworkStatus>;
  progress: Generated<number>;
  stage_code: string | null;
  stage_params: Json | null;
  error: string | null;
  error_code: string | null;
  error_params: Json | null;
  /** km/h per profile and road class, the speeds the costs were computed with. */
  speeds: Json;
  ways_read: ColumnType<string, number | undefined, number>;
  node_count: ColumnType<string, number | undefined, number>;
  edge_count: ColumnType<string, number | undefined, number>;
  clip_area: ColumnType<string | null, string | null | undefined, string | null>;
  started_at: Timestamp;
  imported_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** A junction or end of a road network, numbered 1…n within it. */
export interface RoadNodeTable {
  network_id: string;
  id: ColumnType<string, number | string, number | string>;
  geom: SpatialColumn;
}

/** A way between two nodes, with the directions and costs (seconds; negative: not allowed) of each profile. */
export interface RoadEdgeTable {
  network_id: string;
  id: ColumnType<string, number | string, number | string>;
  source: ColumnType<string, number | string, number | string>;
  target: ColumnType<string, number | string, number | string>;
  highway: string;
  length_m: number;
  maxspeed_kmh: number | null;
  duration_s: number | null;
  walk_forward: boolean;
  walk_backward: boolean;
  bike_forward: boolean;
  bike_backward: boolean;
  drive_forward: boolean;
  drive_backward: boolean;
  walk_cost: number;
  walk_reverse_cost: number;
  bike_cost: number;
  bike_reverse_cost: number;
  drive_cost: number;
  drive_reverse_cost: number;
  geom: SpatialColumn;
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
  /** The stage as a code of domain/gap-analysis/runStages.ts, with its parameters. */
  stage_code: string | null;
  stage_params: Json | null;
  error: string | null;
  /** The failure as a code of domain/messages/errorMessages.ts, with its parameters. */
  error_code: string | null;
  error_params: Json | null;
  summary: Json | null;
  started_at: Timestamp;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Shown on the alliance's public profile as its research. */
  published: Generated<boolean>;
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
  /** Why the row is a gap (no-service-within, below-regional-mean), null when it is none; see gapParameters.ts. */
  reason_code: string | null;
  reason_params: Json | null;
  /** In a travel run, the time to the nearest service in seconds (null beyond the largest catchment). */
  nearest_seconds: ColumnType<number | null, number | null | undefined, number | null>;
}

/** A travel run's pairs within its largest catchment: area → service location, in seconds (migration 2026-12-07-03). */
export interface GapTravelPairTable {
  run_id: string;
  unit_id: string;
  location_id: string;
  seconds: number;
}

/** A what-if on a finished run: services added and removed, and the before/after computed. */
export interface GapScenarioTable {
  id: Generated<string>;
  run_id: string;
  account_id: string | null;
  label: string | null;
  added: Json;
  removed: ColumnType<string[], string[] | undefined, string[]>;
  outcome: Json;
  created_at: Timestamp;
}

/**
 * The near-me search table (migration 2026-12-05-11): one row per active service at a placed location, what
 * `GET /api/services/nearby` answers, kept true by triggers on service_at_location, service, location, organization
 * and alliance. Read-only for the application.
 */
export interface ServiceSearchTable {
  service_id: ColumnType<string, never, never>;
  location_id: ColumnType<string, never, never>;
  /** The public point, as service_at_location.geog. */
  geog: ColumnType<string, never, never>;
  category: ColumnType<CategoryId, never, never>;
  name: ColumnType<string, never, never>;
  topics: ColumnType<string[], never, never>;
  languages: ColumnType<string[], never, never>;
  organization_id: ColumnType<string, never, never>;
  organization_name: ColumnType<string, never, never>;
  alliance_slug: ColumnType<string, never, never>;
  town: ColumnType<string | null, never, never>;
  /** 'town' for a hidden address, as the public sees it. */
  precision: ColumnType<LocationPrecision, never, never>;
}

/**
 * The map table (migration 2026-12-06-03): one row per service with a placed location, at its first one, what a
 * service tile shows and filters on, with its public and exact points in tile space (Web Mercator on the unit
 * square), kept true by triggers on service_at_location, service, location and organization. Read-only for the
 * application.
 */
export interface ServiceMapTable {
  service_id: ColumnType<string, never, never>;
  location_id: ColumnType<string, never, never>;
  alliance_id: ColumnType<string, never, never>;
  /** The public point (a hidden address rounded to 0.01°), in tile space. */
  public_point: ColumnType<string, never, never>;
  /** The location's own point, in tile space: for the alliance's members and platform admins. */
  exact_point: ColumnType<string, never, never>;
  category: ColumnType<CategoryId, never, never>;
  name: ColumnType<string, never, never>;
  organization_name: ColumnType<string, never, never>;
  town: ColumnType<string | null, never, never>;
  /** The location's own precision; a hidden address is 'town' for the public. */
  precision: ColumnType<LocationPrecision, never, never>;
  hide_address: ColumnType<boolean, never, never>;
  verified_at: ColumnType<Date | null, never, never>;
  update_cycle_months: ColumnType<UpdateCycleMonths | null, never, never>;
  topics: ColumnType<string[], never, never>;
  languages: ColumnType<string[], never, never>;
}

export interface Database {
  alliance: AllianceTable;
  organization: OrganizationTable;
  service: ServiceTable;
  location: LocationTable;
  service_at_location: ServiceAtLocationTable;
  service_search: ServiceSearchTable;
  service_map: ServiceMapTable;
  schedule: ScheduleTable;
  translation: TranslationTable;
  admin_token: AdminTokenTable;
  analysis_unit_set: AnalysisUnitSetTable;
  analysis_unit: AnalysisUnitTable;
  analysis_outer_demand: AnalysisOuterDemandTable;
  demand_point: DemandPointTable;
  population_surface: PopulationSurfaceTable;
  population_cell: PopulationCellTable;
  road_network: RoadNetworkTable;
  road_node: RoadNodeTable;
  road_edge: RoadEdgeTable;
  gap_analysis_run: GapAnalysisRunTable;
  gap_analysis_result: GapAnalysisResultTable;
  gap_travel_pair: GapTravelPairTable;
  gap_scenario: GapScenarioTable;
  account: AccountTable;
  session: SessionTable;
  alliance_member: AllianceMemberTable;
  account_link: AccountLinkTable;
  outbox: OutboxTable;
  plan_action: PlanActionTable;
  swot_item: SwotItemTable;
  charter_signature: CharterSignatureTable;
  comment: CommentTable;
  change_log: ChangeLogTable;
  import_source: ImportSourceTable;
  import_job: ImportJobTable;
  import_row: ImportRowTable;
  service_tally: ServiceTallyTable;
  map_change: MapChangeTable;
  service_closure: ServiceClosureTable;
  service_report: ServiceReportTable;
  self_service_link: SelfServiceLinkTable;
  self_service_proposal: SelfServiceProposalTable;
  freshness_digest: FreshnessDigestTable;
  mail_bounce: MailBounceTable;
}

export type AllianceRow = Selectable<AllianceTable>;
export type OrganizationRow = Selectable<OrganizationTable>;
export type NewOrganization = Insertable<OrganizationTable>;
export type OrganizationUpdate = Updateable<OrganizationTable>;
export type ServiceRow = Selectable<ServiceTable>;
export type NewService = Insertable<ServiceTable>;
export type ServiceUpdate = Updateable<ServiceTable>;
export type NewLocation = Insertable<LocationTable>;
