import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { generateToken, hashToken } from '../admin/adminToken.js';
import { mailLanguage, queueMail, selfServiceMail } from '../accounts/mailer.js';

/** A link waits a month for the organisation; once opened, its session lasts two hours. */
export const SELF_SERVICE_LINK_DAYS = 30;
export const SELF_SERVICE_SESSION_HOURS = 2;

/** The session cookie, sent to the self-service routes only (its path), and to no other site (SameSite=Strict). */
export const SELF_SERVICE_COOKIE = 'passerelle_self_service';
export const SELF_SERVICE_COOKIE_PATH = '/api/self-service';
/** The header every self-service change carries: the page's token from the opening, which another site cannot read. */
export const SELF_SERVICE_CSRF_HEADER = 'x-self-service-token';

/** The page a link opens, followed by the token. */
export function selfServiceUrl(base: string, token: string): string {
  return `${base.replace(/\/+$/, '')}/map#/self-service/${token}`;
}

/**
 * The token a page sends back with each change: derived from the session token, which the page never sees (the
 * cookie is HTTP-only), so that only the answers of this origin hand it out.
 */
export function selfServiceCsrfToken(sessionToken: string): string {
  return createHash('sha256').update(`self-service-csrf:${sessionToken}`).digest('base64url');
}

/** A link as the editors' list shows it: never its token. */
export interface SentSelfServiceLink {
  id: string;
  email: string | null;
  sentBy: string | null;
  createdAt: string;
  expiresAt: string;
  openedAt: string | null;
  expired: boolean;
}

/** What sending a link gives: the link, or why it could not be sent. */
export type SendOutcome =
  | { state: 'queued'; link: SentSelfServiceLink; token: string }
  | { state: 'no-address'; organizationName: string }
  | { state: 'missing' };

interface SendOptions {
  /** The address to write to; by default the organisation's public e-mail, else its contact's. */
  email?: string;
  /** The editor who sends it; null when the monthly run does. */
  createdBy: string | null;
  now?: Date;
  /** The site's origin the link starts with (PUBLIC_URL). */
  baseUrl?: string;
  log?: { info(message: string): void };
}

/**
 * Creates a link for an organisation and queues the mail that carries it, listing the organisation's services,
 * in the alliance's first language. Run it in a transaction: the link and its mail are made together.
 */
export async function queueSelfServiceLink(
  db: Kysely<Database>,
  organizationId: string,
  { email, createdBy, now = new Date(), baseUrl = '', log }: SendOptions,
): Promise<SendOutcome> {
  const organization = await db
    .selectFrom('organization as o')
    .innerJoin('alliance as a', 'a.id', 'o.alliance_id')
    .select(['o.name', 'o.email', 'o.contact_email', 'a.name as allianceName', 'a.languages'])
    .where('o.id', '=', organizationId)
    .executeTakeFirst();
  if (!organization) return { state: 'missing' };
  const to = (email ?? organization.email ?? organization.contact_email)?.trim();
  if (!to) return { state: 'no-address', organizationName: organization.name };

  const services = await db
    .selectFrom('service')
    .select('name')
    .where('organization_id', '=', organizationId)
    .orderBy('name')
    .execute();
  const token = generateToken();
  const expiresAt = new Date(now.getTime() + SELF_SERVICE_LINK_DAYS * 86_400_000);
  const row = await db
    .insertInto('self_service_link')
    .values({
      id: hashToken(token),
      organization_id: organizationId,
      email: to,
      created_by: createdBy,
      created_at: now,
      expires_at: expiresAt,
    })
    .returning(['public_id'])
    .executeTakeFirstOrThrow();
  const mail = selfServiceMail({
    organizationName: organization.name,
    allianceName: organization.allianceName,
    serviceNames: services.map((service) => service.name),
    url: selfServiceUrl(baseUrl, token),
    days: SELF_SERVICE_LINK_DAYS,
    language: mailLanguage(organization.languages[0]),
  });
  await queueMail(db, to, mail.subject, mail.body, log);
  const sentBy = createdBy
    ? ((await db.selectFrom('account').select('display_name').where('id', '=', createdBy).executeTakeFirst())
        ?.display_name ?? null)
    : null;
  return {
    state: 'queued',
    token,
    link: {
      id: row.public_id,
      email: to,
      sentBy,
      createdAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
      openedAt: null,
      expired: false,
    },
  };
}

/**
 * The reminder the monthly run sends an organisation whose services are overdue: a new link to its own address,
 * by nobody in particular. Run it in the run's transaction.
 */
export async function queueOrganizationReminder(
  db: Kysely<Database>,
  organizationId: string,
  options: { createdBy: string | null; now: Date; baseUrl?: string; log?: { info(message: string): void } },
): Promise<SendOutcome> {
  return queueSelfServiceLink(db, organizationId, options);
}

/** The links sent to an organisation, newest first, with whether each was opened or has expired. */
export async function listSelfServiceLinks(
  db: Kysely<Database>,
  organizationId: string,
  now: Date = new Date(),
): Promise<SentSelfServiceLink[]> {
  const rows = await db
    .selectFrom('self_service_link as l')
    .leftJoin('account as a', 'a.id', 'l.created_by')
    .select([
      'l.public_id as id',
      'l.email',
      'a.display_name as sentBy',
      'l.created_at as createdAt',
      'l.expires_at as expiresAt',
      'l.opened_at as openedAt',
    ])
    .where('l.organization_id', '=', organizationId)
    .orderBy('l.created_at', 'desc')
    .execute();
  return rows.map((row) => {
    const expiresAt = new Date(row.expiresAt);
    return {
      ...row,
      createdAt: new Date(row.createdAt).toISOString(),
      expiresAt: expiresAt.toISOString(),
      openedAt: row.openedAt === null ? null : new Date(row.openedAt).toISOString(),
      expired: row.openedAt === null && expiresAt <= now,
    };
  });
}

/** What opening a link gives: a session for its organisation, or why not. */
export type OpenOutcome =
  | { state: 'opened'; organizationId: string; sessionToken: string; sessionExpiresAt: Date }
  | { state: 'unknown' | 'expired' | 'used' };

/**
 * Opens a link, once: stamps it opened and hands a session token (its sha256 kept). Of two requests racing with
 * the same link, only one opens it. The lookup is by the token's hash, so a forged token costs the same as a real one.
 */
export async function openSelfServiceLink(
  db: Kysely<Database>,
  token: string,
  now: Date = new Date(),
): Promise<OpenOutcome> {
  const id = hashToken(token);
  const sessionToken = generateToken();
  const sessionExpiresAt = new Date(now.getTime() + SELF_SERVICE_SESSION_HOURS * 3_600_000);
  const opened = await db
    .updateTable('self_service_link')
    .set({ opened_at: now, session_id: hashToken(sessionToken), session_expires_at: sessionExpiresAt })
    .where('id', '=', id)
    .where('opened_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('organization_id')
    .executeTakeFirst();
  if (opened) return { state: 'opened', organizationId: opened.organization_id, sessionToken, sessionExpiresAt };
  const link = await db
    .selectFrom('self_service_link')
    .select(['opened_at', 'expires_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!link) return { state: 'unknown' };
  return { state: link.opened_at !== null ? 'used' : 'expired' };
}

/** Who a self-service session speaks for. */
export interface SelfServiceSession {
  linkId: string;
  organizationId: string;
  organizationName: string;
  allianceId: string;
  timezone: string;
  /** Whether the alliance asks for an editor's approval of what the organisation changes. */
  approval: boolean;
}

/** The session a session token belongs to, while it lasts; undefined otherwise. */
export async function findSelfServiceSession(
  db: Kysely<Database>,
  sessionToken: string,
  now: Date = new Date(),
): Promise<SelfServiceSession | undefined> {
  return db
    .selectFrom('self_service_link as l')
    .innerJoin('organization as o', 'o.id', 'l.organization_id')
    .innerJoin('alliance as a', 'a.id', 'o.alliance_id')
    .select([
      'l.id as linkId',
      'o.id as organizationId',
      'o.name as organizationName',
      'a.id as allianceId',
      'a.timezone',
      'a.self_service_approval as approval',
    ])
    .where('l.session_id', '=', hashToken(sessionToken))
    .where('l.session_expires_at', '>', now)
    .executeTakeFirst();
}
