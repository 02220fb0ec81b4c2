import { ApiError } from '../api/client';

/**
 * Whether a save failed because someone else saved the record first (409): the server's message says so, and the
 * form offers to reload their version with what this person typed kept on top.
 */
export function isEditConflict(failure: unknown): failure is ApiError {
  return failure instanceof ApiError && failure.status === 409;
}
