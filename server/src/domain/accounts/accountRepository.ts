import { type Kysely, sql } from 'kysely';
import type { AllianceRole, Database } from '../../db/schema.js';
import { type CodedMessage, said } from '../messages/userError.js';
import { isWorkspaceLanguage, type WorkspaceLanguage } from './workspaceLanguages.js';

/** The database's own rule for an e-mail address: something, an @, something, no spaces. */
const emailPattern = /^[^@\s]+@[^@\s]+$/;

/** E-mails are stored trimmed and lower-case, so that "Marie@X.org " and "marie@x.org" are one account. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Why an e-mail address cannot be used, in words for the person typing it; null when it can. */
export function emailProblem(email: string): CodedMessage | null {
  if (email.length > 254 || !emailPattern.test(email)) return said('account.not-email', { email });
  return null;
}

/** A name to show until the person chooses one: the part of the e-mail before the @. */
export function defaultDisplayName(email: string): string {
  return (email.split('@')[0] || email).slice(0, 200);
}

export interface Account {
  id: string;
  email: string;
  displayName: string;
  isPlatformAdmin: boolean;
  /** argon2id. */
  passwordHash: string;
  /** The language the person chose for the workspace and their mails, null until they choose one. */
  language: string | null;
}

function accounts(db: Kysely<Database>) {
  return db
    .selectFrom('account')
    .select([
      'id',
      'email',
      'display_name as displayName',
      'is_platform_admin as isPlatformAdmin',
      'password_hash as passwordHash',
      'language',
    ]);
}

export async function findAccountByEmail(db: Kysely<Database>, email: string): Promise<Account | undefined> {
  return accounts(db).where('email', '=', normalizeEmail(email)).executeTakeFirst();
}

export async function findAccountById(db: Kysely<Database>, id: string): Promise<Account | undefined> {
  return accounts(db).where('id', '=', id).executeTakeFirst();
}

/**
 * Creates an account that can sign in. There are no accounts without a password: an invitation creates its
 * account only when the person accepting it chooses one.
 */
export async function createAccount(
  db: Kysely<Database>,
  account: { email: string; displayName?: string; passwordHash: string; isPlatformAdmin?: boolean },
): Promise<string> {
  const email = normalizeEmail(account.email);
  const row = await db
    .insertInto('account')
    .values({
      email,
      display_name: account.displayName ?? defaultDisplayName(email),
      password_hash: account.passwordHash,
      is_platform_admin: account.isPlatformAdmin ?? false,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Sets an account's password. Reset links asked for before stop working: a link mailed before the change
 * must not undo it (whoever read that mail could otherwise choose the password again). Run it in the
 * transaction of the change.
 */
export async function setPassword(db: Kysely<Database>, accountId: string, passwordHash: string): Promise<void> {
  await db
    .updateTable('account')
    .set({ password_hash: passwordHash, updated_at: new Date() })
    .where('id', '=', accountId)
    .execute();
  await db
    .deleteFrom('account_link')
    .where('kind', '=', 'password_reset')
    .where('account_id', '=', accountId)
    .where('used_at', 'is', null)
    .execute();
}

/** Changes what a person may change of their own account: their name, their language (null: the alliance's). */
export async function updateOwnAccount(
  db: Kysely<Database>,
  accountId: string,
  changes: { displayName?: string; language?: WorkspaceLanguage | null },
): Promise<void> {
  await db
    .updateTable('account')
    .set({
      ...(changes.displayName === undefined ? {} : { display_name: changes.displayName }),
      ...(changes.language === undefined ? {} : { language: changes.language }),
      updated_at: new Date(),
    })
    .where('id', '=', accountId)
    .execute();
}

/**
 * The language to write to an account in when it chose none: the first language of its first alliance (by name),
 * when the workspace has it.
 */
export async function allianceLanguageOf(db: Kysely<Database>, accountId: string): Promise<string | null> {
  const row = await db
    .selectFrom('alliance_member as m')
    .innerJoin('alliance as a', 'a.id', 'm.alliance_id')
    .select(sql<string | null>`a.languages[1]`.as('language'))
    .where('m.account_id', '=', accountId)
    .orderBy('a.name')
    .limit(1)
    .executeTakeFirst();
  return row?.language ?? null;
}

export interface Membership {
  allianceId: string;
  allianceSlug: string;
  allianceName: string;
  role: AllianceRole;
}

/** The alliances an account belongs to, by name. */
export async function membershipsOf(db: Kysely<Database>, accountId: string): Promise<Membership[]> {
  return db
    .selectFrom('alliance_member as m')
    .innerJoin('alliance as a', 'a.id', 'm.alliance_id')
    .select(['a.id as allianceId', 'a.slug as allianceSlug', 'a.name as allianceName', 'm.role'])
    .where('m.account_id', '=', accountId)
    .orderBy('a.name')
    .execute();
}

/** Who is asking, as `GET /api/auth/me` answers it. */
export interface Me {
  account: {
    id: string;
    email: string;
    displayName: string;
    isPlatformAdmin: boolean;
    language: WorkspaceLanguage | null;
  } | null;
  csrfToken: string | null;
  memberships: Membership[];
}

export const signedOut: Me = { account: null, csrfToken: null, memberships: [] };

export async function describeMe(
  db: Kysely<Database>,
  account: Omit<Account, 'passwordHash'>,
  csrfToken: string | null,
): Promise<Me> {
  return {
    account: {
      id: account.id,
      email: account.email,
      displayName: account.displayName,
      isPlatformAdmin: account.isPlatformAdmin,
      language: isWorkspaceLanguage(account.language) ? account.language : null,
    },
    csrfToken,
    memberships: await membershipsOf(db, account.id),
  };
}
