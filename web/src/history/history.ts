import type { Static } from 'typebox';
import type { historySchemas } from '#contract/api.js';
import { humanizeId } from '../ui/format';
import { memberRoleLabel, sectorLabel } from '../register/stakeholders';

/** One recorded change of a record (docs/workspace-api.md, History). */
export type Change = Static<typeof historySchemas.Change>;

export const HISTORY_PAGE = 50;

const entityNames: Record<string, string> = {
  alliance: 'alliance',
  organization: 'organisation',
  service: 'service',
  location: 'location',
  plan_action: 'action',
  action: 'action',
  swot_item: 'SWOT item',
  charter_signature: 'charter signature',
  service_at_location: 'service’s place',
  schedule: 'opening hours',
};

/** "plan_action" → "action": what the record is, in the words of the pages. */
export function entityName(entityType: string): string {
  return entityNames[entityType] ?? humanizeId(entityType).toLowerCase();
}

const fieldLabels: Record<string, string> = {
  name: 'Name',
  sector: 'Sector',
  member_role: 'Member role',
  website: 'Website',
  email: 'E-mail',
  contact_person: 'Contact person',
  contact_phone: 'Contact phone',
  contact_email: 'Contact e-mail',
  contribution: 'Contribution',
  what_matters: 'What matters to them',
  influence: 'Influence',
  engagement_strategy: 'Engagement strategy',
  description: 'Description',
  legal_status: 'Legal status',
  address_1: 'Address',
  geog: 'Position (latitude, longitude)',
  city: 'Town',
  postal_code: 'Postal code',
  hide_address: 'Hide the address',
  due_on: 'Due on',
  starts_on: 'Starts on',
  estimated_budget: 'Estimated budget',
};

/** "contact_phone" or "contactPhone" → "Contact phone". */
export function fieldLabel(field: string): string {
  const snake = field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  return fieldLabels[snake] ?? humanizeId(snake);
}

/** Book-keeping columns every record has; a change to them alone tells a person nothing. */
const bookkeeping = new Set(['version', 'updated_at', 'updatedAt', 'created_at', 'createdAt', 'id']);

export function meaningfulFields(change: Change): string[] {
  return change.changedFields.filter((field) => !bookkeeping.has(field));
}

/** Fields whose recorded values are codes, shown with the words the forms use. */
const valueLabels: Record<string, (code: string) => string> = {
  sector: sectorLabel,
  member_role: memberRoleLabel,
  influence: (code) => code.charAt(0).toUpperCase() + code.slice(1),
};

export const EMPTY_VALUE = '(empty)';

/** A location's position is logged as a GeoJSON point. */
function isPoint(value: unknown): value is { type: 'Point'; coordinates: [number, number] } {
  if (typeof value !== 'object' || value === null) return false;
  const { type, coordinates } = value as { type?: unknown; coordinates?: unknown };
  return (
    type === 'Point' &&
    Array.isArray(coordinates) &&
    typeof coordinates[0] === 'number' &&
    typeof coordinates[1] === 'number'
  );
}

/** A recorded value as a person reads it; empty values say so rather than showing nothing. */
export function formatChangeValue(value: unknown, field?: string): string {
  if (value === null || value === undefined || value === '') return EMPTY_VALUE;
  const label = field ? valueLabels[field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)] : undefined;
  if (label && typeof value === 'string') return label(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value))
    return value.length === 0 ? '(none)' : value.map((item) => formatChangeValue(item)).join(', ');
  if (isPoint(value)) return `${value.coordinates[1].toFixed(5)}, ${value.coordinates[0].toFixed(5)}`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Field values before and after, for each meaningful field the change touched. */
export function fieldChanges(change: Change): { field: string; before: string; after: string }[] {
  return meaningfulFields(change).map((field) => ({
    field,
    before: formatChangeValue(change.old?.[field], field),
    after: formatChangeValue(change.new?.[field], field),
  }));
}

/** "Camille Coordinator changed the organisation “Cimade”" — who did what, in one line. */
export function changeSummary(change: Change): string {
  const who = change.author?.displayName ?? 'Someone without an account (a script or the server)';
  const what = `the ${entityName(change.entityType)}${change.entityLabel ? ` “${change.entityLabel}”` : ''}`;
  const verb = { create: 'added', update: 'changed', delete: 'deleted' }[change.action];
  return `${who} ${verb} ${what}`;
}

const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

export function formatChangeTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}
