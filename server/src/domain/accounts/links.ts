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
    accountId: string;
    allianceId?: string;
    role?: AllianceRole;
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
      account_id: values.accountId,
      alliance_id: values.allianceId ?? null,
      role: values.role ?? null,
      created_by: values.createdBy ?? null,
      expires_at: expiresAt,
    })
    .execute();
  return { token, expiresAt };
}

/** A new invitation of an account into an alliance; earlier unused invitations there stop working. */
export async function createInvitationLink(
  db: Kysely<Database>,
  invitation: { accountId: string; allianceId: string; role: AllianceRole; createdBy: string | null },
): Promise<NewLink> {
  await withdrawInvitations(db, invitation.accountId, invitation.allianceId);
  return createLink(db, { kind: 'invitation', ...invitation }, INVITATION_DAYS * 86_400_000);
}

/** A new password reset link; earlier unused ones stop working, so only the latest mail counts. */
export async function createResetLink(db: Kysely<Database>, accountId: string): Promise<NewLink> {
  await db
    .deleteFrom('account_link')
    .where('kind', '=', 'password_reset')
    .where('account_id', '=', accountId)
    .where('used_at', 'is', null)
    .execute();
  return createLink(db, { kind: 'password_reset', accountId }, RESET_HOURS * 3_600_000);
}

/** Unused invitations of an account into an alliance stop working (e.g. when the member is removed). */
export async function withdrawInvitations(db: Kysely<Database>, accountId: string, allianceId: string): Promise<void> {
  await db
    .deleteFrom('account_link')
    .where('kind', '=', 'invitation')
    .where('account_id', '=', accountId)
    .where('alliance_id', '=', allianceId)
    .where('used_at', 'is', null)
    .execute();
}

export interface StoredLink {
  id: string;
  accountId: string;
  allianceId: string | null;
  role: AllianceRole | null;
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
      'alliance_id as allianceId',
      'role',
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
