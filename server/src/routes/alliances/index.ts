import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { findAlliance, listAlliances } from '../../domain/alliances/allianceRepository.js';
import { errorResponses } from '../commonSchemas.js';
import { notFound } from '../notFound.js';
import { AllianceDetail, AllianceParams, AllianceSummary } from './schemas.js';

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
        params: AllianceParams,
        response: { 200: AllianceDetail, ...errorResponses },
      },
    },
    async (request, reply) => {
      const alliance = await findAlliance(app.db, request.params.idOrSlug);
      if (!alliance) return notFound(reply, `There is no alliance "${request.params.idOrSlug}".`);
      return alliance;
    },
  );
};
