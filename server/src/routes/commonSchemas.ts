import { Type } from 'typebox';
import { categoryIds } from '#contract/taxonomy/categories.js';

/** What an error answer says, as a code with parameters (for a page to say it in its reader's language). */
export const errorCodeFields = {
  code: Type.String({
    description:
      'A stable code for what went wrong (e.g. "not-found.service", "validation.maximum"); `message` says it in ' +
      'English.',
  }),
  params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), {
    description: "The code's parameters; numbers are raw, for the reader's locale to format.",
  }),
};

export const ErrorResponse = Type.Object(
  {
    statusCode: Type.Integer(),
    error: Type.String(),
    message: Type.String({ description: 'The same in English, for scripts and logs.' }),
    ...errorCodeFields,
  },
  { $id: 'ErrorResponse', description: 'Every error answer has this shape.' },
);

export const errorResponses = {
  400: ErrorResponse,
  404: ErrorResponse,
  503: ErrorResponse,
};

export const writeErrorResponses = {
  ...errorResponses,
  401: ErrorResponse,
  403: ErrorResponse,
  409: ErrorResponse,
  413: ErrorResponse,
  415: ErrorResponse,
};

export const Uuid = Type.String({ format: 'uuid' });
export const IdParams = Type.Object({ id: Uuid });

export const CategoryId = Type.Enum(categoryIds, { description: 'One of the three service categories.' });
export const Precision = Type.Enum(['exact', 'street', 'town']);

export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

/** A page's address; the routes refuse anything but http(s) (domain/links/webAddress.ts). */
export const WebAddress = Type.String({
  format: 'uri',
  maxLength: 2000,
  description: 'An http:// or https:// address, e.g. https://example.org/.',
});

/** Short texts, bounded so that one request cannot store a novel in a name. */
export const ShortText = Type.String({ minLength: 1, maxLength: 300 });
export const LongText = Type.String({ maxLength: 10000 });
export const LanguageCode = Type.String({ pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$', maxLength: 35 });

export const Pagination = {
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
};

export const AllianceRef = Type.String({
  minLength: 1,
  maxLength: 100,
  description: 'An alliance id or slug (e.g. "bordeaux").',
});

export const Bbox = Type.String({
  pattern: '^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$',
  description: 'west,south,east,north in degrees (WGS84).',
});
