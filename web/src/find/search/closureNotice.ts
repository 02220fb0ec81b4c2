import type { DirectoryService } from '../api/directory';

/**
 * What a card says about a service's temporary closure on `today` (YYYY-MM-DD in the region): closed now and the
 * day it reopens, closed ahead (from … to …), or exceptional hours (from … to …). null when there is no closure, or
 * when the one in a saved copy has ended.
 */
export type ClosureNotice =
  | { kind: 'closedNow'; reopensOn: string }
  | { kind: 'closedAhead'; startsOn: string; endsOn: string }
  | { kind: 'specialHours'; startsOn: string; endsOn: string };

export function closureNotice(closure: DirectoryService['closure'], today: string): ClosureNotice | null {
  if (!closure || closure.endsOn < today) return null;
  const { startsOn, endsOn } = closure;
  if (closure.openingHours !== null) return { kind: 'specialHours', startsOn, endsOn };
  return startsOn <= today
    ? { kind: 'closedNow', reopensOn: closure.reopensOn }
    : { kind: 'closedAhead', startsOn, endsOn };
}
