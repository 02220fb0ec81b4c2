import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { said } from '../domain/messages/userError.js';
import { sendError } from './errors.js';

/** The settings the pages are told: an online style (`MAP_STYLE_URL`), or whether street tiles are served here. */
export interface PageConfig {
  mapStyleUrl?: string | undefined;
  basemapTiles?: string | undefined;
}

/**
 * The inline script that gives the pages the deployment's settings (`window.__PASSERELLE_CONFIG__`). The
 * Content-Security-Policy allows it by its hash (`plugins/securityHeaders.ts`), and no other inline script.
 */
export function pageConfigScript({ mapStyleUrl, basemapTiles }: PageConfig): string {
  const config = JSON.stringify({ mapStyleUrl: mapStyleUrl ?? null, streetTiles: Boolean(basemapTiles) }).replaceAll(
    '<',
    '\\u003c',
  );
  return `window.__PASSERELLE_CONFIG__=${config}`;
}

/**
 * Serves the built front end from the same process as the API, so the pages need no cross-origin request:
 * - `/find`, the newcomers' finder, which is also where `/` leads;
 * - `/map`, the alliance workspace (map, gap analysis, the alliance's own pages), whose router lives in the hash;
 * - `/alliances/<slug>`, an alliance's public profile (a page of the workspace);
 * - the built files, with the service worker (`/sw.js`) and manifest never cached by the browser itself.
 * Unknown non-API paths get the workspace; unknown API paths get a JSON 404.
 */
export const webAppPlugin = fp<{ webDistDir: string; pageConfig: PageConfig }>(
  async (app, { webDistDir, pageConfig }) => {
    const built = fs.existsSync(path.join(webDistDir, 'index.html'));
    if (built) {
      await app.register(fastifyStatic, {
        root: webDistDir,
        wildcard: false,
        index: false,
        setHeaders: (reply, filePath) => {
          const name = path.basename(filePath);
          if (filePath.includes(`${path.sep}assets${path.sep}`)) {
            // Built files carry a hash of their content in their name: they never change.
            reply.header('cache-control', 'public, max-age=31536000, immutable');
          } else if (name === 'sw.js' || name.endsWith('.webmanifest') || name.endsWith('.html')) {
            reply.header('cache-control', 'no-cache');
          }
          if (name.endsWith('.webmanifest')) reply.type('application/manifest+json');
        },
      });
    }
    const configScript = `<script>${pageConfigScript(pageConfig)}</script>`;
    const sendPage = async (reply: FastifyReply, page: 'index.html' | 'find.html') => {
      if (!built) {
        return reply
          .code(503)
          .type('text/plain; charset=utf-8')
          .send('The web front end has not been built yet: run "npm run build" (npm start does it for you).');
      }
      const html = await fs.promises.readFile(path.join(webDistDir, page), 'utf8');
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        .send(html.replace('</head>', `${configScript}</head>`));
    };

    app.get('/', { schema: { hide: true } }, (request, reply) => {
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      return reply.redirect(`/find${query}`, 302);
    });
    app.get('/find', { schema: { hide: true } }, (_request, reply) => sendPage(reply, 'find.html'));
    app.get('/map', { schema: { hide: true } }, (_request, reply) => sendPage(reply, 'index.html'));
    // An alliance's public profile has an address another territory can be given: /alliances/<slug>.
    app.get<{ Params: { slug: string } }>('/alliances/:slug', { schema: { hide: true } }, (request, reply) =>
      reply.redirect(`/map#/profile/${encodeURIComponent(request.params.slug)}`, 302),
    );
    app.setNotFoundHandler((request, reply) => {
      if (request.url.startsWith('/api/') || request.url === '/api' || request.method !== 'GET') {
        return sendError(
          reply,
          404,
          said('request.unknown-route', { method: request.method, path: request.url.split('?')[0]! }),
        );
      }
      return sendPage(reply, request.url.startsWith('/find/') ? 'find.html' : 'index.html');
    });
  },
  { name: 'web-app' },
);
