import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorResponse } from '../commonSchemas.js';

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Whether the API and its database answer',
        security: [],
        response: {
          200: Type.Object({ status: Type.Literal('ok'), database: Type.Enum(['embedded', 'server']) }),
          503: ErrorResponse,
        },
      },
    },
    async () => {
      await app.database.ping();
      return { status: 'ok' as const, database: app.database.mode };
    },
  );
};
