import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { resolveAllianceId } from '../../domain/alliances/allianceRepository.js';
import {
  fullServiceObjects,
  organizationObjects,
  serviceAtLocationObjects,
  serviceListObjects,
} from '../../domain/hsds/hsdsAssembly.js';
import {
  type HsdsFilters,
  organizationPage,
  organizationsByIds,
  serviceAtLocationById,
  serviceAtLocationPage,
  servicePage,
  servicesByIds,
  servicesOfOrganizations,
} from '../../domain/hsds/hsdsRepository.js';
import { hsdsTabularZip } from '../../domain/hsds/hsdsTabular.js';
import { findTermById, hsdsTaxonomies, knownTerms } from '../../domain/hsds/taxonomies.js';
import { ErrorResponse, errorResponses, IdParams } from '../commonSchemas.js';
import { notFound } from '../notFound.js';
import { pointReader } from '../workspaceRouting.js';
import {
  AboutResponse,
  ExportParams,
  HsdsOrganization,
  HsdsService,
  HsdsServiceAtLocation,
  HsdsTaxonomy,
  HsdsTaxonomyTerm,
  hsdsPage,
  LanguageQuery,
  OrganizationListQuery,
  OrganizationQuery,
  ServiceAtLocationListQuery,
  ServiceListQuery,
  TaxonomyListQuery,
  TaxonomyTermListQuery,
} from './schemas.js';
import { type CodedMessage, codedFrom, said, UserError } from '../../domain/messages/userError.js';

const tags = ['hsds'];
/** Public and the same for everyone: no sign-in changes the answer. */
const noSignIn: { [scheme: string]: string[] }[] = [];
const visibility =
  'Anyone reads active services, organisations without their contact person, and hidden addresses (shelters, ' +
  "women's services) as a town and a point rounded to about a kilometre. A signed-in member of an alliance reads " +
  "that alliance's records in full: every status, the contact person, the exact address.";

class UnknownReference extends UserError {
  constructor(message: CodedMessage) {
    super(404, message);
  }
}

/** HSDS's page around a page of objects. */
function page<T>(contents: T[], total: number, pageNumber: number, perPage: number) {
  const totalPages = Math.ceil(total / perPage);
  return {
    total_items: total,
    total_pages: totalPages,
    page_number: pageNumber,
    size: contents.length,
    first_page: pageNumber === 1,
    last_page: pageNumber >= totalPages,
    empty: contents.length === 0,
    contents,
  };
}

const pageRequest = (query: { page: number; per_page: number }) => ({
  limit: query.per_page,
  offset: (query.page - 1) * query.per_page,
});

/** The HSDS 3.0 read API (domain/hsds/README.md) and the alliance's HSDS tabular download. */
export const hsdsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  async function filtersOf(query: {
    alliance?: string;
    search?: string;
    modified_after?: string;
    taxonomy_term_id?: string;
    organization_id?: string;
  }): Promise<HsdsFilters> {
    const filters: HsdsFilters = { search: query.search, organizationId: query.organization_id };
    if (query.alliance) {
      filters.allianceId = await resolveAllianceId(app.db, query.alliance);
      if (!filters.allianceId) throw new UnknownReference(said('not-found.alliance', { alliance: query.alliance }));
    }
    if (query.taxonomy_term_id) {
      filters.term = findTermById(query.taxonomy_term_id);
      if (!filters.term) {
        throw new UnknownReference(said('not-found.taxonomy-term', { id: query.taxonomy_term_id }));
      }
    }
    if (query.modified_after) filters.modifiedAfter = new Date(query.modified_after);
    return filters;
  }

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof UnknownReference) return notFound(reply, codedFrom(error));
    throw error;
  });

  app.get(
    '/hsds',
    {
      schema: {
        tags,
        operationId: 'hsdsAbout',
        summary: 'About this HSDS 3.0 API: the version it follows and its OpenAPI document',
        security: noSignIn,
        response: { 200: AboutResponse, ...errorResponses },
      },
    },
    async (request) => ({
      version: '3.0',
      profile: 'https://docs.openreferral.org/en/v3.0/',
      openapi_url: `${request.protocol}://${request.host}/docs/json`,
      publisher: 'Passerelle',
      description:
        'The directories of the alliances for the inclusion of migrants and refugees, as Open Referral HSDS 3.0. ' +
        'Categories, topics and audiences are published as taxonomies.',
    }),
  );

  app.get(
    '/hsds/services',
    {
      schema: {
        tags,
        operationId: 'hsdsListServices',
        summary: 'Services, paginated, in id order (HSDS service_list, or fully nested with full=true)',
        description: visibility,
        querystring: ServiceListQuery,
        response: { 200: hsdsPage(HsdsService), ...errorResponses },
      },
    },
    async (request) => {
      const { query } = request;
      const reader = await pointReader(app.db, request);
      const filters = await filtersOf(query);
      const options = { reader, language: query.lang };
      if (query.full) {
        const { rows, total } = await servicePage(app.db, reader, filters, pageRequest(query), 'full');
        return page(await fullServiceObjects(app.db, rows, options), total, query.page, query.per_page);
      }
      const { rows, total } = await servicePage(app.db, reader, filters, pageRequest(query), 'list');
      return page(await serviceListObjects(app.db, rows, options), total, query.page, query.per_page);
    },
  );

  app.get(
    '/hsds/services/:id',
    {
      schema: {
        tags,
        operationId: 'hsdsGetService',
        summary: 'One service, fully nested: organisation, locations, opening hours, languages, taxonomy terms',
        description: visibility,
        params: IdParams,
        querystring: LanguageQuery,
        response: { 200: HsdsService, ...errorResponses },
      },
    },
    async (request, reply) => {
      const reader = await pointReader(app.db, request);
      const rows = await servicesByIds(app.db, reader, [request.params.id]);
      if (rows.length === 0) return notFound(reply, said('not-found.service', { id: request.params.id }));
      const [service] = await fullServiceObjects(app.db, rows, { reader, language: request.query.lang });
      return service!;
    },
  );

  app.get(
    '/hsds/organizations',
    {
      schema: {
        tags,
        operationId: 'hsdsListOrganizations',
        summary: 'Organisations, paginated, in id order (with their locations and services with full=true)',
        description: visibility,
        querystring: OrganizationListQuery,
        response: { 200: hsdsPage(HsdsOrganization), ...errorResponses },
      },
    },
    async (request) => {
      const { query } = request;
      const reader = await pointReader(app.db, request);
      const filters = await filtersOf(query);
      const { rows, total } = await organizationPage(app.db, filters, pageRequest(query));
      const contents = await organizationObjects(app.db, rows, {
        reader,
        language: query.lang,
        full: query.full,
        services: (organizationIds) => servicesOfOrganizations(app.db, reader, organizationIds),
      });
      return page(contents, total, query.page, query.per_page);
    },
  );

  app.get(
    '/hsds/organizations/:id',
    {
      schema: {
        tags,
        operationId: 'hsdsGetOrganization',
        summary: 'One organisation with its identifiers, locations and services',
        description: visibility,
        params: IdParams,
        querystring: OrganizationQuery,
        response: { 200: HsdsOrganization, ...errorResponses },
      },
    },
    async (request, reply) => {
      const reader = await pointReader(app.db, request);
      const rows = await organizationsByIds(app.db, [request.params.id]);
      if (rows.length === 0) return notFound(reply, said('not-found.organization', { id: request.params.id }));
      const [organization] = await organizationObjects(app.db, rows, {
        reader,
        language: request.query.lang,
        full: true,
        services: (organizationIds) => servicesOfOrganizations(app.db, reader, organizationIds),
      });
      return organization!;
    },
  );

  app.get(
    '/hsds/service_at_locations',
    {
      schema: {
        tags,
        operationId: 'hsdsListServiceAtLocations',
        summary: 'Services at locations, paginated, in id order, with their location and service',
        description: visibility,
        querystring: ServiceAtLocationListQuery,
        response: { 200: hsdsPage(HsdsServiceAtLocation), ...errorResponses },
      },
    },
    async (request) => {
      const { query } = request;
      const reader = await pointReader(app.db, request);
      const filters = await filtersOf(query);
      const { rows, total } = await serviceAtLocationPage(app.db, reader, filters, pageRequest(query));
      const contents = await serviceAtLocationObjects(app.db, rows, { reader, language: query.lang });
      return page(contents, total, query.page, query.per_page);
    },
  );

  app.get(
    '/hsds/service_at_locations/:id',
    {
      schema: {
        tags,
        operationId: 'hsdsGetServiceAtLocation',
        summary: 'One service at a location, with its location, opening hours and service',
        description: visibility,
        params: IdParams,
        querystring: LanguageQuery,
        response: { 200: HsdsServiceAtLocation, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const reader = await pointReader(app.db, request);
      const link = await serviceAtLocationById(app.db, id);
      const visible = link && (await servicesByIds(app.db, reader, [link.service_id])).length > 0;
      if (!link || !visible) return notFound(reply, said('not-found.service-at-location', { id }));
      const [object] = await serviceAtLocationObjects(app.db, [link], { reader, language: request.query.lang });
      return object!;
    },
  );

  app.get(
    '/hsds/taxonomies',
    {
      schema: {
        tags,
        operationId: 'hsdsListTaxonomies',
        summary: 'The three taxonomies services are described with: categories, topics, audiences',
        security: noSignIn,
        querystring: TaxonomyListQuery,
        response: { 200: hsdsPage(HsdsTaxonomy), ...errorResponses },
      },
    },
    async (request) => {
      const { query } = request;
      const matching = Object.values(hsdsTaxonomies).filter((taxonomy) => matches(query.search, taxonomy));
      const { limit, offset } = pageRequest(query);
      return page(matching.slice(offset, offset + limit), matching.length, query.page, query.per_page);
    },
  );

  app.get(
    '/hsds/taxonomy_terms',
    {
      schema: {
        tags,
        operationId: 'hsdsListTaxonomyTerms',
        summary: 'The terms of the three taxonomies; ids are fixed, so filters built on them keep working',
        security: noSignIn,
        querystring: TaxonomyTermListQuery,
        response: { 200: hsdsPage(HsdsTaxonomyTerm), ...errorResponses },
      },
    },
    async (request) => {
      const { query } = request;
      const matching = knownTerms
        .map((known) => known.term)
        .filter(
          (term) => (!query.taxonomy_id || term.taxonomy_id === query.taxonomy_id) && matches(query.search, term),
        );
      const { limit, offset } = pageRequest(query);
      return page(matching.slice(offset, offset + limit), matching.length, query.page, query.per_page);
    },
  );

  app.get(
    '/alliances/:slug/exports/hsds.zip',
    {
      schema: {
        tags,
        operationId: 'downloadAllianceHsdsTabular',
        summary: "The alliance's directory as HSDS 3.0 tabular data: a zip of CSV files with datapackage.json",
        description: `${visibility} The same rules hold for this file.`,
        params: ExportParams,
        response: {
          200: {
            description: 'A zip archive (application/zip).',
            content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } },
          },
          404: ErrorResponse,
          503: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const { slug } = request.params;
      const allianceId = await resolveAllianceId(app.db, slug);
      if (!allianceId) return notFound(reply, said('not-found.alliance', { alliance: slug }));
      const reader = await pointReader(app.db, request);
      const zip = hsdsTabularZip(app.db, allianceId, reader, request.log);
      // A stream is sent as it is: the response schema only documents it.
      return reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="${slug.replace(/[^\w.-]/g, '_')}-hsds.zip"`)
        .send(zip as unknown as string);
    },
  );
};

function matches(search: string | undefined, object: { name: string; description: string }): boolean {
  if (!search) return true;
  const words = search.toLowerCase();
  return object.name.toLowerCase().includes(words) || object.description.toLowerCase().includes(words);
}
