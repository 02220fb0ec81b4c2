import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type BasemapTown, readBasemapTowns } from '../../domain/directory/basemapTowns.js';
import { checkDirectoryDay } from '../../domain/directory/directoryPeriod.js';
import { buildDirectory, findDirectoryAlliance } from '../../domain/directory/directoryRepository.js';
import { calendarDateAt } from '../../domain/schedules/wallClock.js';
import { errorResponses } from '../commonSchemas.js';
import { badRequest, notFound } from '../notFound.js';
import {
  Directory,
  DirectoryParams,
  DirectoryDetailsPack,
  DirectorySearchPack,
  DirectoryPartParams,
  DirectoryPartsIndex,
  DirectoryQuery,
  NotModified,
} from './schemas.js';
import { said } from '../../domain/messages/userError.js';
import { DirectoryPartsCache } from '../../domain/directory/directoryParts.js';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Whether the phone's copy (If-None-Match) is the one we hold. */
function isCurrent(request: FastifyRequest, etag: string): boolean {
  const asked = request.headers['if-none-match'];
  if (!asked) return false;
  return asked
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');
}

function withEtag(reply: FastifyReply, etag: string): void {
  reply.header('etag', etag);
  // Services change: the phone asks again each time, and a part it holds costs a 304.
  reply.header('cache-control', 'no-cache');
}

/**
 * The newcomers' finder downloads a whole region and searches it on the phone,
 * so this route takes no position: nothing about where someone is ever reaches
 * the server.
 */
export const directoryRoutes: FastifyPluginAsyncTypebox<{ dataDir: string; clock: () => Date }> = async (
  app,
  { dataDir, clock },
) => {
  // The base map changes only with a new release of the data: read once.
  let towns: Promise<BasemapTown[]> | undefined;
  const baseTowns = () =>
    (towns ??= readBasemapTowns(dataDir).catch((error: unknown) => {
      towns = undefined;
      throw error;
    }));
  const partsCache = new DirectoryPartsCache();

  app.get(
    '/alliances/:slug/directory',
    {
      schema: {
        tags: ['directory'],
        summary: "One alliance's public directory, for the newcomers' finder",
        description:
          'Every active service at each of its locations, with opening times worked out in the region for 8 days, ' +
          'and the towns a newcomer can choose as where they are. Takes no position.',
        params: DirectoryParams,
        querystring: DirectoryQuery,
        response: { 200: Directory, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { slug } = request.params;
      const alliance = await findDirectoryAlliance(app.db, slug);
      if (!alliance) return notFound(reply, said('not-found.alliance', { alliance: slug }));
      const today = calendarDateAt(clock(), alliance.timezone);
      const day = request.query.from ?? today;
      const problem = checkDirectoryDay(day, today);
      if (problem) return badRequest(reply, problem);
      const directory = await buildDirectory(app.db, alliance, { towns: await baseTowns(), day });
      // Services change: the browser asks again each time, and the finder keeps its own offline copy.
      reply.header('cache-control', 'no-cache');
      return directory;
    },
  );

  /** The alliance and first day a parts request names, or the answer already sent (404, 400). */
  async function partsFor(
    request: FastifyRequest<{ Params: { slug: string }; Querystring: { from?: string } }>,
    reply: FastifyReply,
  ) {
    const { slug } = request.params;
    const alliance = await findDirectoryAlliance(app.db, slug);
    if (!alliance) {
      await notFound(reply, said('not-found.alliance', { alliance: slug }));
      return null;
    }
    const today = calendarDateAt(clock(), alliance.timezone);
    const day = request.query.from ?? today;
    const problem = checkDirectoryDay(day, today);
    if (problem) {
      await badRequest(reply, problem);
      return null;
    }
    return partsCache.partsOf(app.db, alliance, { towns: await baseTowns(), day });
  }

  app.get(
    '/alliances/:slug/directory/parts',
    {
      schema: {
        tags: ['directory'],
        summary: "The list of an alliance's directory parts, for the newcomers' finder",
        description:
          'The compact directory: the region, its towns, the period of the opening times and the parts that hold ' +
          'its services, one per cell of a fixed grid of half-degree cells (tens of kilometres), each with its ETag. ' +
          'The finder fetches every part of the region, whatever the place the newcomer chose, so no request says ' +
          'where they are. Answers 304 to an If-None-Match naming the current ETag. Takes no position.',
        params: DirectoryParams,
        querystring: DirectoryQuery,
        response: { 200: DirectoryPartsIndex, 304: NotModified, ...errorResponses },
      },
    },
    async (request, reply) => {
      const parts = await partsFor(request, reply);
      if (!parts) return reply;
      withEtag(reply, parts.indexEtag);
      if (isCurrent(request, parts.indexEtag)) return reply.code(304).send(null);
      return parts.index;
    },
  );

  app.get(
    '/alliances/:slug/directory/parts/:part',
    {
      schema: {
        tags: ['directory'],
        summary: "One part's search pack: what the finder needs to find, rank and list the services of a cell",
        description:
          'The services of one cell of the region, in the compact layout, with only what matching, ordering, a ' +
          'result row, the open-now status and the map need (rows of values; repeated words and open intervals ' +
          'once each; no ids, no long texts). Answers 304 to an If-None-Match naming the current ETag.',
        params: DirectoryPartParams,
        querystring: DirectoryQuery,
        response: { 200: DirectorySearchPack, 304: NotModified, ...errorResponses },
      },
    },
    async (request, reply) => {
      const parts = await partsFor(request, reply);
      if (!parts) return reply;
      const ready = parts.parts.get(request.params.part);
      if (!ready) return notFound(reply, said('not-found.directory-part', { part: request.params.part }));
      withEtag(reply, ready.search.etag);
      if (isCurrent(request, ready.search.etag)) return reply.code(304).send(null);
      return ready.search.pack;
    },
  );

  app.get(
    '/alliances/:slug/directory/parts/:part/details',
    {
      schema: {
        tags: ['directory'],
        summary: "One part's details pack: what a service's card shows beyond its search pack",
        description:
          'Row for row with the search pack of the same cell: ids, descriptions, contacts, addresses, opening-hours ' +
          "texts, the other translations, closures' hours and notes. The finder fetches it when a card of the cell " +
          "opens, and every part's in the background for offline use. Answers 304 to an If-None-Match naming the " +
          'current ETag.',
        params: DirectoryPartParams,
        querystring: DirectoryQuery,
        response: { 200: DirectoryDetailsPack, 304: NotModified, ...errorResponses },
      },
    },
    async (request, reply) => {
      const parts = await partsFor(request, reply);
      if (!parts) return reply;
      const ready = parts.parts.get(request.params.part);
      if (!ready) return notFound(reply, said('not-found.directory-part', { part: request.params.part }));
      withEtag(reply, ready.details.etag);
      if (isCurrent(request, ready.details.etag)) return reply.code(304).send(null);
      return ready.details.pack;
    },
  );
};
