import type { Kysely } from 'kysely';
import type { AllianceRole, Database } from '../../server/src/db/schema.js';
import { hashPassword } from '../../server/src/domain/accounts/passwords.js';
import { createSession } from '../../server/src/domain/accounts/sessions.js';

export const TEST_PASSWORD = 'a long test password';

let counter = 0;

export interface TestActor {
  accountId: string;
  email: string;
  /** Cookie and CSRF headers of a signed-in session, for app.inject. */
  headers: Record<string, string>;
}

/** An account with a password, signed in; a member of `allianceSlug` with `role` unless role is null. */
export async function signedInAs(
  db: Kysely<Database>,
  role: AllianceRole | null,
  allianceSlug: string,
  options: { email?: string; displayName?: string; platformAdmin?: boolean } = {},
): Promise<TestActor> {
  counter += 1;
  const email = options.email ?? `${role ?? 'outsider'}-${counter}-${Date.now()}@test.example`;
  const account = await db
    .insertInto('account')
    .values({
      email,
      display_name: options.displayName ?? `${role ?? 'Outsider'} ${counter}`,
      password_hash: await hashPassword(TEST_PASSWORD),
      is_platform_admin: options.platformAdmin ?? false,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (role) {
    const alliance = await db
      .selectFrom('alliance')
      .select('id')
      .where('slug', '=', allianceSlug)
      .executeTakeFirstOrThrow();
    await db.insertInto('alliance_member').values({ alliance_id: alliance.id, account_id: account.id, role }).execute();
  }
  const session = await createSession(db, account.id);
  return {
    accountId: account.id,
    email,
    headers: { cookie: `passerelle_session=${session.token}`, 'x-csrf-token': session.csrfToken },
  };
}

/** An account with the given e-mail, name and password, a member of the alliance `allianceSlug` with `role`. */
export async function addAllianceMember(
  db: Kysely<Database>,
  allianceSlug: string,
  person: { email: string; password: string; name: string },
  role: AllianceRole,
): Promise<{ allianceId: string; accountId: string }> {
  const alliance = await db
    .selectFrom('alliance')
    .select('id')
    .where('slug', '=', allianceSlug)
    .executeTakeFirstOrThrow();
  const account = await db
    .insertInto('account')
    .values({ email: person.email, display_name: person.name, password_hash: await hashPassword(person.password) })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('alliance_member').values({ alliance_id: alliance.id, account_id: account.id, role }).execute();
  return { allianceId: alliance.id, accountId: account.id };
}
