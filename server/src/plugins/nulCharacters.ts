import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { said } from '../domain/messages/userError.js';
import { sendError } from './errors.js';

/**
 * Where the first NUL character (U+0000) is in a value parsed from JSON, a query string or a path: the dotted
 * path of the text that holds it ('' for the value itself, a key's own path when the key holds it), or null when
 * there is none. Walks without recursion, so that no nesting depth can overflow the stack.
 */
export function nulCharacterAt(value: unknown): string | null {
  const pending: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (pending.length > 0) {
    const { value: current, path } = pending.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return path;
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    for (const [key, item] of Object.entries(current)) {
      const itemPath = path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) return itemPath;
      pending.push({ value: item, path: itemPath });
    }
  }
  return null;
}

const partNames = { params: 'path parameter', query: 'query parameter', body: 'field' } as const;

/**
 * PostgreSQL cannot store the NUL character in text (nor in jsonb), so a request carrying one — `\u0000` in
 * JSON, `%00` in a path or query string — would fail at the database with a 500. It is refused here, for every
 * route, before validation, with a 400 naming where it is.
 */
export const nulCharactersPlugin = fp(
  async (app) => {
    app.addHook('preValidation', async (request: FastifyRequest, reply: FastifyReply) => {
      for (const part of ['params', 'query', 'body'] as const) {
        const at = nulCharacterAt(request[part]);
        if (at === null) continue;
        const where = at === '' ? 'the request body' : `${partNames[part]} "${at}"`;
        const place = { params: 'params', query: 'querystring', body: 'body' }[part];
        return sendError(reply, 400, said('request.nul-character', { where, place, field: at }));
      }
    });
  },
  { name: 'nul-characters' },
);
