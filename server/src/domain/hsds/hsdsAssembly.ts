import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { PointReader } from '../locations/hiddenAddresses.js';
import {
  importSourceNames,
  locationIdsOfOrganizations,
  locationsByIds,
  organizationsByIds,
  type OrganizationRow,
  type ScheduleRow,
  type ServiceAtLocationRow,
  type ServiceListRow,
  serviceAtLocationsOfServices,
  servicesByIds,
  type ServiceRow,
  schedulesOf,
  translationsOf,
} from './hsdsRepository.js';
import {
  type HsdsObject,
  locationObject,
  organizationFields,
  organizationObject,
  scheduleObjects,
  serviceFields,
  serviceObject,
  translated,
} from './hsdsObjects.js';

/**
 * Builds HSDS objects for a page of rows with one query per related table for the whole page — never one per row —
 * so that a page of 50 services costs the same few queries as a page of one.
 */
export interface ReadOptions {
  reader: PointReader;
  /** The language to give texts in where a translation exists. */
  language?: string;
}

const unique = (values: Iterable<string>) => [...new Set(values)];

function groupBy<T>(items: readonly T[], key: (item: T) => string | null): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const value = key(item);
    if (value === null) continue;
    groups.set(value, [...(groups.get(value) ?? []), item]);
  }
  return groups;
}

async function translatedServices<T extends { id: string }>(db: Kysely<Database>, rows: T[], options: ReadOptions) {
  if (!options.language) return rows;
  const translations = await translationsOf(
    db,
    'service',
    rows.map((row) => row.id),
    options.language,
  );
  return rows.map((row) => translated(row, translations));
}

async function translatedOrganizations(db: Kysely<Database>, rows: OrganizationRow[], options: ReadOptions) {
  if (!options.language) return rows;
  const translations = await translationsOf(
    db,
    'organization',
    rows.map((row) => row.id),
    options.language,
  );
  return rows.map((row) => translated(row, translations));
}

async function organizationsOfServices(
  db: Kysely<Database>,
  rows: readonly { organization_id: string }[],
  options: ReadOptions,
) {
  const organizations = await translatedOrganizations(
    db,
    await organizationsByIds(db, unique(rows.map((row) => row.organization_id))),
    options,
  );
  return new Map(organizations.map((organization) => [organization.id, organization]));
}

/** Services as in HSDS's service_list: their own fields and their organisation's. */
export async function serviceListObjects(
  db: Kysely<Database>,
  serviceRows: ServiceListRow[],
  options: ReadOptions,
): Promise<HsdsObject[]> {
  // The page brought its organisations' fields; only their translations need another query.
  if (!options.language) {
    return serviceRows.map((row) => ({
      ...serviceFields(row),
      organization: organizationFields({
        id: row.organization_id,
        name: row.organization_name,
        alternate_name: row.organization_alternate_name,
        description: row.organization_description,
        website: row.organization_website,
        email: row.organization_email,
        legal_status: row.organization_legal_status,
        parent_organization_id: row.organization_parent_organization_id,
      }),
    }));
  }
  const rows = await translatedServices(db, serviceRows, options);
  const organizations = await organizationsOfServices(db, rows, options);
  return rows.map((row) => ({
    ...serviceFields(row),
    organization: organizationFields(organizations.get(row.organization_id)!),
  }));
}

function schedulesByLink(schedules: ScheduleRow[]) {
  return {
    ofService: groupBy(
      schedules.filter((schedule) => schedule.location_id === null),
      (schedule) => schedule.service_id,
    ),
    ofServiceAt: groupBy(
      schedules.filter((schedule) => schedule.service_id !== null && schedule.location_id !== null),
      (schedule) => `${schedule.service_id}\u0000${schedule.location_id}`,
    ),
    ofLocation: groupBy(
      schedules.filter((schedule) => schedule.service_id === null),
      (schedule) => schedule.location_id,
    ),
  };
}

/** Services at locations with their location and their own opening hours (the page's locations at once). */
async function serviceAtLocationObjectsOf(
  db: Kysely<Database>,
  links: ServiceAtLocationRow[],
  schedules: ReturnType<typeof schedulesByLink>,
  reader: PointReader,
): Promise<Map<string, HsdsObject>> {
  const locations = await locationsByIds(db, reader, unique(links.map((link) => link.location_id)));
  const locationById = new Map(
    locations.map((location) => [
      location.id,
      locationObject(
        location,
        (schedules.ofLocation.get(location.id) ?? []).flatMap((schedule) =>
          scheduleObjects(schedule, { location_id: location.id }),
        ),
      ),
    ]),
  );
  return new Map(
    links.map((link) => [
      link.id,
      {
        id: link.id,
        service_id: link.service_id,
        location_id: link.location_id,
        schedules: (schedules.ofServiceAt.get(`${link.service_id}\u0000${link.location_id}`) ?? []).flatMap(
          (schedule) => scheduleObjects(schedule, { service_at_location_id: link.id }),
        ),
        location: locationById.get(link.location_id),
      },
    ]),
  );
}

/** Services with everything HSDS nests in them that we hold (services/{id}, `full=true`, the download). */
export async function fullServiceObjects(
  db: Kysely<Database>,
  serviceRows: ServiceRow[],
  options: ReadOptions,
): Promise<HsdsObject[]> {
  if (serviceRows.length === 0) return [];
  const rows = await translatedServices(db, serviceRows, options);
  const serviceIds = rows.map((row) => row.id);
  const organizations = await organizationsOfServices(db, rows, options);
  const links = await serviceAtLocationsOfServices(db, serviceIds);
  const schedules = schedulesByLink(await schedulesOf(db, serviceIds, unique(links.map((link) => link.location_id))));
  const sourceNames = await importSourceNames(
    db,
    rows.map((row) => row.import_source_id),
  );
  const linkObjects = await serviceAtLocationObjectsOf(db, links, schedules, options.reader);
  const linksOfService = groupBy(links, (link) => link.service_id);
  return rows.map((row) => {
    const organization = organizations.get(row.organization_id)!;
    return serviceObject(row, {
      allianceName: organization.alliance_name,
      sourceNames,
      organization: organizationFields(organization),
      schedules: (schedules.ofService.get(row.id) ?? []).flatMap((schedule) =>
        scheduleObjects(schedule, { service_id: row.id }),
      ),
      serviceAtLocations: (linksOfService.get(row.id) ?? []).map((link) => linkObjects.get(link.id)!),
    });
  });
}

/** Organisations; `full` adds their locations and the services the reader may see. */
export async function organizationObjects(
  db: Kysely<Database>,
  organizationRows: OrganizationRow[],
  options: ReadOptions & { full: boolean; services?: (organizationIds: string[]) => Promise<ServiceRow[]> },
): Promise<HsdsObject[]> {
  const rows = await translatedOrganizations(db, organizationRows, options);
  const sourceNames = await importSourceNames(
    db,
    rows.map((row) => row.import_source_id),
  );
  if (!options.full) return rows.map((row) => organizationObject(row, { reader: options.reader, sourceNames }));
  const organizationIds = rows.map((row) => row.id);
  const ownLocations = await locationIdsOfOrganizations(db, organizationIds);
  const locationIds = ownLocations.map((location) => location.id);
  const schedules = schedulesByLink(await schedulesOf(db, [], locationIds));
  const locations = new Map(
    (await locationsByIds(db, options.reader, locationIds)).map((location) => [
      location.id,
      locationObject(
        location,
        (schedules.ofLocation.get(location.id) ?? []).flatMap((schedule) =>
          scheduleObjects(schedule, { location_id: location.id }),
        ),
      ),
    ]),
  );
  const locationsOf = groupBy(ownLocations, (location) => location.organization_id);
  const services = options.services ? await options.services(organizationIds) : [];
  const servicesOf = groupBy(services, (service) => service.organization_id);
  return rows.map((row) =>
    organizationObject(row, {
      reader: options.reader,
      sourceNames,
      locations: (locationsOf.get(row.id) ?? []).map((location) => locations.get(location.id)!),
      services: (servicesOf.get(row.id) ?? []).map(serviceFields),
    }),
  );
}

/** Services at locations with their location, their opening hours and their service's own fields. */
export async function serviceAtLocationObjects(
  db: Kysely<Database>,
  links: ServiceAtLocationRow[],
  options: ReadOptions,
): Promise<HsdsObject[]> {
  if (links.length === 0) return [];
  const services = await translatedServices(
    db,
    await servicesByIds(db, options.reader, unique(links.map((link) => link.service_id))),
    options,
  );
  const serviceById = new Map(services.map((service) => [service.id, service]));
  const organizations = await organizationsOfServices(db, services, options);
  const schedules = schedulesByLink(
    await schedulesOf(db, [...serviceById.keys()], unique(links.map((link) => link.location_id))),
  );
  const linkObjects = await serviceAtLocationObjectsOf(db, links, schedules, options.reader);
  return links.map((link) => {
    const service = serviceById.get(link.service_id)!;
    return {
      ...linkObjects.get(link.id)!,
      service: {
        ...serviceFields(service),
        organization: organizationFields(organizations.get(service.organization_id)!),
      },
    };
  });
}
