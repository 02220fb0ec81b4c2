import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { geocode, GeocoderFailure, type GeocoderSettings } from '../../domain/geocoding/geocode.js';
import { allianceBoundingBox } from '../../domain/geocoding/geocodingArea.js';
import { GeocoderBusy, PoliteGeocoder } from '../../domain/geocoding/politeGeocoder.js';
import { ErrorResponse, errorResponses } from '../commonSchemas.js';
import { badRequest, notFound } from '../notFound.js';
import { allianceInPath } from '../workspaceRouting.js';
import { GeocodeAnswer, GeocodeParams, GeocodeQuery, GeocoderStatus } from './schemas.js';
import { type CodedMessage, said } from '../../domain/messages/userError.js';
import { sendError } from '../../plugins/errors.js';

export interface GeocodingRoutesOptions {
  /** The operator's geocoder; undefined when GEOCODER_URL is not set. */
  geocoder: GeocoderSettings | undefined;
}

const failureMessages: Record<GeocoderFailure['reason'], CodedMessage> = {
  timeout: said('geocoder.timeout'),
  error: said('geocoder.failed'),
};

/**
 * Finding a place from its address, for an alliance's editors placing a pin. The search goes to the operator's
 * geocoder; the public finder never calls it, so that no newcomer's whereabouts leave the server.
 */
export const geocodingRoutes: FastifyPluginAsyncTypebox<GeocodingRoutesOptions> = async (app, { geocoder }) => {
  const alliance = allianceInPath(app);
  const politeGeocoder = geocoder
    ? new PoliteGeocoder((query, bbox) => geocode(geocoder, query, bbox), { minIntervalMs: geocoder.minIntervalMs })
    : undefined;

  app.get(
    '/geocoder',
    {
      schema: {
        tags: ['geocoding'],
        summary: 'Whether this server can find a place from its address (a geocoder is configured)',
        security: [],
        response: { 200: GeocoderStatus },
      },
    },
    async () => ({ configured: geocoder !== undefined }),
  );

  app.get(
    '/alliances/:idOrSlug/geocode',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', alliance.resolve),
      schema: {
        tags: ['geocoding'],
        summary: "Places matching an address, in the alliance's area (editors of the alliance)",
        description:
          'At most 5 places, inside the bounding box of the alliance’s boundary when it has one. 404 when the ' +
          'server has no geocoder; 502 when the geocoder does not answer in time or answers with an error; 503 when ' +
          'too many searches already wait for their turn (requests to the geocoder are spaced by ' +
          'GEOCODER_MIN_INTERVAL_MS, and a search made again within the hour is answered from memory).',
        params: GeocodeParams,
        querystring: GeocodeQuery,
        response: {
          200: GeocodeAnswer,
          ...errorResponses,
          401: ErrorResponse,
          403: ErrorResponse,
          502: ErrorResponse,
          503: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      if (!politeGeocoder) return notFound(reply, said('geocoder.none'));
      const query = request.query.q.trim();
      if (query === '') return badRequest(reply, said('geocoder.empty-query'));
      const bbox = await allianceBoundingBox(app.db, await alliance.allianceId(request));
      try {
        return { items: await politeGeocoder.find(query, bbox) };
      } catch (error) {
        if (error instanceof GeocoderBusy) {
          return sendError(reply.header('retry-after', '2'), 503, said('geocoder.busy'));
        }
        if (!(error instanceof GeocoderFailure)) throw error;
        // The query stays out of the log: it may be the address of a shelter or of a person.
        request.log.warn({ reason: error.reason, detail: error.message }, 'geocoder failed');
        return sendError(reply, 502, failureMessages[error.reason]);
      }
    },
  );
};
