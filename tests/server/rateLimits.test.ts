import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { defaultAccountRateLimits } from '../../server/src/plugins/rateLimits.js';
import { signedInAs, TEST_PASSWORD } from '../support/accounts.js';
import { miniDataDir, useTestApp } from '../support/testApp.js';
import { databaseModes } from '../support/testDatabase.js';

const MINUTE = 60_000;
const WRONG_PASSWORD = 'not the password at all';
const FROM_YOUR_NETWORK = 'from your network (the same internet address).';

describe.each(databaseModes())('rate limits of the account routes (%s database)', (mode) => {
  const context = useTestApp(mode);

  let clients = 0;
  /** A client address of its own (TEST-NET-2), so that what one test counts per client never reaches another. */
  const newClient = () => `198.51.100.${++clients}`;

  const send = (options: InjectOptions, remoteAddress: string, app: FastifyInstance = context.app) =>
    app.inject({ ...options, remoteAddress });
  const login = (email: string, password: string, client: string, app?: FastifyInstance) =>
    send({ method: 'POST', url: '/api/auth/login', payload: { email, password } }, client, app);
  const askReset = (email: string, client: string) =>
    send({ method: 'POST', url: '/api/auth/password-reset', payload: { email } }, client);
  const person = () => signedInAs(context.database.db, 'member', 'testland');

  /** Uses up an address's sign-in attempts from one client and answers the first refused one. */
  async function exhaustSignIn(email: string, client: string) {
    for (let attempt = 1; attempt <= defaultAccountRateLimits.signInPerEmail.max; attempt++) {
      expect((await login(email, WRONG_PASSWORD, client)).statusCode).toBe(401);
    }
    return login(email, WRONG_PASSWORD, client);
  }

  /** The same app over the same database, with limits read from `env` like a deployment's. */
  async function appWith(env: Record<string, string>): Promise<FastifyInstance> {
    const config = { ...loadConfig(env), dataDir: miniDataDir, logLevel: 'silent' };
    const app = await buildApp({ config, database: context.database, logger: false });
    await app.ready();
    return app;
  }

  afterEach(() => {
    vi.useRealTimers();
  });

  it('refuses the 11th sign-in for one address with 429, Retry-After and a readable message', async () => {
    const { email } = await person();
    const client = newClient();
    for (let attempt = 1; attempt <= 10; attempt++) {
      expect((await login(email, WRONG_PASSWORD, client)).statusCode).toBe(401);
    }
    const refused = await login(email, TEST_PASSWORD, client);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'rate-limit.sign-in-email',
      params: { retryAfterS: Number(refused.headers['retry-after']) },
      message: 'Too many sign-in attempts for this address. Try again in 15 minutes.',
    });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    expect(refused.cookies).toEqual([]);
  });

  it('still lets another address sign in from the client whose address was refused', async () => {
    const [refusedPerson, otherPerson] = [await person(), await person()];
    const client = newClient();
    expect((await exhaustSignIn(refusedPerson.email, client)).statusCode).toBe(429);
    const other = await login(otherPerson.email, TEST_PASSWORD, client);
    expect(other.statusCode).toBe(200);
    expect(other.json().account.id).toBe(otherPerson.accountId);
  });

  it('counts an address whatever its case and spaces, from however many clients it is tried', async () => {
    const { email } = await person();
    for (let attempt = 1; attempt <= 10; attempt++) {
      const spelling = attempt % 2 ? ` ${email.toUpperCase()}  ` : email;
      expect((await login(spelling, WRONG_PASSWORD, newClient())).statusCode).toBe(401);
    }
    const refused = await login(email, TEST_PASSWORD, newClient());
    expect(refused.statusCode).toBe(429);
    expect(refused.json().message).toBe('Too many sign-in attempts for this address. Try again in 15 minutes.');
  });

  it('refuses sign-in for an unknown address exactly as for an existing account', async () => {
    // Date stands still, so that both refusals are measured at the same moment of their windows.
    vi.useFakeTimers({ toFake: ['Date'] });
    const { email } = await person();
    const forAccount = await exhaustSignIn(email, newClient());
    const forNobody = await exhaustSignIn('nobody-here@test.example', newClient());
    expect(forAccount.statusCode).toBe(429);
    expect(forNobody.statusCode).toBe(429);
    expect(forNobody.json()).toEqual(forAccount.json());
    expect(forNobody.headers['retry-after']).toBe(forAccount.headers['retry-after']);
  });

  it('accepts sign-in for the address again once its window has passed, and not a minute before', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.now();
    const { email, accountId } = await person();
    const client = newClient();
    expect((await exhaustSignIn(email, client)).statusCode).toBe(429);

    vi.setSystemTime(start + 14 * MINUTE);
    const stillRefused = await login(email, TEST_PASSWORD, client);
    expect(stillRefused.statusCode).toBe(429);
    expect(stillRefused.json().message).toBe('Too many sign-in attempts for this address. Try again in 1 minute.');
    expect(stillRefused.headers['retry-after']).toBe('60');

    vi.setSystemTime(start + 15 * MINUTE);
    const accepted = await login(email, TEST_PASSWORD, client);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().account.id).toBe(accountId);
  });

  it('refuses a client that tries too many addresses (SIGN_IN_LIMIT_IP), not the addresses themselves', async () => {
    const app = await appWith({ SIGN_IN_LIMIT_IP: '3/15m' });
    try {
      const { email, accountId } = await person();
      const sprayer = newClient();
      for (const stranger of ['one', 'two', 'three']) {
        expect((await login(`${stranger}@test.example`, WRONG_PASSWORD, sprayer, app)).statusCode).toBe(401);
      }
      const refused = await login(email, TEST_PASSWORD, sprayer, app);
      expect(refused.statusCode).toBe(429);
      expect(refused.json().message).toBe(`Too many sign-in attempts ${FROM_YOUR_NETWORK} Try again in 15 minutes.`);
      expect(refused.headers['retry-after']).toBeDefined();
      const elsewhere = await login(email, TEST_PASSWORD, newClient(), app);
      expect(elsewhere.statusCode).toBe(200);
      expect(elsewhere.json().account.id).toBe(accountId);
    } finally {
      await app.close();
    }
  });

  it('mails at most 5 reset links an hour to one address, and says so on the 6th request', async () => {
    const { email } = await person();
    for (let request = 1; request <= 5; request++) {
      expect((await askReset(email, newClient())).statusCode).toBe(202);
    }
    const refused = await askReset(email.toUpperCase(), newClient());
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'rate-limit.reset-email',
      params: { retryAfterS: Number(refused.headers['retry-after']) },
      message:
        'Too many password reset mails were asked for this address; check the ones already sent. ' +
        'Try again in 60 minutes.',
    });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(59 * 60);
    await context.app.backgroundTasksSettled();
    const mails = await context.database.db.selectFrom('outbox').select('id').where('to_email', '=', email).execute();
    expect(mails).toHaveLength(5);
  });

  it('refuses reset requests for an unknown address exactly as for an existing account', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { email } = await person();
    const exhaustReset = async (address: string) => {
      for (let request = 1; request <= defaultAccountRateLimits.passwordResetPerEmail.max; request++) {
        expect((await askReset(address, newClient())).statusCode).toBe(202);
      }
      return askReset(address, newClient());
    };
    const forAccount = await exhaustReset(email);
    const forNobody = await exhaustReset('nobody-either@test.example');
    expect(forAccount.statusCode).toBe(429);
    expect(forNobody.json()).toEqual(forAccount.json());
    expect(forNobody.headers['retry-after']).toBe(forAccount.headers['retry-after']);
  });

  it('refuses a client that asks for reset mails to too many addresses', async () => {
    const client = newClient();
    for (let request = 1; request <= defaultAccountRateLimits.passwordResetPerClient.max; request++) {
      expect((await askReset(`someone-${request}@test.example`, client)).statusCode).toBe(202);
    }
    const refused = await askReset('one-more@test.example', client);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().message).toBe(
      `Too many password reset requests ${FROM_YOUR_NETWORK} Try again in 60 minutes.`,
    );
    expect((await askReset('one-more@test.example', newClient())).statusCode).toBe(202);
  });

  it('refuses a client that guesses invitation and reset links, counting the three link routes together', async () => {
    const client = newClient();
    const guesses: InjectOptions[] = [
      { method: 'GET', url: '/api/invitations/guessed-token' },
      { method: 'POST', url: '/api/invitations/guessed-token/accept', payload: {} },
      { method: 'POST', url: '/api/auth/password-reset/guessed-token', payload: { password: 'a new long password' } },
    ];
    for (let guess = 0; guess < defaultAccountRateLimits.accountLinksPerClient.max; guess++) {
      expect([400, 404]).toContain((await send(guesses[guess % 3]!, client)).statusCode);
    }
    for (const guess of guesses) {
      const refused = await send(guess, client);
      expect(refused.statusCode).toBe(429);
      expect(refused.json().message).toBe(
        `Too many tries with invitation or password reset links ${FROM_YOUR_NETWORK} Try again in 15 minutes.`,
      );
      expect(refused.headers['retry-after']).toBeDefined();
    }
    expect((await send(guesses[0]!, newClient())).statusCode).toBe(404);
  });
});

describe('reading the rate limits from the environment', () => {
  it('takes "<requests>/<window>" and keeps the defaults for what is not set', () => {
    const { accountRateLimits } = loadConfig({
      SIGN_IN_LIMIT_EMAIL: '3/30s',
      RESET_LIMIT_IP: '50/2h',
    });
    expect(accountRateLimits).toEqual({
      ...defaultAccountRateLimits,
      signInPerEmail: { max: 3, windowMs: 30_000 },
      passwordResetPerClient: { max: 50, windowMs: 2 * 60 * MINUTE },
    });
  });

  it('refuses a value it cannot read, or one that would refuse every request, naming the variable', () => {
    for (const value of ['ten', '10', '0/15m', '10/15 minutes']) {
      expect(() => loadConfig({ SIGN_IN_LIMIT_EMAIL: value })).toThrow(
        `SIGN_IN_LIMIT_EMAIL must be a number of requests per window such as "10/15m"`,
      );
    }
  });
});
