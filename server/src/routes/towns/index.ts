import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { resolveAllianceId } from '../../domain/alliances/allianceRepository.js';
import { allianceBoundingBox } from '../../domain/geocoding/geocodingArea.js';
import { foldTownName, type SearchOrigin, worldTowns } from '../../domain/towns/worldTowns.js';
import { errorResponses } from '../commonSchemas.js';
import { badRequest, notFound } from '../notFound.js';
import { TownSearchAnswer, TownSearchQuery } from './schemas.js';
import { said } from '../../domain/messages/userError.js';

/**
 * "Find a town" from the worldwide town list, held in this process: nothing leaves the server, so the finder may
 * send a point to it and the workspace may use it with no geocoder configured.
 */
export const townRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/towns',
    {
      schema: {
        tags: ['basemap'],
        summary: 'Towns whose name starts with a text, nearest first (GeoNames, worldwide)',
        description:
          'Towns of 1,000 inhabitants or more whose name starts with `q`, ignoring accents and case. With `alliance`, ' +
          'the towns in the box of its boundary come first; with `near`, those within 15 km of the point; then those ' +
          'within 50, 200 and 1,000 km, then the rest, each band biggest first. Neither: biggest first. The point is ' +
          'not logged.',
        security: [],
        querystring: TownSearchQuery,
        response: { 200: TownSearchAnswer, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { q, near, alliance, limit } = request.query;
      if (foldTownName(q) === '') return badRequest(reply, said('towns.no-letter'));
      if (near !== undefined && alliance !== undefined) {
        return badRequest(reply, said('towns.near-or-alliance'));
      }
      let origin: SearchOrigin | undefined;
      if (near !== undefined) {
        const [lat, lon] = near.split(',').map(Number) as [number, number];
        if (Math.abs(lat) > 90 || Math.abs(lon) > 180) {
          return badRequest(reply, said('towns.near-not-point', { near }));
        }
        origin = { point: { lat, lon } };
      } else if (alliance !== undefined) {
        const allianceId = await resolveAllianceId(app.db, alliance);
        if (!allianceId) return notFound(reply, said('not-found.alliance', { alliance }));
        const box = await allianceBoundingBox(app.db, allianceId);
        if (box) origin = { box };
      }
      return { items: (await worldTowns()).search(q, { limit, origin }) };
    },
  );
};
