import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { resolveAllianceId } from '../../domain/alliances/allianceRepository.js';
import { changeAs } from '../../domain/history/actingAs.js';
import { staleVersionMessage } from '../../domain/history/staleVersion.js';
import { webAddressProblem } from '../webAddressProblem.js';
import {
  allianceOfOrganization,
  createOrganization,
  deleteOrganization,
  findOrganization,
  listOrganizations,
  listStakeholders,
  sectorBalance,
  updateOrganization,
} from '../../domain/organizations/organizationRepository.js';
import { ErrorResponse, errorResponses, IdParams, writeErrorResponses } from '../commonSchemas.js';
import { badRequest, nothingToChange, notFound } from '../notFound.js';
import {
  allianceInPath,
  allianceOfRecordInPath,
  allianceResolver,
  changeAuthor,
  conflict,
} from '../workspaceRouting.js';
import {
  AllianceParams,
  OrganizationCreateBody,
  OrganizationDetail,
  OrganizationListQuery,
  OrganizationPage,
  OrganizationUpdateBody,
  SectorBalance,
  StakeholderRegister,
} from './schemas.js';
import { said } from '../../domain/messages/userError.js';

const readErrorResponses = { ...errorResponses, 401: ErrorResponse, 403: ErrorResponse };
const organizationNotFound = (id: string) => said('not-found.organization', { id });

/** Organisations and the stakeholder register: the public reads their public face, editors change them. */
export const organizationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const alliance = allianceInPath(app);
  const organizationAlliance = allianceOfRecordInPath((id) => allianceOfOrganization(app.db, id), organizationNotFound);
  const allianceInBody = allianceResolver(async (request) => {
    const ref = (request.body as { alliance: string }).alliance;
    const allianceId = await resolveAllianceId(app.db, ref);
    return allianceId ? { allianceId } : { notFound: said('not-found.alliance', { alliance: ref }) };
  });

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
      const { limit, offset, alliance: ref, category, q } = request.query;
      const allianceId = ref ? await resolveAllianceId(app.db, ref) : undefined;
      if (ref && !allianceId) return notFound(reply, said('not-found.alliance', { alliance: ref }));
      return listOrganizations(app.db, { allianceId, category, q }, { limit, offset });
    },
  );

  app.get(
    '/organizations/:id',
    {
      schema: {
        tags: ['organizations'],
        summary: 'One organisation with its services and locations',
        description:
          'Stakeholder fields (personal contact data) and hidden addresses are included only for members of ' +
          "the organisation's alliance.",
        params: IdParams,
        response: { 200: OrganizationDetail, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const allianceId = await allianceOfOrganization(app.db, id);
      if (!allianceId) return notFound(reply, organizationNotFound(id));
      const organization = await findOrganization(app.db, id, {
        forMembers: await request.can(allianceId, 'read'),
      });
      if (!organization) return notFound(reply, organizationNotFound(id));
      return organization;
    },
  );

  app.post(
    '/organizations',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', allianceInBody.resolve),
      schema: {
        tags: ['organizations'],
        summary: 'Create an organisation, with its first location (editors of the alliance)',
        body: OrganizationCreateBody,
        response: { 201: OrganizationDetail, ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const { alliance: _ref, ...fields } = request.body;
      const problem = webAddressProblem({ website: fields.website });
      if (problem) return badRequest(reply, problem);
      const allianceId = await allianceInBody.allianceId(request);
      const id = await changeAs(app.db, await changeAuthor(request, allianceId), (trx) =>
        createOrganization(trx, { ...fields, allianceId }),
      );
      return reply.code(201).send((await findOrganization(app.db, id, { forMembers: true }))!);
    },
  );

  app.patch(
    '/organizations/:id',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', organizationAlliance.resolve),
      schema: {
        tags: ['organizations'],
        summary: 'Change some fields of an organisation (send the version it was read at; 409 when changed since)',
        params: IdParams,
        body: OrganizationUpdateBody,
        response: { 200: OrganizationDetail, ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { version, ...changes } = request.body;
      if (Object.keys(changes).length === 0) return badRequest(reply, nothingToChange);
      const problem = webAddressProblem({ website: changes.website });
      if (problem) return badRequest(reply, problem);
      const allianceId = await organizationAlliance.allianceId(request);
      const outcome = await changeAs(app.db, await changeAuthor(request, allianceId), (trx) =>
        updateOrganization(trx, id, version, changes),
      );
      if (outcome === 'missing') return notFound(reply, organizationNotFound(id));
      if (outcome === 'stale') {
        return conflict(
          reply,
          await staleVersionMessage(app.db, { entityType: 'organization', entityId: id, noun: 'organisation' }),
        );
      }
      return (await findOrganization(app.db, id, { forMembers: true }))!;
    },
  );

  app.delete(
    '/organizations/:id',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', organizationAlliance.resolve),
      schema: {
        tags: ['organizations'],
        summary: 'Delete an organisation with its services and locations (it can be restored from the history)',
        params: IdParams,
        response: { 204: Type.Null(), ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const allianceId = await organizationAlliance.allianceId(request);
      const deleted = await changeAs(app.db, await changeAuthor(request, allianceId), (trx) =>
        deleteOrganization(trx, id),
      );
      if (!deleted) return notFound(reply, organizationNotFound(id));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/alliances/:idOrSlug/stakeholders',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('read', alliance.resolve),
      schema: {
        tags: ['organizations'],
        summary: "The alliance's stakeholder register: every organisation, by name, with its stakeholder fields",
        params: AllianceParams,
        response: { 200: StakeholderRegister, ...readErrorResponses },
      },
    },
    async (request) => ({ items: await listStakeholders(app.db, await alliance.allianceId(request)) }),
  );

  app.get(
    '/alliances/:idOrSlug/sector-balance',
    {
      schema: {
        tags: ['organizations'],
        summary: "How the alliance's member organisations spread across sectors, against the guide's 8–12",
        description: 'Counts only: no organisation or person is named.',
        params: AllianceParams,
        response: { 200: SectorBalance, ...errorResponses },
      },
    },
    async (request, reply) => {
      const allianceId = await resolveAllianceId(app.db, request.params.idOrSlug);
      if (!allianceId) return notFound(reply, said('not-found.alliance', { alliance: request.params.idOrSlug }));
      return sectorBalance(app.db, allianceId);
    },
  );
};
