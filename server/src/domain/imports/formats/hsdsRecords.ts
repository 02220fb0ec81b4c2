import type { OrganizationIdentifier, ServiceStatus } from '../../../db/schema.js';
import type { ImportItem, ImportedLocation, ImportedService, RecordPlace, SourceTerm } from '../importRecord.js';
import { languageCodes } from '../vocabulary/languages.js';
import { classifyTerms } from '../vocabulary/termTargets.js';
import { descriptionText, textOrNull } from './cleanText.js';
import { coordinatesOf } from './coordinates.js';
import { hsdsSchedules } from './hsdsSchedules.js';
import { ownString, RecordProblems, type ReadingState } from './readingState.js';
import { said } from '../../messages/userError.js';

type Raw = Record<string, unknown>;

export type HsdsKind = 'service' | 'organization' | 'location' | 'service_at_location';

export function isRaw(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rawList(value: unknown): Raw[] {
  return Array.isArray(value) ? value.filter(isRaw) : [];
}

/** What an HSDS object is, from its fields (a list's `contents` and a single object carry no type). */
export function hsdsKindOf(raw: Raw): HsdsKind {
  if (isRaw(raw.service) || ('service_id' in raw && 'location_id' in raw && !('name' in raw))) {
    return 'service_at_location';
  }
  const organizationFields = [
    'organization_identifiers',
    'services',
    'legal_status',
    'tax_id',
    'year_incorporated',
    'website',
    'parent_organization_id',
  ];
  const serviceFields = ['status', 'organization_id', 'organization', 'service_at_locations'];
  if (serviceFields.some((field) => field in raw)) return 'service';
  if ('location_type' in raw || 'addresses' in raw || 'latitude' in raw) return 'location';
  // HSDS requires a status of a service: an object with neither is an organisation (id, name, description).
  return organizationFields.some((field) => field in raw) || 'description' in raw ? 'organization' : 'service';
}

const statuses: ServiceStatus[] = ['active', 'inactive', 'defunct', 'temporarily closed'];

function dateOrNull(value: unknown): string | null {
  const text = textOrNull(value);
  return text !== null && !Number.isNaN(Date.parse(text)) ? text : null;
}

function firstPhone(raw: Raw): string | null {
  for (const phone of rawList(raw.phones)) {
    const number = textOrNull(phone.number);
    if (number) return [number, textOrNull(phone.extension)].filter(Boolean).join(' ext. ');
  }
  return null;
}

/** The terms of an object's attributes (`attributes[].taxonomy_term`), named by their taxonomy. */
export function termsOf(raw: Raw): SourceTerm[] {
  const terms: SourceTerm[] = [];
  for (const attribute of rawList(raw.attributes)) {
    const term = isRaw(attribute.taxonomy_term) ? attribute.taxonomy_term : null;
    if (!term) continue;
    const detail = isRaw(term.taxonomy_detail) ? textOrNull(term.taxonomy_detail.name) : null;
    const vocabulary = textOrNull(term.taxonomy) ?? detail ?? 'taxonomy_terms';
    const value = textOrNull(term.name) ?? textOrNull(term.code) ?? textOrNull(attribute.value);
    if (value) terms.push({ vocabulary, value });
  }
  return terms;
}

function freeOf(raw: Raw): boolean | null {
  const options = rawList(raw.cost_options);
  // An empty cell or a null is no amount (Number would read both as 0, "free").
  const amounts = options
    .filter((option) => textOrNull(option.amount) !== null)
    .map((option) => Number(option.amount))
    .filter((amount) => Number.isFinite(amount));
  if (amounts.some((amount) => amount > 0)) return false;
  if (amounts.length > 0 && amounts.every((amount) => amount === 0)) return true;
  const saysFree = (text: string | null) => /\b(free|gratuit|gratuite|kostenlos|gratis|gratuito)\b/i.test(text ?? '');
  // A cost option is a cost unless it says it is free; the fees text ("coming in is free; meals at low prices")
  // decides only when there is no option.
  if (options.length > 0) return options.some((option) => saysFree(textOrNull(option.option)));
  return saysFree(textOrNull(raw.fees_description)) ? true : null;
}

function feesOf(raw: Raw): string | null {
  const options = rawList(raw.cost_options)
    .map((option) =>
      [
        textOrNull(option.option),
        textOrNull(option.amount) && `${textOrNull(option.amount)} ${textOrNull(option.currency) ?? ''}`.trim(),
        textOrNull(option.amount_description),
      ]
        .filter(Boolean)
        .join(': '),
    )
    .filter((text) => text !== '');
  return textOrNull(raw.fees_description) ?? (options.length > 0 ? options.join('; ') : null);
}

/**
 * HSDS 3 objects as import records: a service with its nested organisation, service-at-locations and locations,
 * schedules, phones, languages, taxonomy terms and cost options; an organisation with its identifiers, locations
 * and services; a service-at-location with its service and location. An organisation or location that many
 * services nest is given once.
 */
export class HsdsRecords {
  private readonly given = new Set<string>();

  constructor(private readonly state: ReadingState) {}

  any(raw: Raw, place: RecordPlace): ImportItem[] {
    const kind = hsdsKindOf(raw);
    if (kind === 'organization') return this.organization(raw, place, true);
    if (kind === 'location') return this.location(raw, place, null, true);
    if (kind === 'service_at_location') return this.serviceAtLocation(raw, place);
    return this.service(raw, place, null, true);
  }

  private firstTime(kind: string, id: string): boolean {
    const key = `${kind}\u0000${id}`;
    if (this.given.has(key)) return false;
    this.given.add(ownString(key));
    return true;
  }

  /** The id, or an error when the object has none or, at the top of the file, repeats one. */
  private idOf(raw: Raw, kind: string, place: RecordPlace, topLevel: boolean, problems: RecordProblems): string | null {
    const id = textOrNull(raw.id);
    if (id === null) {
      problems.error('id', said('import.hsds-no-id', { entityType: kind }));
      return null;
    }
    if (topLevel && this.state.isRepeated(kind, place.file, id)) {
      problems.error('id', said('import.id-repeated', { id, entityType: kind }));
      return null;
    }
    if (!topLevel) this.state.isRepeated(kind, place.file, id);
    return id;
  }

  organization(raw: Raw, place: RecordPlace, topLevel: boolean): ImportItem[] {
    const problems = new RecordProblems(place);
    const sourceId = this.idOf(raw, 'organization', place, topLevel, problems);
    if (sourceId === null) return problems.items();
    problems.place.sourceId = sourceId;
    const items: ImportItem[] = [];
    if (this.firstTime('organization', sourceId)) {
      const name = textOrNull(raw.name);
      if (name === null) {
        problems.error('name', said('import.hsds-organization-no-name'));
        return problems.items();
      }
      const identifiers: OrganizationIdentifier[] = rawList(raw.organization_identifiers).flatMap((identifier) => {
        const value = textOrNull(identifier.identifier);
        if (!value) return [];
        const scheme = textOrNull(identifier.identifier_scheme);
        return [
          {
            ...(scheme ? { scheme } : {}),
            type: textOrNull(identifier.identifier_type) ?? 'identifier',
            identifier: value,
          },
        ];
      });
      const taxId = textOrNull(raw.tax_id);
      if (taxId && !identifiers.some((identifier) => identifier.identifier === taxId))
        identifiers.push({ type: 'tax_id', identifier: taxId });
      items.push({
        kind: 'organization',
        record: {
          place: { ...place, sourceId },
          sourceId,
          name,
          alternateName: textOrNull(raw.alternate_name),
          description: descriptionText(raw.description),
          website: problems.webAddress('website', raw.website),
          email: problems.email('email', raw.email),
          phone: firstPhone(raw),
          legalStatus: textOrNull(raw.legal_status),
          identifiers,
          sourceUpdatedAt: dateOrNull(raw.last_modified),
        },
      });
    }
    for (const location of rawList(raw.locations)) items.push(...this.location(location, place, sourceId, false));
    for (const service of rawList(raw.services)) items.push(...this.service(service, place, sourceId, topLevel));
    return [...items, ...problems.items()];
  }

  location(raw: Raw, place: RecordPlace, organizationSourceId: string | null, topLevel: boolean): ImportItem[] {
    const problems = new RecordProblems(place);
    const sourceId = this.idOf(raw, 'location', place, topLevel, problems);
    if (sourceId === null) return problems.items();
    problems.place.sourceId = sourceId;
    if (!this.firstTime('location', sourceId) || textOrNull(raw.location_type) === 'virtual') return problems.items();
    const addresses = rawList(raw.addresses).filter((address) => textOrNull(address.address_type) !== 'virtual');
    const address = addresses.find((one) => textOrNull(one.address_type) === 'physical') ?? addresses[0] ?? {};
    const coordinates = coordinatesOf(raw.latitude, raw.longitude);
    if (coordinates.problem) problems.warning(coordinates.problem.field, coordinates.problem.message);
    const country = textOrNull(address.country)?.toUpperCase() ?? null;
    const accessibility = rawList(raw.accessibility)
      .map((one) => [textOrNull(one.description), textOrNull(one.details)].filter(Boolean).join(' '))
      .filter((text) => text !== '');
    const location: ImportedLocation = {
      place: { ...place, sourceId },
      sourceId,
      organizationSourceId: textOrNull(raw.organization_id) ?? organizationSourceId,
      name: textOrNull(raw.name),
      description: descriptionText(raw.description),
      address1: [textOrNull(address.address_1), textOrNull(address.address_2)].filter(Boolean).join(', ') || null,
      city: textOrNull(address.city),
      postalCode: textOrNull(address.postal_code),
      country: country && /^[A-Z]{2}$/.test(country) ? country : null,
      lat: coordinates.lat,
      lon: coordinates.lon,
      accessibility: accessibility.length > 0 ? accessibility.join('\n') : null,
      sourceUpdatedAt: dateOrNull(raw.last_modified),
    };
    return [{ kind: 'location', record: location }, ...problems.items()];
  }

  serviceAtLocation(raw: Raw, place: RecordPlace): ImportItem[] {
    const items: ImportItem[] = [];
    const location = isRaw(raw.location) ? raw.location : null;
    if (location) items.push(...this.location(location, place, null, false));
    const service = isRaw(raw.service) ? raw.service : null;
    if (!service) return items;
    const withThisPlace = {
      ...service,
      service_at_locations: [
        ...rawList(service.service_at_locations),
        { ...raw, service: undefined, location: undefined },
      ],
    };
    return [...items, ...this.service(withThisPlace, place, null, false)];
  }

  service(raw: Raw, place: RecordPlace, organizationSourceId: string | null, topLevel: boolean): ImportItem[] {
    const problems = new RecordProblems(place);
    const sourceId = this.idOf(raw, 'service', place, topLevel, problems);
    if (sourceId === null) return problems.items();
    problems.place.sourceId = sourceId;
    if (!this.firstTime('service', sourceId)) return problems.items();
    const items: ImportItem[] = [];
    const organization = isRaw(raw.organization) ? raw.organization : null;
    if (organization) items.push(...this.organization(organization, place, false));
    const organizationId = textOrNull(raw.organization_id) ?? textOrNull(organization?.id) ?? organizationSourceId;
    const name = textOrNull(raw.name);
    if (name === null) problems.error('name', said('import.hsds-service-no-name'));
    if (organizationId === null) problems.error('organization_id', said('import.hsds-no-organization'));
    if (name === null || organizationId === null) return [...items, ...problems.items()];
    const recordPlace = { ...place, sourceId };
    this.state.refer(recordPlace, 'organization_id', 'organization', organizationId);

    const locationSourceIds: string[] = [];
    const schedules: unknown[] = [...rawList(raw.schedules)];
    for (const serviceAtLocation of rawList(raw.service_at_locations)) {
      const location = isRaw(serviceAtLocation.location) ? serviceAtLocation.location : null;
      if (location) items.push(...this.location(location, place, organizationId, false));
      const locationId = textOrNull(serviceAtLocation.location_id) ?? textOrNull(location?.id);
      if (locationId && location && textOrNull(location.location_type) === 'virtual') continue;
      if (locationId && !locationSourceIds.includes(locationId)) {
        locationSourceIds.push(locationId);
        this.state.refer(recordPlace, 'service_at_locations', 'location', locationId);
      }
      schedules.push(...rawList(serviceAtLocation.schedules));
    }
    const terms = [...termsOf(raw), ...rawList(raw.service_at_locations).flatMap((one) => termsOf(one))];
    const classified = classifyTerms(terms, this.state.options.vocabularyMapping);
    const status = textOrNull(raw.status) as ServiceStatus | null;
    const languages = rawList(raw.languages).map(
      (language) => textOrNull(language.code) ?? textOrNull(language.name) ?? '',
    );
    const service: ImportedService = {
      place: recordPlace,
      sourceId,
      organizationSourceId: organizationId,
      name,
      alternateName: textOrNull(raw.alternate_name),
      description: descriptionText(raw.description),
      url: problems.webAddress('url', raw.url),
      email: problems.email('email', raw.email),
      phone: firstPhone(raw),
      status: status && statuses.includes(status) ? status : 'active',
      category: classified.category,
      topics: classified.topics,
      audiences: classified.audiences,
      languages: languageCodes(languages),
      free: freeOf(raw),
      feesDescription: feesOf(raw),
      eligibilityDescription: descriptionText(raw.eligibility_description),
      applicationProcess: descriptionText(raw.application_process),
      interpretationServices: textOrNull(raw.interpretation_services),
      // Passerelle's HSDS extension (x_capacity, x_capacity_unit), which its exports write.
      ...(raw.x_capacity === undefined
        ? {}
        : {
            capacity: problems.capacity('x_capacity', raw.x_capacity),
            capacityUnit: problems.capacityUnit('x_capacity_unit', raw.x_capacity_unit),
          }),
      areaScope: locationSourceIds.length === 0 && rawList(raw.service_areas).length > 0 ? 'region' : 'local',
      locationSourceIds,
      schedules: hsdsSchedules(schedules, 'schedules', problems),
      sourceTerms: terms,
      sourceUpdatedAt: dateOrNull(raw.last_modified) ?? dateOrNull(raw.assured_date),
    };
    return [...items, { kind: 'service', record: service }, ...problems.items()];
  }
}
