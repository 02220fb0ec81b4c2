import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { demandSourceOf } from '../../domain/gap-analysis/demandSource.js';
import { said } from '../../domain/messages/userError.js';
import { isochroneWidthMetres, isochrones } from '../../domain/travel-time/isochrones.js';
import { activeNetworkOf } from '../../domain/travel-time/travelTimes.js';
import { ErrorResponse, errorResponses } from '../commonSchemas.js';
import { notFound } from '../notFound.js';
import { allianceInPath } from '../workspaceRouting.js';
import { AllianceParams, IsochroneCollection, IsochroneQuery } from './schemas.js';

const readErrorResponses = { ...errorResponses, 401: ErrorResponse, 403: ErrorResponse };

/** Travel times over the alliance's road network (domain/travel-time): the isochrones of a point. */
export const travelTimeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const alliance = allianceInPath(app);

  app.get(
    '/alliances/:idOrSlug/isochrones',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('read', alliance.resolve),
      schema: {
        tags: ['gap analysis'],
        summary: 'What is reachable from a point within 10, 20 and 30 minutes, and how many people live there',
        description:
          'Members of the alliance. Over its active road network: the streets reached from the point (whole, or the ' +
          'part reached of a street left midway) buffered by `widthMetres`, one polygon per limit, with the ' +
          'alliance’s people inside. 404 `not-found.no-road-network` when the alliance has imported none.',
        params: AllianceParams,
        querystring: IsochroneQuery,
        response: { 200: IsochroneCollection, ...readErrorResponses },
      },
    },
    async (request, reply) => {
      const allianceId = await alliance.allianceId(request);
      const { lon, lat, profile } = request.query;
      const minutes = (request.query.minutes ?? '10,20,30').split(',').map(Number);
      const network = await activeNetworkOf(app.db, allianceId);
      if (!network) return notFound(reply, said('not-found.no-road-network', {}));
      const demand = await demandSourceOf(app.db, allianceId);
      const answer = await isochrones(app.database, {
        networkId: network.id,
        profile,
        point: { lon, lat },
        minutes,
        demand,
      });
      return {
        type: 'FeatureCollection' as const,
        features: answer.isochrones.map((iso) => ({
          type: 'Feature' as const,
          geometry: iso.geometry,
          properties: { minutes: iso.minutes, population: iso.population },
        })),
        profile,
        network: { id: network.id, sourceName: network.sourceName, importedAt: network.importedAt.toISOString() },
        offNetwork: answer.offNetwork,
        accessSeconds: answer.accessSeconds,
        walkSeconds: answer.walkSeconds,
        widthMetres: isochroneWidthMetres,
        populationSource:
          demand.kind === 'surface'
            ? { kind: 'surface' as const, name: demand.sourceName }
            : { kind: 'places' as const },
      };
    },
  );
};
