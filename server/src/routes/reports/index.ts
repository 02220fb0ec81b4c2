import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { changeAs } from '../../domain/history/actingAs.js';
import { staleVersionMessage } from '../../domain/history/staleVersion.js';
import { said } from '../../domain/messages/userError.js';
import {
  addReport,
  allianceOfReport,
  allianceOfReportableService,
  countOpenReports,
  findReport,
  listReports,
  resolveReport,
} from '../../domain/reports/reportRepository.js';
import { ErrorResponse, errorResponses, IdParams, writeErrorResponses } from '../commonSchemas.js';
import { notFound } from '../notFound.js';
import { allianceInPath, allianceOfRecordInPath, changeAuthor, conflict } from '../workspaceRouting.js';
import {
  AllianceParams,
  Report,
  ReportCount,
  ReportCreateBody,
  ReportList,
  ReportListQuery,
  ReportReceived,
  ResolveBody,
} from './schemas.js';

const readErrorResponses = { ...errorResponses, 401: ErrorResponse, 403: ErrorResponse };
const reportNotFound = (id: string) => said('not-found.report', { id });

/**
 * What newcomers and staff say is wrong with a service, from the finder, and the alliance's editors' list of them.
 * A report keeps no personal data: no account, no address, no position, no browser; the count that limits a
 * client's reports is kept in memory only (plugins/rateLimits.ts).
 */
export const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const alliance = allianceInPath(app);
  const reportAlliance = allianceOfRecordInPath((id) => allianceOfReport(app.db, id), reportNotFound);

  app.post(
    '/services/:id/reports',
    {
      preHandler: app.reportRateLimit,
      schema: {
        tags: ['reports'],
        summary: 'Say what is wrong with a service the finder shows (no account needed)',
        description:
          'For an active or temporarily closed service. Stores the kind, the comment and the finder language, ' +
          'nothing about who sent it. An identical open report without a comment is not added again. At most 5 ' +
          'reports a minute and 30 a day per client address (429, coded `rate-limit.reports-network`).',
        params: IdParams,
        body: ReportCreateBody,
        response: { 201: ReportReceived, ...writeErrorResponses, 429: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const allianceId = await allianceOfReportableService(app.db, id);
      if (!allianceId) return notFound(reply, said('not-found.reportable-service', { id }));
      const comment = request.body.comment?.trim() || null;
      // Nobody is named as the author, even when someone signed in sends it from the finder.
      await changeAs(app.db, { accountId: null, allianceId }, (trx) =>
        addReport(trx, { serviceId: id, kind: request.body.kind, comment, language: request.body.language ?? null }),
      );
      return reply.code(201).send({ received: true as const });
    },
  );

  app.get(
    '/alliances/:idOrSlug/reports',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', alliance.resolve),
      schema: {
        tags: ['reports'],
        summary: "The alliance's reports of what is wrong with its services, open or resolved",
        params: AllianceParams,
        querystring: ReportListQuery,
        response: { 200: ReportList, ...readErrorResponses },
      },
    },
    async (request) => {
      const allianceId = await alliance.allianceId(request);
      const [items, openCount] = await Promise.all([
        listReports(app.db, allianceId, request.query.state ?? 'open'),
        countOpenReports(app.db, allianceId),
      ]);
      return { items, openCount };
    },
  );

  app.get(
    '/alliances/:idOrSlug/reports/count',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', alliance.resolve),
      schema: {
        tags: ['reports'],
        summary: 'How many reports of the alliance are open, for the badge of its Reports tab',
        params: AllianceParams,
        response: { 200: ReportCount, ...readErrorResponses },
      },
    },
    async (request) => ({ open: await countOpenReports(app.db, await alliance.allianceId(request)) }),
  );

  app.post(
    '/reports/:id/resolve',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', reportAlliance.resolve),
      schema: {
        tags: ['reports'],
        summary: 'Resolve a report: the record was corrected, or the report is dismissed',
        description:
          'Send the version the report was read at; 409 when someone resolved it since. Recorded in the history ' +
          'with the editor as its author.',
        params: IdParams,
        body: ResolveBody,
        response: { 200: Report, ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { version, resolution } = request.body;
      const allianceId = await reportAlliance.allianceId(request);
      const author = await changeAuthor(request, allianceId);
      const outcome = await changeAs(app.db, author, (trx) =>
        resolveReport(trx, id, version, resolution, author.accountId),
      );
      if (outcome === 'missing') return notFound(reply, reportNotFound(id));
      if (outcome === 'resolved-already') {
        const report = await findReport(app.db, id);
        return conflict(reply, said('reports.resolved-already', { who: report?.resolvedBy?.displayName || 'someone' }));
      }
      if (outcome === 'stale') {
        return conflict(
          reply,
          await staleVersionMessage(app.db, { entityType: 'service_report', entityId: id, noun: 'report' }),
        );
      }
      return (await findReport(app.db, id))!;
    },
  );
};
