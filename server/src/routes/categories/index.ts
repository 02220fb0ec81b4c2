import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { audiences, categories, topics } from '#contract/taxonomy/categories.js';

const CategoryList = Type.Object({
  items: Type.Array(Type.Object({ id: Type.String(), label: Type.String(), color: Type.String() })),
  topics: Type.Array(Type.String()),
  audiences: Type.Array(Type.String()),
});

export const categoryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/categories',
    {
      schema: {
        tags: ['taxonomy'],
        summary: 'The three service categories, with the finer topics and audiences',
        security: [],
        response: { 200: CategoryList },
      },
    },
    async () => ({ items: [...categories], topics: [...topics], audiences: [...audiences] }),
  );
};
