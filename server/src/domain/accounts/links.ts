import { sql, type Kysely } from 'kysely';
import type { AllianceRole, Database } from '../../db/schema.js';
import { generateToken, hashToken } from '../admin/adminToken.js';

/** An invitation waits a week for its person; a password reset link is good for two hours. */
export const INVITATION_DAYS = 7;
export const RESET_HOURS = 2;

export type LinkKind = 'invitation' | 'password_reset';

/** The page each kind of link opens, followed by the token. */
const linkPaths: Record<LinkKind, string> = {
  invitation: '/map#/invitation/',
  password_reset: '/map#/password-reset/',
};

/** The address a person opens; `base` is the site's origin (e.g. https://passerelle.example.org). */
export function linkUrl(base: string, kind: LinkKind, token: string): string {
  return `${base.replace(/\/+$/, '')}${linkPaths[kind]}${token}`;
}

export interface NewLink {
  /** Goes into the link only: the database keeps its sha256. */
  token: string;
  expiresAt: Date;
}

async function createLink(
  db: Kysely<Database>,
  values: {
    kind: LinkKind;
    accountId?: string;
    email?: string;
    allianceId?: string;
    role?: AllianceRole;
    organizationId?: string | null;
    createdBy?: string | null;
  },
  lifetimeMs: number,
): Promise<NewLink> {
  const token = generateToken();
  const expiresAt = new Date(Date.now() + lifetimeMs);
  await db
    .insertInto('account_link')
    .values({
      id: hashToken(token),
      kind: values.kind,
      account_id: values.accountId ?? null,
      email: values.email ?? null,
      alliance_id: values.allianceId ?? null,
      role: values.role ?? null,
      organization_id: values.organizationId ?? null,
      created_by: values.createdBy ?? null,
      expires_at: expiresAt,
    })
    .execute();
  return { token, expiresAt };
}

/**
 * A new invitation of an e-mail address into an alliance, with a role; earlier unused invitations of that address
 * there stop working. It grants nothing by itself: the membership is made when the invitation is accepted.
 */
export async function createInvitationLink(
  db: Kysely<Database>,
  invitation: {
    email: string;
    allianceId: string;
    role: AllianceRole;
    organizationId: string | null;
    createdBy: string | null;
  },
): Promise<NewLink> {
  await withdrawInvitations(db, invitation.email, invitation.allianceId);
  return createLink(db, { kind: 'invitation', ...invitation }, INVITATION_DAYS * 86_400_000);
}

/**
 * A new password reset link; earlier unused ones stop working, so only the latest mail counts. Run it in a
 * transaction: the account's row stays locked until it ends, so that two requests at once leave one link.
 */
export async function createResetLink(db: Kysely<Database>, accountId: string): Promise<NewLink> {
  await db.selectFrom('account').select('id').where('id', '=', accountId).forUpdate().execute();
  await db
    .deleteFrom('account_link')
    .where('kind', '=', 'password_reset')
    .where('account_id', '=', accountId)
    .where('used_at', 'is', null)
    .execute();
  return createLink(db, { kind: 'password_reset', accountId }, RESET_HOURS * 3_600_000);
}

/** Unused invitations of an e-mail address into an alliance stop working (e.g. when the member is removed). */
export async function withdrawInvitations(db: Kysely<Database>, email: string, allianceId: string): Promise<void> {
  await db
    .deleteFrom('account_link')
    .where('kind', '=', 'invitation')
    .where('email', '=', email)
    .where('alliance_id', '=', allianceId)
    .where('used_at', 'is', null)
    .execute();
}

/** Withdraws one unused invitation of an alliance by its public id; false when there is none. */
export async function withdrawInvitation(
  db: Kysely<Database>,
  allianceId: string,
  invitationId: string,
): Promise<boolean> {
  const row = await db
    .deleteFrom('account_link')
    .where('kind', '=', 'invitation')
    .where('public_id', '=', invitationId)
    .where('alliance_id', '=', allianceId)
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** An invitation waiting to be accepted, as the coordinators' member list shows it. */
export interface PendingInvitation {
  id: string;
  email: string;
  role: AllianceRole;
  organizationId: string | null;
  organizationName: string | null;
  invitedBy: string | null;
  createdAt: string;
  expiresAt: string;
  expired: boolean;
}

/** The alliance's invitations not accepted yet (expired ones too, so that they can be sent again), newest first. */
export async function listPendingInvitations(db: Kysely<Database>, allianceId: string): Promise<PendingInvitation[]> {
  const rows = await db
    .selectFrom('account_link as l')
    .leftJoin('organization as o', 'o.id', 'l.organization_id')
    .leftJoin('account as inviter', 'inviter.id', 'l.created_by')
    .select([
      'l.public_id as id',
      'l.email',
      'l.role',
      'l.organization_id as organizationId',
      'o.name as organizationName',
      'inviter.display_name as invitedBy',
      'l.created_at as createdAt',
      'l.expires_at as expiresAt',
      sql<boolean>`l.expires_at <= now()`.as('expired'),
    ])
    .where('l.kind', '=', 'invitation')
    .where('l.alliance_id', '=', allianceId)
    .where('l.used_at', 'is', null)
    .orderBy('l.created_at', 'desc')
    .execute();
  return rows.map((row) => ({
    ...row,
    email: row.email!,
    role: row.role!,
    createdAt: new Date(row.createdAt).toISOString(),
    expiresAt: new Date(row.expiresAt).toISOString(),
  }));
}

export interface StoredLink {
  id: string;
  /** A reset link's account; null on invitations. */
  accountId: string | null;
  /** An invitation's e-mail address; null on reset links. */
  email: string | null;
  allianceId: string | null;
  role: AllianceRole | null;
  organizationId: string | null;
  createdBy: string | null;
  expiresAt: Date;
  usedAt: Date | null;
  /** Whether it can still be used: not used and not expired, by the database's clock. */
  state: 'valid' | 'expired' | 'used';
}

/** The link a token opens, whatever its state; undefined when there is none of that kind. */
export async function findLink(db: Kysely<Database>, kind: LinkKind, token: string): Promise<StoredLink | undefined> {
  const row = await db
    .selectFrom('account_link')
    .select([
      'id',
      'account_id as accountId',
      'email',
      'alliance_id as allianceId',
      'role',
      'organization_id as organizationId',
      'created_by as createdBy',
      'expires_at as expiresAt',
      'used_at as usedAt',
      sql<boolean>`expires_at <= now()`.as('expired'),
    ])
    .where('id', '=', hashToken(token))
    .where('kind', '=', kind)
    .executeTakeFirst();
  if (!row) return undefined;
  const { expired, ...link } = row;
  return {
    ...link,
    expiresAt: new Date(link.expiresAt),
    usedAt: link.usedAt === null ? null : new Date(link.usedAt),
    state: link.usedAt !== null ? 'used' : expired ? 'expired' : 'valid',
  };
}

/**
 * Marks a link used, once: of two requests racing with the same link, only one gets true. Run it in the
 * transaction that does what the link allows, so that a failure leaves the link unused.
 */
export async function consumeLink(db: Kysely<Database>, linkId: string): Promise<boolean> {
  const row = await db
    .updateTable('account_link')
    .set({ used_at: sql<Date>`now()` })
    .where('id', '=', linkId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
