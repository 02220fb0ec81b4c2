import type { Static } from 'typebox';
import type { historySchemas } from '#contract/api.js';
import { pageLanguage, t } from '../i18n/pageLanguage.svelte';
import { autonym } from '../i18n/languages';
import { humanizeId } from '../ui/format';
import { bookkeepingFields } from './bookkeepingFields';
import { influenceLabel, memberRoleLabel, sectorLabel } from '../register/stakeholders';

/** One recorded change of a record (docs/workspace-api.md, History). */
export type Change = Static<typeof historySchemas.Change>;

export const HISTORY_PAGE = 50;

/**
 * "plan_action" → "the action “Open a help desk”": the record a change is about, as the object of a sentence
 * ("… changed {what}"), in the page's language. A kind of record without words of its own is named from its id.
 */
export function changedRecord(change: Pick<Change, 'entityType' | 'entityLabel'>): string {
  const key = `history.record.${change.entityType}`;
  const known = pageLanguage.has(`${key}.named`);
  const label = change.entityLabel;
  const kind = humanizeId(change.entityType).toLowerCase();
  if (label) return known ? t(`${key}.named`, { label }) : t('history.record.other.named', { kind, label });
  return known ? t(`${key}.unnamed`) : t('history.record.other.unnamed', { kind });
}

const toSnake = (field: string) => field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** "contact_phone" or "contactPhone" → "Contact phone". */
export function fieldLabel(field: string): string {
  const snake = toSnake(field);
  const key = `history.field.${snake}`;
  return pageLanguage.has(key) ? t(key) : humanizeId(snake);
}

export function meaningfulFields(change: Change): string[] {
  return change.changedFields.filter((field) => !bookkeepingFields.has(toSnake(field)));
}

/** Fields whose recorded values are codes, shown with the words the forms use. */
const valueLabels: Record<string, (code: string) => string> = {
  sector: sectorLabel,
  member_role: memberRoleLabel,
  influence: influenceLabel,
  origin: (code) => t(`history.value.origin.${code}`),
  review_state: (code) => t(`history.value.review_state.${code}`),
  // A report's kind of problem and how an editor resolved it.
  kind: (code) =>
    pageLanguage.has(`history.value.report_kind.${code}`) ? t(`history.value.report_kind.${code}`) : code,
  resolution: (code) => t(`history.value.resolution.${code}`),
  resolved_at: (iso) => formatChangeTime(iso),
  // A translation's field is the column it translates, and its language a code.
  field: (column) => fieldLabel(column),
  language: autonym,
  reviewed_at: (iso) => formatChangeTime(iso),
};

/** What an empty value reads as, "(empty)", rather than nothing. */
export function emptyValue(): string {
  return t('history.value.empty');
}

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
  if (value === null || value === undefined || value === '') return emptyValue();
  const label = field ? valueLabels[toSnake(field)] : undefined;
  if (label && typeof value === 'string') return label(value);
  if (typeof value === 'boolean') return value ? t('history.value.yes') : t('history.value.no');
  if (Array.isArray(value))
    return value.length === 0
      ? t('history.value.none')
      : pageLanguage.format.list(value.map((item) => formatChangeValue(item)));
  if (isPoint(value)) {
    const degrees = (angle: number) =>
      pageLanguage.format.number(angle, { minimumFractionDigits: 5, maximumFractionDigits: 5 });
    return t('history.value.position', {
      latitude: degrees(value.coordinates[1]),
      longitude: degrees(value.coordinates[0]),
    });
  }
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

/**
 * Who made a change: the account, with the change's label when it has one ("approved change from …"); else the
 * label of an author without an account (an organisation through its self-service link).
 */
export function changeAuthor(change: Pick<Change, 'author' | 'authorLabel'>): string {
  if (change.author && change.authorLabel) {
    return t('history.summary.withLabel', { name: change.author.displayName, label: change.authorLabel });
  }
  return change.author?.displayName ?? change.authorLabel ?? t('history.summary.noAuthor');
}

/** "Camille Coordinator changed the organisation “Cimade”" — who did what, in one line. */
export function changeSummary(change: Change): string {
  const params = { who: changeAuthor(change), what: changedRecord(change) };
  if (change.action === 'create') return t('history.summary.create', params);
  if (change.action === 'delete') return t('history.summary.delete', params);
  return t('history.summary.update', params);
}

export function formatChangeTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : pageLanguage.format.dateTime(date);
}
