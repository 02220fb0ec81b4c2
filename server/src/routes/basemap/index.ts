import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { labelMinPopulation, worldTowns } from '../../domain/towns/worldTowns.js';
import { errorResponses } from '../commonSchemas.js';
import { badRequest } from '../notFound.js';
import { FilterError, parseBbox } from '../services/index.js';
import { TownBoxQuery, TownPoints } from './schemas.js';

const FeatureCollection = Type.Object(
  { type: Type.Literal('FeatureCollection'), features: Type.Array(Type.Unknown()) },
  { additionalProperties: true },
);

/**
 * The layers of the built-in offline base map: the countries, a file read once and sent as it is (it changes only
 * with a new release of the data), and the town labels of a box, from the worldwide town list.
 */
export const basemapRoutes: FastifyPluginAsyncTypebox<{ dataDir: string }> = async (app, { dataDir }) => {
  let countries: string | undefined;

  app.get(
    '/basemap/countries.geojson',
    {
      schema: {
        tags: ['basemap'],
        summary: 'World countries for the offline base map',
        security: [],
        response: { 200: FeatureCollection, ...errorResponses },
      },
    },
    async (_request, reply) => {
      countries ??= await fs.readFile(path.join(dataDir, 'basemap', 'countries.geojson'), 'utf8');
      // The file is already GeoJSON text: sent as it is, not parsed and serialised again.
      return reply
        .type('application/geo+json')
        .header('cache-control', 'public, max-age=86400')
        .serializer((payload: unknown) => payload as string)
        .send(countries as unknown as { type: 'FeatureCollection'; features: unknown[] });
    },
  );

  app.get(
    '/basemap/towns.geojson',
    {
      schema: {
        tags: ['basemap'],
        summary: 'Town labels of a box for the offline base map',
        description:
          'GeoNames towns (1,000 inhabitants or more, worldwide) in the box, biggest first, at most `limit`. The ' +
          'further out the zoom, the bigger a town must be: 1,000,000 inhabitants below zoom 4, 300,000 at 4, ' +
          '100,000 at 5, 30,000 at 6, 10,000 at 7, 3,000 at 8, every town from 9.',
        security: [],
        querystring: TownBoxQuery,
        response: { 200: TownPoints, ...errorResponses },
      },
    },
    async (request, reply) => {
      let box;
      try {
        box = parseBbox(request.query.bbox);
      } catch (error) {
        if (error instanceof FilterError) return badRequest(reply, error.message);
        throw error;
      }
      const towns = (await worldTowns()).inBox(box, {
        limit: request.query.limit,
        minPopulation: labelMinPopulation(request.query.zoom),
      });
      return reply
        .type('application/geo+json')
        .header('cache-control', 'public, max-age=86400')
        .send({
          type: 'FeatureCollection' as const,
          features: towns.map(({ name, population, country, lat, lon }) => ({
            type: 'Feature' as const,
            properties: { name, population, country },
            geometry: { type: 'Point' as const, coordinates: [lon, lat] as [number, number] },
          })),
        });
    },
  );
};
