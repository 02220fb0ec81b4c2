import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

/** Who makes a change, for the change log: an account, or nobody known (demo loads, old API tokens). */
export interface ChangeAuthor {
  accountId: string | null;
  allianceId: string | null;
  /** An author that is not an account, in the change log's `author_label` ("the contact of <organisation>"). */
  label?: string;
}

/**
 * Runs `work` in one transaction whose changes the change log attributes to `author`: the triggers of the
 * versioned tables read these settings (they last until the transaction ends). Every write of the workspace
 * goes through here, so that no change is recorded without its author.
 */
export async function changeAs<T>(
  db: Kysely<Database>,
  author: ChangeAuthor,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('passerelle.account_id', ${author.accountId ?? ''}, true),
                     set_config('passerelle.alliance_id', ${author.allianceId ?? ''}, true),
                     set_config('passerelle.author_label', ${author.label ?? ''}, true)`.execute(trx);
    return work(trx);
  });
}

/** Bulk loads (demo data, benchmarks) are not user changes: they leave the change log alone. */
export async function withoutHistory<T>(
  trx: Transaction<Database>,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  await sql`select set_config('passerelle.history', 'off', true)`.execute(trx);
  return work(trx);
}
