import { type Kysely, sql } from 'kysely';
import type { AllianceRole, Database } from '../../db/schema.js';
import { type DigestService, freshnessDigestMail, mailLanguage, queueMail } from '../accounts/mailer.js';
import { calendarDateAt } from '../schedules/wallClock.js';
import { dueOnExpression, overdueCondition } from './updateCycles.js';
import { queueOrganizationReminder } from '../self-service/selfServiceLinks.js';

/** The roles that get the digest: those who may edit the alliance's services. Members only read. */
export const digestRoles: readonly AllianceRole[] = ['coordinator', 'secretariat', 'editor'];

/** Services that are no longer offered are not checked: they are neither listed nor counted. */
const checkedStatuses = ['active', 'temporarily closed'] as const;

/** The calendar month (YYYY-MM) of `now` in the region's time zone. */
export function regionMonth(now: Date, timeZone: string): string {
  return calendarDateAt(now, timeZone).slice(0, 7);
}

/** Where the "to check" view of an alliance is: the workspace page, under PUBLIC_URL when it is set. */
export function toCheckUrl(publicUrl: string | undefined, allianceSlug: string): string {
  return `${(publicUrl ?? '').replace(/\/+$/, '')}/map#/alliance/${encodeURIComponent(allianceSlug)}/to-check`;
}

/** The services of an alliance overdue at `now`, by organisation (by name), never checked first, then oldest. */
export async function overdueServicesByOrganization(
  db: Kysely<Database>,
  allianceId: string,
  now: Date,
): Promise<{ id: string; name: string; services: DigestService[] }[]> {
  const refs = {
    verifiedAt: sql.ref('s.verified_at'),
    serviceCycle: sql.ref('s.update_cycle_months'),
    allianceCycle: sql.ref('a.update_cycle_months'),
    timeZone: sql.ref('a.timezone'),
  };
  const rows = await db
    .selectFrom('service as s')
    .innerJoin('organization as o', 'o.id', 's.organization_id')
    .innerJoin('alliance as a', 'a.id', 'o.alliance_id')
    .select([
      'o.id as organizationId',
      'o.name as organizationName',
      's.name as serviceName',
      sql<string | null>`to_char(${dueOnExpression(refs)}, 'YYYY-MM-DD')`.as('dueOn'),
    ])
    .where('a.id', '=', allianceId)
    .where('s.status', 'in', checkedStatuses)
    .where(overdueCondition(refs, now))
    .orderBy('o.name')
    .orderBy('o.id')
    .orderBy(sql`${dueOnExpression(refs)} nulls first`)
    .orderBy('s.name')
    .execute();
  const organizations: { id: string; name: string; services: DigestService[] }[] = [];
  for (const row of rows) {
    let organization = organizations.at(-1);
    if (organization?.id !== row.organizationId) {
      organization = { id: row.organizationId, name: row.organizationName, services: [] };
      organizations.push(organization);
    }
    organization.services.push({ name: row.serviceName, dueOn: row.dueOn });
  }
  return organizations;
}

/** What one alliance's digest of a month did: how many services were due, and how many mails were queued. */
export interface DigestOutcome {
  allianceSlug: string;
  month: string;
  overdueServices: number;
  mailsQueued: number;
  /** Organisations with overdue services mailed a self-service link to check them (those with an address). */
  organizationsReminded: number;
}

/**
 * Queues the monthly digest of every alliance that has not had this month's yet, the month read on its region's
 * calendar at `now`. Each alliance's digest is one transaction that first records the month in
 * `freshness_digest`: a second instance (or a second run) finds it there and does nothing, and a failure while
 * queueing leaves the month unrecorded, for the next run to try again. Each editor, secretariat member and
 * coordinator gets one mail in their language listing every overdue service; nobody gets one when nothing is
 * overdue (the month is recorded all the same); an address that bounced gets none (`queueMail`).
 */
export async function sendDueDigests(
  db: Kysely<Database>,
  options: { now?: Date; publicUrl?: string; log?: { info(message: string): void } } = {},
): Promise<DigestOutcome[]> {
  const now = options.now ?? new Date();
  const alliances = await db
    .selectFrom('alliance as a')
    .leftJoin('freshness_digest as d', 'd.alliance_id', 'a.id')
    .select(['a.id', 'a.slug', 'a.name', 'a.timezone', 'a.languages'])
    .select(sql<string[]>`coalesce(array_agg(d.month) filter (where d.month is not null), '{}')`.as('monthsDone'))
    .groupBy('a.id')
    .orderBy('a.slug')
    .execute();
  const outcomes: DigestOutcome[] = [];
  for (const alliance of alliances) {
    const month = regionMonth(now, alliance.timezone);
    if (alliance.monthsDone.includes(month)) continue;
    const outcome = await db.transaction().execute(async (trx) => {
      const recorded = await trx
        .insertInto('freshness_digest')
        .values({ alliance_id: alliance.id, month, sent_at: now })
        .onConflict((conflict) => conflict.columns(['alliance_id', 'month']).doNothing())
        .returning('month')
        .executeTakeFirst();
      if (!recorded) return null;
      const organizations = await overdueServicesByOrganization(trx, alliance.id, now);
      const overdueServices = organizations.reduce((sum, organization) => sum + organization.services.length, 0);
      let mailsQueued = 0;
      if (overdueServices > 0) {
        const recipients = await trx
          .selectFrom('alliance_member as m')
          .innerJoin('account as u', 'u.id', 'm.account_id')
          .select(['u.email', 'u.display_name', 'u.language', 'm.role'])
          .where('m.alliance_id', '=', alliance.id)
          .where('m.role', 'in', digestRoles)
          .orderBy('u.email')
          .execute();
        for (const recipient of recipients) {
          const mail = freshnessDigestMail({
            allianceName: alliance.name,
            recipientName: recipient.display_name,
            role: recipient.role,
            organizations,
            url: toCheckUrl(options.publicUrl, alliance.slug),
            language: mailLanguage(recipient.language, alliance.languages[0]),
          });
          if (await queueMail(trx, recipient.email, mail.subject, mail.body, options.log)) mailsQueued += 1;
        }
      }
      // Each organisation with overdue services gets its own link to check them, when it has an address.
      let organizationsReminded = 0;
      for (const organization of organizations) {
        const reminder = await queueOrganizationReminder(trx, organization.id, {
          createdBy: null,
          now,
          baseUrl: options.publicUrl,
          log: options.log,
        });
        if (reminder.state === 'queued') organizationsReminded += 1;
      }
      return { allianceSlug: alliance.slug, month, overdueServices, mailsQueued, organizationsReminded };
    });
    if (!outcome) continue;
    options.log?.info(
      `digest of ${outcome.month} for ${outcome.allianceSlug}: ${outcome.overdueServices} service(s) to check, ` +
        `${outcome.mailsQueued} mail(s) queued, ${outcome.organizationsReminded} organisation(s) sent a link`,
    );
    outcomes.push(outcome);
  }
  return outcomes;
}
