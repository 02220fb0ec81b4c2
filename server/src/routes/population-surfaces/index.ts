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
import {
  openPopulationFile,
  type PopulationFile,
  PopulationFileError,
} from '../../domain/population/populationFiles.js';
import {
  clipBoxOf,
  createSurface,
  findSurface,
  populationMarginM,
  PopulationSurfaceRequestError,
  removeActiveSurface,
  runSurfaceImport,
  surfacesOfAlliance,
} from '../../domain/population/populationSurfaces.js';
import { ErrorResponse, errorResponses, writeErrorResponses } from '../commonSchemas.js';
import { notFound } from '../notFound.js';
import { allianceInPath } from '../workspaceRouting.js';
import { AllianceParams, AllianceSurfaces, ImportBody, PopulationPreview, Surface, SurfaceParams } from './schemas.js';
import { type CodedMessage, said, UserError } from '../../domain/messages/userError.js';
import { answeringPersonErrors } from '../answeringPersonErrors.js';

/** Uploads not imported are removed after a day, when the alliance uploads again. */
const uploadLifetimeMs = 24 * 60 * 60 * 1000;

/**
 * Population surfaces: a file uploaded and previewed, then imported in the background into the alliance's demand
 * (domain/population), followed by its progress; the active surface shown and removed.
 */
export const populationSurfaceRoutes: FastifyPluginAsyncTypebox<{ uploadDir: string; maxBytes: number }> = async (
  app,
  { uploadDir, maxBytes },
) => {
  await app.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 5, fieldSize: 1000 } });
  const alliance = allianceInPath(app);
  const limit =
    maxBytes >= 1_000_000
      ? `${Math.round(maxBytes / 1_000_000).toLocaleString('en')} MB`
      : `${maxBytes.toLocaleString('en')} bytes`;

  const allianceDir = (allianceId: string) => path.join(uploadDir, allianceId);
  const uploadPath = (allianceId: string, uploadId: string) => path.join(allianceDir(allianceId), uploadId);

  async function removeOldUploads(allianceId: string): Promise<void> {
    const dir = allianceDir(allianceId);
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      const stat = await fs.stat(path.join(dir, name)).catch(() => undefined);
      if (stat && Date.now() - stat.mtimeMs > uploadLifetimeMs) await fs.rm(path.join(dir, name), { force: true });
    }
  }

  /** Writes the "file" part to disk as it arrives (never whole in memory); answers its id and name. */
  async function receiveUpload(
    request: FastifyRequest,
    allianceId: string,
  ): Promise<{ uploadId: string; fileName: string; fields: Record<string, string> }> {
    if (!request.isMultipart()) {
      throw new PopulationSurfaceUploadError(400, said('upload.not-multipart'));
    }
    await fs.mkdir(allianceDir(allianceId), { recursive: true });
    await removeOldUploads(allianceId);
    const uploadId = randomUUID();
    const target = uploadPath(allianceId, uploadId);
    const fields: Record<string, string> = {};
    let fileName: string | undefined;
    try {
      for await (const part of request.parts()) {
        if (part.type === 'field') {
          fields[part.fieldname] = String(part.value);
        } else if (part.fieldname !== 'file' || fileName !== undefined) {
          part.file.resume();
        } else {
          fileName = part.filename || 'The file';
          await pipeline(part.file, createWriteStream(target));
          if (part.file.truncated) throw Object.assign(new Error('too large'), { code: 'FST_REQ_FILE_TOO_LARGE' });
        }
      }
    } catch (error) {
      await fs.rm(target, { force: true });
      const code = (error as { code?: string }).code;
      if (code === 'FST_REQ_FILE_TOO_LARGE') {
        throw new PopulationSurfaceUploadError(413, said('upload.file-too-large', { limit, limitBytes: maxBytes }));
      }
      if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
        throw new PopulationSurfaceUploadError(400, said('upload.one-file'));
      }
      throw error;
    }
    if (fileName === undefined) throw new PopulationSurfaceUploadError(400, said('upload.no-file'));
    await fs.writeFile(`${target}.json`, JSON.stringify({ fileName }));
    return { uploadId, fileName, fields };
  }

  async function openUpload(
    allianceId: string,
    uploadId: string,
    populationField: string | undefined,
  ): Promise<{ file: PopulationFile; fileName: string; filePath: string; preview?: UploadPreview }> {
    const filePath = uploadPath(allianceId, uploadId);
    const meta = await fs.readFile(`${filePath}.json`, 'utf8').catch(() => undefined);
    if (!meta) {
      throw new PopulationSurfaceUploadError(400, said('population.upload-unknown'));
    }
    const { fileName, preview } = JSON.parse(meta) as { fileName: string; preview?: UploadPreview };
    return { file: await openPopulationFile(filePath, fileName, { populationField }), fileName, filePath, preview };
  }

  /** Maps what the person can fix to a 4xx; anything else is ours. */
  const answering = answeringPersonErrors(
    PopulationSurfaceUploadError,
    PopulationSurfaceRequestError,
    PopulationFileError,
  );

  app.post(
    '/alliances/:idOrSlug/population-surface/uploads',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', alliance.resolve),
      schema: {
        tags: ['gap analysis'],
        summary: 'Upload a population file and preview it before importing it (editors)',
        description:
          'multipart/form-data: a part `file` — a GeoTIFF (GHSL in World Mollweide, WorldPop in WGS 84, or another ' +
          'known system), a CSV of Kontur H3 population (`h3,population`) or of an INSEE grid (`idcar_200m`, `ind`), ' +
          'or census areas (GeoJSON, zipped Shapefile, GeoPackage) — and optionally `populationField`. Answers what ' +
          'the file is and what it holds within the box of the region and its margin; nothing is imported yet.',
        params: AllianceParams,
        consumes: ['multipart/form-data'],
        response: { 201: PopulationPreview, ...writeErrorResponses, 413: ErrorResponse },
      },
    },
    async (request, reply) => {
      const allianceId = await alliance.allianceId(request);
      return answering(reply, async () => {
        const box = await clipBoxOf(app.db, allianceId);
        if (!box) {
          throw new PopulationSurfaceRequestError(400, said('population.no-boundary'));
        }
        const { uploadId, fileName, fields } = await receiveUpload(request, allianceId);
        const populationField = fields.populationField?.trim() || undefined;
        let opened;
        try {
          opened = await openUpload(allianceId, uploadId, populationField);
        } catch (error) {
          await fs.rm(uploadPath(allianceId, uploadId), { force: true });
          await fs.rm(`${uploadPath(allianceId, uploadId)}.json`, { force: true });
          throw error;
        }
        const { file } = opened;
        let cellsRead = 0;
        let cellsFound = 0;
        let population = 0;
        const ready = file.description.format !== 'census_areas' || file.description.populationField !== null;
        if (ready) {
          for await (const batch of file.batches(box)) {
            cellsRead += batch.read;
            cellsFound += batch.points.length;
            population += batch.points.reduce((sum, point) => sum + point.population, 0);
          }
        }
        if (ready) {
          const preview: UploadPreview = { populationField: file.description.populationField, cellsFound };
          await fs.writeFile(`${uploadPath(allianceId, uploadId)}.json`, JSON.stringify({ fileName, preview }));
        }
        return reply.code(201).send({
          uploadId,
          fileName,
          ...file.description,
          cellsRead,
          cellsFound,
          population: ready ? population : null,
          marginM: populationMarginM,
        });
      });
    },
  );

  app.post(
    '/alliances/:idOrSlug/population-surface',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', alliance.resolve),
      schema: {
        tags: ['gap analysis'],
        summary: 'Import an uploaded population file as the alliance’s demand, in the background (editors)',
        description:
          'Reprojected to WGS 84 and clipped to the boundary and a 30 km margin; it replaces the active surface when ' +
          'it is complete, all at once. Follow it at /api/population-surfaces/{id}.',
        params: AllianceParams,
        body: ImportBody,
        response: { 202: Surface, ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const allianceId = await alliance.allianceId(request);
      const { uploadId, populationField } = request.body;
      return answering(reply, async () => {
        const { file, fileName, filePath, preview } = await openUpload(allianceId, uploadId, populationField);
        if (preview?.cellsFound === 0 && preview.populationField === file.description.populationField) {
          throw new PopulationFileError(
            said('population.nobody-in-region', { fileName, marginKm: populationMarginM / 1000 }),
          );
        }
        if (file.description.format === 'census_areas' && file.description.populationField === null) {
          throw new PopulationFileError(
            said('population.choose-field', {
              fileName,
              fields: file.description.numericFields.join(', ') || '(none)',
            }),
          );
        }
        const actor = await request.actor();
        const id = await createSurface(app.db, {
          allianceId,
          accountId: actor?.accountId ?? null,
          sourceName: request.body.sourceName?.trim() || fileName,
          description: file.description,
        });
        app.runAfterAnswer('population import', request.log, async () => {
          await runSurfaceImport(app.db, id, file, {
            slicing: slicingFor(app.database.mode),
            onUnexpectedError: (error) => request.log.error({ err: error, surfaceId: id }, 'population import failed'),
          });
          await fs.rm(filePath, { force: true });
          await fs.rm(`${filePath}.json`, { force: true });
        });
        return reply.code(202).send((await findSurface(app.db, id))!);
      });
    },
  );

  app.get(
    '/alliances/:idOrSlug/population-surface',
    {
      schema: {
        tags: ['gap analysis'],
        summary: 'The alliance’s active population surface, the import under way and the last that failed',
        params: AllianceParams,
        response: { 200: AllianceSurfaces, ...errorResponses },
      },
    },
    async (request, reply) => {
      const allianceId = await resolveAllianceId(app.db, request.params.idOrSlug);
      if (!allianceId) return notFound(reply, said('not-found.alliance', { alliance: request.params.idOrSlug }));
      return surfacesOfAlliance(app.db, allianceId);
    },
  );

  app.get(
    '/population-surfaces/:id',
    {
      schema: {
        tags: ['gap analysis'],
        summary: 'One population surface: its import’s progress, then what it holds',
        params: SurfaceParams,
        response: { 200: Surface, ...errorResponses },
      },
    },
    async (request, reply) =>
      (await findSurface(app.db, request.params.id)) ??
      notFound(reply, said('not-found.population-surface', { id: request.params.id })),
  );

  app.delete(
    '/alliances/:idOrSlug/population-surface',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', alliance.resolve),
      schema: {
        tags: ['gap analysis'],
        summary: 'Remove the active population surface: gap analyses count populated places again (editors)',
        params: AllianceParams,
        response: { 204: Type.Null(), ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const allianceId = await alliance.allianceId(request);
      if (!(await removeActiveSurface(app.db, allianceId, slicingFor(app.database.mode)))) {
        return notFound(reply, said('not-found.no-population-surface'));
      }
      return reply.code(204).send(null);
    },
  );
};

/** What the preview of an upload found, kept beside it: a file with nobody in the region is refused at once. */
interface UploadPreview {
  populationField: string | null;
  cellsFound: number;
}

/** An upload that cannot be used, with its status. */
class PopulationSurfaceUploadError extends UserError {
  constructor(
    override readonly statusCode: 400 | 413,
    message: CodedMessage,
  ) {
    super(statusCode, message);
  }
}
