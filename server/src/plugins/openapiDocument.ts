import type { FastifySchema, RouteOptions } from 'fastify';
import { ErrorResponse } from '../routes/commonSchemas.js';
import { CSRF_HEADER, roleNames, routeAccess, type RouteAccess, SESSION_COOKIE } from './auth.js';
import { refuseUnknownFields } from './requestValidation.js';

/**
 * How a caller proves who they are, as the OpenAPI document names it: the session cookie a person gets by
 * signing in (whose changes also carry the session's CSRF token) and the API token scripts send.
 */
export const securitySchemes = {
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: 'The HTTP-only session cookie set by `POST /api/auth/login`.',
  },
  csrfToken: {
    type: 'apiKey',
    in: 'header',
    name: CSRF_HEADER,
    description:
      'The session’s CSRF token (`csrfToken` in the sign-in answer and in `GET /api/auth/me`), which every change ' +
      'made with the session cookie must carry.',
  },
  apiToken: {
    type: 'http',
    scheme: 'bearer',
    description:
      'An API token, sent as `Authorization: Bearer <token>`, for scripts; it acts for the account it belongs to ' +
      'and needs no CSRF token.',
  },
} as const;

type SecurityRequirement = Record<string, string[]>;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The ways to call a route of `method` as someone: a session (with its CSRF token for changes) or a token. */
function signedInRequirements(method: string): SecurityRequirement[] {
  const session: SecurityRequirement = SAFE_METHODS.has(method) ? { session: [] } : { session: [], csrfToken: [] };
  return [session, { apiToken: [] }];
}

/**
 * Who may call a route. A guarded route needs the session or a token; any other route may be called by
 * anyone (`{}`), and many answer a signed-in member more (contact fields, hidden addresses), so the document
 * names the same two ways as optional.
 */
export function securityFor(access: RouteAccess, method: string): SecurityRequirement[] {
  const requirements = signedInRequirements(method);
  return access.kind === 'public' ? [{}, ...requirements] : requirements;
}

/** The sentence the operation's description gains about who may call it, or null for a public route. */
export function accessSentence(access: RouteAccess): string | null {
  switch (access.kind) {
    case 'public':
      return null;
    case 'signed-in':
      return 'Needs someone signed in, or an API token.';
    case 'admin':
      return 'Needs a platform admin (signed in, or an API token).';
    case 'permission':
      return `Needs ${roleNames[access.permission]} (signed in, or an API token).`;
  }
}

function pascalCase(words: string): string {
  return words
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

/**
 * A stable operationId from the method and the path, for a route that names none:
 * `GET /api/alliances/:idOrSlug/gap-analyses` → `getAlliancesByIdOrSlugGapAnalyses`,
 * `GET /api/gap-analyses/:id/results.csv` → `getGapAnalysesByIdResultsCsv`.
 * Method and path are unique together, and so is the name.
 */
export function operationIdFor(method: string, url: string): string {
  const segments = url
    .split('/')
    .filter((segment) => segment !== '' && segment !== 'api')
    .map((segment) => (segment.startsWith(':') ? `By${pascalCase(segment.slice(1))}` : pascalCase(segment)));
  return method.toLowerCase() + segments.join('');
}

/** What an error answer means, by status, for the document (every error has the ErrorResponse shape). */
const errorDescriptions: Record<string, string> = {
  400: 'The request is not valid; the message says why.',
  401: 'Nobody is signed in, or the API token is not valid.',
  403: 'The caller may not do this (their role, or a change without the CSRF token); the message says why.',
  404: 'There is no such record, or it is not visible to the caller.',
  409: 'The record changed since it was read, or the change conflicts with another record; the message says how.',
  410: 'The link or preview has expired.',
  413: 'The request body is larger than this server accepts.',
  415: 'The request body is not of a media type this route reads.',
  429: 'Too many attempts; the message says when to try again.',
  502: 'The service this route relies on (the geocoder) did not answer well.',
  503: 'The database cannot be reached right now, or took too long to answer.',
};

/**
 * The error answers a route gives whatever it declares: any route refuses a path or query string holding a NUL
 * character (400, plugins/nulCharacters.ts), a guarded route refuses an anonymous caller (401), one that needs a
 * role or an admin refuses the others (403), and one that needs a role in an alliance answers 404 when the
 * alliance or record is not found.
 */
function guardAnswers(access: RouteAccess): number[] {
  switch (access.kind) {
    case 'public':
      return [400];
    case 'signed-in':
      return [400, 401];
    case 'admin':
      return [400, 401, 403];
    case 'permission':
      return [400, 401, 403, 404];
  }
}

function isErrorStatus(status: string): boolean {
  return /^[45]/.test(status);
}

/** A route's responses with every answer its guards give, and a description for each error answer. */
function withErrorAnswers(response: unknown, access: RouteAccess): Record<string, unknown> {
  const responses = { ...(response as Record<string, unknown> | undefined) };
  for (const status of guardAnswers(access)) responses[status] ??= ErrorResponse;
  // The copies differ by their description, so they must not claim ErrorResponse's $id.
  const { $id: _id, ...errorShape } = ErrorResponse as typeof ErrorResponse & { $id: string; description: string };
  for (const [status, schema] of Object.entries(responses)) {
    if (schema === ErrorResponse && isErrorStatus(status)) {
      responses[status] = { ...errorShape, description: errorDescriptions[status] ?? errorShape.description };
    }
  }
  return responses;
}

function joinParagraphs(...paragraphs: (string | null | undefined)[]): string | undefined {
  const present = paragraphs.filter((paragraph): paragraph is string => !!paragraph);
  return present.length > 0 ? present.join('\n\n') : undefined;
}

type RouteSchema = FastifySchema & {
  hide?: boolean;
  operationId?: string;
  description?: string;
  security?: SecurityRequirement[];
};

/**
 * What @fastify/swagger documents for one route (its `transform`), derived from the route itself so that a new
 * route is documented in full without naming anything: an operationId from method and path, who may call it
 * from its guards (security requirements, a sentence, the 401/403/404 it gives), the body closed to unknown
 * fields as the validator closes it, and no trailing slash in the path. What a route's schema names itself
 * (`operationId`, `security`) is kept.
 */
export function describeRoute({ schema, url, route }: { schema: FastifySchema; url: string; route: RouteOptions }): {
  schema: FastifySchema;
  url: string;
} {
  // A route without a schema is documented too (and the lint then asks for its answers).
  const routeSchema = (schema ?? {}) as RouteSchema;
  if (routeSchema.hide) return { schema, url };
  const method = [route.method].flat()[0]!;
  const path = url.length > 1 ? url.replace(/\/+$/, '') : url;
  const access = routeAccess(route);
  return {
    url: path,
    schema: {
      ...routeSchema,
      operationId: routeSchema.operationId ?? operationIdFor(method, path),
      security: routeSchema.security ?? securityFor(access, method),
      description: joinParagraphs(routeSchema.description, accessSentence(access)),
      ...(routeSchema.body ? { body: refuseUnknownFields(routeSchema.body) } : {}),
      response: withErrorAnswers(routeSchema.response, access),
    },
  };
}

type Json = Record<string, unknown>;

function isJsonObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keywords whose value is a map from names to schemas, one schema, or a list of schemas (JSON Schema 2020-12). */
const schemaMaps = ['properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions'];
const schemaValues = ['items', 'additionalItems', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains'];
const schemaLists = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];

/** Every schema inside `schema`, itself first; data keywords (enum, examples, default) are not entered. */
function* subschemas(schema: unknown): Generator<Json> {
  if (!isJsonObject(schema)) return;
  yield schema;
  for (const key of schemaMaps) {
    if (isJsonObject(schema[key])) for (const item of Object.values(schema[key])) yield* subschemas(item);
  }
  for (const key of [...schemaValues, ...schemaLists]) {
    const value = schema[key];
    // `items` is a list in a draft-07 tuple.
    if (Array.isArray(value)) for (const item of value) yield* subschemas(item);
    else yield* subschemas(value);
  }
}

/**
 * Writes a tuple as OpenAPI 3.1 (JSON Schema 2020-12) does: TypeBox writes `Type.Tuple` the draft-07 way
 * (`items` as a list, `additionalItems: false`), which 3.1 no longer reads; the positions move to `prefixItems`
 * and a closed tuple gets `items: false` and its length as `maxItems`.
 */
function writeTupleAsPrefixItems(schema: Json): void {
  if (!Array.isArray(schema.items)) return;
  const positions = schema.items;
  schema.prefixItems = positions;
  delete schema.items;
  if (schema.additionalItems === false) {
    schema.items = false;
    schema.maxItems ??= positions.length;
  } else if (isJsonObject(schema.additionalItems)) {
    schema.items = schema.additionalItems;
  }
  delete schema.additionalItems;
}

/** The media type of an answer whose path ends in a file extension: `…/results.csv` is CSV, not JSON. */
export const fileMediaTypes: Record<string, string> = {
  csv: 'text/csv',
  geojson: 'application/geo+json',
  zip: 'application/zip',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

function fileMediaTypeOf(path: string): string | undefined {
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return extension ? fileMediaTypes[extension] : undefined;
}

/**
 * Gives a file answer (2xx) its real media type where the document says JSON by default (or nothing, when the
 * route declared no schema for it): @fastify/swagger cannot know what `reply.type()` a handler sets.
 */
function documentFileAnswer(path: string, operation: Json): void {
  const mediaType = fileMediaTypeOf(path);
  if (!mediaType || !isJsonObject(operation.responses)) return;
  for (const [status, response] of Object.entries(operation.responses)) {
    if (!/^2/.test(status) || !isJsonObject(response) || status === '204') continue;
    const content = isJsonObject(response.content) ? response.content : {};
    const mediaTypes = Object.keys(content);
    if (mediaTypes.length > 1 || (mediaTypes.length === 1 && mediaTypes[0] !== 'application/json')) continue;
    response.content = { [mediaType]: content['application/json'] ?? {} };
  }
}

const operationMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Every schema of the document: components, parameters, request bodies, answers and their headers. */
function* documentSchemas(document: Json): Generator<unknown> {
  if (isJsonObject(document.components) && isJsonObject(document.components.schemas)) {
    yield* Object.values(document.components.schemas);
  }
  const contentSchemas = function* (holder: unknown) {
    if (!isJsonObject(holder) || !isJsonObject(holder.content)) return;
    for (const media of Object.values(holder.content)) if (isJsonObject(media)) yield media.schema;
  };
  for (const pathItem of Object.values(isJsonObject(document.paths) ? document.paths : {})) {
    if (!isJsonObject(pathItem)) continue;
    const operations = operationMethods.map((method) => pathItem[method]).filter(isJsonObject);
    for (const holder of [pathItem, ...operations]) {
      if (Array.isArray(holder.parameters)) {
        for (const parameter of holder.parameters) if (isJsonObject(parameter)) yield parameter.schema;
      }
    }
    for (const operation of operations) {
      yield* contentSchemas(operation.requestBody);
      for (const response of Object.values(isJsonObject(operation.responses) ? operation.responses : {})) {
        yield* contentSchemas(response);
        if (!isJsonObject(response) || !isJsonObject(response.headers)) continue;
        for (const header of Object.values(response.headers)) if (isJsonObject(header)) yield header.schema;
      }
    }
  }
}

/**
 * The last touches on the whole document (@fastify/swagger's `transformObject`): file answers get their media
 * type, tuples their OpenAPI 3.1 form. Done on a copy: the document may share objects with the routes' schemas.
 */
export function finishDocument(built: Json): Json {
  const document = structuredClone(built);
  for (const [path, pathItem] of Object.entries(isJsonObject(document.paths) ? document.paths : {})) {
    if (!isJsonObject(pathItem)) continue;
    for (const method of operationMethods) {
      if (isJsonObject(pathItem[method])) documentFileAnswer(path, pathItem[method]);
    }
  }
  for (const schema of documentSchemas(document)) {
    for (const subschema of subschemas(schema)) writeTupleAsPrefixItems(subschema);
  }
  return document;
}
