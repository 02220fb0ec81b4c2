import type { Static } from 'typebox';
import type { authSchemas } from '#contract/api.js';
import { apiRequest } from '../api/request';
import type { memberSchemas } from '#contract/api.js';
import { session, type AllianceRole } from '../account/session.svelte';

/** A person of an alliance (docs/workspace-api.md, Accounts). */
export type Member = Static<typeof memberSchemas.Member>;

/** An invitation not accepted yet: it grants nothing, and only coordinators see it. */
export type PendingInvitation = Static<typeof memberSchemas.PendingInvitation>;

export const allianceRoles: readonly AllianceRole[] = ['coordinator', 'secretariat', 'editor', 'member'];

const membersPath = (slug: string) => `/api/alliances/${encodeURIComponent(slug)}/members`;

/** The members, and for a coordinator the invitations waiting to be accepted. */
export async function fetchMembers(
  allianceSlug: string,
  signal?: AbortSignal,
): Promise<{ members: Member[]; invitations: PendingInvitation[] }> {
  const body = await apiRequest<Static<typeof memberSchemas.MemberList>>(membersPath(allianceSlug), { signal });
  return { members: body.items, invitations: body.invitations ?? [] };
}

export function withdrawInvitation(allianceSlug: string, invitationId: string): Promise<void> {
  return apiRequest(
    `/api/alliances/${encodeURIComponent(allianceSlug)}/invitations/${encodeURIComponent(invitationId)}`,
    { method: 'DELETE' },
  );
}

/** Invites someone; `language` is the language of the invitation mail, sent to a server that keeps one. */
export function inviteMember(
  allianceSlug: string,
  invitation: { email: string; role: AllianceRole; organizationId: string | null; language?: string },
): Promise<Static<typeof memberSchemas.InvitationCreated>> {
  const body: Record<string, string> = { email: invitation.email, role: invitation.role };
  if (invitation.organizationId) body.organizationId = invitation.organizationId;
  if (invitation.language && session.keepsLanguage) body.language = invitation.language;
  return apiRequest(`/api/alliances/${encodeURIComponent(allianceSlug)}/invitations`, {
    method: 'POST',
    body,
  });
}

export function updateMember(
  allianceSlug: string,
  accountId: string,
  changes: { role?: AllianceRole; organizationId?: string | null },
): Promise<Member> {
  return apiRequest(`${membersPath(allianceSlug)}/${encodeURIComponent(accountId)}`, {
    method: 'PATCH',
    body: changes,
  });
}

export function removeMember(allianceSlug: string, accountId: string): Promise<void> {
  return apiRequest(`${membersPath(allianceSlug)}/${encodeURIComponent(accountId)}`, { method: 'DELETE' });
}

/** The server may answer a path ("/map#/invitation/…") when it does not know its public address. */
export function absoluteLink(link: string): string {
  return new URL(link, window.location.origin).href;
}

/** What `GET /api/invitations/:token` tells the person who opens the link. */
export type Invitation = Static<typeof authSchemas.Invitation>;
