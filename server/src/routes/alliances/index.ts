import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { findAlliance, listAlliances } from '../../domain/alliances/allianceRepository.js';
import { errorResponses } from '../commonSchemas.js';
import { notFound } from '../notFound.js';
import { AllianceDetail, AllianceParams, AllianceSummary } from './schemas.js';
import { said } from '../../domain/messages/userError.js';

export const allianceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/alliances',
    {
      schema: {
        tags: ['alliances'],
        summary: 'Every alliance with its extent and counts',
        response: { 200: Type.Object({ items: Type.Array(AllianceSummary) }), ...errorResponses },
      },
    },
    async () => ({ items: await listAlliances(app.db) }),
  );

  app.get(
    '/alliances/:idOrSlug',
    {
      schema: {
        tags: ['alliances'],
        summary: 'One alliance, with its region boundary as GeoJSON',
        description:
          'The vision and charter are given to members of the alliance, and to everyone once the alliance has ' +
          'published its profile; until then they are null for anyone else.',
        params: AllianceParams,
        response: { 200: AllianceDetail, ...errorResponses },
      },
    },
    async (request, reply) => {
      const alliance = await findAlliance(app.db, request.params.idOrSlug);
      if (!alliance) return notFound(reply, said('not-found.alliance', { alliance: request.params.idOrSlug }));
      // The vision and charter are drafts until the alliance publishes its profile, as the profile itself is.
      if (alliance.profilePublished || (await request.can(alliance.id, 'read'))) return alliance;
      return { ...alliance, vision: null, charter: null };
    },
  );
};
