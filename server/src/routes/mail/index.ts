import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { sendDueDigests } from '../../domain/freshness/digest.js';
import { clearBounce, mailOverview } from '../../domain/mail/bounces.js';
import { said } from '../../domain/messages/userError.js';
import { ErrorResponse } from '../commonSchemas.js';
import { notFound } from '../notFound.js';
import { BounceParams, DigestRun, MailOverview } from './schemas.js';

const adminErrors = { 401: ErrorResponse, 403: ErrorResponse, 503: ErrorResponse };

/**
 * Mail delivery for a platform admin: what waits, what was given up and which addresses bounce; clearing a
 * bounce; and running the monthly digests now rather than at the next hourly check.
 */
export const mailRoutes: FastifyPluginAsyncTypebox<{ smtpUrl?: string; publicUrl?: string }> = async (app, options) => {
  app.get(
    '/admin/mail',
    {
      onRequest: app.requireAdmin,
      schema: {
        tags: ['admin'],
        summary: 'Mails waiting and given up, and addresses that bounced (platform admins)',
        description: 'Recipients, subjects and delivery tries; never the bodies, which hold sign-in links.',
        response: { 200: MailOverview, ...adminErrors },
      },
    },
    async () => {
      const overview = await mailOverview(app.db);
      return {
        delivery: options.smtpUrl ? ('smtp' as const) : ('outbox-only' as const),
        waiting: overview.waiting.map((mail) => ({
          ...mail,
          createdAt: mail.createdAt.toISOString(),
          nextAttemptAt: mail.nextAttemptAt?.toISOString() ?? null,
        })),
        waitingCount: overview.waitingCount,
        failed: overview.failed.map((mail) => ({
          ...mail,
          createdAt: mail.createdAt.toISOString(),
          failedAt: mail.failedAt.toISOString(),
        })),
        failedCount: overview.failedCount,
        bounces: overview.bounces.map((bounce) => ({ ...bounce, bouncedAt: bounce.bouncedAt.toISOString() })),
      };
    },
  );

  app.delete(
    '/admin/mail-bounces/:email',
    {
      onRequest: app.requireAdmin,
      schema: {
        tags: ['admin'],
        summary: 'Let mail go to an address that bounced again (platform admins)',
        description: 'Mails already given up stay given up; new ones are queued and sent.',
        params: BounceParams,
        response: { 204: Type.Null({ description: 'Cleared.' }), 404: ErrorResponse, ...adminErrors },
      },
    },
    async (request, reply) => {
      const { email } = request.params;
      if (!(await clearBounce(app.db, email))) {
        return notFound(reply, said('not-found.mail-bounce', { email: email.trim().toLowerCase() }));
      }
      request.log.info(`mail bounce cleared for ${email.trim().toLowerCase()}`);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/admin/digests/run',
    {
      onRequest: app.requireAdmin,
      schema: {
        tags: ['admin'],
        summary: "Queue this month's digest of every alliance that has not had it (platform admins)",
        description:
          "The hourly check does the same; an alliance gets one digest a month (its region's calendar) however " +
          'often this runs.',
        response: { 200: DigestRun, ...adminErrors },
      },
    },
    async (request) => {
      const digests = await sendDueDigests(app.db, { publicUrl: options.publicUrl, log: request.log });
      return { digests };
    },
  );
};
