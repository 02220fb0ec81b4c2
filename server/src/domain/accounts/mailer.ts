import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { AllianceRole } from '../../db/schema.js';
import ar from './mails/ar.json' with { type: 'json' };
import de from './mails/de.json' with { type: 'json' };
import en from './mails/en.json' with { type: 'json' };
import es from './mails/es.json' with { type: 'json' };
import fr from './mails/fr.json' with { type: 'json' };
import nl from './mails/nl.json' with { type: 'json' };
import sv from './mails/sv.json' with { type: 'json' };
import uk from './mails/uk.json' with { type: 'json' };
import { isWorkspaceLanguage, type WorkspaceLanguage } from './workspaceLanguages.js';

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

/** A message of a mail file: a text with `{placeholders}`, or its plural forms by Intl.PluralRules category. */
export type MailMessage = string | Partial<Record<Intl.LDMLPluralRule, string>>;

/** The keys every mail file has (en.json's), each a text or plural forms. */
export type MailKey = keyof typeof en;

/** The mail files, one per workspace language: `mails/<lang>.json`. */
export const mailFiles: Record<WorkspaceLanguage, Record<MailKey, MailMessage>> = { en, fr, nl, sv, de, es, ar, uk };

function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** A mail file's message in a language, plural forms chosen for `count`. */
function message(language: WorkspaceLanguage, key: MailKey, values: Record<string, string | number> = {}): string {
  const found = mailFiles[language][key];
  if (typeof found === 'string') return fill(found, values);
  const count = Number(values.count ?? 0);
  const form = new Intl.PluralRules(language).select(count);
  return fill(found[form] ?? found.other ?? '', { ...values, count: count.toLocaleString(language) });
}

/**
 * The language to write to someone in: the first of `choices` that is a workspace language (their account's
 * language, then what the sender chose, then the alliance's first language), English otherwise.
 */
export function mailLanguage(...choices: (string | null | undefined)[]): WorkspaceLanguage {
  return choices.find(isWorkspaceLanguage) ?? 'en';
}

export interface Mail {
  subject: string;
  body: string;
  language: WorkspaceLanguage;
}

/** The mail that carries a password reset link, in `language`. */
export function passwordResetMail(email: string, url: string, hours: number, language: WorkspaceLanguage = 'en'): Mail {
  return {
    subject: message(language, 'passwordReset.subject'),
    body: message(language, 'passwordReset.body', { email, url, hours: message(language, 'hours', { count: hours }) }),
    language,
  };
}

/** The mail that carries an invitation into an alliance, in `language`. */
export function invitationMail(invitation: {
  allianceName: string;
  role: AllianceRole;
  invitedBy: string | null;
  url: string;
  days: number;
  language?: WorkspaceLanguage;
}): Mail {
  const language = invitation.language ?? 'en';
  const alliance = invitation.allianceName;
  return {
    subject: message(language, 'invitation.subject', { alliance }),
    body: message(language, 'invitation.body', {
      inviter: invitation.invitedBy ?? message(language, 'invitation.unknownInviter'),
      alliance,
      role: message(language, `role.${invitation.role}`),
      url: invitation.url,
      days: message(language, 'days', { count: invitation.days }),
    }),
    language,
  };
}

/**
 * The mail that carries an organisation's self-service link, listing its services (and no one else's), in
 * `language`.
 */
export function selfServiceMail(link: {
  organizationName: string;
  allianceName: string;
  serviceNames: string[];
  url: string;
  days: number;
  language?: WorkspaceLanguage;
}): Mail {
  const language = link.language ?? 'en';
  const services =
    link.serviceNames.length > 0
      ? link.serviceNames.map((name) => `  - ${name}`).join('\n')
      : `  ${message(language, 'selfService.noServices')}`;
  return {
    subject: message(language, 'selfService.subject', { organization: link.organizationName }),
    body: message(language, 'selfService.body', {
      alliance: link.allianceName,
      organization: link.organizationName,
      services,
      url: link.url,
      days: message(language, 'days', { count: link.days }),
    }),
    language,
  };
}
