import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { swotPrompts } from '../../domain/alliance-documents/swotPrompts.js';
import {
  allianceOfSwotItem,
  createSwotItem,
  deleteSwotItem,
  findSwotItem,
  listSwotItems,
  moveSwotItem,
  updateSwotItem,
} from '../../domain/alliance-documents/swotRepository.js';
import { changeAs } from '../../domain/history/actingAs.js';
import { staleVersionMessage } from '../../domain/history/staleVersion.js';
import { ErrorResponse, errorResponses, IdParams, writeErrorResponses } from '../commonSchemas.js';
import { badRequest, notFound } from '../notFound.js';
import { allianceInPath, allianceOfRecordInPath, changeAuthor, conflict } from '../workspaceRouting.js';
import {
  AllianceParams,
  SwotCreateBody,
  SwotItem,
  SwotItems,
  SwotList,
  SwotMoveBody,
  SwotUpdateBody,
} from './schemas.js';
import { said } from '../../domain/messages/userError.js';

const readErrorResponses = { ...errorResponses, 401: ErrorResponse, 403: ErrorResponse };
const itemNotFound = (id: string) => said('not-found.swot-item', { id });
const emptyText = said('input.swot-empty');

/** The alliance's SWOT analysis: members read it, editors write it. */
export const swotRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const alliance = allianceInPath(app);
  const itemAlliance = allianceOfRecordInPath((id) => allianceOfSwotItem(app.db, id), itemNotFound);

  app.get(
    '/alliances/:idOrSlug/swot',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('read', alliance.resolve),
      schema: {
        tags: ['SWOT'],
        summary: "The alliance's SWOT items by quadrant and position, with the guide's questions per quadrant",
        params: AllianceParams,
        response: { 200: SwotList, ...readErrorResponses },
      },
    },
    async (request) => ({
      items: await listSwotItems(app.db, await alliance.allianceId(request)),
      prompts: swotPrompts,
    }),
  );

  app.post(
    '/alliances/:idOrSlug/swot',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', alliance.resolve),
      schema: {
        tags: ['SWOT'],
        summary: 'Add a SWOT item (at the end of its quadrant unless a position is given)',
        params: AllianceParams,
        body: SwotCreateBody,
        response: { 201: SwotItem, ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const text = request.body.text.trim();
      if (!text) return badRequest(reply, emptyText);
      const allianceId = await alliance.allianceId(request);
      const id = await changeAs(app.db, await changeAuthor(request, allianceId), (trx) =>
        createSwotItem(trx, allianceId, { ...request.body, text }),
      );
      return reply.code(201).send((await findSwotItem(app.db, id))!);
    },
  );

  app.patch(
    '/swot/:id',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', itemAlliance.resolve),
      schema: {
        tags: ['SWOT'],
        summary: 'Change a SWOT item (send the version it was read at; 409 when someone changed it since)',
        params: IdParams,
        body: SwotUpdateBody,
        response: { 200: SwotItem, ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { version, ...changes } = request.body;
      const text = changes.text?.trim();
      if (text === '') return badRequest(reply, emptyText);
      const allianceId = await itemAlliance.allianceId(request);
      const outcome = await changeAs(app.db, await changeAuthor(request, allianceId), (trx) =>
        updateSwotItem(trx, id, version, { ...changes, text }),
      );
      if (outcome === 'missing') return notFound(reply, itemNotFound(id));
      if (outcome === 'stale') {
        return conflict(
          reply,
          await staleVersionMessage(app.db, { entityType: 'swot_item', entityId: id, noun: 'SWOT item' }),
        );
      }
      return (await findSwotItem(app.db, id))!;
    },
  );

  app.post(
    '/swot/:id/move',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', itemAlliance.resolve),
      schema: {
        tags: ['SWOT'],
        summary: 'Move a SWOT item one place up or down within its quadrant',
        description:
          'Send the version the item was read at; 409 when someone changed it since, or when it is already first ' +
          '(up) or last (down). Answers every item of the alliance, since the neighbour moved too.',
        params: IdParams,
        body: SwotMoveBody,
        response: { 200: SwotItems, ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { version, direction } = request.body;
      const allianceId = await itemAlliance.allianceId(request);
      const outcome = await changeAs(app.db, await changeAuthor(request, allianceId), (trx) =>
        moveSwotItem(trx, id, version, direction),
      );
      if (outcome === 'missing') return notFound(reply, itemNotFound(id));
      if (outcome === 'stale') {
        return conflict(
          reply,
          await staleVersionMessage(app.db, { entityType: 'swot_item', entityId: id, noun: 'SWOT item' }),
        );
      }
      if (outcome === 'at-edge') {
        return conflict(reply, direction === 'up' ? said('swot.already-first') : said('swot.already-last'));
      }
      return { items: await listSwotItems(app.db, allianceId) };
    },
  );

  app.delete(
    '/swot/:id',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', itemAlliance.resolve),
      schema: {
        tags: ['SWOT'],
        summary: 'Delete a SWOT item (it can be restored from the history)',
        params: IdParams,
        response: { 204: Type.Null(), ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const allianceId = await itemAlliance.allianceId(request);
      const deleted = await changeAs(app.db, await changeAuthor(request, allianceId), (trx) => deleteSwotItem(trx, id));
      if (!deleted) return notFound(reply, itemNotFound(id));
      return reply.code(204).send(null);
    },
  );
};
