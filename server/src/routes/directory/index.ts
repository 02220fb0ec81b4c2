import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type BasemapTown, readBasemapTowns } from '../../domain/directory/basemapTowns.js';
import { checkDirectoryDay } from '../../domain/directory/directoryPeriod.js';
import { buildDirectory, findDirectoryAlliance } from '../../domain/directory/directoryRepository.js';
import { calendarDateAt } from '../../domain/schedules/wallClock.js';
import { errorResponses } from '../commonSchemas.js';
import { badRequest, notFound } from '../notFound.js';
import { Directory, DirectoryParams, DirectoryQuery } from './schemas.js';
import { said } from '../../domain/messages/userError.js';

/**
 * The newcomers' finder downloads a whole region and searches it on the phone,
 * so this route takes no position: nothing about where someone is ever reaches
 * the server.
 */
export const directoryRoutes: FastifyPluginAsyncTypebox<{ dataDir: string }> = async (app, { dataDir }) => {
  // The base map changes only with a new release of the data: read once.
  let towns: Promise<BasemapTown[]> | undefined;

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
      const today = calendarDateAt(new Date(), alliance.timezone);
      const day = request.query.from ?? today;
      const problem = checkDirectoryDay(day, today);
      if (problem) return badRequest(reply, problem);
      towns ??= readBasemapTowns(dataDir).catch((error: unknown) => {
        towns = undefined;
        throw error;
      });
      const directory = await buildDirectory(app.db, alliance, { towns: await towns, day });
      // Services change: the browser asks again each time, and the finder keeps its own offline copy.
      reply.header('cache-control', 'no-cache');
      return directory;
    },
  );
};
