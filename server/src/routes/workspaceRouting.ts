import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { resolveAllianceId } from '../domain/alliances/allianceRepository.js';
import { type PointReader, publicReader } from '../domain/locations/hiddenAddresses.js';
import type { ChangeAuthor } from '../domain/history/actingAs.js';
import type { AllianceOf } from '../plugins/auth.js';
import { type CodedMessage, said } from '../domain/messages/userError.js';
export { conflict } from './notFound.js';

/**
 * Finds the alliance a request acts on once per request: `resolve` is what requirePermission asks, and the
 * handler, run after the permission check passed, reads the same answer with `allianceId`.
 */
export function allianceResolver(lookup: (request: FastifyRequest) => Promise<AllianceOf>) {
  const answers = new WeakMap<FastifyRequest, Promise<AllianceOf>>();
  const resolve = (request: FastifyRequest): Promise<AllianceOf> => {
    let answer = answers.get(request);
    if (!answer) {
      answer = lookup(request);
      answers.set(request, answer);
    }
    return answer;
  };
  return {
    resolve,
    async allianceId(request: FastifyRequest): Promise<string> {
      const answer = await resolve(request);
      if ('notFound' in answer) throw new Error('allianceId() was called before the permission check.');
      return answer.allianceId;
    },
  };
}

/** The alliance named by the `:idOrSlug` path parameter. */
export function allianceInPath(app: FastifyInstance) {
  return allianceResolver(async (request) => {
    const { idOrSlug } = request.params as { idOrSlug: string };
    const allianceId = await resolveAllianceId(app.db, idOrSlug);
    return allianceId ? { allianceId } : { notFound: said('not-found.alliance', { alliance: idOrSlug }) };
  });
}

/** The alliance of the record named by the `:id` path parameter. */
export function allianceOfRecordInPath(
  findAllianceOf: (id: string) => Promise<string | undefined>,
  notFoundMessage: (id: string) => CodedMessage,
) {
  return allianceResolver(async (request) => {
    const { id } = request.params as { id: string };
    const allianceId = await findAllianceOf(id);
    return allianceId ? { allianceId } : { notFound: notFoundMessage(id) };
  });
}

/** Who the change log names as the author of a change made by this request. */
export async function changeAuthor(request: FastifyRequest, allianceId: string): Promise<ChangeAuthor> {
  return { accountId: (await request.actor())?.accountId ?? null, allianceId };
}

/** Whose hidden addresses the asker may see exactly: those of the alliances they are a member of (read). */
export async function pointReader(db: Kysely<Database>, request: FastifyRequest): Promise<PointReader> {
  const actor = await request.actor();
  if (!actor) return publicReader;
  if (actor.isPlatformAdmin) return { memberOf: 'every' };
  if (!actor.accountId) return publicReader;
  const rows = await db
    .selectFrom('alliance_member')
    .select('alliance_id')
    .where('account_id', '=', actor.accountId)
    .execute();
  return { memberOf: rows.map((row) => row.alliance_id) };
}
