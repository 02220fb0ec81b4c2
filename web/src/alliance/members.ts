import type { Static } from 'typebox';
import type { authSchemas } from '#contract/api.js';
import { apiRequest } from '../api/request';
import type { memberSchemas } from '#contract/api.js';
import { type AllianceRole } from '../account/session.svelte';

/** A person of an alliance (docs/workspace-api.md, Accounts). */
export type Member = Static<typeof memberSchemas.Member>;

/** An invitation not accepted yet: it grants nothing, and only coordinators see it. */
export type PendingInvitation = Static<typeof memberSchemas.PendingInvitation>;

export const allianceRoles: readonly AllianceRole[] = ['coordinator', 'secretariat', 'editor', 'member'];

const roleLabels: Record<AllianceRole, string> = {
  coordinator: 'Coordinator',
  secretariat: 'Secretariat',
  editor: 'Editor',
  member: 'Member',
};

/** What each role may do, said once beside the role chooser. */
export const roleDescriptions: Record<AllianceRole, string> = {
  coordinator: 'everything, plus members, roles and publishing',
  secretariat: 'adds, changes and restores the alliance’s data',
  editor: 'adds, changes and restores the alliance’s data',
  member: 'reads everything of the alliance and comments',
};

export function roleLabel(role: string): string {
  return roleLabels[role as AllianceRole] ?? role;
}

/** "An editor adds…", "A member reads…": what a role may do, as a sentence. */
export function roleSentence(role: AllianceRole): string {
  const name = roleLabel(role).toLowerCase();
  return `${/^[aeiou]/.test(name) ? 'An' : 'A'} ${name} ${roleDescriptions[role]}.`;
}

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

export function inviteMember(
  allianceSlug: string,
  invitation: { email: string; role: AllianceRole; organizationId: string | null },
): Promise<Static<typeof memberSchemas.InvitationCreated>> {
  const body: Record<string, string> = { email: invitation.email, role: invitation.role };
  if (invitation.organizationId) body.organizationId = invitation.organizationId;
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
