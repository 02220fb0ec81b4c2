import type { AllianceRole } from '../../db/schema.js';

/**
 * What each role in an alliance may do (the guide's "rules, roles and responsibilities"):
 * - coordinator (the president): everything an editor does, plus members, roles, invitations and publishing;
 * - secretariat and editor: add, change, delete and restore the alliance's data — organisations and the
 *   stakeholder register, services, locations, actions, SWOT, vision and charter — and run gap analyses;
 * - member: read everything of the alliance, personal contact fields included, and comment;
 * - the public (no role): only what is published, never personal contact fields.
 * A platform admin may do everything everywhere.
 */
export const allianceRoles: readonly AllianceRole[] = ['coordinator', 'secretariat', 'editor', 'member'];

const rank: Record<AllianceRole, number> = { member: 1, editor: 2, secretariat: 2, coordinator: 3 };

/** What a route needs: `read` (members), `edit` (secretariat and editors), `manage` (coordinators). */
export type Permission = 'read' | 'edit' | 'manage';

const needed: Record<Permission, number> = { read: 1, edit: 2, manage: 3 };

export function roleAllows(role: AllianceRole | null, permission: Permission): boolean {
  return role !== null && rank[role] >= needed[permission];
}

export function isAllianceRole(value: string): value is AllianceRole {
  return (allianceRoles as readonly string[]).includes(value);
}
