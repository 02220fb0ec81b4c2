import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/** Addresses are kept as accounts keep them: trimmed and lower case. */
const bounceKey = (email: string) => email.trim().toLowerCase();

/** True when a mail server refused `email` for good: no more mail is queued or sent to it until it is cleared. */
export async function isBounced(db: Kysely<Database>, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('mail_bounce')
    .select('email')
    .where('email', '=', bounceKey(email))
    .executeTakeFirst();
  return row !== undefined;
}

/** Records that `email` bounced, and why (the server's reply); the first bounce's date and reason stay. */
export async function markBounced(db: Kysely<Database>, email: string, reason: string, now: Date): Promise<void> {
  await db
    .insertInto('mail_bounce')
    .values({ email: bounceKey(email), reason, bounced_at: now })
    .onConflict((conflict) => conflict.column('email').doNothing())
    .execute();
}

/** Lets mail go to `email` again; false when it was not marked. */
export async function clearBounce(db: Kysely<Database>, email: string): Promise<boolean> {
  const result = await db.deleteFrom('mail_bounce').where('email', '=', bounceKey(email)).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export interface MailOverview {
  /** Mails not sent yet and not given up, oldest first (at most `limit`). */
  waiting: {
    id: string;
    to: string;
    subject: string;
    createdAt: Date;
    attempts: number;
    nextAttemptAt: Date | null;
    lastError: string | null;
  }[];
  waitingCount: number;
  /** Mails given up, most recent first (at most `limit`). */
  failed: {
    id: string;
    to: string;
    subject: string;
    createdAt: Date;
    attempts: number;
    failedAt: Date;
    lastError: string | null;
  }[];
  failedCount: number;
  bounces: { email: string; bouncedAt: Date; reason: string | null }[];
}

/**
 * What waits in the outbox, what was given up, and the addresses that bounced, for a platform admin. Never the
 * bodies: they hold links that sign their holder in.
 */
export async function mailOverview(db: Kysely<Database>, limit = 200): Promise<MailOverview> {
  const waiting = db.selectFrom('outbox').where('sent_at', 'is', null).where('failed_at', 'is', null);
  const failed = db.selectFrom('outbox').where('failed_at', 'is not', null);
  const [waitingRows, waitingCount, failedRows, failedCount, bounces] = await Promise.all([
    waiting
      .select(['id', 'to_email', 'subject', 'created_at', 'attempts', 'next_attempt_at', 'last_error'])
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit)
      .execute(),
    waiting.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
    failed
      .select(['id', 'to_email', 'subject', 'created_at', 'attempts', 'failed_at', 'last_error'])
      .orderBy('failed_at', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute(),
    failed.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
    db.selectFrom('mail_bounce').select(['email', 'bounced_at', 'reason']).orderBy('bounced_at', 'desc').execute(),
  ]);
  return {
    waiting: waitingRows.map((row) => ({
      id: row.id,
      to: row.to_email,
      subject: row.subject,
      createdAt: row.created_at,
      attempts: row.attempts,
      nextAttemptAt: row.next_attempt_at,
      lastError: row.last_error,
    })),
    waitingCount: Number(waitingCount.count),
    failed: failedRows.map((row) => ({
      id: row.id,
      to: row.to_email,
      subject: row.subject,
      createdAt: row.created_at,
      attempts: row.attempts,
      failedAt: row.failed_at!,
      lastError: row.last_error,
    })),
    failedCount: Number(failedCount.count),
    bounces: bounces.map((row) => ({ email: row.email, bouncedAt: row.bounced_at, reason: row.reason })),
  };
}
