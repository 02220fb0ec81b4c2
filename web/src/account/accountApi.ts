import type { Static } from 'typebox';
import type { authSchemas } from '#contract/api.js';
import { apiRequest } from '../api/request';
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

/** "2 other sessions were signed out": what ending them did, in words. */
export function endedSessionsWords(count: number): string {
  if (count === 0) return 'No other device or browser was signed in to your account.';
  if (count === 1) return '1 other device or browser was signed out.';
  return `${count} other devices or browsers were signed out.`;
}
