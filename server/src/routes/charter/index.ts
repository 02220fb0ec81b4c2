import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  allianceOfSignature,
  createSignature,
  deleteSignature,
  findCharterTexts,
  findSignature,
  listSignatures,
  SignatureInputError,
} from '../../domain/alliance-documents/charterRepository.js';
import { charterTemplate } from '#contract/charter/charterTemplate.js';
import { changeAs } from '../../domain/history/actingAs.js';
import { ErrorResponse, errorResponses, IdParams, writeErrorResponses } from '../commonSchemas.js';
import { badRequest, notFound } from '../notFound.js';
import { allianceInPath, allianceOfRecordInPath, changeAuthor } from '../workspaceRouting.js';
import { AllianceParams, Charter, Signature, SignatureCreateBody } from './schemas.js';
import { codedFrom, said } from '../../domain/messages/userError.js';

const readErrorResponses = { ...errorResponses, 401: ErrorResponse, 403: ErrorResponse };
const signatureNotFound = (id: string) => said('not-found.charter-signature', { id });

/**
 * The vision, the charter of commitment and its signatures. The texts are changed with PATCH /api/alliances/:slug;
 * here they are read, with the signatures (their contacts are for members only) and the guide's template.
 */
export const charterRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const alliance = allianceInPath(app);
  const signatureAlliance = allianceOfRecordInPath((id) => allianceOfSignature(app.db, id), signatureNotFound);

  app.get(
    '/alliances/:idOrSlug/charter',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('read', alliance.resolve),
      schema: {
        tags: ['charter'],
        summary: "The alliance's vision and charter, its signatures with their contacts, and the guide's template",
        params: AllianceParams,
        response: { 200: Charter, ...readErrorResponses },
      },
    },
    async (request) => {
      const allianceId = await alliance.allianceId(request);
      const texts = (await findCharterTexts(app.db, allianceId))!;
      return { ...texts, signatures: await listSignatures(app.db, allianceId), template: charterTemplate };
    },
  );

  app.post(
    '/alliances/:idOrSlug/charter/signatures',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', alliance.resolve),
      schema: {
        tags: ['charter'],
        summary: 'Record a signature of the charter (dated today unless signedOn is sent)',
        params: AllianceParams,
        body: SignatureCreateBody,
        response: { 201: Signature, ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const signerName = request.body.signerName.trim();
      if (!signerName) return badRequest(reply, said('input.signer-required'));
      const allianceId = await alliance.allianceId(request);
      try {
        const id = await changeAs(app.db, await changeAuthor(request, allianceId), (trx) =>
          createSignature(trx, allianceId, { ...request.body, signerName }),
        );
        return reply.code(201).send((await findSignature(app.db, id))!);
      } catch (error) {
        if (error instanceof SignatureInputError) return badRequest(reply, codedFrom(error));
        throw error;
      }
    },
  );

  app.delete(
    '/charter-signatures/:id',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', signatureAlliance.resolve),
      schema: {
        tags: ['charter'],
        summary: 'Remove a signature (it can be restored from the history)',
        params: IdParams,
        response: { 204: Type.Null(), ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const allianceId = await signatureAlliance.allianceId(request);
      const deleted = await changeAs(app.db, await changeAuthor(request, allianceId), (trx) =>
        deleteSignature(trx, id),
      );
      if (!deleted) return notFound(reply, signatureNotFound(id));
      return reply.code(204).send(null);
    },
  );
};
