import AjvCompiler from '@fastify/ajv-compiler';
import type { FastifySchemaCompiler, FastifyServerOptions } from 'fastify';
import { type Validator, withWrittenNumbers } from './writtenNumbers.js';

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
/** What Fastify does with the validator factory: its published types describe it less precisely. */
type ValidatorPool = (
  externalSchemas: unknown,
  options?: { customOptions?: Record<string, unknown> },
) => FastifySchemaCompiler<unknown>;

/**
 * How requests are validated. Query strings and path parameters arrive as text, so they are converted to the
 * numbers and booleans their schemas name ("limit=10" → 10). A JSON body already has its types: converting it
 * would silently change what was sent — `{"fees": null}` would be stored as "", `{"free": null}` as false — so
 * a body is checked exactly as sent. Unknown body fields are refused, not dropped: a typo must not lose data.
 * A number in a query string or path must be written as one: see withWrittenNumbers.
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
      if (route.httpPart === 'body') return body(route);
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
