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
import { isBounced } from '../mail/bounces.js';
import { isWorkspaceLanguage, type WorkspaceLanguage } from './workspaceLanguages.js';

/**
 * Queues a mail in the `outbox` table, in the caller's transaction; `domain/mail` sends it when SMTP_URL names a
 * mail server (otherwise another program may read the rows whose `sent_at` is null). A mail to an address that
 * bounced is not queued: the answer is false and the log says so. The log says a mail was queued, to whom and
 * about what, but never its body: the body holds a link that signs its holder in, which must not end up in log
 * files.
 */
export async function queueMail(
  db: Kysely<Database>,
  to: string,
  subject: string,
  body: string,
  log?: { info(message: string): void },
): Promise<boolean> {
  if (await isBounced(db, to)) {
    log?.info(`mail not queued for ${to}, whose address bounced: ${subject}`);
    return false;
  }
  await db.insertInto('outbox').values({ to_email: to, subject, body, sent_at: null }).execute();
  log?.info(`mail queued for ${to}: ${subject}`);
  return true;
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

/** A service in the monthly digest: its name, and the last day its check held (null: never checked). */
export interface DigestService {
  name: string;
  dueOn: string | null;
}

/** A calendar date (YYYY-MM-DD) in words of `language`, e.g. "15 September 2026". */
function calendarDateInWords(date: string, language: WorkspaceLanguage): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );
}

/**
 * The monthly mail to an editor, the secretariat or a coordinator listing the services of their alliance due for
 * a check, by organisation, with a link to the "to check" view. At most `listLimit` services are named; a line
 * says how many more the view shows.
 */
export function freshnessDigestMail(digest: {
  allianceName: string;
  recipientName: string;
  role: AllianceRole;
  organizations: { name: string; services: DigestService[] }[];
  url: string;
  language?: WorkspaceLanguage;
  listLimit?: number;
}): Mail {
  const language = digest.language ?? 'en';
  const limit = digest.listLimit ?? 200;
  const total = digest.organizations.reduce((sum, organization) => sum + organization.services.length, 0);
  const services = (count: number) => message(language, 'services', { count });
  const lines: string[] = [];
  let listed = 0;
  for (const organization of digest.organizations) {
    if (listed >= limit) break;
    if (lines.length > 0) lines.push('');
    lines.push(
      message(language, 'digest.organization', {
        organization: organization.name,
        services: services(organization.services.length),
      }),
    );
    for (const service of organization.services) {
      if (listed >= limit) break;
      listed += 1;
      const line = service.dueOn
        ? message(language, 'digest.dueOn', {
            service: service.name,
            date: calendarDateInWords(service.dueOn, language),
          })
        : message(language, 'digest.neverChecked', { service: service.name });
      lines.push(`  • ${line}`);
    }
  }
  if (listed < total) lines.push('', message(language, 'digest.more', { count: total - listed }));
  const alliance = digest.allianceName;
  return {
    subject: message(language, 'digest.subject', { alliance, services: services(total) }),
    body: message(language, 'digest.body', {
      name: digest.recipientName,
      alliance,
      services: services(total),
      list: lines.join('\n'),
      url: digest.url,
      role: message(language, `role.${digest.role}`),
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
