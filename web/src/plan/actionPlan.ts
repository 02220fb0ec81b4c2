import type { Static } from 'typebox';
import { PSEUDO_LOCALE } from '../i18n/pseudo';
import type { actionPlanSchemas } from '#contract/api.js';
import { apiRequest } from '../api/request';
import { pageLanguage, t } from '../i18n/pageLanguage.svelte';

/** Where an action stands; the board has a column for each, in this order. */
export const actionStatuses = ['proposed', 'planned', 'in_progress', 'done', 'dropped'] as const;
export type ActionStatus = (typeof actionStatuses)[number];

/** An action status in the page's language ("In progress"). */
export function statusLabel(status: ActionStatus): string {
  return t(`plan.status.${status}`);
}

/** A row of the guide's action table, with its SMART fields (docs/workspace-api.md, `Action`). */
export type Action = Static<typeof actionPlanSchemas.Action>;

export type OrganizationRef = Action['partnerOrganizations'][number];

/** The gap an action answers: an area × category or topic of a gap analysis run; `runId` is null once the run is deleted. */
export type ActionGap = NonNullable<Action['gap']>;

/** What may be sent on create or change; a field left out stays as it is, null clears it. */
export type ActionWrite = Omit<Static<typeof actionPlanSchemas.ActionUpdateBody>, 'version'>;

export type ActionComment = Static<typeof actionPlanSchemas.Comment>;

/** The latest what-if scenario that adds an action's planned service, and the run it was computed on. */
export type ActionEffect = Static<typeof actionPlanSchemas.ActionEffect>;

const alliancePath = (slug: string) => `/api/alliances/${encodeURIComponent(slug)}`;
const actionPath = (id: string) => `/api/actions/${encodeURIComponent(id)}`;

/** The plan as CSV, one row per action the asker may see; a plain link downloads it with the session cookie. */
export const actionPlanCsvPath = (slug: string) => `${alliancePath(slug)}/actions.csv`;

/** The gap analysis view of the run an action came from, on the action's subject. */
export function gapHref(allianceSlug: string, gap: ActionGap): string | null {
  if (!gap.runId) return null;
  const query = new URLSearchParams({ run: gap.runId, subject: gap.subject });
  return `#/gap-analysis/${encodeURIComponent(allianceSlug)}?${query}`;
}

export async function fetchActions(slug: string, signal?: AbortSignal): Promise<Action[]> {
  return (await apiRequest<{ items: Action[] }>(`${alliancePath(slug)}/actions`, { signal })).items;
}

export function fetchAction(id: string, signal?: AbortSignal): Promise<Action> {
  return apiRequest<Action>(actionPath(id), { signal });
}

export function createAction(slug: string, write: ActionWrite & { title: string }): Promise<Action> {
  return apiRequest<Action>(`${alliancePath(slug)}/actions`, { method: 'POST', body: write });
}

/** Sends `version`, the one the action was read at: someone else's change since answers 409. */
export function updateAction(id: string, version: number, changes: ActionWrite): Promise<Action> {
  return apiRequest<Action>(actionPath(id), { method: 'PATCH', body: { version, ...changes } });
}

export function deleteAction(id: string): Promise<void> {
  return apiRequest<void>(actionPath(id), { method: 'DELETE' });
}

/** The action's expected effect (members), or null when no scenario includes it yet. */
export async function fetchActionEffect(id: string, signal?: AbortSignal): Promise<ActionEffect | null> {
  return (await apiRequest<{ effect: ActionEffect | null }>(`${actionPath(id)}/effect`, { signal })).effect;
}

/** Computes the action's effect alone on the alliance's latest run in minutes (editors). */
export function computeActionEffect(id: string): Promise<ActionEffect> {
  return apiRequest<ActionEffect>(`${actionPath(id)}/effect`, { method: 'POST' });
}

export async function fetchComments(actionId: string, signal?: AbortSignal): Promise<ActionComment[]> {
  return (await apiRequest<{ items: ActionComment[] }>(`${actionPath(actionId)}/comments`, { signal })).items;
}

export function addComment(actionId: string, body: string): Promise<ActionComment> {
  return apiRequest<ActionComment>(`${actionPath(actionId)}/comments`, { method: 'POST', body: { body } });
}

/** The alliance's organisations, to choose who is responsible and who takes part. */
export async function fetchAllianceOrganizations(slug: string, signal?: AbortSignal): Promise<OrganizationRef[]> {
  const query = new URLSearchParams({ alliance: slug, limit: '500' });
  const page = await apiRequest<{ items: OrganizationRef[] }>(`/api/organizations?${query}`, { signal });
  return page.items
    .map(({ id, name }) => ({ id, name }))
    .sort((left, right) => left.name.localeCompare(right.name, 'en'));
}

/** "1,500 EUR" (in the page's language), or null when there is no estimate. */
export function formatBudget(amount: number | null, currency: string | null): string | null {
  if (amount === null) return null;
  const number = pageLanguage.format.number(amount, { maximumFractionDigits: 2 });
  return currency ? `${number} ${currency}` : number;
}

/** English days read "4 Jan 2027" as the alliances' British English writes them; other languages their own way. */
function dayLocale(): string {
  return pageLanguage.speaks('en') ? 'en-GB' : pageLanguage.code;
}

/** "4 Jan 2027" from "2027-01-04"; a calendar date, so read and written in UTC to stay the same day. */
export function formatDay(isoDate: string): string {
  const date = new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoDate;
  const day = new Intl.DateTimeFormat(dayLocale(), {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(date);
  // The pseudo-locale marks formatted values too (i18n/pseudo.ts), so that a hand-formatted one shows.
  return pageLanguage.code === PSEUDO_LOCALE ? `⟦${day}⟧` : day;
}

export type TimelineWords = (which: 'range' | 'from' | 'by', params: Record<string, string>) => string;

const planTimelineWords: TimelineWords = (which, params) => t(`plan.timeline.${which}`, params);

/**
 * "4 Jan 2027 – 30 Jun 2027", "from 4 Jan 2027", "by 30 Jun 2027", or null without dates. `words` says them (the
 * public profile has its own, in more languages).
 */
export function formatTimeline(
  startsOn: string | null,
  dueOn: string | null,
  words: TimelineWords = planTimelineWords,
): string | null {
  if (startsOn && dueOn) return words('range', { start: formatDay(startsOn), due: formatDay(dueOn) });
  if (startsOn) return words('from', { date: formatDay(startsOn) });
  if (dueOn) return words('by', { date: formatDay(dueOn) });
  return null;
}
