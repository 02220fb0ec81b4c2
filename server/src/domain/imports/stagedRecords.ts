import type { CategoryId } from '../../db/schema.js';
import type {
  ImportedLocation,
  ImportedOrganization,
  ImportedService,
  ImportItem,
  RowProblem,
} from './importRecord.js';
import { type MessageParams, said } from '../messages/userError.js';

/** A problem as a staged row keeps it: where it is comes from the row itself. */
export interface StagedProblem {
  field: string;
  message: string;
  /** Absent from problems staged before problems had codes, and from those with no code of their own. */
  code?: string;
  params?: MessageParams;
  severity: 'error' | 'warning';
}

/** One record of the files as it is written into `import_row`. */
export interface StagedRow {
  key: number;
  file: string | null;
  row: number | null;
  kind: 'organization' | 'location' | 'service' | null;
  source_id: string | null;
  name: string | null;
  record: unknown;
  /** The columns the record would write, by their names in the database (plus `lat`/`lon`, `schedules`). */
  incoming: Record<string, unknown> | null;
  problems: StagedProblem[];
  lat: number | null;
  lon: number | null;
}

/** The database's limits on text, said before the commit rather than met during it. */
const maxNameLength = 300;
const maxSourceIdLength = 500;

function organizationValues(record: ImportedOrganization): Record<string, unknown> {
  return {
    name: record.name,
    alternate_name: record.alternateName,
    description: record.description,
    website: record.website,
    email: record.email,
    contact_phone: record.phone,
    legal_status: record.legalStatus,
  };
}

function locationValues(record: ImportedLocation): Record<string, unknown> {
  return {
    name: record.name,
    description: record.description,
    address_1: record.address1,
    city: record.city,
    postal_code: record.postalCode,
    country: record.country,
    accessibility: record.accessibility,
  };
}

/** Sorted so that the same opening hours compare equal whatever order the source lists them in. */
function scheduleValues(record: ImportedService): { openingHours: string | null; description: string | null }[] {
  return record.schedules
    .map((schedule) => ({
      openingHours: schedule.openingHours,
      description: schedule.openingHours === null ? (schedule.description ?? schedule.note) : schedule.description,
    }))
    .filter((schedule) => schedule.openingHours !== null || schedule.description !== null)
    .sort((a, b) => `${a.openingHours}\u0000${a.description}`.localeCompare(`${b.openingHours}\u0000${b.description}`));
}

function serviceValues(record: ImportedService, category: CategoryId | null): Record<string, unknown> {
  return {
    name: record.name,
    alternate_name: record.alternateName,
    description: record.description,
    url: record.url,
    email: record.email,
    phone: record.phone,
    status: record.status,
    category,
    topics: [...new Set(record.topics)].sort(),
    audiences: [...new Set(record.audiences)].sort(),
    languages: [...new Set(record.languages)].sort(),
    free: record.free,
    fees_description: record.feesDescription,
    eligibility_description: record.eligibilityDescription,
    application_process: record.applicationProcess,
    area_scope: record.areaScope,
    ...(record.capacity === undefined ? {} : { capacity: record.capacity, capacity_unit: record.capacityUnit ?? null }),
    schedules: scheduleValues(record),
  };
}

/** A source's last update as an ISO date the database reads, or null when it is not a date. */
function isoDate(value: string | null): string | null {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

const kindNouns = { organization: 'organisation', location: 'location', service: 'service' } as const;

/** What every record must have before it can be written; the rest is checked against the database later. */
function recordProblems(
  kind: 'organization' | 'location' | 'service',
  record: { sourceId: string; name: string | null },
): StagedProblem[] {
  const problems: StagedProblem[] = [];
  if (kind !== 'location' && (record.name ?? '').trim() === '') {
    problems.push({ field: 'name', ...said('import.no-name', { kind, noun: kindNouns[kind] }), severity: 'error' });
  }
  if ((record.name ?? '').length > maxNameLength) {
    problems.push({
      field: 'name',
      ...said('import.name-too-long', { length: record.name!.length, max: maxNameLength }),
      severity: 'error',
    });
  }
  if (record.sourceId.length > maxSourceIdLength) {
    problems.push({
      field: 'id',
      ...said('import.id-too-long', { length: record.sourceId.length, max: maxSourceIdLength }),
      severity: 'error',
    });
  }
  return problems;
}

/**
 * A reader's item as a staged row. A service without a category takes the import's default category; without
 * one either, it is an error the preview asks about.
 */
export function stagedRow(item: ImportItem, key: number, defaultCategory: CategoryId | null): StagedRow {
  if (item.kind === 'problem') return problemRow(item.problem, key);
  const { place } = item.record;
  const record = { ...item.record, sourceUpdatedAt: isoDate(item.record.sourceUpdatedAt) };
  const base = {
    key,
    file: place.file ?? null,
    row: place.row,
    kind: item.kind,
    source_id: item.record.sourceId,
    record,
    lat: null,
    lon: null,
  };
  const problems = recordProblems(item.kind, item.record);
  if (item.kind === 'organization') {
    return { ...base, name: item.record.name, incoming: organizationValues(item.record), problems };
  }
  if (item.kind === 'location') {
    const { lat, lon } = item.record;
    const located = lat !== null && lon !== null && Number.isFinite(lat) && Number.isFinite(lon);
    return {
      ...base,
      name: item.record.name ?? item.record.address1 ?? item.record.city,
      incoming: locationValues(item.record),
      problems,
      lat: located ? lat : null,
      lon: located ? lon : null,
    };
  }
  const category = item.record.category ?? defaultCategory;
  if (category === null) {
    problems.push({ field: 'category', ...said('import.no-category'), severity: 'error' });
  }
  for (const schedule of item.record.schedules) {
    if (schedule.note) problems.push({ field: 'schedule', message: schedule.note, severity: 'warning' });
  }
  return { ...base, name: item.record.name, incoming: serviceValues(item.record, category), problems };
}

/** A problem the reader could not tie to a record it gave; the pipeline joins it to its record by file and row. */
function problemRow(problem: RowProblem, key: number): StagedRow {
  return {
    key,
    file: problem.file ?? null,
    row: problem.row,
    kind: null,
    source_id: problem.sourceId ?? null,
    name: null,
    record: null,
    incoming: null,
    problems: [
      {
        field: problem.field,
        message: problem.message,
        ...(problem.code ? { code: problem.code, params: problem.params ?? {} } : {}),
        severity: problem.severity,
      },
    ],
    lat: null,
    lon: null,
  };
}
