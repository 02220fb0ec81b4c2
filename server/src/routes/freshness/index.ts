import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { changeAs } from '../../domain/history/actingAs.js';
import { staleVersionMessage } from '../../domain/history/staleVersion.js';
import { listServicesToCheck } from '../../domain/freshness/servicesToCheck.js';
import { verifyService } from '../../domain/freshness/verifyService.js';
import { said } from '../../domain/messages/userError.js';
import { allianceOfOrganization } from '../../domain/organizations/organizationRepository.js';
import { allianceOfService, findService } from '../../domain/services/serviceRepository.js';
import { ErrorResponse, errorResponses, IdParams, writeErrorResponses } from '../commonSchemas.js';
import { AllianceParams } from '../alliances/schemas.js';
import { badRequest, notFound } from '../notFound.js';
import { ServiceDetail } from '../services/schemas.js';
import { allianceInPath, allianceOfRecordInPath, changeAuthor, conflict } from '../workspaceRouting.js';
import { ServicesToCheck, ToCheckQuery, VerifyBody } from './schemas.js';

const readErrorResponses = { ...errorResponses, 401: ErrorResponse, 403: ErrorResponse };
const serviceNotFound = (id: string) => said('not-found.service', { id });

/** Keeping the map true: an editor confirms a service is still true, and the alliance's list of those to check. */
export const freshnessRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const serviceAlliance = allianceOfRecordInPath((id) => allianceOfService(app.db, id), serviceNotFound);
  const alliance = allianceInPath(app);

  app.post(
    '/services/:id/verify',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', serviceAlliance.resolve),
      schema: {
        tags: ['services'],
        summary: 'Confirm a service is still true: stamps its check date and checker, and changes nothing else',
        description:
          'Editors of its alliance. Send the `version` the service was read at; 409 when it changed since. The ' +
          'check is recorded in the history; the answer is the service as it now stands.',
        params: IdParams,
        body: VerifyBody,
        response: { 200: ServiceDetail, ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const author = await changeAuthor(request, await serviceAlliance.allianceId(request));
      const outcome = await changeAs(app.db, author, (trx) =>
        verifyService(trx, id, { via: 'editor', accountId: author.accountId, version: request.body.version }),
      );
      if (outcome === 'missing') return notFound(reply, serviceNotFound(id));
      if (outcome === 'stale') {
        return conflict(
          reply,
          await staleVersionMessage(app.db, { entityType: 'service', entityId: id, noun: 'service' }),
        );
      }
      return (await findService(app.db, id, { forMembers: true }))!;
    },
  );

  app.get(
    '/alliances/:idOrSlug/services-to-check',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('read', alliance.resolve),
      schema: {
        tags: ['services'],
        summary: "The alliance's services past their update cycle, never checked first, then the oldest due first",
        description:
          "Members of the alliance. A service's cycle is its own or the alliance's; a defunct service needs no " +
          'check. `organization` narrows the list to one organisation of the alliance.',
        params: AllianceParams,
        querystring: ToCheckQuery,
        response: { 200: ServicesToCheck, ...readErrorResponses },
      },
    },
    async (request, reply) => {
      const allianceId = await alliance.allianceId(request);
      const { organization, notCheckedForMonths } = request.query;
      if (organization && (await allianceOfOrganization(app.db, organization)) !== allianceId) {
        return badRequest(reply, said('input.organization-of-other-alliance', { id: organization }));
      }
      return {
        items: await listServicesToCheck(app.db, allianceId, { organizationId: organization, notCheckedForMonths }),
      };
    },
  );
};
