import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  addClosure,
  allianceOfClosure,
  deleteClosure,
  listClosures,
  updateClosure,
} from '../../domain/closures/closureRepository.js';
import { allianceOfService } from '../../domain/services/serviceRepository.js';
import { changeAs } from '../../domain/history/actingAs.js';
import { staleVersionMessage } from '../../domain/history/staleVersion.js';
import { said } from '../../domain/messages/userError.js';
import { errorResponses, IdParams, writeErrorResponses } from '../commonSchemas.js';
import { badRequest, nothingToChange, notFound } from '../notFound.js';
import { allianceOfRecordInPath, changeAuthor, conflict } from '../workspaceRouting.js';
import { Closure, ClosureCreateBody, ClosureList, ClosureUpdateBody } from './schemas.js';

const serviceNotFound = (id: string) => said('not-found.service', { id });
const closureNotFound = (id: string) => said('not-found.closure', { id });

/**
 * A service's temporary closures and exceptional hours, for the alliance's members; the newcomers' finder reads
 * them through the directory. Writes are recorded in the history with their author.
 */
export const closureRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const serviceAlliance = allianceOfRecordInPath((id) => allianceOfService(app.db, id), serviceNotFound);
  const closureAlliance = allianceOfRecordInPath((id) => allianceOfClosure(app.db, id), closureNotFound);

  app.get(
    '/services/:id/closures',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('read', serviceAlliance.resolve),
      schema: {
        tags: ['closures'],
        summary: "A service's temporary closures and exceptional hours, the earliest first (the alliance's members)",
        params: IdParams,
        response: { 200: ClosureList, 401: writeErrorResponses[401], 403: writeErrorResponses[403], ...errorResponses },
      },
    },
    async (request) => ({ items: await listClosures(app.db, request.params.id) }),
  );

  app.post(
    '/services/:id/closures',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', serviceAlliance.resolve),
      schema: {
        tags: ['closures'],
        summary: 'Close a service from one day to another, or give it exceptional hours on those days (editors)',
        description:
          "Both days are included, in the region's calendar. Refused with 400 when a day does not exist, the end " +
          'comes before the start, the closure lasts more than 2 years, or the hours are not valid opening_hours.',
        params: IdParams,
        body: ClosureCreateBody,
        response: { 201: Closure, ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { startsOn, endsOn, openingHours = null, note = null } = request.body;
      const allianceId = await serviceAlliance.allianceId(request);
      const closure = await changeAs(app.db, await changeAuthor(request, allianceId), (trx) =>
        addClosure(trx, id, { startsOn, endsOn, openingHours, note }),
      );
      return reply.code(201).send(closure);
    },
  );

  app.patch(
    '/closures/:id',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', closureAlliance.resolve),
      schema: {
        tags: ['closures'],
        summary: 'Change a closure (send the version it was read at; 409 when changed since)',
        params: IdParams,
        body: ClosureUpdateBody,
        response: { 200: Closure, ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { version, ...changes } = request.body;
      if (Object.keys(changes).length === 0) return badRequest(reply, nothingToChange);
      const allianceId = await closureAlliance.allianceId(request);
      const outcome = await changeAs(app.db, await changeAuthor(request, allianceId), (trx) =>
        updateClosure(trx, id, version, changes),
      );
      if (outcome === 'missing') return notFound(reply, closureNotFound(id));
      if (outcome === 'stale') {
        return conflict(
          reply,
          await staleVersionMessage(app.db, { entityType: 'service_closure', entityId: id, noun: 'closure' }),
        );
      }
      return outcome;
    },
  );

  app.delete(
    '/closures/:id',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', closureAlliance.resolve),
      schema: {
        tags: ['closures'],
        summary: 'Delete a closure (it can be restored from the history)',
        params: IdParams,
        response: { 204: Type.Null(), ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const allianceId = await closureAlliance.allianceId(request);
      const deleted = await changeAs(app.db, await changeAuthor(request, allianceId), (trx) => deleteClosure(trx, id));
      if (!deleted) return notFound(reply, closureNotFound(id));
      return reply.code(204).send(null);
    },
  );
};
