import { Writable } from 'node:stream';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { buildApp, requestSerializers } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { ensureAdminAccount } from '../../server/src/domain/accounts/firstAdmin.js';
import { hashToken } from '../../server/src/domain/admin/adminToken.js';
import { signedInAs, TEST_PASSWORD, type TestActor } from '../support/accounts.js';
import { miniDataDir, testAdminToken, useTestApp } from '../support/testApp.js';
import { databaseModes } from '../support/testDatabase.js';

const WRONG = 'E-mail or password is not right.';
const NEW_PASSWORD = 'a brand new long password';

/** The headers a page sends after signing in: the session cookie it received and the CSRF token it was told. */
function sessionHeaders(response: LightMyRequestResponse): Record<string, string> {
  const cookie = response.cookies.find((candidate) => candidate.name === 'passerelle_session');
  if (!cookie) throw new Error('No session cookie was set.');
  return { cookie: `passerelle_session=${cookie.value}`, 'x-csrf-token': response.json().csrfToken };
}

describe.each(databaseModes())('accounts and sessions (%s database)', (mode) => {
  const context = useTestApp(mode);
  const inject = (options: InjectOptions) => context.app.inject(options);
  const login = (email: string, password: string) =>
    inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  const me = (headers: Record<string, string> = {}) => inject({ url: '/api/auth/me', headers });
  /** The mails queued for `email`, once the work that follows the answers (reset mails) has ended. */
  const outbox = async (email: string) => {
    await context.app.backgroundTasksSettled();
    return context.database.db
      .selectFrom('outbox')
      .select(['subject', 'body'])
      .where('to_email', '=', email)
      .orderBy('created_at')
      .execute();
  };
  const resetTokenIn = (body: string) => /\/map#\/password-reset\/([A-Za-z0-9_-]+)/.exec(body)![1]!;

  let editor: TestActor;

  it('signs in with e-mail and password, sets an HTTP-only session cookie, and answers who it is', async () => {
    editor = await signedInAs(context.database.db, 'editor', 'testland', { displayName: 'Élise Editor' });
    const response = await login(editor.email, TEST_PASSWORD);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      account: {
        id: editor.accountId,
        email: editor.email,
        displayName: 'Élise Editor',
        isPlatformAdmin: false,
        language: null,
      },
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      memberships: [
        {
          allianceId: expect.any(String),
          allianceSlug: 'testland',
          allianceName: 'Test alliance — Testland',
          role: 'editor',
        },
      ],
    });
    const [cookie] = response.cookies;
    expect(cookie).toMatchObject({ name: 'passerelle_session', httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie!.secure).toBeFalsy();
    const days = ((cookie!.expires as Date).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(13.9);
    expect(days).toBeLessThanOrEqual(14);
  });

  it('answers the same person and CSRF token to GET /api/auth/me with the cookie', async () => {
    const response = await login(editor.email, TEST_PASSWORD);
    const headers = sessionHeaders(response);
    const answer = await me({ cookie: headers.cookie! });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.json()).toEqual(response.json());
  });

  it('finds the account whatever the case and spaces of the e-mail', async () => {
    const response = await login(`  ${editor.email.toUpperCase()} `, TEST_PASSWORD);
    expect(response.statusCode).toBe(200);
    expect(response.json().account.id).toBe(editor.accountId);
  });

  it('refuses a wrong password and an unknown e-mail with the same message, and sets no cookie', async () => {
    for (const [email, password] of [
      [editor.email, 'not the password'],
      ['nobody@test.example', TEST_PASSWORD],
    ] as const) {
      const response = await login(email, password);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        code: 'auth.wrong-credentials',
        params: {},
        message: WRONG,
      });
      expect(response.cookies).toEqual([]);
    }
  });

  it('answers account null to GET /api/auth/me when signed out, never 401', async () => {
    const response = await me();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ account: null, csrfToken: null, memberships: [] });
    const stale = await me({ cookie: 'passerelle_session=no-such-session' });
    expect(stale.json()).toEqual({ account: null, csrfToken: null, memberships: [] });
  });

  it('refuses a change sent with the cookie but without the CSRF token (403), and takes it with the token', async () => {
    const headers = sessionHeaders(await login(editor.email, TEST_PASSWORD));
    const withoutToken = await inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: headers.cookie! },
    });
    expect(withoutToken.statusCode).toBe(403);
    expect(withoutToken.json().message).toMatch(/CSRF/);
    const wrongToken = await inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: headers.cookie!, 'x-csrf-token': 'guessed' },
    });
    expect(wrongToken.statusCode).toBe(403);
    expect((await me({ cookie: headers.cookie! })).json().account.id).toBe(editor.accountId);
    const withToken = await inject({ method: 'POST', url: '/api/auth/logout', headers });
    expect(withToken.statusCode).toBe(204);
  });

  it('signs out: the session ends and the cookie is cleared', async () => {
    const headers = sessionHeaders(await login(editor.email, TEST_PASSWORD));
    const response = await inject({ method: 'POST', url: '/api/auth/logout', headers });
    expect(response.statusCode).toBe(204);
    const cleared = response.cookies.find((cookie) => cookie.name === 'passerelle_session');
    expect(cleared!.value).toBe('');
    expect((cleared!.expires as Date).getTime()).toBeLessThan(Date.now());
    expect((await me({ cookie: headers.cookie! })).json().account).toBeNull();
  });

  it('answers 202 to a reset request and mails a single-use link valid 2 hours', async () => {
    const person = await signedInAs(context.database.db, 'member', 'testland');
    // The alliance works in French: this person chose English.
    await context.database.db
      .updateTable('account')
      .set({ language: 'en' })
      .where('id', '=', person.accountId)
      .execute();
    const response = await inject({
      method: 'POST',
      url: '/api/auth/password-reset',
      payload: { email: person.email.toUpperCase() },
    });
    expect(response.statusCode).toBe(202);
    const mails = await outbox(person.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('Choose a new password for Passerelle');
    expect(mails[0]!.body).toMatch(/within 2 hours/);
    const link = await context.database.db
      .selectFrom('account_link')
      .select(['id', 'kind', 'expires_at'])
      .where('account_id', '=', person.accountId)
      .executeTakeFirstOrThrow();
    expect(link.id).toBe(hashToken(resetTokenIn(mails[0]!.body)));
    expect(link.kind).toBe('password_reset');
    const hours = (new Date(link.expires_at).getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(1.95);
    expect(hours).toBeLessThanOrEqual(2);
  });

  it('answers the same 202 for an unknown e-mail, and mails nothing', async () => {
    const known = await signedInAs(context.database.db, 'member', 'testland');
    const answerFor = async (email: string) =>
      (await inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email } })).json();
    expect(await answerFor('ghost@test.example')).toEqual(await answerFor(known.email));
    expect(await outbox('ghost@test.example')).toEqual([]);
  });

  it('sets a new password with the link, ends every other session and signs in', async () => {
    const person = await signedInAs(context.database.db, 'member', 'testland');
    await inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email: person.email } });
    const token = resetTokenIn((await outbox(person.email))[0]!.body);

    const tooShort = await inject({
      method: 'POST',
      url: `/api/auth/password-reset/${token}`,
      payload: { password: 'short' },
    });
    expect(tooShort.statusCode).toBe(400);
    expect(tooShort.json().message).toBe(
      'The password must have at least 10 characters; a short sentence is easy to remember.',
    );

    const response = await inject({
      method: 'POST',
      url: `/api/auth/password-reset/${token}`,
      payload: { password: NEW_PASSWORD },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().account.id).toBe(person.accountId);
    const fresh = sessionHeaders(response);
    expect((await me({ cookie: fresh.cookie! })).json().account.id).toBe(person.accountId);
    expect((await me({ cookie: person.headers.cookie! })).json().account).toBeNull();
    expect((await login(person.email, TEST_PASSWORD)).statusCode).toBe(401);
    expect((await login(person.email, NEW_PASSWORD)).statusCode).toBe(200);
  });

  it('refuses a reset link used once already', async () => {
    const person = await signedInAs(context.database.db, 'member', 'testland');
    await inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email: person.email } });
    const url = `/api/auth/password-reset/${resetTokenIn((await outbox(person.email))[0]!.body)}`;
    expect((await inject({ method: 'POST', url, payload: { password: NEW_PASSWORD } })).statusCode).toBe(200);
    const again = await inject({ method: 'POST', url, payload: { password: 'yet another password' } });
    expect(again.statusCode).toBe(400);
    expect(again.json().message).toBe(
      'This password reset link was already used. Ask for a new one if you still need to change your password.',
    );
    expect((await login(person.email, NEW_PASSWORD)).statusCode).toBe(200);
  });

  it('refuses an expired reset link and an unknown one', async () => {
    const person = await signedInAs(context.database.db, 'member', 'testland');
    await inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email: person.email } });
    const token = resetTokenIn((await outbox(person.email))[0]!.body);
    await context.database.db
      .updateTable('account_link')
      .set({ expires_at: new Date(Date.now() - 60_000) })
      .where('id', '=', hashToken(token))
      .execute();
    const expired = await inject({
      method: 'POST',
      url: `/api/auth/password-reset/${token}`,
      payload: { password: NEW_PASSWORD },
    });
    expect(expired.statusCode).toBe(400);
    expect(expired.json().message).toBe(
      'This password reset link has expired (links work for 2 hours). Ask for a new one.',
    );
    const unknown = await inject({
      method: 'POST',
      url: '/api/auth/password-reset/not-a-real-token',
      payload: { password: NEW_PASSWORD },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toBe(
      'This password reset link is not valid: check that it was copied whole. A newer link, or a change of ' +
        'password, also makes it stop working; ask for a new one.',
    );
    expect((await login(person.email, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('a new reset request makes the previous link stop working', async () => {
    const person = await signedInAs(context.database.db, 'member', 'testland');
    const ask = () => inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email: person.email } });
    await ask();
    await ask();
    const [first, second] = await outbox(person.email);
    const tryLink = (body: string) =>
      inject({
        method: 'POST',
        url: `/api/auth/password-reset/${resetTokenIn(body)}`,
        payload: { password: NEW_PASSWORD },
      });
    expect((await tryLink(first!.body)).statusCode).toBe(400);
    expect((await tryLink(second!.body)).statusCode).toBe(200);
  });
});

describe.each(databaseModes())('password reset links and the log (%s database)', (mode) => {
  const context = useTestApp(mode);
  const inject = (options: InjectOptions) => context.app.inject(options);
  const resetMailTo = async (email: string) => {
    await context.app.backgroundTasksSettled();
    const mail = await context.database.db
      .selectFrom('outbox')
      .select('body')
      .where('to_email', '=', email)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    return /\/map#\/password-reset\/([A-Za-z0-9_-]+)/.exec(mail.body)![1]!;
  };

  it('makes a reset link asked for before a password change stop working after it', async () => {
    const person = await signedInAs(context.database.db, 'member', 'testland');
    await inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email: person.email } });
    const token = await resetMailTo(person.email);
    const changed = await inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: person.headers,
      payload: { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD },
    });
    expect(changed.statusCode).toBe(200);
    const late = await inject({
      method: 'POST',
      url: `/api/auth/password-reset/${token}`,
      payload: { password: 'a password from the old mail' },
    });
    expect(late.statusCode).toBe(400);
    expect(late.json().message).toMatch(/a change of password, also makes it stop working/);
    const login = (password: string) =>
      inject({ method: 'POST', url: '/api/auth/login', payload: { email: person.email, password } });
    expect((await login('a password from the old mail')).statusCode).toBe(401);
    expect((await login(NEW_PASSWORD)).statusCode).toBe(200);
  });

  it('answers a reset request before looking the e-mail up, so that its timing tells nothing', async () => {
    const person = await signedInAs(context.database.db, 'member', 'testland');
    // Another transaction holds the account table: anything that reads it waits until it ends.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const holder = context.database.db.transaction().execute(async (trx) => {
      await sql`lock table account in access exclusive mode`.execute(trx);
      holding();
      await released;
    });
    await held;
    const answer = inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email: person.email } });
    const first = await Promise.race([
      answer.then(() => 'answered while the table was held'),
      new Promise((resolve) => setTimeout(() => resolve('waited for the account table'), 5_000)),
    ]);
    release();
    await holder;
    expect(first).toBe('answered while the table was held');
    expect((await answer).statusCode).toBe(202);
    expect(await resetMailTo(person.email)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('never writes the token of an invitation or reset link to the log', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = await buildApp({
      config: { ...loadConfig({}), dataDir: miniDataDir },
      database: context.database,
      logger: { level: 'trace', stream, serializers: requestSerializers },
    });
    const coordinator = await signedInAs(context.database.db, 'coordinator', 'testland');
    const invited = await app.inject({
      method: 'POST',
      url: '/api/alliances/testland/invitations',
      headers: coordinator.headers,
      payload: { email: 'logged-invitee@test.example', role: 'member' },
    });
    const invitationToken = /\/invitation\/([A-Za-z0-9_-]+)$/.exec(invited.json().link)![1]!;
    await app.inject({ url: `/api/invitations/${invitationToken}` });
    await app.inject({
      method: 'POST',
      url: `/api/invitations/${invitationToken}/accept`,
      payload: { password: 'a long enough password' },
    });
    const person = await signedInAs(context.database.db, 'member', 'testland');
    await app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email: person.email } });
    await app.backgroundTasksSettled();
    const resetToken = await resetMailTo(person.email);
    await app.inject({
      method: 'POST',
      url: `/api/auth/password-reset/${resetToken}`,
      payload: { password: NEW_PASSWORD },
    });
    await app.close();
    const log = lines.join('');
    expect(log).toContain('/api/invitations/[token]/accept');
    expect(log).toContain('/api/auth/password-reset/[token]');
    expect(log).not.toContain(invitationToken);
    expect(log).not.toContain(resetToken);
  });
});

describe.each(databaseModes())('the first platform admin (%s database)', (mode) => {
  const context = useTestApp(mode);

  it('is created when there is no account, with a generated password, and owns the old admin token', async () => {
    const created = await ensureAdminAccount(context.database.db, { email: ' Admin@Passerelle.local ' });
    expect(created).toEqual({
      email: 'admin@passerelle.local',
      password: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/),
      passwordGenerated: true,
    });
    const response = await context.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'admin@passerelle.local', password: created!.password },
    });
    expect(response.json().account).toMatchObject({ email: 'admin@passerelle.local', isPlatformAdmin: true });
    const token = await context.database.db
      .selectFrom('admin_token')
      .select('account_id')
      .where('token_hash', '=', hashToken(testAdminToken))
      .executeTakeFirstOrThrow();
    expect(token.account_id).toBe(response.json().account.id);
  });

  it('is not created again once accounts exist', async () => {
    expect(await ensureAdminAccount(context.database.db, { email: 'other@passerelle.local' })).toBeUndefined();
    const accounts = await context.database.db.selectFrom('account').select('email').execute();
    expect(accounts).toEqual([{ email: 'admin@passerelle.local' }]);
  });
});

describe.each(databaseModes())('the first platform admin with a given password (%s database)', (mode) => {
  const context = useTestApp(mode);

  it('takes ADMIN_PASSWORD and refuses a short one', async () => {
    await expect(
      ensureAdminAccount(context.database.db, { email: 'chief@example.org', password: 'short' }),
    ).rejects.toThrow('ADMIN_PASSWORD: The password must have at least 10 characters');
    const created = await ensureAdminAccount(context.database.db, {
      email: 'chief@example.org',
      password: 'a long chosen password',
    });
    expect(created).toEqual({
      email: 'chief@example.org',
      password: 'a long chosen password',
      passwordGenerated: false,
    });
  });
});
