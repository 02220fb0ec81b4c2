import type { Static } from 'typebox';
import type { closureSchemas } from '#contract/api.js';

export type Closure = Static<typeof closureSchemas.Closure>;
export type ClosureCreateBody = Static<typeof closureSchemas.ClosureCreateBody>;

/** What the form holds: both days, closed or open at special hours, and a note. */
export interface ClosureDraft {
  startsOn: string;
  endsOn: string;
  kind: 'closed' | 'specialHours';
  openingHours: string;
  note: string;
}

export const emptyDraft = (today: string): ClosureDraft => ({
  startsOn: today,
  endsOn: today,
  kind: 'closed',
  openingHours: '',
  note: '',
});

export const draftOf = (closure: Closure): ClosureDraft => ({
  startsOn: closure.startsOn,
  endsOn: closure.endsOn,
  kind: closure.openingHours === null ? 'closed' : 'specialHours',
  openingHours: closure.openingHours ?? '',
  note: closure.note ?? '',
});

/** The message key of what is wrong with the draft before it is sent, or null; the server checks the rest. */
export function draftProblem(draft: ClosureDraft): string | null {
  if (!draft.startsOn || !draft.endsOn) return 'closures.problem.datesMissing';
  if (draft.endsOn < draft.startsOn) return 'closures.problem.endsBeforeStart';
  if (draft.kind === 'specialHours' && draft.openingHours.trim() === '') return 'closures.problem.hoursMissing';
  return null;
}

/** The body the API takes for the draft: every field, so that a change also clears what was removed. */
export function bodyOf(draft: ClosureDraft): Required<ClosureCreateBody> {
  return {
    startsOn: draft.startsOn,
    endsOn: draft.endsOn,
    openingHours: draft.kind === 'specialHours' ? draft.openingHours.trim() : null,
    note: draft.note.trim() === '' ? null : draft.note.trim(),
  };
}
