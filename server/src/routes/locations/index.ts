import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { changeAs } from '../../domain/history/actingAs.js';
import { staleVersionMessage } from '../../domain/history/staleVersion.js';
import {
  allianceOfLocation,
  createLocation,
  deleteLocation,
  findLocation,
  placesToPlace,
  updateLocation,
} from '../../domain/locations/locationRepository.js';
import { allianceOfOrganization } from '../../domain/organizations/organizationRepository.js';
import { ErrorResponse, errorResponses, IdParams, writeErrorResponses } from '../commonSchemas.js';
import { badRequest, nothingToChange, notFound } from '../notFound.js';
import { allianceInPath, allianceOfRecordInPath, changeAuthor, conflict } from '../workspaceRouting.js';
import { AllianceParams, LocationCreateBody, LocationDetail, LocationUpdateBody, PlacesToPlace } from './schemas.js';
import { type CodedMessage, said } from '../../domain/messages/userError.js';

const locationNotFound = (id: string) => said('not-found.location', { id });
const organizationNotFound = (id: string) => said('not-found.organization', { id });
const bothCoordinates = said('input.coordinates-together');

/** Why a place stays: the services offered only there, which would otherwise vanish from the map. */
function onlyPlaceMessage(serviceNames: string[]): CodedMessage {
  const quoted = serviceNames.map((name) => `“${name}”`);
  const services = serviceNames.join('\n');
  if (quoted.length === 1) return said('conflict.only-place', { service: quoted[0]!, services, count: 1 });
  const list = `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
  return said('conflict.only-place-of-several', { list, services, count: serviceNames.length });
}

/**
 * Changing where a service is offered: its address, its pin on the map, how precise it is, whether it is hidden;
 * and deleting a place that is wrong or closed.
 */
export const locationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const locationAlliance = allianceOfRecordInPath((id) => allianceOfLocation(app.db, id), locationNotFound);
  const organizationAlliance = allianceOfRecordInPath((id) => allianceOfOrganization(app.db, id), organizationNotFound);
  const alliance = allianceInPath(app);

  app.get(
    '/alliances/:idOrSlug/places-to-place',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('read', alliance.resolve),
      schema: {
        tags: ['locations'],
        summary: 'The places that need a precise place: not placed yet, at town level, or not found by an import',
        description:
          'Members of the alliance read it, with exact addresses. Not placed yet first, then by organisation. ' +
          'A place leaves the list when its pin is put (PATCH /api/locations/:id with lat, lon and precision exact).',
        params: AllianceParams,
        response: { 200: PlacesToPlace, ...errorResponses, 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (request) => ({ items: await placesToPlace(app.db, await alliance.allianceId(request)) }),
  );

  app.post(
    '/organizations/:id/locations',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', organizationAlliance.resolve),
      schema: {
        tags: ['locations'],
        summary: 'Give an organisation a new place (editors of its alliance)',
        description:
          'The place is in the country of the organisation’s alliance; a service is offered there once it is ' +
          'linked to it (locationIds of POST or PATCH /api/services). Without lat and lon it is not placed yet: ' +
          'no answer shows or measures it until its pin is put (PATCH /api/locations/:id with lat and lon).',
        params: IdParams,
        body: LocationCreateBody,
        response: { 201: LocationDetail, ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if ((request.body.lat === undefined) !== (request.body.lon === undefined)) {
        return badRequest(reply, bothCoordinates);
      }
      const allianceId = await organizationAlliance.allianceId(request);
      const locationId = await changeAs(app.db, await changeAuthor(request, allianceId), (trx) =>
        createLocation(trx, id, request.body),
      );
      // Deleted between the permission check and the insert.
      if (!locationId) return notFound(reply, organizationNotFound(id));
      return reply.code(201).send((await findLocation(app.db, locationId))!);
    },
  );

  app.patch(
    '/locations/:id',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', locationAlliance.resolve),
      schema: {
        tags: ['locations'],
        summary: 'Change a location (send the version it was read at; 409 when someone changed it since)',
        description: 'lat and lon move the pin together; every service offered there moves with it.',
        params: IdParams,
        body: LocationUpdateBody,
        response: { 200: LocationDetail, ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { version, ...changes } = request.body;
      if (Object.keys(changes).length === 0) return badRequest(reply, nothingToChange);
      if ((changes.lat === undefined) !== (changes.lon === undefined)) {
        return badRequest(reply, bothCoordinates);
      }
      const allianceId = await locationAlliance.allianceId(request);
      const outcome = await changeAs(app.db, await changeAuthor(request, allianceId), (trx) =>
        updateLocation(trx, id, version, changes),
      );
      if (outcome === 'missing') return notFound(reply, locationNotFound(id));
      if (outcome === 'stale') {
        return conflict(
          reply,
          await staleVersionMessage(app.db, { entityType: 'location', entityId: id, noun: 'location' }),
        );
      }
      return (await findLocation(app.db, id))!;
    },
  );

  app.delete(
    '/locations/:id',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', locationAlliance.resolve),
      schema: {
        tags: ['locations'],
        summary: 'Delete a place of an organisation (it can be restored from the history, with its links)',
        description:
          'The services offered there are no longer offered there; their other places stay. 409 when the place is ' +
          'the only one of a service: move the service elsewhere (locationIds of PATCH /api/services) or delete it ' +
          'first.',
        params: IdParams,
        response: { 204: Type.Null(), ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const allianceId = await locationAlliance.allianceId(request);
      const deletion = await changeAs(app.db, await changeAuthor(request, allianceId), (trx) =>
        deleteLocation(trx, id),
      );
      if (deletion.outcome === 'missing') return notFound(reply, locationNotFound(id));
      if (deletion.outcome === 'onlyPlace') return conflict(reply, onlyPlaceMessage(deletion.serviceNames));
      return reply.code(204).send(null);
    },
  );
};
