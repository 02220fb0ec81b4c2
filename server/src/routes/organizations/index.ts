import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { resolveAllianceId } from '../../domain/alliances/allianceRepository.js';
import {
  createOrganization,
  deleteOrganization,
  findOrganization,
  listOrganizations,
  updateOrganization,
} from '../../domain/organizations/organizationRepository.js';
import { errorResponses, IdParams, writeErrorResponses } from '../commonSchemas.js';
import { notFound } from '../notFound.js';
import {
  OrganizationCreateBody,
  OrganizationDetail,
  OrganizationListQuery,
  OrganizationPage,
  OrganizationUpdateBody,
} from './schemas.js';

export const organizationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/organizations',
    {
      schema: {
        tags: ['organizations'],
        summary: 'Organisations, filtered and paginated, sorted by name',
        querystring: OrganizationListQuery,
        response: { 200: OrganizationPage, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { limit, offset, alliance, category, q } = request.query;
      const allianceId = alliance ? await resolveAllianceId(app.db, alliance) : undefined;
      if (alliance && !allianceId) return notFound(reply, `There is no alliance "${alliance}".`);
      return listOrganizations(app.db, { allianceId, category, q }, { limit, offset });
    },
  );

  app.get(
    '/organizations/:id',
    {
      schema: {
        tags: ['organizations'],
        summary: 'One organisation with its services and locations',
        description: 'Stakeholder fields (personal contact data) are included only with the admin token.',
        params: IdParams,
        response: { 200: OrganizationDetail, ...errorResponses },
      },
    },
    async (request, reply) => {
      const organization = await findOrganization(app.db, request.params.id, {
        withStakeholderFields: await request.isAdmin(),
      });
      if (!organization) return notFound(reply, `There is no organisation with id ${request.params.id}.`);
      return organization;
    },
  );

  app.post(
    '/organizations',
    {
      onRequest: app.requireAdmin,
      schema: {
        tags: ['organizations'],
        summary: 'Create an organisation, with its first location (admin token)',
        security: [{ adminToken: [] }],
        body: OrganizationCreateBody,
        response: { 201: OrganizationDetail, ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const { alliance, ...fields } = request.body;
      const allianceId = await resolveAllianceId(app.db, alliance);
      if (!allianceId) return notFound(reply, `There is no alliance "${alliance}".`);
      const id = await createOrganization(app.db, { ...fields, allianceId });
      return reply.code(201).send((await findOrganization(app.db, id, { withStakeholderFields: true }))!);
    },
  );

  app.patch(
    '/organizations/:id',
    {
      onRequest: app.requireAdmin,
      schema: {
        tags: ['organizations'],
        summary: 'Change some fields of an organisation (admin token)',
        security: [{ adminToken: [] }],
        params: IdParams,
        body: OrganizationUpdateBody,
        response: { 200: OrganizationDetail, ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const updated = await updateOrganization(app.db, request.params.id, request.body);
      if (!updated) return notFound(reply, `There is no organisation with id ${request.params.id}.`);
      return findOrganization(app.db, request.params.id, { withStakeholderFields: true });
    },
  );

  app.delete(
    '/organizations/:id',
    {
      onRequest: app.requireAdmin,
      schema: {
        tags: ['organizations'],
        summary: 'Delete an organisation with its services and locations (admin token)',
        security: [{ adminToken: [] }],
        params: IdParams,
        response: { 204: Type.Null(), ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const deleted = await deleteOrganization(app.db, request.params.id);
      if (!deleted) return notFound(reply, `There is no organisation with id ${request.params.id}.`);
      return reply.code(204).send(null);
    },
  );
};
