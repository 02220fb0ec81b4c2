import type { InjectOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createSession } from '../../server/src/domain/accounts/sessions.js';
import { signedInAs, TEST_PASSWORD, type TestActor } from '../support/accounts.js';
import { adminHeaders, useTestApp } from '../support/testApp.js';
import { databaseModes } from '../support/testDatabase.js';

const NEW_PASSWORD = 'a brand new long password';
const WRONG_CURRENT = 'Your current password is not right.';

describe.each(databaseModes())('a person’s own account (%s database)', (mode) => {
  const context = useTestApp(mode);
  const inject = (options: InjectOptions) => context.app.inject(options);
  const person = (displayName = 'Marie Member') =>
    signedInAs(context.database.db, 'member', 'testland', { displayName });

  const rename = (headers: Record<string, string>, displayName: unknown) =>
    inject({ method: 'PATCH', url: '/api/auth/me', headers, payload: { displayName } });
  const changePassword = (headers: Record<string, string>, currentPassword: string, newPassword: string) =>
    inject({ method: 'POST', url: '/api/auth/password', headers, payload: { currentPassword, newPassword } });
  const endOthers = (headers: Record<string, string>) =>
    inject({ method: 'POST', url: '/api/auth/sessions/end-others', headers });
  const login = (email: string, password: string) =>
    inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  const me = async (headers: Record<string, string>) =>
    (await inject({ url: '/api/auth/me', headers: { cookie: headers.cookie! } })).json();

  /** Another session of the same account, as a second device would hold it. */
  async function anotherDevice(actor: TestActor): Promise<Record<string, string>> {
    const session = await createSession(context.database.db, actor.accountId);
    return { cookie: `passerelle_session=${session.token}`, 'x-csrf-token': session.csrfToken };
  }

  const storedName = async (accountId: string) =>
    (
      await context.database.db
        .selectFrom('account')
        .select('display_name')
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow()
    ).display_name;

  const storedHash = async (accountId: string) =>
    (
      await context.database.db
        .selectFrom('account')
        .select('password_hash')
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow()
    ).password_hash;

  it('renames the account, trimmed, and answers who it is now', async () => {
    const marie = await person();
    const response = await rename(marie.headers, '  Marie Dupont  ');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      account: { id: marie.accountId, email: marie.email, displayName: 'Marie Dupont' },
      csrfToken: marie.headers['x-csrf-token'],
      memberships: [{ allianceSlug: 'testland', role: 'member' }],
    });
    expect((await me(marie.headers)).account.displayName).toBe('Marie Dupont');
  });

  it('takes a name of exactly 100 characters', async () => {
    const marie = await person();
    const name = 'é'.repeat(100);
    expect((await rename(marie.headers, name)).statusCode).toBe(200);
    expect(await storedName(marie.accountId)).toBe(name);
  });

  it('refuses an empty name, only spaces and a name over 100 characters with 400, and keeps the old one', async () => {
    const marie = await person('Marie Before');
    for (const [name, code, params, message] of [
      ['', 'account.name-empty', {}, 'Your name cannot be empty (or only spaces).'],
      ['    ', 'account.name-empty', {}, 'Your name cannot be empty (or only spaces).'],
      [
        'x'.repeat(101),
        'account.name-too-long',
        { max: 100, length: 101 },
        'Your name can have at most 100 characters; this one has 101.',
      ],
    ] as const) {
      const response = await rename(marie.headers, name);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ statusCode: 400, error: 'Bad Request', code, params, message });
    }
    for (const payload of [{}, { displayName: 42 }]) {
      const response = await inject({ method: 'PATCH', url: '/api/auth/me', headers: marie.headers, payload });
      expect(response.statusCode).toBe(400);
    }
    expect(await storedName(marie.accountId)).toBe('Marie Before');
  });

  it('refuses a wrong current password with 403 and changes nothing, other sessions included', async () => {
    const marie = await person();
    const phone = await anotherDevice(marie);
    const hashBefore = await storedHash(marie.accountId);
    const response = await changePassword(marie.headers, 'not my password', NEW_PASSWORD);
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      code: 'auth.wrong-current-password',
      params: {},
      message: WRONG_CURRENT,
    });
    expect(await storedHash(marie.accountId)).toBe(hashBefore);
    expect((await me(phone)).account?.id).toBe(marie.accountId);
    expect((await login(marie.email, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('refuses a new password the reset page would refuse, with the same words', async () => {
    const marie = await person();
    const short = await changePassword(marie.headers, TEST_PASSWORD, 'too short');
    expect(short.statusCode).toBe(400);
    expect(short.json().message).toBe(
      'The password must have at least 10 characters; a short sentence is easy to remember.',
    );
    const email = await changePassword(marie.headers, TEST_PASSWORD, marie.email.toUpperCase());
    expect(email.statusCode).toBe(400);
    expect(email.json().message).toBe('The password must not be your e-mail address.');
    const same = await changePassword(marie.headers, TEST_PASSWORD, TEST_PASSWORD);
    expect(same.statusCode).toBe(400);
    expect(same.json().message).toBe('The new password is the same as the current one: choose another.');
    expect((await login(marie.email, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('changes the password: the new one signs in, the old one no longer does', async () => {
    const marie = await person();
    const response = await changePassword(marie.headers, TEST_PASSWORD, NEW_PASSWORD);
    expect(response.statusCode).toBe(200);
    expect(await storedHash(marie.accountId)).toMatch(/^\$argon2id\$/);
    expect((await login(marie.email, TEST_PASSWORD)).statusCode).toBe(401);
    const signedIn = await login(marie.email, NEW_PASSWORD);
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().account.id).toBe(marie.accountId);
  });

  it('ends every other session of the account when the password changes, and keeps the current one', async () => {
    const marie = await person();
    const [phone, laptop] = [await anotherDevice(marie), await anotherDevice(marie)];
    const someoneElse = await person();
    const response = await changePassword(marie.headers, TEST_PASSWORD, NEW_PASSWORD);
    expect(response.json()).toEqual({ endedSessions: 2 });
    expect((await me(phone)).account).toBeNull();
    expect((await me(laptop)).account).toBeNull();
    expect((await me(marie.headers)).account.id).toBe(marie.accountId);
    expect((await me(someoneElse.headers)).account.id).toBe(someoneElse.accountId);
    // The current session still makes changes with its CSRF token.
    expect((await rename(marie.headers, 'Still here')).statusCode).toBe(200);
  });

  it('signs out everywhere else on request, keeps the current session, and says how many ended', async () => {
    const marie = await person();
    const phone = await anotherDevice(marie);
    const someoneElse = await person();
    const response = await endOthers(marie.headers);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ endedSessions: 1 });
    expect((await me(phone)).account).toBeNull();
    expect((await me(marie.headers)).account.id).toBe(marie.accountId);
    expect((await me(someoneElse.headers)).account.id).toBe(someoneElse.accountId);
    expect((await endOthers(marie.headers)).json()).toEqual({ endedSessions: 0 });
  });

  it('refuses all three to someone signed out with 401', async () => {
    for (const response of [
      await rename({}, 'Nobody'),
      await changePassword({}, TEST_PASSWORD, NEW_PASSWORD),
      await endOthers({}),
      await rename({ cookie: 'passerelle_session=no-such-session' }, 'Nobody'),
    ]) {
      expect(response.statusCode).toBe(401);
      expect(response.json().message).toMatch(/^Sign in to do this/);
    }
  });

  it('refuses all three without the CSRF token (403), and changes nothing', async () => {
    const marie = await person('Marie Before');
    const phone = await anotherDevice(marie);
    const cookieOnly = { cookie: marie.headers.cookie! };
    for (const response of [
      await rename(cookieOnly, 'Forged name'),
      await changePassword(cookieOnly, TEST_PASSWORD, NEW_PASSWORD),
      await endOthers(cookieOnly),
    ]) {
      expect(response.statusCode).toBe(403);
      expect(response.json().message).toMatch(/CSRF/);
    }
    expect(await storedName(marie.accountId)).toBe('Marie Before');
    expect((await login(marie.email, TEST_PASSWORD)).statusCode).toBe(200);
    expect((await me(phone)).account?.id).toBe(marie.accountId);
  });

  it('refuses an API token with 403: these routes act on a session', async () => {
    const response = await endOthers(adminHeaders);
    expect(response.statusCode).toBe(403);
    expect(response.json().message).toMatch(/API token/);
  });

  it('describes the three routes in the OpenAPI document', async () => {
    const paths = (await inject({ url: '/docs/json' })).json().paths;
    expect(Object.keys(paths['/api/auth/me'])).toContain('patch');
    const ownAccount = paths['/api/auth/me'].patch.requestBody.content['application/json'].schema;
    expect(Object.keys(ownAccount.properties)).toEqual(['displayName', 'language']);
    expect(ownAccount.minProperties).toBe(1);
    expect(paths['/api/auth/password'].post.requestBody.content['application/json'].schema.required).toEqual([
      'currentPassword',
      'newPassword',
    ]);
    expect(Object.keys(paths['/api/auth/sessions/end-others'].post.responses)).toContain('200');
  });

  it('refuses the 11th password change of an account in 15 minutes with 429, not another account’s', async () => {
    const marie = await person();
    for (let attempt = 1; attempt <= 10; attempt++) {
      expect((await changePassword(marie.headers, 'a wrong guess', NEW_PASSWORD)).statusCode).toBe(403);
    }
    const refused = await changePassword(marie.headers, TEST_PASSWORD, NEW_PASSWORD);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'rate-limit.password-change',
      params: { retryAfterS: Number(refused.headers['retry-after']) },
      message: 'Too many attempts to change the password of this account. Try again in 15 minutes.',
    });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(14 * 60);
    // The refused request went no further: the old password still signs in.
    expect((await login(marie.email, TEST_PASSWORD)).statusCode).toBe(200);
    // A second session of the same account counts with it; another account does not.
    expect((await changePassword(await anotherDevice(marie), TEST_PASSWORD, NEW_PASSWORD)).statusCode).toBe(429);
    const other = await person();
    expect((await changePassword(other.headers, TEST_PASSWORD, NEW_PASSWORD)).statusCode).toBe(200);
  });
});
