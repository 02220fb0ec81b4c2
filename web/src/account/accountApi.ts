import type { Static } from 'typebox';
import type { authSchemas } from '#contract/api.js';
import { apiRequest } from '../api/request';
import { session, type Me } from './session.svelte';

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
 * Keeps the workspace language on the account, for the pages and the mails; answers who the person is now, or null
 * when the server does not keep a language (then nothing is sent).
 */
export function saveAccountLanguage(language: string): Promise<Me | null> {
  if (!session.keepsLanguage) return Promise.resolve(null);
  return apiRequest<Me>('/api/auth/me', { method: 'PATCH', body: { language } });
}
