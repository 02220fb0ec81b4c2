import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { allianceOfOrganization } from '../../domain/organizations/organizationRepository.js';
import { checkOpeningHours } from '../../domain/schedules/openIntervals.js';
import { findScheduleRegion } from '../../domain/schedules/scheduleRegion.js';
import { said } from '../../domain/messages/userError.js';
import {
  allianceOfProposal,
  calendarDate,
  decideProposal,
  listOrganizationServices,
  listWaitingProposals,
  submitSelfServiceChange,
  type SelfServiceChange,
} from '../../domain/self-service/selfServiceChanges.js';
import {
  findSelfServiceSession,
  listSelfServiceLinks,
  openSelfServiceLink,
  queueSelfServiceLink,
  SELF_SERVICE_COOKIE,
  SELF_SERVICE_COOKIE_PATH,
  SELF_SERVICE_CSRF_HEADER,
  selfServiceCsrfToken,
  type SelfServiceSession,
} from '../../domain/self-service/selfServiceLinks.js';
import { sendError } from '../../plugins/errors.js';
import { ErrorResponse, errorResponses, writeErrorResponses } from '../commonSchemas.js';
import { badRequest, notFound, nothingToChange } from '../notFound.js';
import { webAddressProblem } from '../webAddressProblem.js';
import { allianceInPath, allianceOfRecordInPath } from '../workspaceRouting.js';
import {
  AllianceParams,
  ChangeOutcome,
  ClosureBody,
  OpenBody,
  OrganizationParams,
  ProposalList,
  ProposalParams,
  SelfServiceEditBody,
  SelfServicePage,
  SendLinkBody,
  SentLink,
  SentLinkList,
  ServiceParams,
} from './schemas.js';

const organizationNotFound = (id: string) => said('not-found.organization', { id });
const proposalNotFound = (id: string) => said('not-found.self-service-proposal', { id });
const sessionErrorResponses = { ...errorResponses, 401: ErrorResponse, 403: ErrorResponse };
const SESSION_NOTE =
  'Needs the self-service session cookie that `POST /api/self-service/open` sets (no account); changes also carry ' +
  'its `csrfToken` as `x-self-service-token`.';

/**
 * Self-service links: editors send an organisation a personal link; whoever opens it checks that organisation's
 * services, and only those, for two hours, without an account. The session it hands is a cookie of its own,
 * scoped to these routes: no other route reads it, and it grants nothing in the workspace.
 */
export const selfServiceRoutes: FastifyPluginAsyncTypebox<{ publicUrl?: string }> = async (app, options) => {
  const organizationAlliance = allianceOfRecordInPath((id) => allianceOfOrganization(app.db, id), organizationNotFound);
  const proposalAlliance = allianceOfRecordInPath((id) => allianceOfProposal(app.db, id), proposalNotFound);
  const alliance = allianceInPath(app);

  const sessions = new WeakMap<FastifyRequest, SelfServiceSession>();

  /**
   * preHandler of the routes the session opens: the session must last, and a change must carry the page's token
   * (a cross-site form cannot: it neither sends the cookie, SameSite=Strict, nor knows the token).
   */
  async function requireSelfServiceSession(request: FastifyRequest, reply: FastifyReply) {
    const token = request.cookies[SELF_SERVICE_COOKIE];
    const session = token ? await findSelfServiceSession(app.db, token) : undefined;
    if (!token || !session) return sendError(reply, 401, said('self-service.session-required'));
    if (request.method !== 'GET' && request.headers[SELF_SERVICE_CSRF_HEADER] !== selfServiceCsrfToken(token)) {
      return sendError(reply, 403, said('self-service.csrf-missing'));
    }
    sessions.set(request, session);
  }

  const sessionOf = (request: FastifyRequest) => sessions.get(request)!;

  async function pageOf(session: SelfServiceSession, sessionToken: string, sessionExpiresAt: Date) {
    return {
      organization: { name: session.organizationName },
      approval: session.approval,
      sessionExpiresAt: sessionExpiresAt.toISOString(),
      csrfToken: selfServiceCsrfToken(sessionToken),
      services: await listOrganizationServices(
        app.db,
        session.organizationId,
        calendarDate(new Date(), session.timezone),
      ),
    };
  }

  app.post(
    '/organizations/:id/self-service-links',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', organizationAlliance.resolve),
      schema: {
        tags: ['self-service'],
        summary: 'Mail an organisation a personal link to check its own services (editors of the alliance)',
        description:
          "The link goes to `email`, or to the organisation's public e-mail, else its contact's (400 when it has " +
          'none); it opens once, within 30 days. The mail lists the organisation’s services, in the alliance’s ' +
          'first language.',
        params: OrganizationParams,
        body: SendLinkBody,
        response: { 201: SentLink, ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const actor = await request.actor();
      const outcome = await app.db.transaction().execute((trx) =>
        queueSelfServiceLink(trx, id, {
          email: request.body.email,
          createdBy: actor?.accountId ?? null,
          baseUrl: options.publicUrl ?? `${request.protocol}://${request.host}`,
          log: request.log,
        }),
      );
      if (outcome.state === 'missing') return notFound(reply, organizationNotFound(id));
      if (outcome.state === 'no-address') {
        return badRequest(reply, said('self-service.no-address', { organization: outcome.organizationName }));
      }
      return reply.code(201).send(outcome.link);
    },
  );

  app.get(
    '/organizations/:id/self-service-links',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', organizationAlliance.resolve),
      schema: {
        tags: ['self-service'],
        summary: 'The self-service links sent to an organisation, newest first (never their tokens)',
        params: OrganizationParams,
        response: { 200: SentLinkList, ...sessionErrorResponses },
      },
    },
    async (request) => ({ items: await listSelfServiceLinks(app.db, request.params.id) }),
  );

  app.post(
    '/self-service/open',
    {
      preHandler: app.accountRateLimits.accountLink,
      schema: {
        tags: ['self-service'],
        summary: "Open a self-service link: a two-hour session on the organisation's services",
        description:
          'Once only: a link already opened answers 410, as does an expired one; an unknown token 404. The ' +
          'answer names the organisation and lists its services (no one’s contact details), and sets an ' +
          'HTTP-only cookie for `/api/self-service` only.',
        body: OpenBody,
        response: { 200: SelfServicePage, ...errorResponses, 410: ErrorResponse, 429: ErrorResponse },
      },
    },
    async (request, reply) => {
      const opened = await openSelfServiceLink(app.db, request.body.token);
      if (opened.state !== 'opened') {
        if (opened.state === 'unknown') return notFound(reply, said('self-service.link-invalid'));
        return sendError(
          reply,
          410,
          said(opened.state === 'expired' ? 'self-service.link-expired' : 'self-service.link-used'),
        );
      }
      const session = (await findSelfServiceSession(app.db, opened.sessionToken))!;
      reply.setCookie(SELF_SERVICE_COOKIE, opened.sessionToken, {
        httpOnly: true,
        sameSite: 'strict',
        path: SELF_SERVICE_COOKIE_PATH,
        secure: options.publicUrl?.startsWith('https:') === true || request.protocol === 'https',
        expires: opened.sessionExpiresAt,
      });
      reply.header('cache-control', 'no-store');
      return pageOf(session, opened.sessionToken, opened.sessionExpiresAt);
    },
  );

  app.get(
    '/self-service/services',
    {
      preHandler: requireSelfServiceSession,
      schema: {
        tags: ['self-service'],
        summary: "The organisation's services again, for the session a link opened",
        description: SESSION_NOTE,
        response: { 200: SelfServicePage, ...sessionErrorResponses },
      },
    },
    async (request, reply) => {
      const token = request.cookies[SELF_SERVICE_COOKIE]!;
      const expires = await app.db
        .selectFrom('self_service_link')
        .select('session_expires_at')
        .where('id', '=', sessionOf(request).linkId)
        .executeTakeFirstOrThrow();
      reply.header('cache-control', 'no-store');
      return pageOf(sessionOf(request), token, new Date(expires.session_expires_at!));
    },
  );

  /** Sends the change, answering what became of it, or 404 for a service of another organisation. */
  async function submit(request: FastifyRequest, reply: FastifyReply, serviceId: string, change: SelfServiceChange) {
    const outcome = await submitSelfServiceChange(app.db, sessionOf(request), serviceId, change);
    if (outcome === 'missing') return notFound(reply, said('not-found.self-service-service', { id: serviceId }));
    return { outcome };
  }

  app.post(
    '/self-service/services/:id/still-true',
    {
      preHandler: requireSelfServiceSession,
      schema: {
        tags: ['self-service'],
        summary: 'Say a service of the organisation is still described truly (stamps it checked)',
        description: SESSION_NOTE,
        params: ServiceParams,
        response: { 200: ChangeOutcome, ...sessionErrorResponses },
      },
    },
    async (request, reply) => submit(request, reply, request.params.id, { kind: 'verify' }),
  );

  app.post(
    '/self-service/services/:id/closure',
    {
      preHandler: requireSelfServiceSession,
      schema: {
        tags: ['self-service'],
        summary: 'Say a service of the organisation is closed from one day to another (both included)',
        description: SESSION_NOTE,
        params: ServiceParams,
        body: ClosureBody,
        response: { 200: ChangeOutcome, ...sessionErrorResponses },
      },
    },
    async (request, reply) => {
      const { startsOn, endsOn, note } = request.body;
      if (endsOn < startsOn) {
        return badRequest(reply, said('self-service.closure-ends-before-start', { startsOn, endsOn }));
      }
      return submit(request, reply, request.params.id, { kind: 'closure', startsOn, endsOn, note: note ?? null });
    },
  );

  app.patch(
    '/self-service/services/:id',
    {
      preHandler: requireSelfServiceSession,
      schema: {
        tags: ['self-service'],
        summary: 'Correct what a service of the organisation says (description, hours, contact, fees)',
        description: SESSION_NOTE,
        params: ServiceParams,
        body: SelfServiceEditBody,
        response: { 200: ChangeOutcome, ...sessionErrorResponses },
      },
    },
    async (request, reply) => {
      const changes = request.body;
      if (Object.keys(changes).length === 0) return badRequest(reply, nothingToChange);
      let problem = webAddressProblem({ url: changes.url });
      if (!problem && changes.openingHours) {
        const region = await findScheduleRegion(app.db, sessionOf(request).allianceId);
        problem = region ? checkOpeningHours(changes.openingHours, region) : null;
      }
      if (problem) return badRequest(reply, problem);
      return submit(request, reply, request.params.id, { kind: 'edit', changes });
    },
  );

  app.get(
    '/alliances/:idOrSlug/self-service-proposals',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', alliance.resolve),
      schema: {
        tags: ['self-service'],
        summary: "Changes organisations sent through their links that wait for an editor's approval",
        params: AllianceParams,
        response: { 200: ProposalList, ...sessionErrorResponses },
      },
    },
    async (request) => ({ items: await listWaitingProposals(app.db, await alliance.allianceId(request)) }),
  );

  for (const [action, decision] of [
    ['approve', 'approved'],
    ['reject', 'rejected'],
  ] as const) {
    app.post(
      `/self-service-proposals/:id/${action}`,
      {
        onRequest: app.requireSignedIn,
        preHandler: app.requirePermission('edit', proposalAlliance.resolve),
        schema: {
          tags: ['self-service'],
          summary:
            decision === 'approved'
              ? 'Approve a proposed change: it is made, with the editor as author (editors of the alliance)'
              : 'Reject a proposed change: nothing is changed (editors of the alliance)',
          params: ProposalParams,
          response: { 204: Type.Null(), ...writeErrorResponses },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const actor = await request.actor();
        const outcome = await decideProposal(app.db, id, decision, {
          accountId: actor?.accountId ?? null,
          allianceId: await proposalAlliance.allianceId(request),
        });
        if (outcome === 'missing') return notFound(reply, proposalNotFound(id));
        if (outcome === 'decided-already') return sendError(reply, 409, said('self-service.proposal-decided'));
        return reply.code(204).send(null);
      },
    );
  }
};
