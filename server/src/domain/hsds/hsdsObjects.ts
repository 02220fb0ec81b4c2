import { webAddressOrNull } from '#contract/links/webAddress.js';
import type { PointReader } from '../locations/hiddenAddresses.js';
import { hsdsId } from './hsdsIds.js';
import type { LocationRow, OrganizationRow, ScheduleRow, ServiceListFields, ServiceRow } from './hsdsRepository.js';
import { weeklySlots } from './openingHoursSchedules.js';
import { termsOfService } from './taxonomies.js';

/** An HSDS object as JSON: HSDS types its fields as plain strings and numbers, so an unknown field is left out. */
export type HsdsObject = { [field: string]: unknown };

/** Leaves out the fields with no value (HSDS has no null). */
export function compact(object: Record<string, unknown>): HsdsObject {
  // A loop rather than entries/filter/fromEntries: a page maps hundreds of objects, and the arrays were garbage.
  const kept: HsdsObject = {};
  for (const key in object) {
    const value = object[key];
    if (value !== null && value !== undefined) kept[key] = value;
  }
  return kept;
}

/** Whether the reader is a member of the alliance (or a platform admin): they see its records in full. */
export function readsInFull(reader: PointReader, allianceId: string): boolean {
  return reader.memberOf === 'every' || reader.memberOf.includes(allianceId);
}

// The shape format "email" checks (ajv-formats' fast mode); an address that fails it is left out, not sent broken.
const emailShape =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

function emailOrNull(text: string | null): string | null {
  return text && emailShape.test(text) ? text : null;
}

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });

function languageName(code: string): string | undefined {
  try {
    return languageNames.of(code);
  } catch {
    return undefined;
  }
}

/** Who changed the record last by import: HSDS metadata, for imported records only. */
function importMetadata(
  resourceType: string,
  record: {
    id: string;
    import_source_id: string | null;
    source_record_id: string | null;
    source_updated_at: Date | null;
    imported_at: Date | null;
  },
  sourceNames: Map<string, string>,
): HsdsObject[] | undefined {
  if (!record.import_source_id || !record.imported_at) return undefined;
  return [
    {
      id: hsdsId('metadata', resourceType, record.id),
      resource_id: record.id,
      resource_type: resourceType,
      last_action_date: record.imported_at.toISOString(),
      last_action_type: 'import',
      field_name: 'source_updated_at',
      previous_value: record.source_record_id ?? '',
      replacement_value: record.source_updated_at?.toISOString() ?? '',
      updated_by: `import from ${sourceNames.get(record.import_source_id) ?? 'a removed source'}`,
    },
  ];
}

/** The one-to-one fields of an organisation: what anyone may read. */
/** The organisation's fields that HSDS nests in a service of a list. */
export type OrganizationListFields = Pick<
  OrganizationRow,
  'id' | 'name' | 'alternate_name' | 'description' | 'website' | 'email' | 'legal_status' | 'parent_organization_id'
>;

export function organizationFields(row: OrganizationListFields): HsdsObject {
  return compact({
    id: row.id,
    name: row.name,
    alternate_name: row.alternate_name,
    // Required by HSDS; an organisation typed in without one has an empty description.
    description: row.description ?? '',
    email: emailOrNull(row.email),
    website: webAddressOrNull(row.website),
    legal_status: row.legal_status,
    parent_organization_id: row.parent_organization_id,
  });
}

export interface OrganizationRelations {
  reader: PointReader;
  sourceNames: Map<string, string>;
  locations?: HsdsObject[];
  services?: HsdsObject[];
}

/**
 * An organisation with its identifiers and, for the members of its alliance only, its contact person — never for
 * anyone else.
 */
export function organizationObject(row: OrganizationRow, relations: OrganizationRelations): HsdsObject {
  const object: HsdsObject = {
    ...organizationFields(row),
    organization_identifiers: row.identifiers.map((identifier, index) =>
      compact({
        id: hsdsId('organization_identifier', row.id, String(index)),
        organization_id: row.id,
        identifier_scheme: identifier.scheme,
        identifier_type: identifier.type,
        identifier: identifier.identifier,
      }),
    ),
    contacts: readsInFull(relations.reader, row.alliance_id) ? contactsOf(row) : [],
    metadata: importMetadata('organization', row, relations.sourceNames) ?? [],
  };
  if (relations.locations) object.locations = relations.locations;
  if (relations.services) object.services = relations.services;
  return object;
}

function contactsOf(row: OrganizationRow): HsdsObject[] {
  if (!row.contact_person && !row.contact_email && !row.contact_phone) return [];
  const contactId = hsdsId('contact', row.id);
  return [
    compact({
      id: contactId,
      organization_id: row.id,
      name: row.contact_person,
      email: emailOrNull(row.contact_email),
      phones: row.contact_phone
        ? [{ id: hsdsId('phone', 'contact', row.id), contact_id: contactId, number: row.contact_phone }]
        : [],
    }),
  ];
}

/** Opening hours as HSDS schedules: weekly slots where OSM's syntax says no more than that, else the text whole. */
export function scheduleObjects(row: ScheduleRow, link: Record<string, string>): HsdsObject[] {
  const common = { valid_from: row.valid_from, valid_to: row.valid_to, ...link };
  if (row.opening_hours) {
    const slots = weeklySlots(row.opening_hours);
    // Closed every day ("Mo-Su off") has no weekly slot: the text says it.
    if (!slots || slots.length === 0) {
      return [
        compact({
          id: row.id,
          ...common,
          description: row.opening_hours,
          notes:
            'Opening hours in OpenStreetMap opening_hours syntax: https://wiki.openstreetmap.org/wiki/Key:opening_hours',
        }),
      ];
    }
    return slots.map((slot, index) =>
      compact({
        id: slots.length === 1 ? row.id : hsdsId('schedule', row.id, String(index)),
        ...common,
        freq: 'WEEKLY',
        wkst: 'MO',
        byday: slot.byday,
        opens_at: slot.opensAt,
        closes_at: slot.closesAt,
        description: row.description,
      }),
    );
  }
  return [
    compact({
      id: row.id,
      ...common,
      freq: row.freq,
      byday: row.byday,
      opens_at: row.opens_at,
      closes_at: row.closes_at,
      description: row.description,
    }),
  ];
}

/**
 * A location as its reader may see it (see locationsByIds). The address holds what we know: a town-level place has
 * an empty street, a hidden address too for the public; we keep no state or province, which HSDS requires, so it
 * is empty.
 */
export function locationObject(row: LocationRow, schedules: HsdsObject[]): HsdsObject {
  const hasAddress = row.city !== null || row.address_1 !== null;
  return compact({
    id: row.id,
    location_type: 'physical',
    organization_id: row.organization_id,
    name: row.name,
    description: [row.description, row.note].filter(Boolean).join('\n\n') || null,
    latitude: row.lat,
    longitude: row.lon,
    addresses: hasAddress
      ? [
          {
            id: hsdsId('address', row.id),
            location_id: row.id,
            address_1: row.address_1 ?? '',
            city: row.city ?? '',
            state_province: '',
            postal_code: row.postal_code ?? '',
            country: row.country,
            address_type: 'physical',
          },
        ]
      : [],
    accessibility: row.accessibility
      ? [{ id: hsdsId('accessibility', row.id), location_id: row.id, description: row.accessibility }]
      : [],
    schedules,
  });
}

/** The service's own fields, one-to-one, as in HSDS's service_list. */
export function serviceFields(row: ServiceListFields): HsdsObject {
  return compact({
    id: row.id,
    organization_id: row.organization_id,
    name: row.name,
    alternate_name: row.alternate_name,
    description: row.description,
    url: webAddressOrNull(row.url),
    email: emailOrNull(row.email),
    status: row.status,
    interpretation_services: row.interpretation_services,
    application_process: row.application_process,
    fees_description: row.fees_description,
    eligibility_description: row.eligibility_description,
    last_modified: row.updated_at.toISOString(),
  });
}

/** The service's category, topics and audiences as HSDS attributes with their taxonomy terms. */
export function serviceAttributes(row: ServiceRow): HsdsObject[] {
  return termsOfService(row).map((known) => ({
    id: hsdsId('attribute', row.id, known.term.id),
    link_id: row.id,
    link_type: known.kind,
    link_entity: 'service',
    taxonomy_term_id: known.term.id,
    taxonomy_term: known.term,
  }));
}

export interface ServiceRelations {
  allianceName: string;
  sourceNames: Map<string, string>;
  organization?: HsdsObject;
  schedules: HsdsObject[];
  serviceAtLocations: HsdsObject[];
}

/**
 * What the service can take at each location, which HSDS 3.0 has no field for: the extension fields `x_capacity`
 * and `x_capacity_unit` (HSDS objects allow further properties; readers ignore the ones they do not know). Absent
 * when the service gives no capacity.
 */
function capacityExtension(row: ServiceRow): HsdsObject {
  return compact({ x_capacity: row.capacity, x_capacity_unit: row.capacity_unit });
}

/** A service with everything HSDS nests in it that we hold. */
export function serviceObject(row: ServiceRow, relations: ServiceRelations): HsdsObject {
  const object: HsdsObject = {
    ...serviceFields(row),
    phones: row.phone ? [{ id: hsdsId('phone', 'service', row.id), service_id: row.id, number: row.phone }] : [],
    schedules: relations.schedules,
    service_areas: [
      compact({
        id: hsdsId('service_area', row.id),
        service_id: row.id,
        name: row.area_scope === 'region' ? relations.allianceName : 'Local',
        description:
          row.area_scope === 'region'
            ? 'The whole region of the alliance.'
            : 'The people living near the places where the service is offered.',
      }),
    ],
    service_at_locations: relations.serviceAtLocations,
    languages: row.languages.map((code) =>
      compact({ id: hsdsId('language', row.id, code), service_id: row.id, code, name: languageName(code) }),
    ),
    cost_options: costOptions(row),
    attributes: serviceAttributes(row),
    metadata: importMetadata('service', row, relations.sourceNames) ?? [],
    ...capacityExtension(row),
  };
  if (relations.organization) object.organization = relations.organization;
  return object;
}

/**
 * Free or not, as a cost option: "free" is amount 0; "not free" is an option without amount (we keep no price),
 * so that a reader tells a paid service from one whose cost is unknown (no option at all).
 */
function costOptions(row: { id: string; free: boolean | null }) {
  if (row.free === null) return [];
  const id = hsdsId('cost_option', row.id);
  return row.free
    ? [{ id, service_id: row.id, option: 'Free of charge', amount: 0 }]
    : [{ id, service_id: row.id, option: 'Fees apply' }];
}

/** The fields a translation may replace, by the column it was written for. */
const translatableFields = new Set([
  'name',
  'alternate_name',
  'description',
  'eligibility_description',
  'fees_description',
  'application_process',
]);

/** The record's texts in the asked language, where a translation exists; the original elsewhere. */
export function translated<T extends { id: string }>(
  row: T,
  translations: readonly { entity_id: string; field: string; text: string }[],
): T {
  const own = translations.filter(
    (translation) => translation.entity_id === row.id && translatableFields.has(translation.field),
  );
  if (own.length === 0) return row;
  return { ...row, ...Object.fromEntries(own.map((translation) => [translation.field, translation.text])) };
}
