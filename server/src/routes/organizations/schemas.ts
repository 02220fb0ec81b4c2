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
  WebAddress,
} from '../commonSchemas.js';

export const Sector = Type.Enum(
  ['public_authority', 'ngo', 'migrant_association', 'mediator', 'social_services', 'education', 'employer', 'other'],
  { description: 'The sector the guide balances an alliance across.' },
);

export const OrganizationSummary = Type.Object({
  id: Type.String(),
  name: Type.String(),
  website: Nullable(Type.String()),
  allianceSlug: Type.String(),
  categories: Type.Array(CategoryId),
  serviceCount: Type.Integer(),
  town: Nullable(Type.String()),
  sector: Nullable(Sector),
  version: Type.Integer({ description: 'Send it back with a change (PATCH).' }),
});

const Influence = Type.Enum(['low', 'medium', 'high']);
const MemberRole = Type.Enum(['president', 'secretariat', 'member'], {
  description: "The organisation's seat in the alliance; null for a stakeholder that is not a member.",
});

const StakeholderFields = Type.Object(
  {
    contactPerson: Nullable(Type.String()),
    contactPhone: Nullable(Type.String()),
    contactEmail: Nullable(Type.String()),
    contribution: Nullable(Type.String()),
    whatMatters: Nullable(Type.String()),
    influence: Nullable(Influence),
    engagementStrategy: Nullable(Type.String()),
    memberRole: Nullable(MemberRole),
  },
  { description: "The guide's stakeholder fields; sent only to members of the organisation's alliance." },
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
        address: Nullable(Type.String({ description: 'null for the public when the address is hidden.' })),
        postalCode: Nullable(Type.String()),
        town: Nullable(Type.String()),
        lat: Nullable(Type.Number({ description: 'Null while the place is not placed yet.' })),
        lon: Nullable(Type.Number()),
        precision: Precision,
        needsPlace: Type.Boolean({ description: 'Not placed yet, or put at its town by an import.' }),
        note: Nullable(Type.String()),
        hideAddress: Type.Boolean(),
        serviceCount: Type.Integer({ description: 'How many of the organisation’s services are offered here.' }),
        version: Type.Integer(),
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
  website: Type.Optional(Nullable(WebAddress)),
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
  memberRole: Type.Optional(Nullable(MemberRole)),
  sector: Type.Optional(Nullable(Sector)),
};

const Version = Type.Integer({ minimum: 1, description: 'The version the record was read at.' });

export const OrganizationCreateBody = Type.Object(
  { alliance: AllianceRef, ...organizationFields, location: Type.Optional(LocationBody) },
  { additionalProperties: false },
);

export const OrganizationUpdateBody = Type.Object(
  { version: Version, ...organizationFields, name: Type.Optional(ShortText) },
  { additionalProperties: false },
);

export const AllianceParams = Type.Object({ idOrSlug: AllianceRef });

export const StakeholderRegister = Type.Object({ items: Type.Array(OrganizationDetail) });

export const SectorBalance = Type.Object({
  target: Type.Object({ min: Type.Integer(), max: Type.Integer() }),
  members: Type.Integer({ description: 'Organisations with a member role.' }),
  bySector: Type.Array(Type.Object({ sector: Sector, count: Type.Integer() })),
  withoutSector: Type.Integer({ description: 'Member organisations whose sector is not recorded.' }),
  missingSectors: Type.Array(Sector, { description: 'Named sectors (all but "other") without a member.' }),
});
