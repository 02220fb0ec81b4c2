import type { Static } from 'typebox';
import type { authSchemas } from '#contract/api.js';
import { untrack } from 'svelte';
import { apiRequest, sendCsrfTokenFrom } from '../api/request';

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
  /** The workspace language the account chose (null: none yet, or a server that does not keep one). */
  readonly language = $derived((this.me.account as { language?: string | null } | null)?.language ?? null);
  /**
   * Whether the server keeps a language for accounts and invitation mails: it then names the account's (null
   * included). An older server would refuse the field, so the pages send it only when this is true.
   */
  readonly keepsLanguage = $derived(this.me.account !== null && 'language' in this.me.account);

  roleIn(allianceSlug: string | null): AllianceRole | null {
    if (!allianceSlug || !this.me.account) return null;
    if (this.me.account.isPlatformAdmin) return 'coordinator';
    return this.me.memberships.find((membership) => membership.allianceSlug === allianceSlug)?.role ?? null;
  }

  can(allianceSlug: string | null, permission: Permission): boolean {
    const role = this.roleIn(allianceSlug);
    return role !== null && rank[role] >= needed[permission];
  }

  /** Asks who is signed in; `started` is that request already under way (`workspace/earlyRequests.ts`). */
  async refresh(signal?: AbortSignal, started?: Promise<Me> | null): Promise<void> {
    this.me = await (started ?? apiRequest<Me>('/api/auth/me', { signal }));
    this.loaded = true;
  }

  async signIn(email: string, password: string): Promise<void> {
    this.me = await apiRequest<Me>('/api/auth/login', { method: 'POST', body: { email, password } });
    this.loaded = true;
  }

  /** After accepting an invitation or resetting a password, the answer is the new session's Me. */
  adopt(me: Me): void {
    this.me = me;
    this.loaded = true;
  }

  async signOut(): Promise<void> {
    await apiRequest<void>('/api/auth/logout', { method: 'POST' });
    this.me = { account: null, csrfToken: null, memberships: [] };
  }
}

export const session = new Session();

// Read untracked: a change sent from an effect (the self-service page spending its link) must not run again when the
// session arrives and its token changes.
sendCsrfTokenFrom(() => untrack(() => session.me.csrfToken));
