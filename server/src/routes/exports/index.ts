import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { dataInclusionFile } from '../../domain/exports/dataInclusionExport.js';
import { allianceExport, findExportAlliance } from '../../domain/exports/exportRecords.js';
import { servicesCsv } from '../../domain/exports/servicesCsv.js';
import { ErrorResponse } from '../commonSchemas.js';
import { notFound } from '../notFound.js';
import { DataInclusionFile, ExportParams, ServicesCsvQuery } from './schemas.js';
import { said } from '../../domain/messages/userError.js';

const exportErrors = { 400: ErrorResponse, 404: ErrorResponse, 503: ErrorResponse };

const audienceNote =
  'Anonymous callers get what is public: active services, no personal contact, hidden addresses (shelters, ' +
  "women's services) without street or postal code at their point rounded to 0.01°. The alliance's members get " +
  'their records in full.';

/** The alliance's directory given back as files: data·inclusion JSON and a spreadsheet. */
export const exportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /** The alliance of the path and what the asker may see of it; undefined when there is no such alliance. */
  async function exportFor(request: FastifyRequest<{ Params: { slug: string } }>) {
    const alliance = await findExportAlliance(app.db, request.params.slug);
    if (!alliance) return undefined;
    const forMembers = await request.can(alliance.id, 'read');
    return { forMembers, records: await allianceExport(app.db, alliance, { forMembers }) };
  }

  app.get(
    '/alliances/:slug/exports/data-inclusion.json',
    {
      schema: {
        tags: ['exports'],
        operationId: 'exportDataInclusion',
        summary: "The alliance's organisations and services as data·inclusion structures and services (schema v1)",
        description:
          'Each organisation is a structure; each active service is a service at each of its places (the first ' +
          `keeps the service's id, the others are "<service id>--<location id>"). ${audienceNote}`,
        params: ExportParams,
        response: { 200: DataInclusionFile, ...exportErrors },
      },
    },
    async (request, reply) => {
      const found = await exportFor(request);
      if (!found) return notFound(reply, said('not-found.alliance', { alliance: request.params.slug }));
      reply.header('content-disposition', `attachment; filename="${found.records.alliance.slug}-data-inclusion.json"`);
      return dataInclusionFile(found.records);
    },
  );

  app.get(
    '/alliances/:slug/exports/services.csv',
    {
      schema: {
        tags: ['exports'],
        operationId: 'exportServicesCsv',
        summary: "The alliance's services as a spreadsheet, one row per service and place (UTF-8 with BOM)",
        description: `Formula-like cells are prefixed with an apostrophe. Members' files add the organisation's contact person. ${audienceNote}`,
        params: ExportParams,
        querystring: ServicesCsvQuery,
        response: {
          200: {
            description: 'CSV, RFC 4180, CRLF line ends, starting with a byte order mark.',
            content: { 'text/csv': { schema: Type.String() } },
          },
          ...exportErrors,
        },
      },
    },
    async (request, reply) => {
      const found = await exportFor(request);
      if (!found) return notFound(reply, said('not-found.alliance', { alliance: request.params.slug }));
      const separator = request.query.separator === 'semicolon' ? ';' : ',';
      reply.type('text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="${found.records.alliance.slug}-services.csv"`);
      return servicesCsv(found.records, separator, found.forMembers);
    },
  );
};
