import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** See docs/workspace-api.md. */
export const profileRoutes: FastifyPluginAsyncTypebox = async () => {};
