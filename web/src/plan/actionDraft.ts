import { pageLanguage, t } from '../i18n/pageLanguage.svelte';
import type { VersionedEditOptions } from '../ui/versionedEdit.svelte';
import { subjectName } from '../gap-analysis/topics';
import { statusLabel, type Action, type ActionStatus, type ActionWrite } from './actionPlan';

/** The gap a new action is created for, from the gap analysis view. */
export interface GapChoice {
  runId: string;
  unitId: string;
  subject: string;
}

/** What the action form holds: text as typed, so that nothing a person wrote is lost to parsing. */
export interface ActionDraft {
  title: string;
  problem: string;
  description: string;
  estimatedBudget: string;
  currency: string;
  resources: string;
  responsibleOrganizationId: string;
  partnerOrganizationIds: string[];
  indicator: string;
  startsOn: string;
  dueOn: string;
  status: ActionStatus;
  published: boolean;
  /** The planned service's point as typed or clicked; both empty for none. */
  plannedPlace: { lat: string; lon: string };
  /** One of the three categories, or '' for none. */
  plannedCategory: string;
  plannedCapacity: string;
}

export type DraftField = keyof ActionDraft;

/** The fields in the form's order. */
const draftFields: readonly DraftField[] = [
  'title',
  'problem',
  'description',
  'estimatedBudget',
  'currency',
  'resources',
  'responsibleOrganizationId',
  'partnerOrganizationIds',
  'indicator',
  'startsOn',
  'dueOn',
  'status',
  'published',
  'plannedPlace',
  'plannedCategory',
  'plannedCapacity',
];

/** The words the conflict notice uses for a field, in the page's language. */
export function draftFieldLabel(field: DraftField): string {
  return t(`plan.field.${field}`);
}

export function emptyDraft(): ActionDraft {
  return {
    title: '',
    problem: '',
    description: '',
    estimatedBudget: '',
    currency: '',
    resources: '',
    responsibleOrganizationId: '',
    partnerOrganizationIds: [],
    indicator: '',
    startsOn: '',
    dueOn: '',
    status: 'proposed',
    published: false,
    plannedPlace: { lat: '', lon: '' },
    plannedCategory: '',
    plannedCapacity: '',
  };
}

export function draftOf(action: Action): ActionDraft {
  return {
    title: action.title,
    problem: action.problem ?? '',
    description: action.description ?? '',
    estimatedBudget: action.estimatedBudget === null ? '' : String(action.estimatedBudget),
    currency: action.currency ?? '',
    resources: action.resources ?? '',
    responsibleOrganizationId: action.responsibleOrganization?.id ?? '',
    partnerOrganizationIds: action.partnerOrganizations.map((partner) => partner.id),
    indicator: action.indicator ?? '',
    startsOn: action.startsOn ?? '',
    dueOn: action.dueOn ?? '',
    status: action.status,
    published: action.published,
    plannedPlace: action.plannedPlace
      ? { lat: String(action.plannedPlace.lat), lon: String(action.plannedPlace.lon) }
      : { lat: '', lon: '' },
    plannedCategory: action.plannedCategory ?? '',
    plannedCapacity: action.plannedCapacity === null ? '' : String(action.plannedCapacity),
  };
}

/**
 * "1 500,50" or "1,500.50" → 1500.5; '' → null; anything else → NaN. A comma followed by exactly three digits
 * groups thousands; otherwise it is the decimal separator many of the alliances' languages use.
 */
export function parseBudget(text: string): number | null {
  const compact = text.replace(/[\s\u00a0\u202f']/g, '');
  if (compact === '') return null;
  const normalised = /,\d{3}(?:[.,]|$)/.test(compact) ? compact.replace(/,(?=\d{3}(?:[.,]|$))/g, '') : compact;
  const decimal = normalised.replace(',', '.');
  if (!/^\d+(?:\.\d{1,2})?$/.test(decimal)) return Number.NaN;
  return Number(decimal);
}

/** A coordinate as typed ("45,505" or "45.505"); NaN when it is not a number. */
function parseCoordinate(text: string): number {
  const trimmed = text.trim().replace(',', '.').replace('−', '-');
  return /^-?\d+(?:\.\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/** The planned point, null when both are empty, NaN-valued when not a valid pair. */
export function parsePlannedPlace(place: { lat: string; lon: string }): { lon: number; lat: number } | null {
  if (!place.lat.trim() && !place.lon.trim()) return null;
  const lat = parseCoordinate(place.lat);
  const lon = parseCoordinate(place.lon);
  if (!(Math.abs(lat) <= 90) || !(Math.abs(lon) <= 180)) return { lon: Number.NaN, lat: Number.NaN };
  return { lon, lat };
}

/** A capacity as typed: null when empty, NaN unless a number above 0. */
export function parseCapacity(text: string): number | null {
  const trimmed = text.trim().replace(',', '.');
  if (!trimmed) return null;
  const value = /^\d+(?:\.\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  return value > 0 ? value : Number.NaN;
}

/** A coordinate written for a person and for the form: five decimals (about a metre). */
export const roundedCoordinate = (value: number): string => String(Math.round(value * 1e5) / 1e5);

/** Why the draft cannot be sent as it is, field by field; empty when it can. */
export function draftProblems(draft: ActionDraft): Partial<Record<DraftField, string>> {
  const problems: Partial<Record<DraftField, string>> = {};
  if (!draft.title.trim()) problems.title = t('plan.problem.title');
  if (Number.isNaN(parseBudget(draft.estimatedBudget))) {
    problems.estimatedBudget = t('plan.problem.estimatedBudget');
  }
  if (draft.startsOn && draft.dueOn && draft.dueOn < draft.startsOn) {
    problems.dueOn = t('plan.problem.dueOn');
  }
  if (Number.isNaN(parsePlannedPlace(draft.plannedPlace)?.lat)) problems.plannedPlace = t('plan.planned.problemPlace');
  if (Number.isNaN(parseCapacity(draft.plannedCapacity))) {
    problems.plannedCapacity = t('plan.planned.problemCapacity');
  }
  return problems;
}

const textOrNull = (text: string): string | null => text.trim() || null;

function writeOf(draft: ActionDraft): Required<Omit<ActionWrite, 'gapRunId' | 'gapUnitId' | 'gapSubject'>> {
  return {
    title: draft.title.trim(),
    problem: textOrNull(draft.problem),
    description: textOrNull(draft.description),
    estimatedBudget: parseBudget(draft.estimatedBudget),
    currency: draft.currency || null,
    resources: textOrNull(draft.resources),
    responsibleOrganizationId: draft.responsibleOrganizationId || null,
    partnerOrganizationIds: draft.partnerOrganizationIds,
    indicator: textOrNull(draft.indicator),
    startsOn: draft.startsOn || null,
    dueOn: draft.dueOn || null,
    status: draft.status,
    published: draft.published,
    plannedPlace: parsePlannedPlace(draft.plannedPlace),
    plannedCategory: (draft.plannedCategory || null) as ActionWrite['plannedCategory'] & {},
    plannedCapacity: parseCapacity(draft.plannedCapacity),
  };
}

/**
 * The body of a new action. Empty fields are left out, so that the server fills what it knows: the alliance's
 * currency, and the gap's reason as the local problem.
 */
export function createBody(draft: ActionDraft, gap: GapChoice | null): ActionWrite & { title: string } {
  const write = Object.fromEntries(Object.entries(writeOf(draft)).filter(([, value]) => value !== null)) as ActionWrite;
  const body = { ...write, title: draft.title.trim() };
  return gap ? { ...body, gapRunId: gap.runId, gapUnitId: gap.unitId, gapSubject: gap.subject } : body;
}

function sameValue(left: ActionDraft[DraftField], right: ActionDraft[DraftField]): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}

/** The fields of `draft` that differ from `base`. */
export function changedFields(base: ActionDraft, draft: ActionDraft): DraftField[] {
  return draftFields.filter((field) => !sameValue(base[field], draft[field]));
}

/** Only what the person changed since `base`, so that a PATCH never sends back values it did not mean to set. */
export function changesBody(base: ActionDraft, draft: ActionDraft): ActionWrite {
  const write = writeOf(draft);
  return Object.fromEntries(changedFields(base, draft).map((field) => [field, write[field]])) as ActionWrite;
}

/**
 * The action form's `VersionedEdit`: the fields as typed, and after a conflict the other person's values as a
 * person reads them (`organizationName` names an organisation by its id).
 */
export function actionEdit(organizationName: (id: string) => string): VersionedEditOptions<ActionDraft, DraftField> {
  return {
    fields: draftFields,
    describe: (field, of) => {
      if (field === 'status') return statusLabel(of.status);
      if (field === 'published') return of.published ? t('plan.published') : t('plan.detail.notPublished');
      if (field === 'responsibleOrganizationId') {
        return of.responsibleOrganizationId ? organizationName(of.responsibleOrganizationId) : '';
      }
      if (field === 'partnerOrganizationIds')
        return pageLanguage.format.list(of.partnerOrganizationIds.map(organizationName));
      if (field === 'plannedPlace') {
        return of.plannedPlace.lat || of.plannedPlace.lon ? `${of.plannedPlace.lat}, ${of.plannedPlace.lon}` : '';
      }
      if (field === 'plannedCategory') return of.plannedCategory ? subjectName(of.plannedCategory) : '';
      return of[field];
    },
  };
}

/** Field names inside a sentence ("They changed: status."): lower case, except in German, where nouns keep their capital. */
export function draftFieldInSentence(field: DraftField): string {
  const name = draftFieldLabel(field);
  return pageLanguage.speaks('de') ? name : name.toLocaleLowerCase(pageLanguage.code);
}
