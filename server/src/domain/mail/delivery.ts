import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { isBounced, markBounced } from './bounces.js';

/** The waits after the first, second, third and fourth failed try; the fifth failure gives up (`failed_at`). */
export const retryDelaysMs: readonly number[] = [60_000, 10 * 60_000, 60 * 60_000, 6 * 60 * 60_000];
export const maxAttempts = retryDelaysMs.length + 1;

/**
 * How long a claimed mail is left to the instance that claimed it before another may try it: longer than a send
 * can take (see `smtpSender`'s timeouts), so that a mail is sent twice only when its sender died mid-send.
 */
export const claimLeaseMs = 10 * 60_000;

/** What a sender gets: never more than the outbox row holds. */
export interface OutgoingMail {
  to: string;
  subject: string;
  body: string;
}

/** Sends one mail, or throws (nodemailer's errors: `code`, `responseCode`, `permanent`, `command`). */
export interface MailSender {
  send(mail: OutgoingMail): Promise<void>;
}

/**
 * Why a send failed, and what follows: `bounce`, the server refused the recipient for good (5xx to RCPT TO): the
 * address is marked and the mail given up; `refused`, the server refused this message for good (5xx to DATA): given
 * up; `temporary`, anything else (4xx, a dropped connection, a timeout, a refused sender or login, which an admin
 * can fix): tried again later.
 */
export interface DeliveryFailure {
  kind: 'bounce' | 'refused' | 'temporary';
  reason: string;
}

interface SmtpError {
  message?: unknown;
  code?: unknown;
  command?: unknown;
  response?: unknown;
  responseCode?: unknown;
  permanent?: unknown;
  rejected?: unknown;
}

export function deliveryFailure(error: unknown): DeliveryFailure {
  const smtp = (typeof error === 'object' && error !== null ? error : {}) as SmtpError;
  const reply = typeof smtp.response === 'string' ? smtp.response : undefined;
  const reason = (reply ?? (typeof smtp.message === 'string' ? smtp.message : String(error))).slice(0, 500);
  const permanent =
    smtp.permanent === true ||
    (smtp.permanent === undefined && typeof smtp.responseCode === 'number' && smtp.responseCode >= 500);
  if (!permanent) return { kind: 'temporary', reason };
  const recipientRefused =
    smtp.command === 'RCPT TO' ||
    (Array.isArray(smtp.rejected) && smtp.rejected.length > 0 && smtp.code === 'EENVELOPE');
  if (recipientRefused) return { kind: 'bounce', reason };
  if (smtp.command === 'DATA' || smtp.code === 'EMESSAGE') return { kind: 'refused', reason };
  return { kind: 'temporary', reason };
}

/** When to try again after the `attempts`-th failed try, at `now`; null: give up. */
export function nextAttemptAfter(attempts: number, now: Date): Date | null {
  const delay = retryDelaysMs[attempts - 1];
  return delay === undefined ? null : new Date(now.getTime() + delay);
}

interface ClaimedMail extends OutgoingMail {
  id: string;
  /** Tries including this one. */
  attempts: number;
}

/**
 * Takes the next mail due at `now` for this instance: one short transaction that locks the row (`skip locked`:
 * another instance takes the next one), counts the try and leases the row for `claimLeaseMs`. The send happens
 * after it commits, so that no transaction stays open while a mail server answers — the embedded database has a
 * single session that every request waits for. A row found with all its tries counted was cut off mid-send (its
 * process stopped): it is given up. A row to an address that bounced since it was queued is given up unsent.
 */
async function claimNextMail(db: Kysely<Database>, now: Date): Promise<ClaimedMail | undefined> {
  for (;;) {
    const outcome = await db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('outbox')
        .select(['id', 'to_email', 'subject', 'body', 'attempts'])
        .where('sent_at', 'is', null)
        .where('failed_at', 'is', null)
        .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', now)]))
        .orderBy(sql`next_attempt_at nulls first`)
        .orderBy('created_at')
        .orderBy('id')
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!row) return 'none' as const;
      const giveUp = (lastError: string) =>
        trx
          .updateTable('outbox')
          .set({ failed_at: now, next_attempt_at: null, last_error: sql<string>`coalesce(last_error, ${lastError})` })
          .where('id', '=', row.id)
          .execute();
      if (row.attempts >= maxAttempts) {
        await giveUp('The last try was cut off before it ended.');
        return 'skipped' as const;
      }
      if (await isBounced(trx, row.to_email)) {
        await trx
          .updateTable('outbox')
          .set({ failed_at: now, next_attempt_at: null, last_error: 'The address bounced: not sent.' })
          .where('id', '=', row.id)
          .execute();
        return 'skipped' as const;
      }
      const attempts = row.attempts + 1;
      await trx
        .updateTable('outbox')
        .set({ attempts, next_attempt_at: new Date(now.getTime() + claimLeaseMs) })
        .where('id', '=', row.id)
        .execute();
      return { id: row.id, to: row.to_email, subject: row.subject, body: row.body, attempts };
    });
    if (outcome !== 'skipped') return outcome === 'none' ? undefined : outcome;
  }
}

/** Writes what came of a try, in one transaction: sent, tried again later, given up, and the address bounced. */
async function recordOutcome(
  db: Kysely<Database>,
  mail: ClaimedMail,
  failure: DeliveryFailure | null,
  now: Date,
): Promise<'sent' | 'retry' | 'failed' | 'bounced'> {
  return db.transaction().execute(async (trx) => {
    const row = trx.updateTable('outbox').where('id', '=', mail.id);
    if (!failure) {
      await row.set({ sent_at: now, next_attempt_at: null, last_error: null }).execute();
      return 'sent';
    }
    if (failure.kind === 'bounce') await markBounced(trx, mail.to, failure.reason, now);
    const retryAt = failure.kind === 'temporary' ? nextAttemptAfter(mail.attempts, now) : null;
    if (retryAt) {
      await row.set({ next_attempt_at: retryAt, last_error: failure.reason }).execute();
      return 'retry';
    }
    await row.set({ failed_at: now, next_attempt_at: null, last_error: failure.reason }).execute();
    return failure.kind === 'bounce' ? 'bounced' : 'failed';
  });
}

export interface DeliveryReport {
  sent: number;
  retry: number;
  failed: number;
  bounced: number;
}

/**
 * Sends the mails due at `now`, one after another, until none is due or `limit` were tried. Each mail is claimed,
 * sent and its outcome recorded on its own: one failure never holds back the others. `now` is the clock the
 * backoff counts from (a parameter, for tests).
 */
export async function deliverWaitingMails(
  db: Kysely<Database>,
  sender: MailSender,
  options: { now?: Date; limit?: number; log?: { info(message: string): void; warn(message: string): void } } = {},
): Promise<DeliveryReport> {
  const now = options.now ?? new Date();
  const limit = options.limit ?? 100;
  const report: DeliveryReport = { sent: 0, retry: 0, failed: 0, bounced: 0 };
  for (let tried = 0; tried < limit; tried += 1) {
    const mail = await claimNextMail(db, now);
    if (!mail) break;
    let failure: DeliveryFailure | null = null;
    try {
      await sender.send({ to: mail.to, subject: mail.subject, body: mail.body });
    } catch (error) {
      failure = deliveryFailure(error);
    }
    const outcome = await recordOutcome(db, mail, failure, now);
    report[outcome] += 1;
    if (outcome === 'sent') options.log?.info(`mail sent to ${mail.to}: ${mail.subject}`);
    else options.log?.warn(`mail to ${mail.to} not sent (${outcome}, try ${mail.attempts}): ${failure?.reason}`);
  }
  return report;
}
