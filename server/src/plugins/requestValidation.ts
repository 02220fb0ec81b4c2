import { createRequire } from 'node:module';
import AjvCompiler from '@fastify/ajv-compiler';
import type { FastifySchema, FastifySchemaCompiler, FastifyServerOptions } from 'fastify';
import { type Validator, withWrittenNumbers } from './writtenNumbers.js';

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
/** What Fastify does with the validator factory: its published types describe it less precisely. */
type ValidatorPool = (
  externalSchemas: unknown,
  options?: { customOptions?: Record<string, unknown> },
) => FastifySchemaCompiler<unknown>;

type JsonSchema = Record<string, unknown>;

/** When route schemas become functions: all while the application is built, or each on the first request using it. */
export type SchemaCompilation = 'at-start' | 'on-first-use';

type Compiled = ((...args: unknown[]) => unknown) & { errors?: unknown; schemaEnv?: unknown };

/**
 * A validator or serializer that is compiled when first called rather than now. Ajv and fast-json-stringify take
 * about 1.5 s of the main thread for all routes (docs/benchmarks.md, "first-start"), most of a restart's work
 * outside the database; a route nobody calls costs nothing. What Fastify reads of an Ajv validator — the `errors`
 * of the last call, `schemaEnv` (whether it may be given the parent object) — is read through to the compiled
 * function, so that Fastify answers exactly as with the function compiled at start.
 */
function compiledOnFirstUse(compile: () => Compiled): Compiled {
  let compiled: Compiled | undefined;
  const get = () => (compiled ??= compile());
  const onFirstUse = function (this: unknown, ...args: unknown[]) {
    return get().apply(this, args);
  } as Compiled;
  Object.defineProperty(onFirstUse, 'errors', {
    get: () => get().errors,
    set: (value: unknown) => (get().errors = value),
  });
  Object.defineProperty(onFirstUse, 'schemaEnv', { get: () => get().schemaEnv });
  return onFirstUse;
}

type SerializerFactory = (
  externalSchemas: unknown,
  options: unknown,
) => (route: { schema: unknown; method: string; url: string; httpStatus: string }) => Compiled;

/** Fastify's own serializer factory (fast-json-stringify), found from Fastify itself as Fastify finds it. */
function fastifySerializerFactory(): SerializerFactory {
  const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
  const SerializerSelector = fromFastify('@fastify/fast-json-stringify-compiler') as () => SerializerFactory;
  return SerializerSelector();
}

function isSchemaObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keywords whose value is a map from names to schemas, not a schema itself. */
const schemaMaps = new Set(['properties', 'patternProperties', 'dependentSchemas', 'definitions', '$defs']);
/** Keywords whose value is data, not a schema. */
const valueKeywords = new Set(['enum', 'const', 'default', 'examples', 'example', 'required']);

/**
 * A copy of a body schema in which every object that does not say otherwise refuses fields it does not name
 * (`additionalProperties: false`). An object that is open on purpose (free GeoJSON properties, say) says so with
 * `additionalProperties: true` or a schema. Done here, once, so that no route can forget it: a field a route
 * does not know must never reach a repository, where it could become a column (mass assignment).
 */
export function refuseUnknownFields(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(refuseUnknownFields);
  if (!isSchemaObject(schema)) return schema;
  const copy: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (schemaMaps.has(key) && isSchemaObject(value)) {
      copy[key] = Object.fromEntries(Object.entries(value).map(([name, item]) => [name, refuseUnknownFields(item)]));
    } else {
      copy[key] = valueKeywords.has(key) ? value : refuseUnknownFields(value);
    }
  }
  if (Array.isArray(copy.allOf) && copy.allOf.some((part) => isSchemaObject(part) && part.type === 'object')) {
    // Closing each part of an intersection would refuse the fields the other parts name.
    throw new Error(
      'A request body schema combines objects with allOf (Type.Intersect), which cannot be closed to unknown ' +
        'fields part by part: declare the body as one Type.Object.',
    );
  }
  const isObject = copy.type === 'object' || (copy.type === undefined && isSchemaObject(copy.properties));
  if (isObject && copy.additionalProperties === undefined) copy.additionalProperties = false;
  return copy;
}

/**
 * How requests are validated. Query strings and path parameters arrive as text, so they are converted to the
 * numbers and booleans their schemas name ("limit=10" → 10). A JSON body already has its types: converting it
 * would silently change what was sent — `{"fees": null}` would be stored as "", `{"free": null}` as false — so
 * a body is checked exactly as sent. Unknown body fields are refused, not dropped: a typo must not lose data,
 * and a field no route names must not reach the database (`refuseUnknownFields`). A number in a query string or
 * path must be written as one: see withWrittenNumbers.
 */
export function requestValidation(
  compilation: SchemaCompilation = 'at-start',
): Pick<FastifyServerOptions, 'ajv' | 'schemaController'> {
  const buildFromPool = AjvCompiler() as unknown as ValidatorPool;
  const buildValidator: ValidatorPool = (externalSchemas, ajvOptions) => {
    const textParts = buildFromPool(externalSchemas, ajvOptions);
    const body = buildFromPool(externalSchemas, {
      ...ajvOptions,
      customOptions: { ...ajvOptions?.customOptions, coerceTypes: false },
    });
    const compile: FastifySchemaCompiler<unknown> = (route) => {
      if (route.httpPart === 'body') {
        // Closed at once, whenever the schema is compiled: a body schema that cannot be closed stops the start.
        const closed = { ...route, schema: refuseUnknownFields(route.schema) as FastifySchema };
        return compilation === 'at-start'
          ? body(closed)
          : (compiledOnFirstUse(() => body(closed) as Compiled) as ReturnType<typeof body>);
      }
      const validate =
        compilation === 'at-start'
          ? textParts(route)
          : (compiledOnFirstUse(() => textParts(route) as Compiled) as ReturnType<typeof textParts>);
      if (route.httpPart !== 'querystring' && route.httpPart !== 'params') return validate;
      return withWrittenNumbers(validate as Validator, route.schema) as typeof validate;
    };
    return compile;
  };
  const compilersFactory: Record<string, unknown> = { buildValidator };
  if (compilation === 'on-first-use') {
    const buildSerializer = fastifySerializerFactory();
    compilersFactory.buildSerializer = ((externalSchemas, options) => {
      const serializerFor = buildSerializer(externalSchemas, options);
      return (route) => compiledOnFirstUse(() => serializerFor(route));
    }) satisfies SerializerFactory;
  }
  return {
    ajv: { customOptions: { removeAdditional: false } },
    schemaController: { compilersFactory: compilersFactory as CompilersFactory },
  };
}
