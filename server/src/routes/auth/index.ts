import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { Type } from 'typebox';
import {
  type Account,
  createAccount,
  allianceLanguageOf,
  describeMe,
  findAccountByEmail,
  findAccountById,
  updateOwnAccount,
  setPassword,
  signedOut,
} from '../../domain/accounts/accountRepository.js';
import {
  consumeLink,
  createResetLink,
  findLink,
  linkUrl,
  RESET_HOURS,
  type StoredLink,
} from '../../domain/accounts/links.js';
import { mailLanguage, passwordResetMail, queueMail } from '../../domain/accounts/mailer.js';
import { joinAlliance } from '../../domain/accounts/memberRepository.js';
import { hashPassword, passwordProblem, verifyPassword } from '../../domain/accounts/passwords.js';
import {
  createSession,
  deleteOtherSessionsOf,
  deleteSession,
  deleteSessionsOf,
} from '../../domain/accounts/sessions.js';
import { changeAs } from '../../domain/history/actingAs.js';
import { SESSION_COOKIE, sessionCookieOptions } from '../../plugins/auth.js';
import { ErrorResponse, errorResponses } from '../commonSchemas.js';
import { badRequest, notFound } from '../notFound.js';
import { conflict } from '../workspaceRouting.js';
import {
  AcceptBody,
  Accepted,
  DISPLAY_NAME_MAX,
  Invitation,
  LoginBody,
  Me,
  OwnAccountBody,
  PasswordChangeBody,
  ResetBody,
  ResetRequestBody,
  SessionsEnded,
  TokenParams,
} from './schemas.js';
import { type CodedMessage, said } from '../../domain/messages/userError.js';
import { sendError } from '../../plugins/errors.js';

const WRONG_CREDENTIALS = said('auth.wrong-credentials');
const WRONG_CURRENT_PASSWORD = said('auth.wrong-current-password');

const authErrorResponses = { ...errorResponses, 401: ErrorResponse, 403: ErrorResponse, 410: ErrorResponse };
/** Routes an attacker would hammer answer 429 past their limits (`plugins/rateLimits.ts`). */
const limitedErrorResponses = { ...authErrorResponses, 429: ErrorResponse };

function refuse(reply: FastifyReply, statusCode: 401 | 403 | 410, message: CodedMessage) {
  return sendError(reply, statusCode, message);
}

const longDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** Why a reset link cannot be used, for the person who opened it; null when it can. */
function resetLinkProblem(link: StoredLink | undefined): CodedMessage | null {
  if (!link) return said('auth.reset-link-invalid');
  if (link.state === 'used') return said('auth.reset-link-used');
  if (link.state === 'expired') return said('auth.reset-link-expired', { hours: RESET_HOURS });
  return null;
}

/** Why a name chosen on the account page cannot be used, in words for the person; null when it can. */
function displayNameProblem(displayName: string): CodedMessage | null {
  if (displayName === '') return said('account.name-empty');
  if (displayName.length > DISPLAY_NAME_MAX) {
    return said('account.name-too-long', { max: DISPLAY_NAME_MAX, length: displayName.length });
  }
  return null;
}

/** The signed-in person's own account and the cookie of the session they are using. */
interface OwnSession {
  accountId: string;
  sessionToken: string;
  csrfToken: string;
}

/**
 * preHandler of the routes that change one's own account (after `requireSignedIn`): they act on a session,
 * which an API token is not, so a script is refused with 403.
 */
async function requireOwnSession(request: FastifyRequest, reply: FastifyReply) {
  const actor = await request.actor();
  const sessionToken = request.cookies[SESSION_COOKIE];
  if (actor?.via === 'session' && actor.accountId && actor.csrfToken && sessionToken) return;
  return refuse(reply, 403, said('auth.session-only'));
}

/** What `requireOwnSession` let through. */
async function ownSession(request: FastifyRequest): Promise<OwnSession> {
  const actor = (await request.actor())!;
  return {
    accountId: actor.accountId!,
    sessionToken: request.cookies[SESSION_COOKIE]!,
    csrfToken: actor.csrfToken!,
  };
}

/**
 * Accounts: signing in and out, who is signed in, password reset links and invitation links. Links are
 * answered to whoever holds them, so nothing here needs a role; what a link allows is decided by the link.
 */
export const authRoutes: FastifyPluginAsyncTypebox<{ publicUrl?: string }> = async (app, options) => {
  /** Opens a session for an account, sets its cookie and answers who is now signed in. */
  async function signIn(
    request: FastifyRequest,
    reply: FastifyReply,
    account: Omit<Account, 'passwordHash'>,
    session: { token: string; csrfToken: string; expiresAt: Date },
  ) {
    reply.setCookie(SESSION_COOKIE, session.token, {
      ...sessionCookieOptions(request, options.publicUrl),
      expires: session.expiresAt,
    });
    reply.header('cache-control', 'no-store');
    return describeMe(app.db, account, session.csrfToken);
  }

  app.post(
    '/auth/login',
    {
      preHandler: app.accountRateLimits.signIn,
      schema: {
        tags: ['accounts'],
        summary: 'Sign in with e-mail and password: sets the session cookie',
        body: LoginBody,
        response: { 200: Me, ...limitedErrorResponses },
      },
    },
    async (request, reply) => {
      const account = await findAccountByEmail(app.db, request.body.email);
      // Checked even for an unknown e-mail (against a decoy), so that the answer's timing tells nothing.
      const matches = await verifyPassword(account?.passwordHash ?? null, request.body.password);
      if (!account || !matches) return refuse(reply, 401, WRONG_CREDENTIALS);
      const previous = request.cookies[SESSION_COOKIE];
      if (previous) await deleteSession(app.db, previous);
      return signIn(request, reply, account, await createSession(app.db, account.id));
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Sign out: ends the session and clears its cookie',
        response: { 204: Type.Null(), ...authErrorResponses },
      },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await deleteSession(app.db, token);
      reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(request, options.publicUrl));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Who is signed in, their alliances and roles, and the CSRF token for changes',
        response: { 200: Me, ...errorResponses },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const actor = await request.actor();
      const account = actor?.accountId ? await findAccountById(app.db, actor.accountId) : undefined;
      if (!actor || !account) return signedOut;
      return describeMe(app.db, account, actor.csrfToken);
    },
  );

  app.patch(
    '/auth/me',
    {
      onRequest: app.requireSignedIn,
      preHandler: requireOwnSession,
      schema: {
        tags: ['accounts'],
        summary: 'Change your own name or language',
        description:
          'The language (one of en, fr, nl, sv, de, es, ar, uk; null to follow the alliance) is the one the ' +
          'workspace opens in and mails are written in.',
        body: OwnAccountBody,
        response: { 200: Me, ...authErrorResponses },
      },
    },
    async (request, reply) => {
      const own = await ownSession(request);
      const displayName = request.body.displayName?.trim();
      const problem = displayName === undefined ? null : displayNameProblem(displayName);
      if (problem) return badRequest(reply, problem);
      await updateOwnAccount(app.db, own.accountId, { displayName, language: request.body.language });
      const account = (await findAccountById(app.db, own.accountId))!;
      reply.header('cache-control', 'no-store');
      return describeMe(app.db, account, own.csrfToken);
    },
  );

  app.post(
    '/auth/password',
    {
      onRequest: app.requireSignedIn,
      preHandler: [requireOwnSession, app.accountRateLimits.passwordChange],
      schema: {
        tags: ['accounts'],
        summary: 'Change your own password: needs the current one; signs out every other session of the account',
        body: PasswordChangeBody,
        response: { 200: SessionsEnded, ...limitedErrorResponses },
      },
    },
    async (request, reply) => {
      const own = await ownSession(request);
      const { currentPassword, newPassword } = request.body;
      const account = (await findAccountById(app.db, own.accountId))!;
      if (!(await verifyPassword(account.passwordHash, currentPassword))) {
        return refuse(reply, 403, WRONG_CURRENT_PASSWORD);
      }
      const weak = passwordProblem(newPassword, account.email);
      if (weak) return badRequest(reply, weak);
      if (newPassword === currentPassword) {
        return badRequest(reply, said('auth.same-password'));
      }
      const passwordHash = await hashPassword(newPassword);
      const endedSessions = await app.db.transaction().execute(async (trx) => {
        await setPassword(trx, account.id, passwordHash);
        // Whoever knew the old password is signed out everywhere but here.
        return deleteOtherSessionsOf(trx, account.id, own.sessionToken);
      });
      return { endedSessions };
    },
  );

  app.post(
    '/auth/sessions/end-others',
    {
      onRequest: app.requireSignedIn,
      preHandler: requireOwnSession,
      schema: {
        tags: ['accounts'],
        summary: 'Sign out everywhere else: ends every session of your account but this one',
        response: { 200: SessionsEnded, ...authErrorResponses },
      },
    },
    async (request) => {
      const own = await ownSession(request);
      return { endedSessions: await deleteOtherSessionsOf(app.db, own.accountId, own.sessionToken) };
    },
  );

  app.post(
    '/auth/password-reset',
    {
      preHandler: app.accountRateLimits.passwordResetRequest,
      schema: {
        tags: ['accounts'],
        summary: 'Mail a link to choose a new password (answers the same whether the account exists or not)',
        body: ResetRequestBody,
        response: { 202: Accepted, ...errorResponses, 429: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { email } = request.body;
      // The answer goes before the account is even looked up: the same words and the same time whether the
      // e-mail has an account or not, so that nobody learns which addresses do.
      app.runAfterAnswer('password reset mail', request.log, async () => {
        const account = await findAccountByEmail(app.db, email);
        if (!account) return;
        await app.db.transaction().execute(async (trx) => {
          const link = await createResetLink(trx, account.id);
          // Without a configured public address the mail holds the link's path only: a Host header is never
          // trusted here, or anyone could have a victim mailed a link to their own site.
          const url = linkUrl(options.publicUrl ?? '', 'password_reset', link.token);
          const language = mailLanguage(account.language, await allianceLanguageOf(trx, account.id));
          const mail = passwordResetMail(account.email, url, RESET_HOURS, language);
          await queueMail(trx, account.email, mail.subject, mail.body, request.log);
        });
      });
      return reply.code(202).send({
        message:
          'If an account exists for this e-mail, a link to choose a new password is on its way. ' +
          `It works for ${RESET_HOURS} hours.`,
      });
    },
  );

  app.post(
    '/auth/password-reset/:token',
    {
      preHandler: app.accountRateLimits.accountLink,
      schema: {
        tags: ['accounts'],
        summary: 'Choose a new password with a reset link: ends every other session and signs in',
        params: TokenParams,
        body: ResetBody,
        response: { 200: Me, ...limitedErrorResponses },
      },
    },
    async (request, reply) => {
      const link = await findLink(app.db, 'password_reset', request.params.token);
      const linkProblem = resetLinkProblem(link);
      if (linkProblem || !link) return badRequest(reply, linkProblem ?? said('auth.reset-link-invalid'));
      const account = (await findAccountById(app.db, link.accountId!))!;
      const weak = passwordProblem(request.body.password, account.email);
      if (weak) return badRequest(reply, weak);
      const passwordHash = await hashPassword(request.body.password);
      const session = await app.db.transaction().execute(async (trx) => {
        if (!(await consumeLink(trx, link.id))) return undefined;
        await setPassword(trx, account.id, passwordHash);
        // Whoever knew the old password is signed out everywhere.
        await deleteSessionsOf(trx, account.id);
        return createSession(trx, account.id);
      });
      if (!session) return badRequest(reply, resetLinkProblem({ ...link, state: 'used' })!);
      return signIn(request, reply, account, session);
    },
  );

  /** The invitation a token opens, with what its page shows; or the 404/410 answer already sent. */
  async function openInvitation(token: string, reply: FastifyReply) {
    const link = await findLink(app.db, 'invitation', token);
    if (!link || !link.allianceId || !link.role || !link.email) {
      notFound(reply, said('auth.invitation-invalid'));
      return undefined;
    }
    const alliance = await app.db
      .selectFrom('alliance')
      .select(['name', 'slug'])
      .where('id', '=', link.allianceId)
      .executeTakeFirstOrThrow();
    const inviter = link.createdBy ? await findAccountById(app.db, link.createdBy) : undefined;
    const details = {
      email: link.email,
      allianceName: alliance.name,
      allianceSlug: alliance.slug,
      invitedBy: inviter?.displayName ?? null,
    };
    if (link.state === 'used') {
      refuse(reply, 410, said('auth.invitation-accepted'));
      return undefined;
    }
    if (link.state === 'expired') {
      const params = { expiredOn: link.expiresAt.toISOString(), date: longDate.format(link.expiresAt) };
      refuse(
        reply,
        410,
        details.invitedBy
          ? said('auth.invitation-expired', { ...params, inviter: details.invitedBy })
          : said('auth.invitation-expired-coordinator', { ...params, alliance: details.allianceName }),
      );
      return undefined;
    }
    // Looked up now, not when the invitation was made: the e-mail may have got an account since.
    const account = await findAccountByEmail(app.db, link.email);
    const invitation = {
      ...details,
      role: link.role,
      expiresAt: link.expiresAt.toISOString(),
      needsPassword: account === undefined,
    };
    return {
      link: { ...link, allianceId: link.allianceId, role: link.role, email: link.email },
      account,
      invitation,
    };
  }

  app.get(
    '/invitations/:token',
    {
      preHandler: app.accountRateLimits.accountLink,
      schema: {
        tags: ['accounts'],
        summary: 'What an invitation link invites to',
        params: TokenParams,
        response: { 200: Invitation, ...limitedErrorResponses },
      },
    },
    async (request, reply) => {
      const opened = await openInvitation(request.params.token, reply);
      if (!opened) return reply;
      reply.header('cache-control', 'no-store');
      return opened.invitation;
    },
  );

  const EMAIL_TAKEN_MEANWHILE = said('auth.email-taken-meanwhile');

  app.post(
    '/invitations/:token/accept',
    {
      preHandler: app.accountRateLimits.accountLink,
      schema: {
        tags: ['accounts'],
        summary: 'Accept an invitation: join the alliance and sign in',
        description:
          'Nothing is granted before this. An e-mail without an account gets one here, with the password chosen. ' +
          'An e-mail that has an account accepts while signed in to it, or by sending its password: holding a ' +
          'link never signs anyone in to, nor sets the password of, an account that exists.',
        params: TokenParams,
        body: AcceptBody,
        response: { 200: Me, ...limitedErrorResponses, 409: ErrorResponse },
      },
    },
    async (request, reply) => {
      const opened = await openInvitation(request.params.token, reply);
      if (!opened) return reply;
      const { link, account } = opened;
      const { password } = request.body;
      const displayName = request.body.displayName?.trim();
      if (displayName === '') return badRequest(reply, said('auth.blank-name'));

      let passwordHash: string | undefined;
      if (!account) {
        if (!password) return badRequest(reply, said('auth.password-required'));
        const weak = passwordProblem(password, link.email);
        if (weak) return badRequest(reply, weak);
        passwordHash = await hashPassword(password);
      } else if ((await request.actor())?.accountId !== account.id) {
        const matches = password !== undefined && (await verifyPassword(account.passwordHash, password));
        if (!matches) {
          return refuse(reply, 401, said('auth.invitation-for-account', { email: account.email }));
        }
      }

      type Outcome = { session: Awaited<ReturnType<typeof createSession>>; accountId: string } | 'used' | 'email taken';
      let outcome: Outcome;
      try {
        outcome = await changeAs(
          app.db,
          { accountId: account?.id ?? null, allianceId: link.allianceId },
          async (trx) => {
            if (!(await consumeLink(trx, link.id))) return 'used';
            let accountId = account?.id;
            if (accountId === undefined) {
              if (await findAccountByEmail(trx, link.email)) return 'email taken';
              accountId = await createAccount(trx, { email: link.email, displayName, passwordHash: passwordHash! });
              // The membership below is the new account's own doing.
              await sql`select set_config('passerelle.account_id', ${accountId}, true)`.execute(trx);
            } else if (displayName) {
              await updateOwnAccount(trx, accountId, { displayName });
            }
            await joinAlliance(trx, {
              allianceId: link.allianceId,
              accountId,
              role: link.role,
              organizationId: link.organizationId,
            });
            return { session: await createSession(trx, accountId), accountId };
          },
        );
      } catch (error) {
        // Two invitations of one new e-mail accepted at the same moment: the second finds the address taken.
        if ((error as { code?: string }).code === '23505') outcome = 'email taken';
        else throw error;
      }
      if (outcome === 'used') {
        return refuse(reply, 410, said('auth.invitation-accepted'));
      }
      if (outcome === 'email taken') return conflict(reply, EMAIL_TAKEN_MEANWHILE);
      const joined = (await findAccountById(app.db, outcome.accountId))!;
      return signIn(request, reply, joined, outcome.session);
    },
  );
};
