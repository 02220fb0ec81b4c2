import type { IncomingMessage } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

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
  const field = error.instancePath.replace(/^\//, '').replaceAll('/', '.');
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

function send(reply: FastifyReply, statusCode: number, error: string, message: string) {
  return reply.code(statusCode).send({ statusCode, error, message });
}

/** Every error leaves as JSON with a message a person understands; internals stay in the log. */
export const errorsPlugin = fp(
  async (app) => {
    app.setErrorHandler(async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      if (error.validation) {
        const messages = (error.validation as AjvError[]).map((item) =>
          describeValidationError(error.validationContext, item),
        );
        return send(reply, 400, 'Bad Request', [...new Set(messages)].join(' '));
      }
      switch (error.code) {
        case 'FST_ERR_CTP_INVALID_JSON_BODY':
        case 'FST_ERR_CTP_EMPTY_JSON_BODY':
          return send(reply, 400, 'Bad Request', 'The request body is not valid JSON.');
        case 'FST_ERR_CTP_BODY_TOO_LARGE':
          await dropRestOfBody(request.raw);
          return send(
            reply,
            413,
            'Payload Too Large',
            `The request body is too large: the limit is ${Math.round(app.initialConfig.bodyLimit! / 1024)} KiB.`,
          );
        case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
          return send(reply, 415, 'Unsupported Media Type', 'Send the request body as application/json.');
      }
      const databaseCode = (error as { code?: string }).code;
      if (isDatabaseUnavailable(error)) {
        request.log.error({ err: error }, 'database unavailable');
        return send(reply, 503, 'Service Unavailable', 'The database cannot be reached right now. Try again shortly.');
      }
      if (isDatabaseTimeout(error)) {
        request.log.error({ err: error }, 'database statement timeout');
        return send(reply, 503, 'Service Unavailable', 'The database took too long to answer. Try again shortly.');
      }
      if (databaseCode === '23503') {
        return send(reply, 400, 'Bad Request', 'The request refers to a record that does not exist.');
      }
      if (databaseCode === '23505') {
        return send(reply, 409, 'Conflict', 'A record with the same unique value already exists.');
      }
      // 22021/22P05: text the database cannot store (a NUL character), should one get past plugins/nulCharacters.ts.
      if (['23514', '22P02', 'XX000', '22021', '22P05'].includes(databaseCode ?? '')) {
        request.log.warn({ err: error }, 'rejected by the database');
        return send(reply, 400, 'Bad Request', 'The values sent are not acceptable.');
      }
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        return send(reply, error.statusCode, error.name === 'Error' ? 'Bad Request' : error.name, error.message);
      }
      request.log.error({ err: error }, 'unexpected error');
      return send(reply, 500, 'Internal Server Error', `Something went wrong on our side (request ${request.id}).`);
    });
  },
  { name: 'errors' },
);
