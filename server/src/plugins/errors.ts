import type { IncomingMessage } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type CodedMessage, type MessageParams, UserError, codedFrom, said } from '../domain/messages/userError.js';

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

const contextNames: Record<string, string> = {
  querystring: 'Query parameter',
  params: 'Path parameter',
  body: 'Field',
  headers: 'Header',
};

/** Turns a schema violation into a sentence a person can act on. */
export function describeValidationError(context: string | undefined, error: AjvError): string {
  const where = contextNames[context ?? ''] ?? 'Value';
  const field = fieldPath(error.instancePath);
  const subject = field ? `${where} "${field}"` : context === 'body' ? 'The request body' : where;
  switch (error.keyword) {
    case 'required':
      // A change of a versioned record must say which version it was made on (docs/workspace-api.md).
      if (error.params.missingProperty === 'version' && context === 'body') {
        return `${subject} is missing "version": send the version the record was read at, so that a change someone made since is not overwritten.`;
      }
      return `${subject} is missing "${String(error.params.missingProperty)}".`;
    case 'additionalProperties':
      return `${subject} has an unknown field "${String(error.params.additionalProperty)}".`;
    case 'enum':
      return `${subject} must be one of: ${(error.params.allowedValues as unknown[]).join(', ')}.`;
    case 'format':
      return error.params.format === 'uuid'
        ? `${subject} must be an id like 3f2b…-…, not something else.`
        : `${subject} must be a valid ${String(error.params.format)}.`;
    case 'maximum':
      return `${subject} must be at most ${String(error.params.limit)}.`;
    case 'minimum':
      return `${subject} must be at least ${String(error.params.limit)}.`;
    case 'exclusiveMinimum':
      return `${subject} must be more than ${String(error.params.limit)}.`;
    case 'type':
      return `${subject} must be ${/^[aeiou]/.test(String(error.params.type)) ? 'an' : 'a'} ${String(error.params.type)}.`;
    case 'minProperties':
      return `${subject} must contain at least one field to change.`;
    default:
      return `${subject} ${error.message ?? 'is not valid'}.`;
  }
}

function fieldPath(instancePath: string): string {
  return instancePath.replace(/^\//, '').replaceAll('/', '.');
}

/** Ajv's keywords as codes: `additionalProperties` → `additional-property`, `maxLength` → `max-length`. */
const keywordCodes: Record<string, string> = { additionalProperties: 'additional-property' };

/** Where a value is, as validation codes name it. */
const validationPlaces: Record<string, string> = {
  querystring: 'querystring',
  params: 'params',
  body: 'body',
  headers: 'headers',
};

/**
 * A schema violation as a code and parameters (`validation.<keyword>`): where (body, querystring, params,
 * headers), the field's dotted path ('' for the whole body), and what the keyword says (limit, allowed values,
 * format, type, the missing or unknown field), for a page to say it in its reader's language.
 */
export function codeValidationError(context: string | undefined, error: AjvError): CodedMessage {
  const keyword =
    keywordCodes[error.keyword] ?? error.keyword.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
  const field = fieldPath(error.instancePath);
  const params: MessageParams = { where: validationPlaces[context ?? ''] ?? 'value', field };
  const { missingProperty, additionalProperty, allowedValues, limit, format, type, pattern } = error.params;
  if (typeof missingProperty === 'string') {
    params.missing = missingProperty;
    params.field = field ? `${field}.${missingProperty}` : missingProperty;
  }
  if (typeof additionalProperty === 'string') params.unknown = additionalProperty;
  if (Array.isArray(allowedValues)) params.allowed = allowedValues.join(', ');
  if (typeof limit === 'number' || typeof limit === 'string') params.limit = limit;
  if (typeof format === 'string') params.format = format;
  if (typeof type === 'string') params.type = type;
  if (typeof pattern === 'string') params.pattern = pattern;
  return { code: `validation.${keyword}`, params, message: describeValidationError(context, error) };
}

/**
 * PostgreSQL's and Node's codes for a database that cannot serve: connection exceptions (class 08), the server
 * shutting down or starting (57P01–57P03), too many connections (53300), a session ended for sitting idle in a
 * transaction (25P03), and the socket errors of a network that failed.
 */
const unreachableDatabaseCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '25P03',
]);

/**
 * What `pg` and the embedded pool say when a connection is lost or never made: closed under a query, no free
 * connection in time, no answer in time (a partition), or a connection already given up.
 */
const unreachableDatabaseMessages =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|is not queryable|connect ECONNREFUSED|PGlite is closed|embedded database is closed/i;

/** Whether an error means the database cannot be reached (as opposed to a bad query). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (unreachableDatabaseCodes.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  return unreachableDatabaseMessages.test(error.message);
}

/** Whether the database gave up on a statement that ran longer than `statement_timeout` allows (57014). */
export function isDatabaseTimeout(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === '57014';
}

/** How much of a body over the limit is read and dropped before answering, and for how long, at most. */
const oversizedBodyDrain = { bytes: 64 * 1024 * 1024, ms: 30_000 };

/**
 * Reads the rest of a body over the limit and drops it. Fastify refuses such a body as soon as it knows (from
 * Content-Length, or once the limit is passed) and closes the connection after its answer; closing a connection
 * the client is still sending on makes the system reset it, and the client then reports a reset connection instead
 * of the 413. Waiting for the end of the body (within bounds, for a client that never stops) lets the answer arrive.
 */
export function dropRestOfBody(request: IncomingMessage): Promise<void> {
  if (request.complete || request.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let dropped = 0;
    const done = () => {
      clearTimeout(timer);
      request.off('data', onData).off('end', done).off('error', done).off('close', done);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > oversizedBodyDrain.bytes) done();
    };
    const timer = setTimeout(done, oversizedBodyDrain.ms);
    request.on('data', onData).once('end', done).once('error', done).once('close', done);
    // A decompressing stream may still be piped from the request: it would hold the body back.
    request.unpipe();
    request.resume();
  });
}

function send(reply: FastifyReply, statusCode: number, error: string, message: CodedMessage) {
  return reply.code(statusCode).send({ statusCode, error, ...message });
}

const statusNames: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** The body of an error answer: status, its name, code, parameters and English sentence. */
export function errorBody(statusCode: number, message: CodedMessage) {
  return { statusCode, error: statusNames[statusCode] ?? 'Error', ...message };
}

/** Answers with an error body (see errorBody). */
export function sendError(reply: FastifyReply, statusCode: number, message: CodedMessage) {
  return reply.code(statusCode).send(errorBody(statusCode, message));
}

/**
 * Every error leaves as JSON with a code, its parameters and a message a person understands; internals stay in
 * the log.
 */
export const errorsPlugin = fp(
  async (app) => {
    // An error body sent by a plugin without a code of its own (a rate limit, a static file's) still carries
    // one, so that a page can always say it in its reader's language.
    app.addHook('preSerialization', async (_request, reply, payload) => {
      if (reply.statusCode < 400 || !payload || typeof payload !== 'object') return payload;
      const body = payload as { message?: unknown; code?: unknown; params?: unknown };
      if (typeof body.message !== 'string' || typeof body.code === 'string') return payload;
      return { ...body, ...said('request.refused', { reason: body.message }), message: body.message };
    });
    app.setErrorHandler(async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      if (error instanceof UserError) return sendError(reply, error.statusCode, codedFrom(error));
      if (error.validation) {
        const messages = (error.validation as AjvError[]).map((item) =>
          codeValidationError(error.validationContext, item),
        );
        const message = [...new Set(messages.map((item) => item.message))].join(' ');
        return send(reply, 400, 'Bad Request', { ...messages[0]!, message });
      }
      switch (error.code) {
        case 'FST_ERR_CTP_INVALID_JSON_BODY':
        case 'FST_ERR_CTP_EMPTY_JSON_BODY':
          return send(reply, 400, 'Bad Request', said('request.invalid-json'));
        case 'FST_ERR_CTP_BODY_TOO_LARGE':
          await dropRestOfBody(request.raw);
          return send(
            reply,
            413,
            'Payload Too Large',
            said('request.too-large', { limitKiB: Math.round(app.initialConfig.bodyLimit! / 1024) }),
          );
        case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
          return send(reply, 415, 'Unsupported Media Type', said('request.unsupported-media-type'));
      }
      const databaseCode = (error as { code?: string }).code;
      if (isDatabaseUnavailable(error)) {
        request.log.error({ err: error }, 'database unavailable');
        return send(reply, 503, 'Service Unavailable', said('database.unreachable'));
      }
      if (isDatabaseTimeout(error)) {
        request.log.error({ err: error }, 'database statement timeout');
        return send(reply, 503, 'Service Unavailable', said('database.timeout'));
      }
      if (databaseCode === '23503') {
        return send(reply, 400, 'Bad Request', said('database.unknown-reference'));
      }
      if (databaseCode === '23505') {
        return send(reply, 409, 'Conflict', said('database.duplicate'));
      }
      // 22021/22P05: text the database cannot store (a NUL character), should one get past plugins/nulCharacters.ts.
      if (['23514', '22P02', 'XX000', '22021', '22P05'].includes(databaseCode ?? '')) {
        request.log.warn({ err: error }, 'rejected by the database');
        return send(reply, 400, 'Bad Request', said('database.refused-values'));
      }
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        return send(reply, error.statusCode, error.name === 'Error' ? 'Bad Request' : error.name, codedFrom(error));
      }
      request.log.error({ err: error }, 'unexpected error');
      return send(reply, 500, 'Internal Server Error', said('server.unexpected', { requestId: request.id }));
    });
  },
  { name: 'errors' },
);
