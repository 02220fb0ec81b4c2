import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../commonSchemas.js';

const FeatureCollection = Type.Object(
  { type: Type.Literal('FeatureCollection'), features: Type.Array(Type.Unknown()) },
  { additionalProperties: true },
);

/**
 * The layers of the built-in offline base map. The files are read once and
 * sent as they are: they change only with a new release of the data.
 */
export const basemapRoutes: FastifyPluginAsyncTypebox<{ dataDir: string }> = async (app, { dataDir }) => {
  const layers = ['countries', 'towns'] as const;
  const cache = new Map<string, string>();

  for (const layer of layers) {
    app.get(
      `/basemap/${layer}.geojson`,
      {
        schema: {
          tags: ['basemap'],
          summary:
            layer === 'countries' ? 'World countries for the offline base map' : 'Town labels for the offline base map',
          security: [],
          response: { 200: FeatureCollection, ...errorResponses },
        },
      },
      async (_request, reply) => {
        let body = cache.get(layer);
        if (body === undefined) {
          body = await fs.readFile(path.join(dataDir, 'basemap', `${layer}.geojson`), 'utf8');
          cache.set(layer, body);
        }
        // The file is already GeoJSON text: sent as it is, not parsed and serialised again.
        return reply
          .type('application/geo+json')
          .header('cache-control', 'public, max-age=86400')
          .serializer((payload: unknown) => payload as string)
          .send(body as unknown as { type: 'FeatureCollection'; features: unknown[] });
      },
    );
  }
};
