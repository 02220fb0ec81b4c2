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
export function requestValidation(): Pick<FastifyServerOptions, 'ajv' | 'schemaController'> {
  const buildFromPool = AjvCompiler() as unknown as ValidatorPool;
  const buildValidator: ValidatorPool = (externalSchemas, ajvOptions) => {
    const textParts = buildFromPool(externalSchemas, ajvOptions);
    const body = buildFromPool(externalSchemas, {
      ...ajvOptions,
      customOptions: { ...ajvOptions?.customOptions, coerceTypes: false },
    });
    return (route) => {
      if (route.httpPart === 'body')
        return body({ ...route, schema: refuseUnknownFields(route.schema) as FastifySchema });
      const validate = textParts(route);
      if (route.httpPart !== 'querystring' && route.httpPart !== 'params') return validate;
      return withWrittenNumbers(validate as Validator, route.schema) as typeof validate;
    };
  };
  return {
    ajv: { customOptions: { removeAdditional: false } },
    schemaController: {
      compilersFactory: { buildValidator: buildValidator as unknown as CompilersFactory['buildValidator'] },
    },
  };
}
