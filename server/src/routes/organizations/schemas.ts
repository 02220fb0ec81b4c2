import { Type } from 'typebox';
import {
  AllianceRef,
  CategoryId,
  LanguageCode,
  LongText,
  Nullable,
  Pagination,
  Precision,
  ShortText,
} from '../commonSchemas.js';

export const OrganizationSummary = Type.Object({
  id: Type.String(),
  name: Type.String(),
  website: Nullable(Type.String()),
  allianceSlug: Type.String(),
  categories: Type.Array(CategoryId),
  serviceCount: Type.Integer(),
  town: Nullable(Type.String()),
});

const Influence = Type.Enum(['low', 'medium', 'high']);

const StakeholderFields = Type.Object(
  {
    contactPerson: Nullable(Type.String()),
    contactPhone: Nullable(Type.String()),
    contactEmail: Nullable(Type.String()),
    contribution: Nullable(Type.String()),
    whatMatters: Nullable(Type.String()),
    influence: Nullable(Influence),
    engagementStrategy: Nullable(Type.String()),
  },
  { description: 'The guide stakeholder fields; sent only to alliance members (admin token for now).' },
);

export const OrganizationDetail = Type.Intersect([
  OrganizationSummary,
  Type.Object({
    description: Nullable(Type.String()),
    email: Nullable(Type.String()),
    legalStatus: Nullable(Type.String()),
    textLanguage: Type.String(),
    alliance: Type.Object({ id: Type.String(), slug: Type.String(), name: Type.String() }),
    services: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), category: CategoryId })),
    locations: Type.Array(
      Type.Object({
        id: Type.String(),
        name: Nullable(Type.String()),
        address: Nullable(Type.String()),
        town: Nullable(Type.String()),
        lat: Type.Number(),
        lon: Type.Number(),
        precision: Precision,
        note: Nullable(Type.String()),
      }),
    ),
    stakeholder: Type.Optional(StakeholderFields),
  }),
]);

export const OrganizationListQuery = Type.Object({
  alliance: Type.Optional(AllianceRef),
  category: Type.Optional(CategoryId),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Part of the name' })),
  ...Pagination,
});

export const OrganizationPage = Type.Object({
  items: Type.Array(OrganizationSummary),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

const LocationBody = Type.Object(
  {
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    name: Type.Optional(Nullable(ShortText)),
    address: Type.Optional(Nullable(ShortText)),
    town: Type.Optional(Nullable(ShortText)),
    postalCode: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
    country: Type.Optional(Nullable(Type.String({ pattern: '^[A-Z]{2}$' }))),
    precision: Type.Optional(Precision),
    note: Type.Optional(Nullable(LongText)),
    hideAddress: Type.Optional(Type.Boolean({ description: 'Shelters, women services: show the town only.' })),
  },
  { additionalProperties: false },
);

const organizationFields = {
  name: ShortText,
  description: Type.Optional(Nullable(LongText)),
  website: Type.Optional(Nullable(Type.String({ format: 'uri', maxLength: 2000 }))),
  email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 300 }))),
  legalStatus: Type.Optional(Nullable(ShortText)),
  textLanguage: Type.Optional(LanguageCode),
  contactPerson: Type.Optional(Nullable(ShortText)),
  contactPhone: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
  contactEmail: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 300 }))),
  contribution: Type.Optional(Nullable(LongText)),
  whatMatters: Type.Optional(Nullable(LongText)),
  influence: Type.Optional(Nullable(Influence)),
  engagementStrategy: Type.Optional(Nullable(LongText)),
};

export const OrganizationCreateBody = Type.Object(
  { alliance: AllianceRef, ...organizationFields, location: Type.Optional(LocationBody) },
  { additionalProperties: false },
);

export const OrganizationUpdateBody = Type.Partial(Type.Object(organizationFields, { additionalProperties: false }), {
  additionalProperties: false,
  minProperties: 1,
});
