import type { Static } from 'typebox';
import type { organizationSchemas } from '#contract/api.js';
import { pageLanguage, t } from '../i18n/pageLanguage.svelte';
import type { VersionedEditOptions } from '../ui/versionedEdit.svelte';
/** The sectors an alliance balances its 8–12 representatives across (docs/workspace-api.md). */
export const sectors = [
  'public_authority',
  'ngo',
  'migrant_association',
  'mediator',
  'social_services',
  'education',
  'employer',
  'other',
] as const;
export type Sector = (typeof sectors)[number];

/** A code's words in the page's language (`register.sector.ngo`), or the code itself when it is unknown. */
function labelOf(key: string, code: string): string {
  return pageLanguage.has(key) ? t(key) : code;
}

export function sectorLabel(sector: string | null): string {
  if (!sector) return t('register.sector.none');
  return labelOf(`register.sector.${sector}`, sector);
}

export const memberRoles = ['president', 'secretariat', 'member'] as const;
export type MemberRole = (typeof memberRoles)[number];

/** The organisation's seat in the alliance; null when it is a stakeholder without one. */
export function memberRoleLabel(role: string | null): string {
  if (!role) return t('register.memberRole.none');
  return labelOf(`register.memberRole.${role}`, role);
}

export const influences = ['low', 'medium', 'high'] as const;
export type Influence = (typeof influences)[number];

/** "High", "Élevée": how much weight an organisation carries, in the page's language. */
export function influenceLabel(influence: string): string {
  return labelOf(`register.influence.${influence}`, influence);
}

/** One row of the stakeholder register: an organisation as its alliance's members see it. */
export interface Stakeholder {
  id: string;
  name: string;
  version: number;
  sector: Sector | null;
  memberRole: MemberRole | null;
  website: string | null;
  email: string | null;
  /** The first location's address and town, for reading; locations are edited with the services. */
  address: string | null;
  contactPerson: string | null;
  contactPhone: string | null;
  contactEmail: string | null;
  contribution: string | null;
  whatMatters: string | null;
  influence: Influence | null;
  engagementStrategy: string | null;
}

/** The fields the register's form edits, all as text: an empty one is sent as null. */
export const stakeholderFields = [
  'name',
  'sector',
  'memberRole',
  'website',
  'email',
  'contactPerson',
  'contactPhone',
  'contactEmail',
  'contribution',
  'whatMatters',
  'influence',
  'engagementStrategy',
] as const;
export type StakeholderField = (typeof stakeholderFields)[number];
export type StakeholderDraft = Record<StakeholderField, string>;

export type SectorBalance = Static<typeof organizationSchemas.SectorBalance>;

/** An organisation as the API answers it, before it becomes a register row. */
export type Raw = Record<string, unknown>;

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function addressOf(raw: Raw): string | null {
  const direct = text(raw.address);
  if (direct) return direct;
  const first = Array.isArray(raw.locations) ? (raw.locations[0] as Raw | undefined) : undefined;
  if (!first) return text(raw.town);
  const parts = [text(first.address), text(first.town) ?? text(first.city)].filter((part) => part !== null);
  return parts.length > 0 ? parts.join(', ') : null;
}

/**
 * An organisation of `GET /api/alliances/:slug/stakeholders` as a register row. The stakeholder fields are
 * read whether they come beside the organisation's own or grouped under `stakeholder`.
 */
export function toStakeholder(raw: Raw): Stakeholder {
  const grouped = typeof raw.stakeholder === 'object' && raw.stakeholder !== null ? (raw.stakeholder as Raw) : {};
  const field = (name: string) => text(raw[name] ?? grouped[name]);
  return {
    id: String(raw.id),
    name: String(raw.name ?? ''),
    version: typeof raw.version === 'number' ? raw.version : 0,
    sector: field('sector') as Sector | null,
    memberRole: field('memberRole') as MemberRole | null,
    website: field('website'),
    email: field('email'),
    address: addressOf(raw),
    contactPerson: field('contactPerson'),
    contactPhone: field('contactPhone'),
    contactEmail: field('contactEmail'),
    contribution: field('contribution'),
    whatMatters: field('whatMatters'),
    influence: field('influence') as Influence | null,
    engagementStrategy: field('engagementStrategy'),
  };
}

export function draftOf(stakeholder: Stakeholder | null): StakeholderDraft {
  const draft = {} as StakeholderDraft;
  for (const field of stakeholderFields) draft[field] = stakeholder?.[field] ?? '';
  return draft;
}

/** "example.org" is taken to mean https://example.org: the server only accepts whole addresses. */
export function normalizeWebsite(value: string): string {
  const trimmed = value.trim();
  if (trimmed === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) return trimmed;
  return `https://${trimmed}`;
}

export function bodyValue(field: StakeholderField, value: string): string | null {
  const trimmed = field === 'website' ? normalizeWebsite(value) : value.trim();
  return trimmed === '' ? null : trimmed;
}

/** The fields of `draft` that differ from `base`, as the API takes them (empty → null). */
export function changedFields(
  base: StakeholderDraft,
  draft: StakeholderDraft,
): Partial<Record<StakeholderField, string | null>> {
  const changes: Partial<Record<StakeholderField, string | null>> = {};
  for (const field of stakeholderFields) {
    const value = bodyValue(field, draft[field]);
    if (value !== bodyValue(field, base[field])) changes[field] = value;
  }
  return changes;
}

/** A field as the server stores it, so that the form sees "  x " and "x" as the same value. */
export function stakeholderValue(field: StakeholderField, of: StakeholderDraft): string | null {
  return bodyValue(field, of[field]);
}

/** How the register's form compares and rebases a draft (`VersionedEdit`). */
export const stakeholderEdit: VersionedEditOptions<StakeholderDraft, StakeholderField> = {
  fields: stakeholderFields,
  valueOf: stakeholderValue,
};

/** "No service offered here", "1 service offered here", "3 services offered here". */
export function servicesHereText(count: number): string {
  if (count === 0) return t('register.places.noServicesHere');
  return t('register.places.servicesHere', { count });
}

/** A place's address on one line: street, then postal code and town; null when none is recorded. */
export function placeAddressLine(place: {
  address: string | null;
  postalCode: string | null;
  town: string | null;
}): string | null {
  const townLine = [text(place.postalCode), text(place.town)].filter((part) => part !== null).join(' ');
  const parts = [text(place.address), text(townLine)].filter((part) => part !== null);
  return parts.length > 0 ? parts.join(', ') : null;
}
