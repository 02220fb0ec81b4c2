import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { resolveAllianceId } from '../../domain/alliances/allianceRepository.js';
import { slicingFor } from '../../domain/gap-analysis/batchSizer.js';
import { type CodedMessage, said, UserError } from '../../domain/messages/userError.js';
import { osmFormatOf, RoadNetworkFileError } from '../../domain/road-network/osmFiles.js';
import { defaultSpeeds } from '../../domain/road-network/profiles.js';
import {
  createNetwork,
  findNetwork,
  hasBoundary,
  networksOfAlliance,
  removeNetwork,
  roadNetworkMarginM,
  RoadNetworkRequestError,
  runNetworkImport,
  updateSpeeds,
} from '../../domain/road-network/roadNetworks.js';
import { answeringPersonErrors } from '../answeringPersonErrors.js';
import { ErrorResponse, errorResponses, writeErrorResponses } from '../commonSchemas.js';
import { notFound } from '../notFound.js';
import { allianceInPath } from '../workspaceRouting.js';
import { AllianceNetworks, AllianceParams, Network, NetworkParams, Speeds } from './schemas.js';

/**
 * Road networks: an OpenStreetMap extract uploaded and imported in the background (domain/road-network), followed
 * by its progress; the networks listed, one removed, the active one's speeds changed.
 */
export const roadNetworkRoutes: FastifyPluginAsyncTypebox<{ uploadDir: string; maxBytes: number }> = async (
  app,
  { uploadDir, maxBytes },
) => {
  await app.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 5, fieldSize: 1000 } });
  const alliance = allianceInPath(app);
  const limit =
    maxBytes >= 1_000_000
      ? `${Math.round(maxBytes / 1_000_000).toLocaleString('en')} MB`
      : `${maxBytes.toLocaleString('en')} bytes`;

  /** Writes the "file" part to disk as it arrives (never whole in memory). */
  async function receiveUpload(
    request: FastifyRequest,
    allianceId: string,
  ): Promise<{ filePath: string; fileName: string; fields: Record<string, string> }> {
    if (!request.isMultipart()) throw new RoadNetworkUploadError(400, said('upload.not-multipart'));
    const dir = path.join(uploadDir, allianceId);
    await fs.mkdir(dir, { recursive: true });
    const filePath = path.join(dir, randomUUID());
    const fields: Record<string, string> = {};
    let fileName: string | undefined;
    try {
      for await (const part of request.parts()) {
        if (part.type === 'field') {
          fields[part.fieldname] = String(part.value);
        } else if (part.fieldname !== 'file' || fileName !== undefined) {
          part.file.resume();
        } else {
          fileName = (part.filename || 'extract.osm.pbf').replaceAll('\u0000', '').slice(0, 300) || 'extract.osm.pbf';
          await pipeline(part.file, createWriteStream(filePath));
          if (part.file.truncated) throw Object.assign(new Error('too large'), { code: 'FST_REQ_FILE_TOO_LARGE' });
        }
      }
    } catch (error) {
      await fs.rm(filePath, { force: true });
      const code = (error as { code?: string }).code;
      if (code === 'FST_REQ_FILE_TOO_LARGE') {
        throw new RoadNetworkUploadError(413, said('upload.file-too-large', { limit, limitBytes: maxBytes }));
      }
      if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
        throw new RoadNetworkUploadError(400, said('upload.one-file'));
      }
      throw error;
    }
    if (fileName === undefined) throw new RoadNetworkUploadError(400, said('upload.no-file'));
    return { filePath, fileName, fields };
  }

  /** Maps what the person can fix to a 4xx; anything else is ours. */
  const answering = answeringPersonErrors(RoadNetworkUploadError, RoadNetworkRequestError, RoadNetworkFileError);

  app.post(
    '/alliances/:idOrSlug/road-networks',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', alliance.resolve),
      schema: {
        tags: ['travel times'],
        summary: 'Import an OpenStreetMap extract as the alliance’s road network, in the background (editors)',
        description:
          'multipart/form-data: a part `file` — an OpenStreetMap extract, `.osm.pbf` or `.osm` (OSM XML), covering ' +
          'the region and its 30 km margin — and optionally `sourceName`. The roads, paths and ferries within the ' +
          'region and the margin are kept; the network replaces the active one when it is complete, all at once. ' +
          'Follow it at GET /api/alliances/{idOrSlug}/road-networks/{id}.',
        params: AllianceParams,
        consumes: ['multipart/form-data'],
        response: { 202: Network, ...writeErrorResponses, 413: ErrorResponse },
      },
    },
    async (request, reply) => {
      const allianceId = await alliance.allianceId(request);
      return answering(reply, async () => {
        if (!(await hasBoundary(app.db, allianceId))) {
          throw new RoadNetworkRequestError(400, said('road-network.no-boundary'));
        }
        const { filePath, fileName, fields } = await receiveUpload(request, allianceId);
        let id: string;
        let format;
        try {
          format = await osmFormatOf(filePath, fileName);
          const actor = await request.actor();
          id = await createNetwork(app.db, {
            allianceId,
            accountId: actor?.accountId ?? null,
            sourceName: fields.sourceName?.replaceAll('\u0000', '').trim().slice(0, 300) || fileName,
          });
        } catch (error) {
          await fs.rm(filePath, { force: true });
          throw error;
        }
        // The answer is the network as recorded now, importing: a bad file may fail before it would be read again.
        const created = (await findNetwork(app.db, allianceId, id))!;
        app.runAfterAnswer('road network import', request.log, async () => {
          try {
            await runNetworkImport(
              app.db,
              id,
              { path: filePath, name: fileName, format },
              {
                slicing: slicingFor(app.database.mode),
                onUnexpectedError: (error) =>
                  request.log.error({ err: error, networkId: id }, 'road network import failed'),
              },
            );
          } finally {
            await fs.rm(filePath, { force: true });
          }
        });
        return reply.code(202).send(created);
      });
    },
  );

  app.get(
    '/alliances/:idOrSlug/road-networks',
    {
      schema: {
        tags: ['travel times'],
        summary:
          'The alliance’s road networks: the active one, an import under way, those that failed or were replaced',
        params: AllianceParams,
        response: { 200: AllianceNetworks, ...errorResponses },
      },
    },
    async (request, reply) => {
      const allianceId = await resolveAllianceId(app.db, request.params.idOrSlug);
      if (!allianceId) return notFound(reply, said('not-found.alliance', { alliance: request.params.idOrSlug }));
      return {
        networks: await networksOfAlliance(app.db, allianceId),
        defaultSpeeds: defaultSpeeds(),
        marginM: roadNetworkMarginM,
      };
    },
  );

  app.get(
    '/alliances/:idOrSlug/road-networks/:id',
    {
      schema: {
        tags: ['travel times'],
        summary: 'One road network: its import’s progress, then what it holds',
        params: NetworkParams,
        response: { 200: Network, ...errorResponses },
      },
    },
    async (request, reply) => {
      const allianceId = await resolveAllianceId(app.db, request.params.idOrSlug);
      if (!allianceId) return notFound(reply, said('not-found.alliance', { alliance: request.params.idOrSlug }));
      return (
        (await findNetwork(app.db, allianceId, request.params.id)) ??
        notFound(reply, said('not-found.road-network', { id: request.params.id }))
      );
    },
  );

  app.delete(
    '/alliances/:idOrSlug/road-networks/:id',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', alliance.resolve),
      schema: {
        tags: ['travel times'],
        summary: 'Remove a road network: analyses measure straight lines again when it was the active one (editors)',
        params: NetworkParams,
        response: { 204: Type.Null(), ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const allianceId = await alliance.allianceId(request);
      return answering(reply, async () => {
        if (!(await removeNetwork(app.db, allianceId, request.params.id, slicingFor(app.database.mode)))) {
          return notFound(reply, said('not-found.road-network', { id: request.params.id }));
        }
        return reply.code(204).send(null);
      });
    },
  );

  app.put(
    '/alliances/:idOrSlug/road-networks/:id/speeds',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', alliance.resolve),
      schema: {
        tags: ['travel times'],
        summary: 'Change the speeds of the active road network; every edge’s costs are recomputed at once (editors)',
        params: NetworkParams,
        body: Speeds,
        response: { 200: Network, ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const allianceId = await alliance.allianceId(request);
      return answering(reply, async () => {
        await updateSpeeds(app.db, allianceId, request.params.id, request.body);
        return (await findNetwork(app.db, allianceId, request.params.id))!;
      });
    },
  );
};

/** An upload that cannot be used, with its status. */
class RoadNetworkUploadError extends UserError {
  constructor(
    override readonly statusCode: 400 | 413,
    message: CodedMessage,
  ) {
    super(statusCode, message);
  }
}
