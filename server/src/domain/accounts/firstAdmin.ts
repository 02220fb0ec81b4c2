import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { createAccount, emailProblem, normalizeEmail } from './accountRepository.js';
import { hashPassword, passwordProblem } from './passwords.js';

export const DEFAULT_ADMIN_EMAIL = 'admin@passerelle.local';

export interface FirstAdmin {
  email: string;
  password: string;
  /** Whether the password was made up here (to show once) rather than given as ADMIN_PASSWORD. */
  passwordGenerated: boolean;
}

/**
 * Makes sure someone can sign in to a new installation: when there is no account at all, creates a platform
 * admin with the given e-mail and password (or a generated password of 24 characters) and returns the
 * credentials, so that they can be shown once. Returns undefined when accounts already exist. Either way, API
 * tokens from before accounts existed are handed to the first platform admin, so that every change has an author.
 */
export async function ensureAdminAccount(
  db: Kysely<Database>,
  options: { email: string; password?: string },
): Promise<FirstAdmin | undefined> {
  const created = await db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('account').select('id').limit(1).executeTakeFirst();
    if (existing) return undefined;
    const email = normalizeEmail(options.email);
    const badEmail = emailProblem(email);
    if (badEmail) throw new Error(`ADMIN_EMAIL: ${badEmail.message}`);
    const password = options.password || randomBytes(18).toString('base64url');
    const badPassword = passwordProblem(password, email);
    if (badPassword) throw new Error(`ADMIN_PASSWORD: ${badPassword.message}`);
    await createAccount(trx, {
      email,
      displayName: 'Platform admin',
      passwordHash: await hashPassword(password),
      isPlatformAdmin: true,
    });
    return { email, password, passwordGenerated: !options.password };
  });

  const firstAdmin = await db
    .selectFrom('account')
    .select('id')
    .where('is_platform_admin', '=', true)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  if (firstAdmin) {
    await db.updateTable('admin_token').set({ account_id: firstAdmin.id }).where('account_id', 'is', null).execute();
  }
  return created;
}
