import type { Static } from 'typebox';
import type { authSchemas } from '#contract/api.js';
import { ApiError, apiRequest } from '../api/request';
import { type Me } from './session.svelte';

/** What the routes that sign other sessions out answer (docs/workspace-api.md). */
export type SessionsEnded = Static<typeof authSchemas.SessionsEnded>;

export { DISPLAY_NAME_MAX, MIN_PASSWORD_LENGTH } from '#contract/limits.js';

/** Changes the signed-in person's name; answers who they are now. */
export function renameMe(displayName: string): Promise<Me> {
  return apiRequest<Me>('/api/auth/me', { method: 'PATCH', body: { displayName } });
}

/** Changes the password; the server signs every other session of the account out. */
export function changePassword(currentPassword: string, newPassword: string): Promise<SessionsEnded> {
  return apiRequest<SessionsEnded>('/api/auth/password', {
    method: 'POST',
    body: { currentPassword, newPassword },
  });
}

/** Signs the account out everywhere but in this browser. */
export function endOtherSessions(): Promise<SessionsEnded> {
  return apiRequest<SessionsEnded>('/api/auth/sessions/end-others', { method: 'POST' });
}

/**
 * Whether the server refused a field because it does not know it (a server older than the page): the page then
 * goes on without it.
 */
export function refusesUnknownField(failure: unknown, field: string): boolean {
  return (
    failure instanceof ApiError &&
    failure.status === 400 &&
    (failure.params.unknown === field || failure.message.includes(`unknown field "${field}"`))
  );
}

/**
 * Keeps the workspace language on the account, for the pages and the mails; answers who the person is now, or null
 * when the server does not keep a language yet.
 */
export async function saveAccountLanguage(language: string): Promise<Me | null> {
  try {
    return await apiRequest<Me>('/api/auth/me', { method: 'PATCH', body: { language } });
  } catch (failure) {
    if (refusesUnknownField(failure, 'language')) return null;
    throw failure;
  }
}
