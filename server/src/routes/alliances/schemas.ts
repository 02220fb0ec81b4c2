import { Type } from 'typebox';
import { Nullable } from '../commonSchemas.js';

export const AllianceSummary = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  name: Type.String(),
  country: Type.String(),
  languages: Type.Array(Type.String()),
  timezone: Type.String(),
  bbox: Nullable(Type.Array(Type.Number(), { minItems: 4, maxItems: 4 })),
  organizationCount: Type.Integer(),
  serviceCount: Type.Integer(),
});

export const AllianceDetail = Type.Intersect([
  AllianceSummary,
  Type.Object({
    description: Nullable(Type.String()),
    vision: Nullable(Type.String()),
    boundary: Nullable(Type.Object({ type: Type.Literal('MultiPolygon'), coordinates: Type.Array(Type.Unknown()) })),
    charter: Nullable(Type.String()),
    profilePublished: Type.Boolean(),
    holidayState: Nullable(
      Type.String({
        description:
          'The state or region whose public holidays (`PH` in opening hours) apply where they differ within the country, as the opening_hours library names it (`Bayern`, `Scotland`, `Moselle`); null where the national ones apply.',
      }),
    ),
    updateCycleMonths: Type.Union([Type.Literal(1), Type.Literal(3), Type.Literal(6), Type.Literal(12)], {
      description: 'Months between two checks of a service that does not set its own cycle: 1, 3, 6 or 12.',
    }),
    selfServiceApproval: Type.Boolean({
      description: "Whether what an organisation changes through its self-service link waits for an editor's approval.",
    }),
    version: Type.Integer({ description: 'Send it back when changing the alliance (PATCH).' }),
  }),
]);

export const AllianceParams = Type.Object({
  idOrSlug: Type.String({ minLength: 1, maxLength: 100, description: 'Alliance id or slug' }),
});
