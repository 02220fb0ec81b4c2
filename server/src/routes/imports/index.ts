import { randomUUID } from 'node:crypto';
import path from 'node:path';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { geocode, type GeocoderSettings } from '../../domain/geocoding/geocode.js';
import { PoliteGeocoder } from '../../domain/geocoding/politeGeocoder.js';
import { slicingFor } from '../../domain/gap-analysis/batchSizer.js';
import { ImportFileStore, UploadTooLarge } from '../../domain/imports/importFiles.js';
import {
  claimCommit,
  createImportJob,
  expireImports,
  findImportJob,
  type ImportChoices,
  type ImportJob,
  listImportJobs,
  recoverInterruptedImports,
  updateImportJob,
} from '../../domain/imports/importJobs.js';
import {
  commitImport,
  type ImportDependencies,
  importProgress,
  readImport,
  reevaluate,
  undoImport,
} from '../../domain/imports/importPipeline.js';
import {
  ImportFileError,
  type ImportFile,
  importFormats,
  type ImportFormat,
} from '../../domain/imports/importRecord.js';
import { listImportRows, recordDecisions, recordOverwrites } from '../../domain/imports/importRows.js';
import { openImportReader, type OpenImportReader } from '../../domain/imports/readerAdapter.js';
import { ErrorResponse, errorResponses } from '../commonSchemas.js';
import { badRequest, notFound } from '../notFound.js';
import { allianceInPath, changeAuthor, conflict } from '../workspaceRouting.js';
import { AllianceParams, Import, ImportList, ImportParams, Limits, PatchBody, RowPage, RowsQuery } from './schemas.js';
import { type CodedMessage, codedFrom, said } from '../../domain/messages/userError.js';
import { sendError } from '../../plugins/errors.js';

export interface ImportRoutesOptions {
  /** Where uploaded files are kept until their import is committed, discarded or expires. */
  importDir: string;
  /** The most an import may upload, all files together (IMPORT_MAX_BYTES). */
  maxBytes: number;
  geocoder: GeocoderSettings | undefined;
  /** The file readers; replaceable so that tests can give records built in the test. */
  openReader?: OpenImportReader;
}

/** A size in words: "60 MB", "1.5 MB", "800 kB". */
export function sizeInWords(bytes: number): string {
  if (bytes >= 1_000_000) return `${Number((bytes / 1_000_000).toFixed(1))} MB`;
  if (bytes >= 1000) return `${Number((bytes / 1000).toFixed(1))} kB`;
  return `${bytes} bytes`;
}

const importErrors = { ...errorResponses, 401: ErrorResponse, 403: ErrorResponse };

/** The import as the API shows it, with the progress of this process when it is reading or writing it. */
function importView(job: ImportJob) {
  const { choices: _choices, changeSet: _changeSet, accountId: _accountId, allianceId: _allianceId, ...view } = job;
  return { ...view, progress: importProgress(job.id) ?? job.progress };
}

function gone(reply: FastifyReply, message: CodedMessage) {
  return sendError(reply, 410, message);
}

/**
 * Imports of files into an alliance's directory (docs/imports-api.md): upload and preview, decisions, commit in
 * one transaction, undo. Reading and writing go on in the background; the client polls the import.
 */
export const importRoutes: FastifyPluginAsyncTypebox<ImportRoutesOptions> = async (app, options) => {
  const { maxBytes } = options;
  await app.register(multipart, { limits: { fileSize: maxBytes, files: 10, fields: 10, fieldSize: 1000 } });
  const alliance = allianceInPath(app);
  const store = new ImportFileStore(options.importDir);
  const geocoder = options.geocoder;
  const politeGeocoder = geocoder
    ? new PoliteGeocoder((query, bbox) => geocode(geocoder, query, bbox), {
        minIntervalMs: geocoder.minIntervalMs,
        // One import asks for its addresses one after another: only other searches could be waiting.
        maxWaiting: 50,
        cacheSize: 5000,
      })
    : undefined;
  const deps: ImportDependencies = {
    db: app.db,
    slicing: slicingFor(app.database.mode),
    openReader: options.openReader ?? openImportReader,
    files: store,
    findPlaces: politeGeocoder ? (query, bbox) => politeGeocoder.find(query, bbox) : undefined,
  };
  const tooLarge = said('import.files-too-large', { limit: sizeInWords(maxBytes), limitBytes: maxBytes });

  // Imports cut off by the last stop, and previews past their time, are tidied up beside the first requests rather
  // than before them: starting the application waits for no query (a busy database would hold it past its limit).
  app.addHook('onReady', async () => {
    app.runAfterAnswer('Tidying up imports at start', app.log, async () => {
      await recoverInterruptedImports(app.db);
      await expireAndClean();
    });
  });

  async function expireAndClean() {
    for (const id of await expireImports(app.db)) await store.remove(id);
  }

  /** The import of the path, expired first if its time is up; 404 when the alliance has none by that id. */
  async function importOr404(request: FastifyRequest, reply: FastifyReply): Promise<ImportJob | undefined> {
    const { id } = request.params as { id: string };
    const allianceId = await alliance.allianceId(request);
    let job = await findImportJob(app.db, allianceId, id);
    if (job && (job.status === 'preview' || job.status === 'reading') && Date.parse(job.expiresAt) <= Date.now()) {
      await expireAndClean();
      job = await findImportJob(app.db, allianceId, id);
    }
    if (!job) await notFound(reply, said('not-found.import', { id }));
    return job;
  }

  function startReading(request: FastifyRequest, job: ImportJob, reader?: Awaited<ReturnType<OpenImportReader>>) {
    app.runAfterAnswer('import reading', request.log, () =>
      readImport(
        deps,
        job.id,
        job.allianceId,
        (error) => request.log.error({ err: error }, 'import reading failed'),
        reader,
      ),
    );
  }

  app.get(
    '/imports/limits',
    {
      schema: {
        tags: ['imports'],
        operationId: 'getImportLimits',
        summary: 'The size limit of an import and the formats it reads',
        response: { 200: Limits },
      },
    },
    async () => ({ maxBytes, maxSize: sizeInWords(maxBytes), formats: [...importFormats] }),
  );

  app.post(
    '/alliances/:idOrSlug/imports',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', alliance.resolve),
      schema: {
        tags: ['imports'],
        operationId: 'startImport',
        summary: 'Upload files to import (multipart/form-data: `file` parts, optional `format` and `source`)',
        description:
          'Answers 202 with the import, status `reading`; the preview follows in the background (poll GET). ' +
          'All files together may weigh at most IMPORT_MAX_BYTES (GET /api/imports/limits); larger: 413. ' +
          'A file that is not of the announced format: 400; of a format no reader knows: 415.',
        params: AllianceParams,
        response: { 202: Import, ...importErrors, 413: ErrorResponse, 415: ErrorResponse },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) {
        return badRequest(reply, said('import.not-multipart'));
      }
      const allianceId = await alliance.allianceId(request);
      const folder = await store.newUploadFolder();
      const files: ImportFile[] = [];
      const fields: Record<string, string> = {};
      let total = 0;
      try {
        for await (const part of request.parts()) {
          if (part.type === 'field') {
            fields[part.fieldname] = String(part.value);
            continue;
          }
          if (part.fieldname !== 'file') {
            part.file.resume();
            continue;
          }
          const saved = await store.save(folder, files.length, path.basename(part.filename || 'file'), part.file);
          files.push(saved);
          total += part.file.bytesRead;
          if (total > maxBytes) throw new UploadTooLarge();
        }
      } catch (error) {
        await store.remove(folder);
        const code = (error as { code?: string }).code;
        // The multipart parser goes on reading the rest of the body and dropping it: the answer can go now.
        if (error instanceof UploadTooLarge || code === 'FST_REQ_FILE_TOO_LARGE') {
          return sendError(reply, 413, tooLarge);
        }
        if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
          return badRequest(reply, said('import.too-many-parts'));
        }
        throw error;
      }
      if (files.length === 0) {
        await store.remove(folder);
        return badRequest(reply, said('import.no-file'));
      }
      const format = fields.format;
      if (format !== undefined && !importFormats.includes(format as ImportFormat)) {
        await store.remove(folder);
        return badRequest(reply, said('import.unknown-format', { format, formats: importFormats.join(', ') }));
      }
      const sourceName = (fields.source ?? '').trim() || path.parse(files[0]!.name).name || 'Import';
      if (sourceName.length > 200) {
        await store.remove(folder);
        return badRequest(reply, said('import.source-too-long'));
      }
      const choices: ImportChoices = format ? { format: format as ImportFormat } : {};
      // The files move to the import's folder first: the readers read them from there, in the background too.
      const id = randomUUID();
      const adopted = await store.adopt(folder, id, files);
      let reader;
      try {
        reader = await deps.openReader(adopted, choices);
      } catch (error) {
        await store.remove(id);
        if (!(error instanceof ImportFileError)) throw error;
        return sendError(reply, error.statusCode, codedFrom(error));
      }
      await expireAndClean();
      await createImportJob(app.db, {
        id,
        allianceId,
        sourceName,
        accountId: (await request.actor())?.accountId ?? null,
        fileNames: files.map((file) => file.name),
        choices,
      });
      await updateImportJob(app.db, id, { format: reader.format });
      const job = (await findImportJob(app.db, allianceId, id))!;
      startReading(request, job, reader);
      return reply.code(202).send(importView(job));
    },
  );

  app.get(
    '/alliances/:idOrSlug/imports',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', alliance.resolve),
      schema: {
        tags: ['imports'],
        operationId: 'listImports',
        summary: 'The imports of an alliance, newest first',
        params: AllianceParams,
        response: { 200: ImportList, ...importErrors },
      },
    },
    async (request) => {
      const jobs = await listImportJobs(app.db, await alliance.allianceId(request));
      return { items: jobs.map(importView) };
    },
  );

  app.get(
    '/alliances/:idOrSlug/imports/:id',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', alliance.resolve),
      schema: {
        tags: ['imports'],
        operationId: 'getImport',
        summary: 'One import: status, progress, preview counts, report',
        params: ImportParams,
        response: { 200: Import, ...importErrors },
      },
    },
    async (request, reply) => {
      const job = await importOr404(request, reply);
      return job ? importView(job) : reply;
    },
  );

  app.get(
    '/alliances/:idOrSlug/imports/:id/rows',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', alliance.resolve),
      schema: {
        tags: ['imports'],
        operationId: 'listImportRows',
        summary: 'The records of a preview, a page at a time, optionally of one kind (problems, duplicates…)',
        params: ImportParams,
        querystring: RowsQuery,
        response: { 200: RowPage, ...importErrors },
      },
    },
    async (request, reply) => {
      const job = await importOr404(request, reply);
      if (!job) return reply;
      const { show, page, per_page: perPage } = request.query;
      const { total, rows } = await listImportRows(app.db, job.id, { show, page, perPage });
      return { total, page, perPage, rows };
    },
  );

  app.patch(
    '/alliances/:idOrSlug/imports/:id',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', alliance.resolve),
      schema: {
        tags: ['imports'],
        operationId: 'decideImport',
        summary: 'Choices in a preview: mappings, default category and cell edits (read again: 202), decisions (200)',
        params: ImportParams,
        body: PatchBody,
        response: { 200: Import, 202: Import, ...importErrors, 409: ErrorResponse, 410: ErrorResponse },
      },
    },
    async (request, reply) => {
      const job = await importOr404(request, reply);
      if (!job) return reply;
      if (job.status === 'expired') return gone(reply, said('import.expired'));
      if (job.status !== 'preview') return conflict(reply, said('import.not-preview', { status: job.status }));
      const body = request.body;
      const rereads =
        body.columnMapping !== undefined ||
        body.vocabularyMapping !== undefined ||
        body.defaultCategory !== undefined ||
        body.cellEdits !== undefined;
      if (rereads && (body.decisions || body.overwrite)) {
        return badRequest(reply, said('import.mappings-first'));
      }
      const choices: ImportChoices = {
        ...job.choices,
        ...(body.columnMapping !== undefined
          ? { columnMapping: { ...job.choices.columnMapping, ...body.columnMapping } }
          : {}),
        ...(body.vocabularyMapping !== undefined
          ? { vocabularyMapping: { ...job.choices.vocabularyMapping, ...body.vocabularyMapping } }
          : {}),
        ...(body.defaultCategory !== undefined ? { defaultCategory: body.defaultCategory } : {}),
        ...(body.cellEdits !== undefined ? { cellEdits: [...(job.choices.cellEdits ?? []), ...body.cellEdits] } : {}),
        ...(body.archiveGone !== undefined ? { archiveGone: body.archiveGone } : {}),
      };
      if (rereads) {
        const claimed = await updateImportJob(app.db, job.id, { status: 'reading', choices }, ['preview']);
        if (!claimed) return conflict(reply, said('import.changed-meanwhile'));
        startReading(request, job);
        return reply.code(202).send(importView((await findImportJob(app.db, job.allianceId, job.id))!));
      }
      const refused =
        (body.decisions && (await recordDecisions(app.db, job.id, body.decisions))) ||
        (body.overwrite && (await recordOverwrites(app.db, job.id, body.overwrite)));
      if (refused) return badRequest(reply, refused);
      await updateImportJob(app.db, job.id, { choices });
      if (body.decisions || body.overwrite) await reevaluate(app.db, { ...job, choices });
      return importView((await findImportJob(app.db, job.allianceId, job.id))!);
    },
  );

  app.post(
    '/alliances/:idOrSlug/imports/:id/commit',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', alliance.resolve),
      schema: {
        tags: ['imports'],
        operationId: 'commitImport',
        summary: 'Write the preview, in one transaction and one change set of the history (202; poll GET)',
        params: ImportParams,
        response: { 202: Import, ...importErrors, 409: ErrorResponse, 410: ErrorResponse },
      },
    },
    async (request, reply) => {
      const job = await importOr404(request, reply);
      if (!job) return reply;
      if (job.status === 'expired') {
        return gone(reply, said('import.expired-removed'));
      }
      if (job.status !== 'preview') {
        if (job.status === 'committed') return conflict(reply, said('import.already-committed'));
        if (job.status === 'committing') return conflict(reply, said('import.being-committed'));
        return conflict(reply, said('import.cannot-commit', { status: job.status }));
      }
      const claim = await claimCommit(app.db, job.id);
      if (!claim.claimed) {
        if (claim.busyWith) {
          return conflict(reply, said('import.other-committing', { id: claim.busyWith }));
        }
        const now = await findImportJob(app.db, job.allianceId, job.id);
        if (now && Date.parse(now.expiresAt) <= Date.now()) {
          return gone(reply, said('import.expired'));
        }
        return conflict(reply, said('import.cannot-commit', { status: now?.status ?? 'gone' }));
      }
      const author = await changeAuthor(request, job.allianceId);
      app.runAfterAnswer('import commit', request.log, () =>
        commitImport(deps, job, author, (error) => request.log.error({ err: error }, 'import commit failed')),
      );
      return reply.code(202).send(importView({ ...job, status: 'committing', error: null }));
    },
  );

  app.post(
    '/alliances/:idOrSlug/imports/:id/undo',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', alliance.resolve),
      schema: {
        tags: ['imports'],
        operationId: 'undoImport',
        summary: 'Undo a committed import: its records created are deleted, those changed get their values back',
        description: '409 naming a record changed by someone after the import; nothing is undone then.',
        params: ImportParams,
        response: { 200: Import, ...importErrors, 409: ErrorResponse },
      },
    },
    async (request, reply) => {
      const job = await importOr404(request, reply);
      if (!job) return reply;
      const result = await undoImport(app.db, job, await changeAuthor(request, job.allianceId));
      if (!result.undone) return conflict(reply, result.reason);
      return importView((await findImportJob(app.db, job.allianceId, job.id))!);
    },
  );

  app.delete(
    '/alliances/:idOrSlug/imports/:id',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', alliance.resolve),
      schema: {
        tags: ['imports'],
        operationId: 'discardImport',
        summary: 'Discard a preview: its staged records and files are removed',
        params: ImportParams,
        response: { 200: Import, ...importErrors, 409: ErrorResponse },
      },
    },
    async (request, reply) => {
      const job = await importOr404(request, reply);
      if (!job) return reply;
      const discarded = await updateImportJob(app.db, job.id, { status: 'discarded', progress: null }, [
        'preview',
        'failed',
      ]);
      if (!discarded) return conflict(reply, said('import.not-discardable', { status: job.status }));
      await app.db.deleteFrom('import_row').where('job_id', '=', job.id).execute();
      await store.remove(job.id);
      return importView((await findImportJob(app.db, job.allianceId, job.id))!);
    },
  );
};
