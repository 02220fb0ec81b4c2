import type { Static } from 'typebox';
import type { authSchemas } from '#contract/api.js';
import { ApiError } from '../api/client';

/** Who is signed in, as `GET /api/auth/me` answers (docs/workspace-api.md). */
export type Me = Static<typeof authSchemas.Me>;

export type AllianceRole = Static<typeof authSchemas.AllianceRoleSchema>;
export type Permission = 'read' | 'edit' | 'manage';

const rank: Record<AllianceRole, number> = { member: 1, editor: 2, secretariat: 2, coordinator: 3 };
const needed: Record<Permission, number> = { read: 1, edit: 2, manage: 3 };

/**
 * The signed-in person, shared by every workspace page. The session itself is an HTTP-only cookie the page
 * cannot read; what the page keeps is who it is, their roles, and the CSRF token it must send with changes.
 */
class Session {
  me = $state.raw<Me>({ account: null, csrfToken: null, memberships: [] });
  loaded = $state(false);

  readonly signedIn = $derived(this.me.account !== null);

  roleIn(allianceSlug: string | null): AllianceRole | null {
    if (!allianceSlug || !this.me.account) return null;
    if (this.me.account.isPlatformAdmin) return 'coordinator';
    return this.me.memberships.find((membership) => membership.allianceSlug === allianceSlug)?.role ?? null;
  }

  can(allianceSlug: string | null, permission: Permission): boolean {
    const role = this.roleIn(allianceSlug);
    return role !== null && rank[role] >= needed[permission];
  }

  async refresh(signal?: AbortSignal): Promise<void> {
    this.me = await workspaceRequest<Me>('/api/auth/me', { signal });
    this.loaded = true;
  }

  async signIn(email: string, password: string): Promise<void> {
    this.me = await workspaceRequest<Me>('/api/auth/login', { method: 'POST', body: { email, password } });
    this.loaded = true;
  }

  /** After accepting an invitation or resetting a password, the answer is the new session's Me. */
  adopt(me: Me): void {
    this.me = me;
    this.loaded = true;
  }

  async signOut(): Promise<void> {
    await workspaceRequest<void>('/api/auth/logout', { method: 'POST' });
    this.me = { account: null, csrfToken: null, memberships: [] };
  }
}

export const session = new Session();

/**
 * A JSON request of the workspace: the session cookie goes along by itself; changes carry the CSRF token.
 * Errors come as ApiError with the server's message, which is written for people.
 */
export async function workspaceRequest<T>(
  path: string,
  options: { method?: 'GET' | 'POST' | 'PATCH' | 'DELETE'; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && session.me.csrfToken) headers['x-csrf-token'] = session.me.csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      credentials: 'same-origin',
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError(0, 'The server could not be reached.');
  }
  if (response.status === 204) return undefined as T;
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) return body as T;
  const message =
    typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string'
      ? (body as { message: string }).message
      : response.statusText;
  throw new ApiError(response.status, message);
}
