import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { actionPlanCsv } from '../../domain/action-plan/actionPlanCsv.js';
import {
  ActionInputError,
  allianceOfAction,
  createAction,
  deleteAction,
  findAction,
  listActions,
  updateAction,
} from '../../domain/action-plan/actionRepository.js';
import { computeActionEffect, latestActionEffect, latestTravelRun } from '../../domain/action-plan/actionEffect.js';
import { createComment, findComment, listComments } from '../../domain/action-plan/commentRepository.js';
import { travelMatrixOf } from '../../domain/gap-analysis/travelMatrix.js';
import { changeAs } from '../../domain/history/actingAs.js';
import { staleVersionMessage } from '../../domain/history/staleVersion.js';
import { profilePublished } from '../../domain/profile/profileRepository.js';
import { ErrorResponse, errorResponses, IdParams, Nullable, writeErrorResponses } from '../commonSchemas.js';
import { type CodedMessage, codedFrom, said } from '../../domain/messages/userError.js';
import { permissionRefusal } from '../../plugins/auth.js';
import { badRequest, forbidden, notFound } from '../notFound.js';
import { allianceInPath, allianceOfRecordInPath, changeAuthor, conflict } from '../workspaceRouting.js';
import {
  Action,
  ActionCreateBody,
  ActionEffect,
  ActionUpdateBody,
  AllianceParams,
  Comment,
  CommentCreateBody,
} from './schemas.js';

const readErrorResponses = { ...errorResponses, 401: ErrorResponse, 403: ErrorResponse };
const actionNotFound = (id: string) => said('not-found.action', { id });

/**
 * The action plan: members see every action; the public sees the published actions of an alliance whose profile
 * is published, and nothing else. Writes need the edit permission, except publishing an action, which needs manage
 * (coordinators); comments need membership.
 */
export const actionPlanRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const alliance = allianceInPath(app);
  const actionAlliance = allianceOfRecordInPath((id) => allianceOfAction(app.db, id), actionNotFound);

  /** Whether the asker sees only what the alliance has published. */
  async function publicView(request: FastifyRequest, allianceId: string): Promise<boolean> {
    return !(await request.can(allianceId, 'read'));
  }

  /**
   * Why the asker may not set `published` to `wanted` on an action now `current`, or null when they may. Showing an
   * action on the public profile, or taking it off, is publishing: the coordinators' (manage). Editors prepare
   * actions, and may send `published` as it is (false for a new action).
   */
  async function publishingRefusal(
    request: FastifyRequest,
    allianceId: string,
    wanted: boolean | undefined,
    current: boolean,
  ): Promise<CodedMessage | null> {
    if (wanted === undefined || wanted === current || (await request.can(allianceId, 'manage'))) return null;
    const action = wanted ? 'publish-action' : 'unpublish-action';
    return permissionRefusal(await request.roleIn(allianceId), 'manage', action);
  }

  async function actionsFor(request: FastifyRequest, reply: FastifyReply) {
    const target = await alliance.resolve(request);
    if ('notFound' in target) {
      await notFound(reply, target.notFound);
      return undefined;
    }
    const { allianceId } = target;
    if (!(await publicView(request, allianceId))) return listActions(app.db, allianceId, { publishedOnly: false });
    if (!(await profilePublished(app.db, allianceId))) return [];
    return listActions(app.db, allianceId, { publishedOnly: true });
  }

  app.get(
    '/alliances/:idOrSlug/actions',
    {
      schema: {
        tags: ['action plan'],
        summary: "The alliance's action plan by number",
        description:
          'Members see every action; others see the published actions once the alliance has published its profile.',
        params: AllianceParams,
        response: { 200: Type.Object({ items: Type.Array(Action) }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const items = await actionsFor(request, reply);
      return items ? { items } : reply;
    },
  );

  app.get(
    '/alliances/:idOrSlug/actions.csv',
    {
      schema: {
        tags: ['action plan'],
        summary: 'The action plan as CSV, one row per action (what the list shows the asker)',
        params: AllianceParams,
        response: { 200: Type.String(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const items = await actionsFor(request, reply);
      if (!items) return reply;
      const slug = request.params.idOrSlug.replace(/[^a-z0-9-]/gi, '');
      reply.type('text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="action-plan-${slug}.csv"`);
      return actionPlanCsv(items);
    },
  );

  app.post(
    '/alliances/:idOrSlug/actions',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', alliance.resolve),
      schema: {
        tags: ['action plan'],
        summary: 'Add an action; it gets the next number of the plan',
        description:
          'A gap link names a finished gap analysis of the alliance (gapRunId), an area of its results (gapUnitId) ' +
          'and a subject it measured (gapSubject); without "problem", the gap\'s reason becomes the local problem.',
        params: AllianceParams,
        body: ActionCreateBody,
        response: { 201: Action, ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const allianceId = await alliance.allianceId(request);
      const refusal = await publishingRefusal(request, allianceId, request.body.published, false);
      if (refusal) return forbidden(reply, refusal);
      try {
        const id = await changeAs(app.db, await changeAuthor(request, allianceId), (trx) =>
          createAction(trx, allianceId, request.body),
        );
        return reply.code(201).send((await findAction(app.db, id))!);
      } catch (error) {
        if (error instanceof ActionInputError) return badRequest(reply, codedFrom(error));
        throw error;
      }
    },
  );

  app.get(
    '/actions/:id',
    {
      schema: {
        tags: ['action plan'],
        summary: 'One action (for the public: only a published action of a published profile)',
        params: IdParams,
        response: { 200: Action, ...errorResponses },
      },
    },
    async (request, reply) => {
      const action = await findAction(app.db, request.params.id);
      if (!action) return notFound(reply, actionNotFound(request.params.id));
      if (await publicView(request, action.allianceId)) {
        const visible = action.published && (await profilePublished(app.db, action.allianceId));
        if (!visible) return notFound(reply, actionNotFound(request.params.id));
      }
      return action;
    },
  );

  app.patch(
    '/actions/:id',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', actionAlliance.resolve),
      schema: {
        tags: ['action plan'],
        summary: 'Change an action (send the version it was read at; 409 when someone changed it since)',
        params: IdParams,
        body: ActionUpdateBody,
        response: { 200: Action, ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { version, ...changes } = request.body;
      const allianceId = await actionAlliance.allianceId(request);
      if (changes.published !== undefined) {
        // Compared with the action as stored: if it changes before the update, the version check answers 409.
        const current = await findAction(app.db, id);
        const refusal = current && (await publishingRefusal(request, allianceId, changes.published, current.published));
        if (refusal) return forbidden(reply, refusal);
      }
      let outcome;
      try {
        outcome = await changeAs(app.db, await changeAuthor(request, allianceId), (trx) =>
          updateAction(trx, id, version, changes),
        );
      } catch (error) {
        if (error instanceof ActionInputError) return badRequest(reply, codedFrom(error));
        throw error;
      }
      if (outcome === 'missing') return notFound(reply, actionNotFound(id));
      if (outcome === 'stale') {
        return conflict(
          reply,
          await staleVersionMessage(app.db, { entityType: 'plan_action', entityId: id, noun: 'action' }),
        );
      }
      return (await findAction(app.db, id))!;
    },
  );

  app.delete(
    '/actions/:id',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', actionAlliance.resolve),
      schema: {
        tags: ['action plan'],
        summary: 'Delete an action (it can be restored from the history)',
        params: IdParams,
        response: { 204: Type.Null(), ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const allianceId = await actionAlliance.allianceId(request);
      const deleted = await changeAs(app.db, await changeAuthor(request, allianceId), (trx) => deleteAction(trx, id));
      if (!deleted) return notFound(reply, actionNotFound(id));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/actions/:id/effect',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('read', actionAlliance.resolve),
      schema: {
        tags: ['action plan'],
        summary: "An action's expected effect: the latest what-if scenario that adds its planned service (members)",
        description:
          'Any scenario saved on one of the alliance’s gap analyses whose added services include one with this ' +
          'action’s id (planActionId); `effect` is null when there is none.',
        params: IdParams,
        response: { 200: Type.Object({ effect: Nullable(ActionEffect) }), ...readErrorResponses },
      },
    },
    async (request, reply) => {
      const action = await findAction(app.db, request.params.id);
      if (!action) return notFound(reply, actionNotFound(request.params.id));
      return { effect: await latestActionEffect(app.db, action) };
    },
  );

  app.post(
    '/actions/:id/effect',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', actionAlliance.resolve),
      schema: {
        tags: ['action plan'],
        summary: "Compute an action's expected effect: a what-if adding its planned service alone (editors)",
        description:
          'On the alliance’s latest finished gap analysis in minutes (walk, bike or drive) that measures the ' +
          'action’s planned category; saved with that run like any scenario. 409 "action.no-planned-service" ' +
          'without a planned place and category, 409 "action.no-travel-run" without such a run.',
        params: IdParams,
        response: { 201: ActionEffect, ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const action = await findAction(app.db, request.params.id);
      if (!action) return notFound(reply, actionNotFound(request.params.id));
      if (!action.plannedPlace || !action.plannedCategory) {
        return conflict(reply, said('action.no-planned-service', { number: action.number }));
      }
      const run = await latestTravelRun(app.db, action.allianceId, action.plannedCategory);
      if (!run) return conflict(reply, said('action.no-travel-run', { category: action.plannedCategory }));
      const effect = await computeActionEffect(app.db, action, run, {
        accountId: (await request.actor())?.accountId ?? null,
        travelMatrix: travelMatrixOf(app.database),
      });
      return reply.code(201).send(effect);
    },
  );

  app.get(
    '/actions/:id/comments',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('read', actionAlliance.resolve),
      schema: {
        tags: ['action plan'],
        summary: "Members' comments on an action, oldest first",
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(Comment) }), ...readErrorResponses },
      },
    },
    async (request) => ({ items: await listComments(app.db, 'plan_action', request.params.id) }),
  );

  app.post(
    '/actions/:id/comments',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('read', actionAlliance.resolve),
      schema: {
        tags: ['action plan'],
        summary: 'Comment on an action (any member of the alliance)',
        params: IdParams,
        body: CommentCreateBody,
        response: { 201: Comment, ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body.body.trim();
      if (!body) return badRequest(reply, said('input.comment-empty'));
      const allianceId = await actionAlliance.allianceId(request);
      const author = await changeAuthor(request, allianceId);
      const id = await changeAs(app.db, author, (trx) =>
        createComment(trx, {
          allianceId,
          entityType: 'plan_action',
          entityId: request.params.id,
          accountId: author.accountId,
          body,
        }),
      );
      return reply.code(201).send((await findComment(app.db, id))!);
    },
  );
};
