import { type TSchema, Type } from 'typebox';
import { AllianceRef, Uuid } from '../commonSchemas.js';

const uuidThat = (description: string) => Type.String({ format: 'uuid', description });

const perPageMaximum = 200;

const ListQuery = {
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1, description: 'Page number, from 1.' }),
  per_page: Type.Integer({
    minimum: 1,
    maximum: perPageMaximum,
    default: 50,
    description: `Objects per page, at most ${perPageMaximum}.`,
  }),
  search: Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, description: 'Words looked for in the name and description.' }),
  ),
  alliance: Type.Optional(AllianceRef),
  lang: Type.Optional(
    Type.String({
      pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$',
      maxLength: 35,
      description: 'Texts in this language (e.g. "fr") where a translation exists; the original text elsewhere.',
    }),
  ),
};

const ServiceFilterQuery = {
  ...ListQuery,
  modified_after: Type.Optional(
    Type.String({ format: 'date-time', description: 'Only what changed on or after this time (ISO 8601).' }),
  ),
  taxonomy_term_id: Type.Optional(uuidThat('Only services carrying this term (see /api/hsds/taxonomy_terms).')),
  organization_id: Type.Optional(uuidThat("Only this organisation's services.")),
  full: Type.Boolean({ default: false, description: 'Fully nested objects instead of their one-to-one fields.' }),
};

export const ServiceListQuery = Type.Object(ServiceFilterQuery);
export const ServiceAtLocationListQuery = Type.Object(ServiceFilterQuery);
export const OrganizationListQuery = Type.Object({
  ...ListQuery,
  modified_after: ServiceFilterQuery.modified_after,
  full: ServiceFilterQuery.full,
});
export const TaxonomyListQuery = Type.Object({
  page: ListQuery.page,
  per_page: ListQuery.per_page,
  search: ListQuery.search,
});
export const TaxonomyTermListQuery = Type.Object({
  page: ListQuery.page,
  per_page: ListQuery.per_page,
  search: ListQuery.search,
  taxonomy_id: Type.Optional(uuidThat("Only this taxonomy's terms.")),
});
export const LanguageQuery = Type.Object({ lang: ListQuery.lang });
export const OrganizationQuery = Type.Object({
  lang: ListQuery.lang,
  full_service: Type.Boolean({ default: false, description: 'Accepted for HSDS; services are always listed.' }),
});

/**
 * An HSDS object: its required fields are named here, the rest are passed through as HSDS defines them
 * (../shared/hsds-3.0/schema/compiled/*.json), which this document does not repeat.
 */
const hsdsObject = (title: string, properties: Record<string, TSchema>) =>
  Type.Object(properties, { additionalProperties: true, title, description: `HSDS 3.0 ${title}.` });

export const HsdsService = hsdsObject('service', {
  id: Uuid,
  name: Type.String(),
  status: Type.String(),
});
export const HsdsOrganization = hsdsObject('organization', {
  id: Uuid,
  name: Type.String(),
  description: Type.String(),
});
export const HsdsServiceAtLocation = hsdsObject('service_at_location', { id: Uuid });
export const HsdsTaxonomy = hsdsObject('taxonomy', {
  id: Uuid,
  name: Type.String(),
  description: Type.String(),
  version: Type.String(),
});
export const HsdsTaxonomyTerm = hsdsObject('taxonomy_term', {
  id: Uuid,
  code: Type.String(),
  name: Type.String(),
  description: Type.String(),
  taxonomy: Type.String(),
  taxonomy_id: Uuid,
  language: Type.String(),
});

/** HSDS's paginated answer (openapi.json, components.schemas.Page) around the page's objects. */
export const hsdsPage = <T extends TSchema>(item: T) =>
  Type.Object({
    total_items: Type.Integer(),
    total_pages: Type.Integer(),
    page_number: Type.Integer(),
    size: Type.Integer({ description: 'The number of objects in this page.' }),
    first_page: Type.Boolean(),
    last_page: Type.Boolean(),
    empty: Type.Boolean(),
    contents: Type.Array(item),
  });

export const AboutResponse = Type.Object({
  version: Type.String({ description: 'The HSDS version this API follows.' }),
  profile: Type.String({ format: 'uri', description: 'The HSDS profile: none, the core specification.' }),
  openapi_url: Type.String({ format: 'uri', description: "This API's OpenAPI document." }),
  publisher: Type.String(),
  description: Type.String(),
});

export const ExportParams = Type.Object({ slug: AllianceRef });
