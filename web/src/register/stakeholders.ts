import type { Static } from 'typebox';
import type { organizationSchemas } from '#contract/api.js';
import { rebaseOnLatest, type Rebased } from '../ui/editConflict';
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

const sectorLabels: Record<Sector, string> = {
  public_authority: 'Public authority',
  ngo: 'NGO',
  migrant_association: 'Migrant association',
  mediator: 'Mediator',
  social_services: 'Social services',
  education: 'Education',
  employer: 'Employer',
  other: 'Other',
};

export function sectorLabel(sector: string | null): string {
  if (!sector) return 'No sector';
  return sectorLabels[sector as Sector] ?? sector;
}

export const memberRoles = ['president', 'secretariat', 'member'] as const;
export type MemberRole = (typeof memberRoles)[number];

const memberRoleLabels: Record<MemberRole, string> = {
  president: 'President',
  secretariat: 'Secretariat',
  member: 'Member',
};

/** The organisation's seat in the alliance; null when it is a stakeholder without one. */
export function memberRoleLabel(role: string | null): string {
  if (!role) return 'Not a member';
  return memberRoleLabels[role as MemberRole] ?? role;
}

export const influences = ['low', 'medium', 'high'] as const;
export type Influence = (typeof influences)[number];

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

export type RebasedDraft = Rebased<StakeholderDraft, StakeholderField>;

/** After a 409: the register's draft on top of the organisation as it is now (see rebaseOnLatest). */
export function rebaseDraft(base: StakeholderDraft, draft: StakeholderDraft, latest: StakeholderDraft): RebasedDraft {
  return rebaseOnLatest(stakeholderFields, base, draft, latest, (field, of) => bodyValue(field, of[field]));
}

/** "No service offered here", "1 service offered here", "3 services offered here". */
export function servicesHereText(count: number): string {
  if (count === 0) return 'No service offered here';
  return `${count} service${count === 1 ? '' : 's'} offered here`;
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
