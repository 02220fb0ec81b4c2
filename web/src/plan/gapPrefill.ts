import type { GapChoice } from './actionDraft';

/**
 * "Create an action for this gap" opens the action plan with the gap in the hash's query:
 * `#/alliance/<slug>/actions?fromRun=<runId>&unit=<unitId>&subject=<subject>`.
 */
export function actionForGapHref(allianceSlug: string, gap: GapChoice): string {
  const query = new URLSearchParams({ fromRun: gap.runId, unit: gap.unitId, subject: gap.subject });
  return `#/alliance/${encodeURIComponent(allianceSlug)}/actions?${query}`;
}

/** The gap named by a location hash, or null when it names none (or only part of one). */
export function gapFromHash(hash: string): GapChoice | null {
  const queryStart = hash.indexOf('?');
  if (queryStart < 0) return null;
  const params = new URLSearchParams(hash.slice(queryStart + 1));
  const runId = params.get('fromRun');
  const unitId = params.get('unit');
  const subject = params.get('subject');
  return runId && unitId && subject ? { runId, unitId, subject } : null;
}

/** The same hash without its query, once the gap has been used. */
export function hashWithoutQuery(hash: string): string {
  const queryStart = hash.indexOf('?');
  return queryStart < 0 ? hash : hash.slice(0, queryStart);
}
