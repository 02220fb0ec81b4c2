import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/**
 * Queues a mail. Passerelle sends no mail itself: every mail waits in the `outbox` table, and a deployment that
 * has a mail server wires it by reading the rows whose `sent_at` is null, sending them over SMTP and setting
 * `sent_at`. The log says a mail was queued, to whom and about what, but never its body: the body holds a
 * link that signs its holder in, which must not end up in log files.
 */
export async function queueMail(
  db: Kysely<Database>,
  to: string,
  subject: string,
  body: string,
  log?: { info(message: string): void },
): Promise<void> {
  await db.insertInto('outbox').values({ to_email: to, subject, body, sent_at: null }).execute();
  log?.info(`mail queued for ${to}: ${subject}`);
}

/** The mail that carries a password reset link. */
export function passwordResetMail(email: string, url: string, hours: number): { subject: string; body: string } {
  return {
    subject: 'Choose a new password for Passerelle',
    body:
      `Someone, probably you, asked to choose a new password for the Passerelle account ${email}.\n\n` +
      `Open this link within ${hours} hours to choose it:\n\n  ${url}\n\n` +
      'The link works once. If you did not ask for it, ignore this mail: your password stays as it is.\n',
  };
}

/** The mail that carries an invitation into an alliance. */
export function invitationMail(invitation: {
  allianceName: string;
  role: string;
  invitedBy: string | null;
  url: string;
  days: number;
}): { subject: string; body: string } {
  const who = invitation.invitedBy ?? 'The coordinator';
  return {
    subject: `Invitation to ${invitation.allianceName} on Passerelle`,
    body:
      `${who} invites you to join ${invitation.allianceName} on Passerelle, as ${invitation.role}.\n\n` +
      `Open this link within ${invitation.days} days to accept (you will choose a password if you have none yet):\n\n` +
      `  ${invitation.url}\n\n` +
      'The link works once. If you do not know this alliance, ignore this mail.\n',
  };
}
