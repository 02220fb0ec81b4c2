import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  emailProblem,
  findAccountByEmail,
  findAccountById,
  normalizeEmail,
} from '../../domain/accounts/accountRepository.js';
import {
  createInvitationLink,
  INVITATION_DAYS,
  linkUrl,
  listPendingInvitations,
  withdrawInvitation,
  withdrawInvitations,
} from '../../domain/accounts/links.js';
import { invitationMail, mailLanguage, queueMail } from '../../domain/accounts/mailer.js';
import {
  findMember,
  isLastCoordinator,
  listMembers,
  organizationBelongsTo,
  removeMember,
  updateMember,
} from '../../domain/accounts/memberRepository.js';
import { allianceCountry, isUuid } from '../../domain/alliances/allianceRepository.js';
import {
  allianceConflictMessage,
  allianceSlugTaken,
  boundaryHasArea,
  createAlliance,
  findAllianceSettings,
  isTimeZone,
  updateAlliance,
} from '../../domain/alliances/allianceWrites.js';
import { type BoundaryGeometry, boundaryFromFile, boundaryProblem } from '../../domain/alliances/boundary.js';
import { changeAs } from '../../domain/history/actingAs.js';
import { holidayStateProblem } from '#contract/schedules/holidayStates.js';
import { ErrorResponse, writeErrorResponses } from '../commonSchemas.js';
import { GeoFileUploadError, geoFileUpload } from '../geoFileUpload.js';
import { allianceInPath } from '../workspaceRouting.js';
import { badRequest, conflict, notFound } from '../notFound.js';
import {
  AllianceCreateBody,
  AlliancePatchBody,
  AllianceSettings,
  BoundaryFileRead,
  InvitationBody,
  InvitationCreated,
  InvitationParams,
  MemberList,
  Member,
  MemberParams,
  MemberPatchBody,
  AllianceInPathParams,
} from './schemas.js';
import { type CodedMessage, codedFrom, said } from '../../domain/messages/userError.js';
import { sendError } from '../../plugins/errors.js';

/** A region's outline is rarely more than a few hundred KB; the web client has the same limit. */
const maxBoundaryFileBytes = 5 * 1024 * 1024;

const LAST_COORDINATOR = said('conflict.last-coordinator');

/**
 * Who belongs to an alliance and with which role, invitations, and the alliance's own settings. Reading the
 * member list needs the read permission; everything else here is the coordinators' (manage), except creating
 * an alliance, which anyone signed in may do and then coordinates.
 */
export const memberRoutes: FastifyPluginAsyncTypebox<{ publicUrl?: string }> = async (app, options) => {
  await app.register(multipart, {
    limits: { fileSize: maxBoundaryFileBytes, files: 1, fields: 5, fieldSize: 1000 },
  });
  // The permission check resolves the alliance once; the handler reuses what it found.
  const alliance = allianceInPath(app);

  async function actingAccount(request: FastifyRequest): Promise<string | null> {
    return (await request.actor())?.accountId ?? null;
  }
  /** Why an organisation cannot be a member's, or null when it can (or none is given). */
  async function organizationProblem(organizationId: string | null | undefined, allianceId: string) {
    if (!organizationId || (await organizationBelongsTo(app.db, organizationId, allianceId))) return null;
    return said('input.organization-of-other-alliance', { id: organizationId });
  }
  /** Why a boundary cannot be stored, or null when it can (or none is given). */
  async function boundaryRefusal(boundary: unknown): Promise<CodedMessage | null> {
    if (boundary === undefined || boundary === null) return null;
    const problem = boundaryProblem(boundary);
    if (problem) return problem;
    if (!(await boundaryHasArea(app.db, boundary as BoundaryGeometry))) {
      return said('boundary.no-area-order');
    }
    return null;
  }
  /** Why a holiday state does not fit the country, or null when it does (or none is given). */
  const holidayStateRefusal = (country: string, state: string | null | undefined) => {
    const problem = holidayStateProblem(country, state);
    if (problem === null) return null;
    return problem.states.length === 0
      ? said('alliance.holidays-same-everywhere', { country: country.trim() })
      : said('alliance.holiday-state-unknown', {
          state: state ?? '',
          country: country.trim(),
          states: problem.states.join(', '),
        });
  };
  const timezoneProblem = (timezone: string | undefined) =>
    timezone === undefined || isTimeZone(timezone) ? null : said('input.unknown-time-zone', { timezone });

  app.get(
    '/alliances/:idOrSlug/members',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('read', alliance.resolve),
      schema: {
        tags: ['members'],
        summary: "The alliance's members, their roles and organisations (members only)",
        description:
          'Coordinators also get the invitations not accepted yet (`invitations`); other members do not see who ' +
          'was invited.',
        params: AllianceInPathParams,
        response: { 200: MemberList, ...writeErrorResponses },
      },
    },
    async (request) => {
      const allianceId = await alliance.allianceId(request);
      const items = await listMembers(app.db, allianceId);
      if (!(await request.can(allianceId, 'manage'))) return { items };
      return { items, invitations: await listPendingInvitations(app.db, allianceId) };
    },
  );

  app.post(
    '/alliances/:idOrSlug/invitations',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('manage', alliance.resolve),
      schema: {
        tags: ['members'],
        summary: 'Invite someone by e-mail (coordinators): answers the link, which is also mailed',
        description:
          'The invitation grants nothing until it is accepted. Accepting it needs the account of that e-mail ' +
          'signed in (or its password); an e-mail without an account gets one then, with the password its ' +
          'holder chooses. Inviting the same e-mail again sends a new link and withdraws the old one. The mail is ' +
          "written in the language of the invited account, else in `language` (the inviter's choice), else in the " +
          "alliance's first language when the workspace has it, else in English.",
        params: AllianceInPathParams,
        body: InvitationBody,
        response: { 201: InvitationCreated, ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const allianceId = await alliance.allianceId(request);
      const email = normalizeEmail(request.body.email);
      const badEmail = emailProblem(email);
      if (badEmail) return badRequest(reply, badEmail);
      const organizationId = request.body.organizationId ?? null;
      const badOrganization = await organizationProblem(organizationId, allianceId);
      if (badOrganization) return badRequest(reply, badOrganization);
      const { role } = request.body;
      const inviterId = await actingAccount(request);
      const base = options.publicUrl ?? `${request.protocol}://${request.host}`;

      const outcome = await changeAs(app.db, { accountId: inviterId, allianceId }, async (trx) => {
        const existing = await findAccountByEmail(trx, email);
        const member = existing && (await findMember(trx, allianceId, existing.id));
        if (member) return { alreadyMember: member };
        const link = await createInvitationLink(trx, { email, allianceId, role, organizationId, createdBy: inviterId });
        const url = linkUrl(base, 'invitation', link.token);
        const alliance = await trx
          .selectFrom('alliance')
          .select(['name', 'languages'])
          .where('id', '=', allianceId)
          .executeTakeFirstOrThrow();
        const inviter = (await request.actor())?.displayName ?? null;
        const mail = invitationMail({
          allianceName: alliance.name,
          role,
          invitedBy: inviter,
          url,
          days: INVITATION_DAYS,
          // Someone with an account reads it in their own language; someone new in the one the inviter chose.
          language: mailLanguage(existing?.language, request.body.language, alliance.languages[0]),
        });
        await queueMail(trx, email, mail.subject, mail.body, request.log);
        return { link: url, expiresAt: link.expiresAt.toISOString() };
      });
      if (outcome.alreadyMember) {
        const { displayName, role: currentRole } = outcome.alreadyMember;
        return conflict(reply, said('conflict.already-member', { name: displayName, email, role: currentRole }));
      }
      return reply.code(201).send({ link: outcome.link, expiresAt: outcome.expiresAt });
    },
  );

  app.delete(
    '/alliances/:idOrSlug/invitations/:invitationId',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('manage', alliance.resolve),
      schema: {
        tags: ['members'],
        summary: 'Withdraw an invitation not accepted yet (coordinators): its link stops working',
        params: InvitationParams,
        response: { 204: Type.Null(), ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const allianceId = await alliance.allianceId(request);
      const withdrawn = await changeAs(app.db, { accountId: await actingAccount(request), allianceId }, (trx) =>
        withdrawInvitation(trx, allianceId, request.params.invitationId),
      );
      if (!withdrawn) {
        return notFound(reply, said('not-found.invitation'));
      }
      return reply.code(204).send(null);
    },
  );

  app.patch(
    '/alliances/:idOrSlug/members/:accountId',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('manage', alliance.resolve),
      schema: {
        tags: ['members'],
        summary: "Change a member's role or organisation (coordinators)",
        params: MemberParams,
        body: MemberPatchBody,
        response: { 200: Member, ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const allianceId = await alliance.allianceId(request);
      const { accountId } = request.params;
      if (!(await findMember(app.db, allianceId, accountId))) {
        return notFound(reply, said('not-found.member'));
      }
      const badOrganization = await organizationProblem(request.body.organizationId, allianceId);
      if (badOrganization) return badRequest(reply, badOrganization);
      const { role } = request.body;
      const changed = await changeAs(app.db, { accountId: await actingAccount(request), allianceId }, async (trx) => {
        if (role && role !== 'coordinator' && (await isLastCoordinator(trx, allianceId, accountId))) return false;
        await updateMember(trx, allianceId, accountId, request.body);
        return true;
      });
      if (!changed) return conflict(reply, LAST_COORDINATOR);
      return findMember(app.db, allianceId, accountId);
    },
  );

  app.delete(
    '/alliances/:idOrSlug/members/:accountId',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('manage', alliance.resolve),
      schema: {
        tags: ['members'],
        summary: 'Remove someone from the alliance (coordinators); unused invitations of their e-mail stop working',
        params: MemberParams,
        response: { 204: Type.Null(), ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const allianceId = await alliance.allianceId(request);
      const { accountId } = request.params;
      if (!(await findMember(app.db, allianceId, accountId))) {
        return notFound(reply, said('not-found.member'));
      }
      const removed = await changeAs(app.db, { accountId: await actingAccount(request), allianceId }, async (trx) => {
        if (await isLastCoordinator(trx, allianceId, accountId)) return false;
        await removeMember(trx, allianceId, accountId);
        const account = await findAccountById(trx, accountId);
        if (account) await withdrawInvitations(trx, account.email, allianceId);
        return true;
      });
      if (!removed) {
        return conflict(reply, said('conflict.last-coordinator-removed'));
      }
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/alliances',
    {
      onRequest: app.requireSignedIn,
      schema: {
        tags: ['alliances'],
        summary: 'Create an alliance (anyone signed in), who becomes its coordinator',
        body: AllianceCreateBody,
        response: { 201: AllianceSettings, ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const { boundary, ...fields } = request.body;
      if (isUuid(fields.slug)) return badRequest(reply, said('input.slug-like-id'));
      const problem =
        timezoneProblem(fields.timezone) ??
        holidayStateRefusal(fields.country, fields.holidayState) ??
        (await boundaryRefusal(boundary));
      if (problem) return badRequest(reply, problem);
      if (await allianceSlugTaken(app.db, fields.slug)) {
        return conflict(reply, said('conflict.slug-taken', { slug: fields.slug }));
      }
      const accountId = await actingAccount(request);
      const id = await changeAs(app.db, { accountId, allianceId: null }, (trx) =>
        createAlliance(trx, { ...fields, boundary: (boundary ?? null) as BoundaryGeometry | null }, accountId),
      );
      return reply.code(201).send((await findAllianceSettings(app.db, id))!);
    },
  );

  app.patch(
    '/alliances/:idOrSlug',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('manage', alliance.resolve),
      schema: {
        tags: ['alliances'],
        summary: "Change the alliance's settings, vision, charter or publication (coordinators)",
        description: 'Send the `version` the settings were read at; 409 when someone changed them since.',
        params: AllianceInPathParams,
        body: AlliancePatchBody,
        response: { 200: AllianceSettings, ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const allianceId = await alliance.allianceId(request);
      const { version, boundary, ...changes } = request.body;
      const country = changes.holidayState ? await allianceCountry(app.db, allianceId) : '';
      const problem =
        timezoneProblem(changes.timezone) ??
        holidayStateRefusal(country, changes.holidayState) ??
        (await boundaryRefusal(boundary));
      if (problem) return badRequest(reply, problem);
      const updated = await changeAs(app.db, { accountId: await actingAccount(request), allianceId }, (trx) =>
        updateAlliance(trx, allianceId, version, {
          ...changes,
          boundary: boundary as BoundaryGeometry | null | undefined,
        }),
      );
      if (!updated) return conflict(reply, await allianceConflictMessage(app.db, allianceId));
      return findAllianceSettings(app.db, allianceId);
    },
  );

  app.post(
    '/boundary-files',
    {
      onRequest: app.requireSignedIn,
      schema: {
        tags: ['alliances'],
        summary: 'Read a region boundary from a file, to preview it and then save it with the alliance (signed in)',
        description:
          'multipart/form-data with a part `file`: GeoJSON in WGS84, a zip of one Shapefile layer (.shp, .dbf, ' +
          '.prj, optionally .cpg) or a GeoPackage (its first feature table, or the one the field `layer` names) in ' +
          'WGS 84, ETRS89, RGF93, Lambert-93 (EPSG:2154), ITM (2157), RD New (28992), SWEREF99 TM (3006), ' +
          'ETRS89-LAEA (3035) or Pseudo-Mercator (3857); another system, or no .prj, is refused with 400. Every polygon ' +
          'of the file becomes one part of the MultiPolygon answered, in WGS84. Nothing is stored: send the boundary ' +
          'with POST /api/alliances or PATCH /api/alliances/{idOrSlug}. At most 5 MiB (413).',
        consumes: ['multipart/form-data'],
        response: { 200: BoundaryFileRead, ...writeErrorResponses, 413: ErrorResponse },
      },
    },
    async (request, reply) => {
      let upload;
      try {
        upload = await geoFileUpload(request, maxBoundaryFileBytes);
      } catch (error) {
        if (!(error instanceof GeoFileUploadError)) throw error;
        return sendError(reply, error.statusCode, codedFrom(error));
      }
      const { reading, fileName } = upload;
      const boundary = boundaryFromFile(reading.geojson, fileName);
      if ('code' in boundary) return badRequest(reply, boundary);
      if (!(await boundaryHasArea(app.db, boundary))) {
        return badRequest(reply, said('boundary.no-area', { fileName }));
      }
      const system = reading.format === 'geojson' ? { name: 'WGS 84', epsg: 4326 } : reading.coordinateSystem;
      return {
        boundary: boundary as { type: 'MultiPolygon'; coordinates: unknown[] },
        format: reading.format,
        coordinateSystem: `${system.name} (EPSG:${system.epsg})`,
      };
    },
  );
};
