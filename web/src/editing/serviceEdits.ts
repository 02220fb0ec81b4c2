import type { Static } from 'typebox';
import type { organizationSchemas } from '#contract/api.js';
import { audiences, topics } from '#contract/taxonomy/categories.js';
import type { ServiceDetail } from '../api/types';
import { pageLanguage, t } from '../i18n/pageLanguage.svelte';
import { audienceLabel, topicLabel } from '../map/categoryLabels';
import { rebaseOnLatest, type Rebased } from '../ui/editConflict';
import { cycleLabel } from '../freshness/serviceAge';

export const serviceTopics: readonly string[] = topics;
export const serviceAudiences: readonly string[] = audiences;

export type ServiceStatus = ServiceDetail['status'];
export const serviceStatuses: readonly ServiceStatus[] = ['active', 'temporarily closed', 'inactive', 'defunct'];

/** "temporarily closed" reads as "Temporarily closed", in the reader's language. */
export function statusLabel(status: ServiceStatus): string {
  return t(`editing.status.${status.replace(' ', '_')}`);
}

/** Whether the service costs something, as a select can hold it: the API's true / false / null. */
export type Cost = 'unknown' | 'free' | 'cost';

/** What the edit form holds: text as typed, lists as ticked. */
export interface ServiceDraft {
  name: string;
  description: string;
  category: string;
  topics: string[];
  audiences: string[];
  /** Language codes as typed, e.g. "fr, en, ar". */
  languages: string;
  cost: Cost;
  feesDescription: string;
  eligibilityDescription: string;
  phone: string;
  /** What the service can take at each place, as typed ("12", "7.5"); empty when not given. */
  capacity: string;
  capacityUnit: string;
  openingHours: string;
  status: ServiceStatus;
  /** Months between two checks, as text; '' follows the alliance's cycle. */
  updateCycle: string;
}

export type ServiceField = keyof ServiceDraft;

export const serviceFields: readonly ServiceField[] = [
  'name',
  'description',
  'category',
  'topics',
  'audiences',
  'languages',
  'cost',
  'feesDescription',
  'eligibilityDescription',
  'phone',
  'capacity',
  'capacityUnit',
  'openingHours',
  'status',
  'updateCycle',
];

/** A field's name as the form labels it, in the reader's language (for the fields both people changed). */
export function serviceFieldLabel(field: ServiceField): string {
  return t(`editing.field.${field}`);
}

/** The fields as `PATCH /api/services/:id` takes them. */
export interface ServiceChanges {
  name?: string;
  description?: string | null;
  category?: string;
  topics?: string[];
  audiences?: string[];
  languages?: string[];
  free?: boolean | null;
  feesDescription?: string | null;
  eligibilityDescription?: string | null;
  phone?: string | null;
  capacity?: number | null;
  capacityUnit?: string | null;
  openingHours?: string | null;
  status?: ServiceStatus;
  updateCycleMonths?: 1 | 3 | 6 | 12 | null;
}

const costOf = (free: boolean | null): Cost => (free === null ? 'unknown' : free ? 'free' : 'cost');

export function serviceDraftOf(service: ServiceDetail): ServiceDraft {
  return {
    name: service.name,
    description: service.description ?? '',
    category: service.category,
    topics: [...service.topics],
    audiences: [...service.audiences],
    languages: service.languages.join(', '),
    cost: costOf(service.free),
    feesDescription: service.feesDescription ?? '',
    eligibilityDescription: service.eligibilityDescription ?? '',
    phone: service.phone ?? '',
    capacity: service.capacity === null ? '' : String(service.capacity),
    capacityUnit: service.capacityUnit ?? '',
    openingHours: service.openingHours ?? '',
    status: service.status,
    updateCycle: service.updateCycleMonths === null ? '' : String(service.updateCycleMonths),
  };
}

/** "FR, en ;ar" → ["fr", "en", "ar"]: commas, semicolons and spaces all separate codes; repeats are dropped. */
export function parseLanguages(text: string): string[] {
  const codes = text
    .split(/[\s,;]+/)
    .map((code) => code.trim().toLowerCase())
    .filter((code) => code !== '');
  return [...new Set(codes)];
}

const languageCode = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/;

/** The first typed language that is not a code the server accepts, or null when all are. */
export function unreadableLanguage(text: string): string | null {
  return parseLanguages(text).find((code) => !languageCode.test(code)) ?? null;
}

const optionalText = (value: string): string | null => (value.trim() === '' ? null : value.trim());

/** A capacity as typed, with a decimal comma or point; null when empty, NaN when it is not a number. */
const capacityValue = (text: string): number | null =>
  text.trim() === '' ? null : Number(text.trim().replace(',', '.'));

/** Whether a typed capacity is neither empty nor a number above 0 (the API takes no other). */
export function unreadableCapacity(text: string): boolean {
  const value = capacityValue(text);
  return value !== null && !(Number.isFinite(value) && value > 0);
}

/** One field of the draft as the API takes it; lists are sorted so that ticking order is no change. */
export function serviceFieldValue(field: ServiceField, draft: ServiceDraft): ServiceChanges[keyof ServiceChanges] {
  switch (field) {
    case 'name':
      return draft.name.trim();
    case 'category':
      return draft.category;
    case 'status':
      return draft.status;
    case 'topics':
    case 'audiences':
      return [...draft[field]].sort();
    case 'languages':
      return parseLanguages(draft.languages);
    case 'cost':
      return draft.cost === 'unknown' ? null : draft.cost === 'free';
    case 'capacity':
      return capacityValue(draft.capacity);
    case 'updateCycle':
      return draft.updateCycle === '' ? null : (Number(draft.updateCycle) as 1 | 3 | 6 | 12);
    default:
      return optionalText(draft[field]);
  }
}

const apiKey = (field: ServiceField): keyof ServiceChanges =>
  field === 'cost' ? 'free' : field === 'updateCycle' ? 'updateCycleMonths' : field;
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The fields of `draft` that differ from `base`, as the API takes them: what a PATCH sends, with the version. */
export function changedServiceFields(base: ServiceDraft, draft: ServiceDraft): ServiceChanges {
  const changes: Record<string, unknown> = {};
  for (const field of serviceFields) {
    const value = serviceFieldValue(field, draft);
    if (!same(value, serviceFieldValue(field, base))) changes[apiKey(field)] = value;
  }
  return changes as ServiceChanges;
}

export type RebasedServiceDraft = Rebased<ServiceDraft, ServiceField>;

/** The other person's value of a field, as the form shows it after a reload. */
export function describeServiceField(field: ServiceField, draft: ServiceDraft): string {
  if (field === 'topics') return pageLanguage.format.list(draft.topics.map(topicLabel));
  if (field === 'audiences') return pageLanguage.format.list(draft.audiences.map(audienceLabel));
  const value = draft[field];
  if (Array.isArray(value)) return value.join(', ');
  if (field === 'cost') return t(`editing.cost.${draft.cost}`);
  if (field === 'status') return statusLabel(draft.status);
  if (field === 'updateCycle') {
    return draft.updateCycle === '' ? t('freshness.cycle.followAllianceShort') : cycleLabel(Number(draft.updateCycle));
  }
  return value;
}

/** After a 409: the service form's draft on top of the service as it is now (see rebaseOnLatest). */
export function rebaseServiceDraft(base: ServiceDraft, draft: ServiceDraft, latest: ServiceDraft): RebasedServiceDraft {
  return rebaseOnLatest(serviceFields, base, draft, latest, serviceFieldValue, describeServiceField);
}

/** Six decimals is about 10 cm: more would only claim a precision a click on a map does not have. */
export function roundCoordinate(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

export interface MapPoint {
  lat: number;
  lon: number;
}

type OrganizationDetail = Static<typeof organizationSchemas.OrganizationDetail>;

/** A place of an organisation as `GET /api/organizations/:id` gives it to members (hidden addresses included). */
export type OrganizationPlace = OrganizationDetail['locations'][number];

export type OrganizationWithPlaces = Pick<OrganizationDetail, 'id' | 'name' | 'alliance' | 'services' | 'locations'>;

export type OrganizationChoice = Pick<Static<typeof organizationSchemas.OrganizationSummary>, 'id' | 'name' | 'town'>;

/** The address part of the pin form. */
export interface PlaceDraft {
  address: string;
  postalCode: string;
  town: string;
  hideAddress: boolean;
}

export function placeDraftOf(place: OrganizationPlace | null): PlaceDraft {
  return {
    address: place?.address ?? '',
    postalCode: place?.postalCode ?? '',
    town: place?.town ?? '',
    hideAddress: place?.hideAddress ?? false,
  };
}

/** What `PATCH /api/locations/:id` takes, besides the version. */
export interface PlaceChanges {
  address?: string | null;
  postalCode?: string | null;
  city?: string | null;
  hideAddress?: boolean;
  lat?: number;
  lon?: number;
  precision?: 'exact';
}

/**
 * The changes of a place: the address fields that differ, and the new point when one was set. A point set by hand
 * is where the door is, so its precision becomes exact.
 */
export function changedPlaceFields(base: PlaceDraft, draft: PlaceDraft, point: MapPoint | null): PlaceChanges {
  const changes: PlaceChanges = {};
  const address = optionalText(draft.address);
  if (address !== optionalText(base.address)) changes.address = address;
  const postalCode = optionalText(draft.postalCode);
  if (postalCode !== optionalText(base.postalCode)) changes.postalCode = postalCode;
  const town = optionalText(draft.town);
  if (town !== optionalText(base.town)) changes.city = town;
  if (draft.hideAddress !== base.hideAddress) changes.hideAddress = draft.hideAddress;
  if (point) {
    changes.lat = roundCoordinate(point.lat);
    changes.lon = roundCoordinate(point.lon);
    changes.precision = 'exact';
  }
  return changes;
}

/** "12 rue X, 33000 Bordeaux", or the town, or the place's name: how a place is told apart in a choice. */
export function placeLabel(place: OrganizationPlace): string {
  const street = [place.address, [place.postalCode, place.town].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return street || place.name || t('editing.add.placeWithoutAddress');
}

/** What `POST /api/services` is sent when an editor adds a service from the map. */
export interface NewService {
  organizationId: string;
  name: string;
  category: string;
  /** The organisation's places where it is offered. */
  locationIds: string[];
}
