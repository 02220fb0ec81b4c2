import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/** Tokens are long random strings, so a fast hash is enough to keep them unreadable at rest. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

export async function isAdminToken(db: Kysely<Database>, token: string): Promise<boolean> {
  const row = await db
    .selectFrom('admin_token')
    .select('id')
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Makes sure an admin token exists. A token given by the operator is stored
 * (hashed); otherwise one is generated on first start and returned so that it
 * can be shown once. Returns undefined when a token already existed.
 */
export async function ensureAdminToken(
  db: Kysely<Database>,
  givenToken: string | undefined,
): Promise<string | undefined> {
  if (givenToken) {
    await db
      .insertInto('admin_token')
      .values({ token_hash: hashToken(givenToken) })
      .onConflict((conflict) => conflict.column('token_hash').doNothing())
      .execute();
    return undefined;
  }
  const existing = await db.selectFrom('admin_token').select('id').limit(1).executeTakeFirst();
  if (existing) return undefined;
  const token = generateToken();
  await db
    .insertInto('admin_token')
    .values({ token_hash: hashToken(token) })
    .execute();
  return token;
}
