import { sql, type Transaction } from 'kysely';
import type { Database, VerifiedVia } from '../../db/schema.js';
import type { UpdateOutcome } from '../history/staleVersion.js';

export interface Verification {
  /** `editor` from the workspace, `organization` through a self-service link (its `accountId` is then null). */
  via: Exclude<VerifiedVia, 'import'>;
  accountId: string | null;
  /** The version the service was read at: a check of a record that changed since is refused (`stale`). */
  version?: number;
}

/**
 * Records that somebody confirmed the service is still true, now: its check date, who and how, and nothing else.
 * Run it inside `changeAs`, so that the history names the author; the version is bumped like any change.
 */
export async function verifyService(
  trx: Transaction<Database>,
  serviceId: string,
  verification: Verification,
): Promise<UpdateOutcome> {
  let update = trx
    .updateTable('service')
    .set({ verified_at: sql`now()`, verified_by: verification.accountId, verified_via: verification.via })
    .where('id', '=', serviceId);
  if (verification.version !== undefined) update = update.where('version', '=', verification.version);
  const updated = await update.executeTakeFirst();
  if (updated.numUpdatedRows > 0n) return 'updated';
  const exists = await trx.selectFrom('service').select('id').where('id', '=', serviceId).executeTakeFirst();
  return exists ? 'stale' : 'missing';
}
