import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';

/**
 * Serves the built front end at `/` from the same process as the API, so the
 * pages need no cross-origin request. Unknown non-API paths get index.html for
 * the client-side router; unknown API paths get a JSON 404.
 */
export const webAppPlugin = fp<{ webDistDir: string; mapStyleUrl?: string }>(
  async (app, { webDistDir, mapStyleUrl }) => {
    const indexFile = path.join(webDistDir, 'index.html');
    const built = fs.existsSync(indexFile);
    if (built) {
      await app.register(fastifyStatic, { root: webDistDir, wildcard: false, index: false });
    }
    const sendIndex = async (reply: import('fastify').FastifyReply) => {
      if (!built) {
        return reply
          .code(503)
          .type('text/plain; charset=utf-8')
          .send('The web front end has not been built yet: run "npm run build" (npm start does it for you).');
      }
      const html = await fs.promises.readFile(indexFile, 'utf8');
      const config = JSON.stringify({ mapStyleUrl: mapStyleUrl ?? null }).replaceAll('<', '\\u003c');
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        .send(html.replace('</head>', `<script>window.__PASSERELLE_CONFIG__=${config}</script></head>`));
    };
    app.get('/', { schema: { hide: true } }, (_request, reply) => sendIndex(reply));
    app.setNotFoundHandler((request, reply) => {
      if (request.url.startsWith('/api/') || request.url === '/api' || request.method !== 'GET') {
        return reply.code(404).send({
          statusCode: 404,
          error: 'Not Found',
          message: `There is no ${request.method} ${request.url.split('?')[0]} in this API. See /docs for what there is.`,
        });
      }
      return sendIndex(reply);
    });
  },
  { name: 'web-app' },
);
