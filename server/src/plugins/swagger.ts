import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { refuseUnknownFields } from './requestValidation.js';
import { docsDirectives, policyText } from './securityHeaders.js';

/** OpenAPI description of the API at /docs/json, browsable at /docs. */
export const swaggerPlugin = fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Passerelle API',
          description:
            'Alliances, organisations and services for the inclusion of migrants and refugees. ' +
            'Reads are public; writes need the admin token until accounts arrive.',
          version: '0.1.0',
        },
        components: {
          securitySchemes: { adminToken: { type: 'http', scheme: 'bearer' } },
        },
      },
      // The description says what the validator does: a body's objects refuse fields they do not name.
      transform: ({ schema, url }) => ({
        schema: schema?.body ? { ...schema, body: refuseUnknownFields(schema.body) } : schema,
        url,
      }),
    });
    // swagger-ui's page needs a policy of its own (plugins/securityHeaders.ts); it replaces the pages' one there.
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: policyText(docsDirectives()) });
  },
  { name: 'swagger' },
);
