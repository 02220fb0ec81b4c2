import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

export interface SecurityHeadersOptions {
  /** The address people reach Passerelle at: https turns on HSTS and upgrades any http:// a page would load. */
  publicUrl?: string;
  /** An online MapLibre style: its site is the only other one the pages may fetch from and draw images of. */
  mapStyleUrl?: string;
  /** The inline scripts the pages carry (the deployment's settings): each is allowed by its hash, nothing else. */
  inlineScripts: string[];
}

type Directives = Record<string, string[]>;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** A year, the usual lifetime of Strict-Transport-Security once a site is served over HTTPS for good. */
const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * The pages' Content-Security-Policy: everything from this site only — the built scripts, styles, fonts, the API —
 * with what MapLibre GL needs besides: its worker (a file of this site, or a blob: URL where the browser makes one),
 * images it makes from data: and blob: URLs (icons, sprites, the printed report's map snapshots taken with
 * toDataURL). The service worker (`/sw.js`) is a worker of this site. An online base map (`MAP_STYLE_URL`) adds its
 * own site to what the pages may fetch and draw, and only then.
 */
export function pageDirectives({ publicUrl, mapStyleUrl, inlineScripts }: SecurityHeadersOptions): Directives {
  const mapSite = mapStyleUrl ? [new URL(mapStyleUrl).origin] : [];
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'object-src': ["'none'"],
    'script-src': ["'self'", ...inlineScripts.map(sha256)],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:', ...mapSite],
    'font-src': ["'self'"],
    'connect-src': ["'self'", ...mapSite],
    'worker-src': ["'self'", 'blob:'],
    'child-src': ["'self'", 'blob:'],
    'manifest-src': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    ...(publicUrl?.startsWith('https:') ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

/**
 * The OpenAPI page (`/docs`, swagger-ui) gets its own policy: its bundle adds <style> elements of its own, so
 * inline styles are allowed there (scripts still come from this site only), and its "Try it out" only calls this
 * API.
 */
export function docsDirectives(): Directives {
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'object-src': ["'none'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
}

/** A policy as the Content-Security-Policy header writes it. */
export function policyText(directives: Directives): string {
  return Object.entries(directives)
    .map(([name, values]) => [name, ...values].join(' '))
    .join('; ');
}

/**
 * The headers helmet would set with these options, worked out once: helmet's own Fastify plugin runs helmet
 * afresh on every request, parsing the policy again each time, which cost about a tenth of the JavaScript of a
 * near-me request (docs/benchmarks.md). Every header here is the same for every request.
 */
export function helmetHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}

/**
 * Security headers on every answer (helmet): the pages' Content-Security-Policy, `X-Frame-Options: DENY`
 * with `frame-ancestors 'none'` (no page of Passerelle inside another site's frame), `X-Content-Type-Options:
 * nosniff`, `Referrer-Policy: no-referrer` (the finder promises that what a newcomer looks for stays on the phone:
 * not even the address of a page goes to another site), and Strict-Transport-Security only when Passerelle is
 * reached over HTTPS — by `PUBLIC_URL`, or by the request itself (behind a trusted proxy) — never over plain
 * HTTP, where it would lock a local install out of its own address.
 */
export const securityHeadersPlugin = fp<SecurityHeadersOptions>(
  async (app, options) => {
    const headers = helmetHeaders({
      contentSecurityPolicy: { useDefaults: false, directives: pageDirectives(options) },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: false,
    });
    const withHsts = { ...headers, 'strict-transport-security': HSTS };
    const alwaysHttps = options.publicUrl?.startsWith('https:') === true;
    app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      reply.headers(alwaysHttps || request.protocol === 'https' ? withHsts : headers);
      done();
    });
  },
  { name: 'security-headers' },
);
