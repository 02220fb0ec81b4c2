import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { changeAs } from '../../domain/history/actingAs.js';
import { allianceOfRun, findProfile, setRunPublished } from '../../domain/profile/profileRepository.js';
import { errorResponses, writeErrorResponses } from '../commonSchemas.js';
import { notFound } from '../notFound.js';
import { allianceInPath, allianceOfRecordInPath, changeAuthor, conflict } from '../workspaceRouting.js';
import { AllianceParams, Profile, RunParams, RunPublishBody, RunPublished } from './schemas.js';
import { said } from '../../domain/messages/userError.js';

const runNotFound = (id: string) => said('not-found.gap-analysis', { id });

/**
 * The alliance's public profile, and the choice of which gap analyses it shows as research. Members always see
 * the profile, as a preview while it is not published; the public only once the coordinator has published it.
 */
export const profileRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const alliance = allianceInPath(app);
  const runAlliance = allianceOfRecordInPath((id) => allianceOfRun(app.db, id), runNotFound);

  app.get(
    '/alliances/:idOrSlug/profile',
    {
      schema: {
        tags: ['profile'],
        summary: "The alliance's public profile: members, signatories, published actions and research",
        description: 'Organisations and names only, never contact details. 404 for the public until it is published.',
        params: AllianceParams,
        response: { 200: Profile, ...errorResponses },
      },
    },
    async (request, reply) => {
      const target = await alliance.resolve(request);
      if ('notFound' in target) return notFound(reply, target.notFound);
      const profile = (await findProfile(app.db, target.allianceId))!;
      if (!profile.published && !(await request.can(target.allianceId, 'read'))) {
        return notFound(reply, said('not-found.profile'));
      }
      return profile;
    },
  );

  app.patch(
    '/gap-analyses/:id',
    {
      onRequest: app.requireSignedIn,
      // Publishing is the coordinators': editors run analyses, a coordinator chooses what the public sees.
      preHandler: app.requirePermission('manage', runAlliance.resolve),
      schema: {
        tags: ['profile', 'gap analysis'],
        summary: "Publish a finished gap analysis on the alliance's profile, or take it off (coordinators)",
        params: RunParams,
        body: RunPublishBody,
        response: { 200: RunPublished, ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { published } = request.body;
      const allianceId = await runAlliance.allianceId(request);
      const outcome = await changeAs(app.db, await changeAuthor(request, allianceId), (trx) =>
        setRunPublished(trx, id, published),
      );
      if (outcome === 'missing') return notFound(reply, runNotFound(id));
      if (outcome === 'unfinished') {
        return conflict(reply, said('gap.publish-unfinished'));
      }
      return { id, published };
    },
  );
};
