import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { changeAs } from '../../domain/history/actingAs.js';
import {
  allianceOfLoggedRecord,
  findChangeTarget,
  listAllianceChanges,
  listRecordChanges,
  listRestorableDeletions,
  type LoggedEntityType,
} from '../../domain/history/changeLog.js';
import { RestoreConflict, restoreChange } from '../../domain/history/restoreChange.js';
import { allianceOfLocation } from '../../domain/locations/locationRepository.js';
import { allianceOfOrganization } from '../../domain/organizations/organizationRepository.js';
import { allianceOfService } from '../../domain/services/serviceRepository.js';
import { ErrorResponse, errorResponses, writeErrorResponses } from '../commonSchemas.js';
import { allianceInPath, allianceResolver, changeAuthor, conflict } from '../workspaceRouting.js';
import { AllianceParams, ChangeList, ChangeParams, HistoryQuery, RecordParams, RestoreResult } from './schemas.js';
import { codedFrom, said } from '../../domain/messages/userError.js';
import { sendError } from '../../plugins/errors.js';

const readErrorResponses = { ...errorResponses, 401: ErrorResponse, 403: ErrorResponse };

/** The change log, read by the alliance's members and undone by its editors, one change at a time. */
export const historyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const alliance = allianceInPath(app);

  // A record with no logged change yet (loaded as demo data) still has an alliance, and an empty history.
  const currentAlliance: Partial<Record<LoggedEntityType, (id: string) => Promise<string | undefined>>> = {
    organization: (id) => allianceOfOrganization(app.db, id),
    service: (id) => allianceOfService(app.db, id),
    location: (id) => allianceOfLocation(app.db, id),
  };
  const recordAlliance = allianceResolver(async (request) => {
    const { entityType, entityId } = request.params as { entityType: LoggedEntityType; entityId: string };
    const allianceId =
      (await allianceOfLoggedRecord(app.db, entityType, entityId)) ?? (await currentAlliance[entityType]?.(entityId));
    return allianceId ? { allianceId } : { notFound: said('not-found.history', { entityType, id: entityId }) };
  });

  const changeAlliance = allianceResolver(async (request) => {
    const { changeId } = request.params as { changeId: string };
    const target = await findChangeTarget(app.db, changeId);
    return target ? { allianceId: target.allianceId } : { notFound: said('not-found.change', { id: changeId }) };
  });

  app.get(
    '/alliances/:idOrSlug/history',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('read', alliance.resolve),
      schema: {
        tags: ['history'],
        summary: "The alliance's changes, newest first: who changed what, when, from what to what",
        params: AllianceParams,
        querystring: HistoryQuery,
        response: { 200: ChangeList, ...readErrorResponses },
      },
    },
    async (request) => ({
      items: await listAllianceChanges(app.db, await alliance.allianceId(request), request.query),
    }),
  );

  app.get(
    '/history/:entityType/:entityId',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('read', recordAlliance.resolve),
      schema: {
        tags: ['history'],
        summary: "One record's changes, newest first (a service's include its locations and opening hours)",
        params: RecordParams,
        querystring: HistoryQuery,
        response: { 200: ChangeList, ...readErrorResponses },
      },
    },
    async (request) => {
      const { entityType, entityId } = request.params;
      const allianceId = await recordAlliance.allianceId(request);
      return { items: await listRecordChanges(app.db, { entityType, entityId, allianceId }, request.query) };
    },
  );

  app.get(
    '/alliances/:idOrSlug/deleted',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('read', alliance.resolve),
      schema: {
        tags: ['history'],
        summary: 'The deletions that can be undone, newest first',
        params: AllianceParams,
        querystring: HistoryQuery,
        response: { 200: ChangeList, ...readErrorResponses },
      },
    },
    async (request) => ({
      items: await listRestorableDeletions(app.db, await alliance.allianceId(request), request.query),
    }),
  );

  app.post(
    '/history/:changeId/restore',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', changeAlliance.resolve),
      schema: {
        tags: ['history'],
        summary: 'Undo a change: an update goes back to the old values, a deletion comes back, a creation goes',
        description:
          'A deletion comes back with what was deleted with it (an organisation with its locations and ' +
          'services). 409 when it cannot be done, e.g. when the organisation of a deleted service is gone.',
        params: ChangeParams,
        response: { 200: RestoreResult, ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const { changeId } = request.params;
      const allianceId = await changeAlliance.allianceId(request);
      const target = await findChangeTarget(app.db, changeId);
      // The alliance's own settings are the coordinator's: restoring them is changing them.
      if (target?.entityType === 'alliance' && !(await request.can(allianceId, 'manage'))) {
        return sendError(reply, 403, said('auth.coordinator-only-restore'));
      }
      try {
        return await changeAs(app.db, await changeAuthor(request, allianceId), (trx) => restoreChange(trx, changeId));
      } catch (error) {
        if (error instanceof RestoreConflict) return conflict(reply, codedFrom(error));
        throw error;
      }
    },
  );
};
