import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { generateToken, hashToken } from '../admin/adminToken.js';

/** A session lasts two weeks from sign-in; signing out ends it at once. */
export const SESSION_DAYS = 14;

export interface SessionAccount {
  accountId: string;
  email: string;
  displayName: string;
  isPlatformAdmin: boolean;
  csrfToken: string;
}

/** Opens a session; returns the token for the cookie (only its hash is stored) and the CSRF token. */
export async function createSession(
  db: Kysely<Database>,
  accountId: string,
): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = generateToken();
  const csrfToken = generateToken();
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
  await db
    .insertInto('session')
    .values({ id: hashToken(token), account_id: accountId, csrf_token: csrfToken, expires_at: expiresAt })
    .execute();
  // Expired sessions of anyone are swept now and then, not by a separate job.
  if (Math.random() < 0.05)
    await db
      .deleteFrom('session')
      .where('expires_at', '<', sql<Date>`now()`)
      .execute();
  return { token, csrfToken, expiresAt };
}

export async function findSession(db: Kysely<Database>, token: string): Promise<SessionAccount | undefined> {
  const row = await db
    .selectFrom('session as s')
    .innerJoin('account as a', 'a.id', 's.account_id')
    .select([
      'a.id as accountId',
      'a.email',
      'a.display_name as displayName',
      'a.is_platform_admin as isPlatformAdmin',
      's.csrf_token as csrfToken',
    ])
    .where('s.id', '=', hashToken(token))
    .where('s.expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row;
}

export async function deleteSession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('session').where('id', '=', hashToken(token)).execute();
}

/** Ends every session of an account, e.g. after its password changed. */
export async function deleteSessionsOf(db: Kysely<Database>, accountId: string): Promise<void> {
  await db.deleteFrom('session').where('account_id', '=', accountId).execute();
}

/**
 * Ends every session of an account but the one whose cookie holds `keptToken` (a lost phone, a shared computer
 * left signed in); answers how many were still open, leaving out those that had already expired.
 */
export async function deleteOtherSessionsOf(
  db: Kysely<Database>,
  accountId: string,
  keptToken: string,
): Promise<number> {
  const ended = await db
    .deleteFrom('session')
    .where('account_id', '=', accountId)
    .where('id', '<>', hashToken(keptToken))
    .returning('expires_at')
    .execute();
  const now = Date.now();
  return ended.filter((session) => new Date(session.expires_at).getTime() > now).length;
}
