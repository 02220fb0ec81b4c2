import { Type } from 'typebox';
import { Nullable } from '../commonSchemas.js';

const Timestamp = Type.String({ format: 'date-time' });

const QueuedMail = {
  id: Type.String({ format: 'uuid' }),
  to: Type.String({ description: 'The recipient.' }),
  subject: Type.String(),
  createdAt: Timestamp,
  attempts: Type.Integer({ minimum: 0, description: 'Tries so far.' }),
  lastError: Nullable(Type.String({ description: "The mail server's last reply, or why the last try failed." })),
};

export const MailOverview = Type.Object({
  delivery: Type.Enum(['smtp', 'outbox-only'], {
    description:
      '`smtp`: SMTP_URL is set and Passerelle sends the mails; `outbox-only`: they wait for another program.',
  }),
  waiting: Type.Array(
    Type.Object({
      ...QueuedMail,
      nextAttemptAt: Nullable({ ...Timestamp, description: 'Not tried again before then; null: at the next round.' }),
    }),
    { description: 'Mails not sent yet, oldest first (the first 200); never their bodies.' },
  ),
  waitingCount: Type.Integer({ minimum: 0 }),
  failed: Type.Array(Type.Object({ ...QueuedMail, failedAt: Timestamp }), {
    description: 'Mails given up (after five tries, or refused for good), most recent first (the first 200).',
  }),
  failedCount: Type.Integer({ minimum: 0 }),
  bounces: Type.Array(Type.Object({ email: Type.String(), bouncedAt: Timestamp, reason: Nullable(Type.String()) }), {
    description: 'Addresses a mail server refused for good: no mail is queued for them until cleared.',
  }),
});

export const BounceParams = Type.Object({
  email: Type.String({ minLength: 3, maxLength: 320, description: 'The address, in any case.' }),
});

export const DigestRun = Type.Object({
  digests: Type.Array(
    Type.Object({
      allianceSlug: Type.String(),
      month: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}$', description: "The month, in the region's calendar." }),
      overdueServices: Type.Integer({ minimum: 0 }),
      mailsQueued: Type.Integer({ minimum: 0 }),
    }),
    { description: 'The alliances whose digest of the month this run queued; empty when every one was done.' },
  ),
});
