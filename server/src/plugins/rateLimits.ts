import rateLimit, { type CreateRateLimitOptions } from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { normalizeEmail } from '../domain/accounts/accountRepository.js';
import { errorMessages } from '../domain/messages/errorMessages.js';
import { fillTemplate } from '../domain/messages/userError.js';
import { sendError } from './errors.js';

/** At most `max` requests in a window of `windowMs` milliseconds, counted from the first one. */
export interface RateLimit {
  max: number;
  windowMs: number;
}

/** How often the account routes that an attacker would hammer may be used before they answer 429. */
export interface AccountRateLimits {
  /** Guessing one person's password, from however many clients. */
  signInPerEmail: RateLimit;
  /** One client trying many e-mail addresses. */
  signInPerClient: RateLimit;
  /** Flooding one person's mailbox with password reset mails. */
  passwordResetPerEmail: RateLimit;
  /** One client asking for reset mails to many addresses. */
  passwordResetPerClient: RateLimit;
  /** Guessing invitation and password reset links: opening, accepting, choosing a password. */
  accountLinksPerClient: RateLimit;
  /** Guessing the current password from a session left open (a borrowed or stolen device). */
  passwordChangePerAccount: RateLimit;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const defaultAccountRateLimits: AccountRateLimits = {
  signInPerEmail: { max: 10, windowMs: 15 * MINUTE },
  signInPerClient: { max: 100, windowMs: 15 * MINUTE },
  passwordResetPerEmail: { max: 5, windowMs: HOUR },
  passwordResetPerClient: { max: 20, windowMs: HOUR },
  accountLinksPerClient: { max: 30, windowMs: 15 * MINUTE },
  passwordChangePerAccount: { max: 10, windowMs: 15 * MINUTE },
};

/**
 * How many reports of what is wrong with a service (the finder's "report a problem") one client may send: a
 * handful a minute, a few dozen a day. Counted by client address in memory, never stored.
 */
export interface ReportRateLimits {
  perMinute: RateLimit;
  perDay: RateLimit;
}

export const defaultReportRateLimits: ReportRateLimits = {
  perMinute: { max: 5, windowMs: MINUTE },
  perDay: { max: 30, windowMs: 24 * HOUR },
};

/** The environment variable that sets each limit, as `<requests>/<window>` (e.g. `10/15m`). */
export const accountRateLimitVariables: Record<keyof AccountRateLimits, string> = {
  signInPerEmail: 'SIGN_IN_LIMIT_EMAIL',
  signInPerClient: 'SIGN_IN_LIMIT_IP',
  passwordResetPerEmail: 'RESET_LIMIT_EMAIL',
  passwordResetPerClient: 'RESET_LIMIT_IP',
  accountLinksPerClient: 'LINK_LIMIT_IP',
  passwordChangePerAccount: 'PASSWORD_CHANGE_LIMIT_ACCOUNT',
};

const unitMs = { s: 1000, m: MINUTE, h: HOUR } as const;

function readRateLimit(name: string, value: string | undefined, fallback: RateLimit): RateLimit {
  if (value === undefined || value === '') return fallback;
  const match = /^\s*(\d+)\s*\/\s*(\d*)\s*([smh])\s*$/.exec(value);
  const max = Number(match?.[1]);
  const windowMs = Number(match?.[2] || 1) * unitMs[(match?.[3] ?? 's') as keyof typeof unitMs];
  if (!match || max < 1 || windowMs < 1) {
    throw new Error(
      `${name} must be a number of requests per window such as "10/15m" (s, m or h; at least 1 request), ` +
        `not "${value}".`,
    );
  }
  return { max, windowMs };
}

export function readAccountRateLimits(env: NodeJS.ProcessEnv): AccountRateLimits {
  const limits = { ...defaultAccountRateLimits };
  for (const key of Object.keys(limits) as (keyof AccountRateLimits)[]) {
    const name = accountRateLimitVariables[key];
    limits[key] = readRateLimit(name, env[name], defaultAccountRateLimits[key]);
  }
  return limits;
}

/** "14 minutes", "40 seconds": how long until a refused request would be accepted again. */
export function waitWords(ms: number): string {
  const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return plural(seconds, 'second');
  const minutes = Math.ceil(ms / MINUTE);
  if (minutes < 120) return plural(minutes, 'minute');
  return plural(Math.ceil(ms / HOUR), 'hour');
}

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandlers that answer 429, with Retry-After, once an account route is used too often. */
    accountRateLimits: {
      signIn: preHandlerAsyncHookHandler;
      passwordResetRequest: preHandlerAsyncHookHandler;
      accountLink: preHandlerAsyncHookHandler;
      /** Counts per signed-in account, so it goes after `requireSignedIn`. */
      passwordChange: preHandlerAsyncHookHandler;
    };
    /** preHandler that answers 429 once one client sends too many reports about services. */
    reportRateLimit: preHandlerAsyncHookHandler;
  }
}

/** What is limited: the last part of its code, `rate-limit.<limit>` (errorMessages.ts). */
type LimitName =
  | 'sign-in-network'
  | 'sign-in-email'
  | 'reset-network'
  | 'reset-email'
  | 'links-network'
  | 'password-change'
  | 'reports-network';

/**
 * The 429: coded `rate-limit.<limit>` with the wait in seconds (`retryAfterS`, as the Retry-After header says it);
 * the English sentence says the wait in words.
 */
function tooManyRequests(reply: FastifyReply, waitMs: number, limit: LimitName) {
  const retryAfterS = Math.max(1, Math.ceil(waitMs / 1000));
  reply.header('retry-after', retryAfterS);
  const code = `rate-limit.${limit}` as const;
  // The wait in English words fills the sentence only: pages say it from `retryAfterS`.
  const message = fillTemplate(errorMessages[code], { wait: waitWords(waitMs) });
  return sendError(reply, 429, { code, params: { retryAfterS }, message });
}

/**
 * Counts of requests to the account routes, per e-mail address, per client address and per signed-in account
 * (changing the password), kept in this process's memory: they start again from zero at a restart, and each instance behind a load balancer counts on its own
 * (so N instances allow N times the limits). Enough for Passerelle's single process; a shared store (Redis)
 * would be needed otherwise. The client address is the connection's, or the one a trusted reverse proxy names
 * (TRUST_PROXY). An address is counted whether or not an account has it, and the refusal says the same for
 * both, so that it tells nothing about which accounts exist.
 */
export const rateLimitsPlugin = fp<{ limits?: AccountRateLimits; reportLimits?: ReportRateLimits }>(
  async (app, { limits = defaultAccountRateLimits, reportLimits = defaultReportRateLimits }) => {
    await app.register(rateLimit, { global: false });

    /** A count of its own: each call counts a request and answers, once past the limit, the wait in ms (else null). */
    function counter(limit: RateLimit, keyOf?: (request: FastifyRequest) => string | Promise<string>) {
      const options: CreateRateLimitOptions & { cache: number } = {
        max: limit.max,
        timeWindow: limit.windowMs,
        // Room for many keys (the default is 5,000), so that spraying made-up addresses cannot push a real
        // one's count out of memory; @fastify/rate-limit 11 hands this on to the counter's own store.
        cache: 100_000,
      };
      // Set only when given: an undefined one would replace the library's client address key.
      if (keyOf) options.keyGenerator = keyOf;
      const count = app.createRateLimit(options);
      return async (request: FastifyRequest): Promise<number | null> => {
        const result = await count(request);
        return !result.isAllowed && result.isExceeded ? result.ttl : null;
      };
    }

    const emailOf = (request: FastifyRequest) => normalizeEmail((request.body as { email: string }).email);
    const accountOf = async (request: FastifyRequest) => `account:${(await request.actor())?.accountId ?? ''}`;

    /** A preHandler that counts the request against each limit in turn and refuses at the first one exceeded. */
    function limited(...checks: { check: ReturnType<typeof counter>; limit: LimitName }[]): preHandlerAsyncHookHandler {
      return async (request, reply) => {
        for (const { check, limit } of checks) {
          const waitMs = await check(request);
          if (waitMs !== null) return tooManyRequests(reply, waitMs, limit);
        }
      };
    }

    app.decorate('accountRateLimits', {
      signIn: limited(
        { check: counter(limits.signInPerClient), limit: 'sign-in-network' },
        { check: counter(limits.signInPerEmail, emailOf), limit: 'sign-in-email' },
      ),
      passwordResetRequest: limited(
        { check: counter(limits.passwordResetPerClient), limit: 'reset-network' },
        { check: counter(limits.passwordResetPerEmail, emailOf), limit: 'reset-email' },
      ),
      accountLink: limited({ check: counter(limits.accountLinksPerClient), limit: 'links-network' }),
      passwordChange: limited({ check: counter(limits.passwordChangePerAccount, accountOf), limit: 'password-change' }),
    });
    // Per client address (each counter keeps its own counts); the address is never written anywhere.
    const reportClient = (request: FastifyRequest) => `report:${request.ip}`;
    app.decorate(
      'reportRateLimit',
      limited(
        { check: counter(reportLimits.perMinute, reportClient), limit: 'reports-network' },
        { check: counter(reportLimits.perDay, reportClient), limit: 'reports-network' },
      ),
    );
  },
  { name: 'rateLimits', dependencies: ['auth'] },
);
