import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { describeRoute, finishDocument, securitySchemes } from './openapiDocument.js';
import { docsDirectives, policyText } from './securityHeaders.js';

/**
 * OpenAPI description of the API at /docs/json, browsable at /docs. What each operation says beyond its route
 * schema — operationId, who may call it, the errors its guards give, file media types — is derived from the
 * route (`openapiDocument.ts`), so that a new route needs nothing more than its schema.
 */
export const swaggerPlugin = fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Passerelle API',
          description:
            'Alliances, organisations and services for the inclusion of migrants and refugees. ' +
            'Reads are public, and answer an alliance’s members more (contact details, hidden addresses). ' +
            'Changes need someone signed in — the session cookie, with the session’s CSRF token in the ' +
            '`x-csrf-token` header — or an API token sent as `Authorization: Bearer <token>`; each operation ' +
            'says which role it needs.',
          version: '0.1.0',
          license: { name: 'GNU Affero General Public License v3.0 or later', identifier: 'AGPL-3.0-or-later' },
        },
        servers: [{ url: '/', description: 'The server this document is served by' }],
        components: { securitySchemes },
      },
      transform: describeRoute,
      transformObject: (document) => finishDocument('openapiObject' in document ? document.openapiObject : {}),
    });
    // swagger-ui's page needs a policy of its own (plugins/securityHeaders.ts); it replaces the pages' one there.
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: policyText(docsDirectives()) });
  },
  { name: 'swagger' },
);
