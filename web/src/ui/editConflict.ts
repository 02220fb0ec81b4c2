import { ApiError } from '../api/client';

/**
 * Whether a save failed because someone else saved the record first (409): the server's message says so, and the
 * form offers to reload their version with what this person typed kept on top.
 */
export function isEditConflict(failure: unknown): failure is ApiError {
  return failure instanceof ApiError && failure.status === 409;
}

export interface Rebased<Draft, Field> {
  /** The other person's values, with the fields this person changed on top. */
  draft: Draft;
  /** Fields both changed differently: this person's value is kept, theirs is shown. */
  clashes: { field: Field; theirs: string }[];
  /** Every field the other person changed, in the order of `fields`. */
  theirChanges: Field[];
}

/**
 * After a 409, puts what the person changed on top of the record as it is now, so that nothing typed is lost:
 * the fields they did not touch take the other person's values; the ones they did keep theirs. `valueOf` gives a
 * field as the server would store it (so that "  x " and "x" are no change), `describe` the other person's value.
 */
export function rebaseOnLatest<Draft extends object, Field extends keyof Draft & string>(
  fields: readonly Field[],
  base: Draft,
  draft: Draft,
  latest: Draft,
  valueOf: (field: Field, of: Draft) => unknown = (field, of) => of[field],
  describe: (field: Field, of: Draft) => string = (field, of) => String(valueOf(field, of) ?? ''),
): Rebased<Draft, Field> {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const next = structuredClone(latest);
  const clashes: Rebased<Draft, Field>['clashes'] = [];
  const theirChanges: Field[] = [];
  for (const field of fields) {
    const mine = valueOf(field, draft);
    const original = valueOf(field, base);
    const theirs = valueOf(field, latest);
    if (!same(theirs, original)) theirChanges.push(field);
    if (same(mine, original)) continue;
    next[field] = structuredClone(draft[field]);
    if (!same(theirs, original) && !same(theirs, mine)) clashes.push({ field, theirs: describe(field, latest) });
  }
  return { draft: next, clashes, theirChanges };
}
