import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database, ServiceReportKind } from '../../db/schema.js';
import type { UpdateOutcome } from '../history/staleVersion.js';

export const reportKinds = ['closed', 'moved', 'wrong_hours', 'other'] as const satisfies readonly ServiceReportKind[];
export const reportResolutions = ['corrected', 'dismissed'] as const;
export type ReportResolution = (typeof reportResolutions)[number];

/** The service statuses a newcomer can see in the finder, and so report. */
const reportableStatuses = ['active', 'temporarily closed'] as const;

/** One report, as the alliance's editors read it: the service it is about, never who sent it. */
export interface ServiceReport {
  id: string;
  version: number;
  service: { id: string; name: string; organizationName: string };
  kind: ServiceReportKind;
  comment: string | null;
  language: string | null;
  createdAt: string;
  resolvedAt: string | null;
  /** The editor who resolved it; null while it is open, or when their account is gone. */
  resolvedBy: { accountId: string; displayName: string } | null;
  resolution: ReportResolution | null;
}

/** The alliance of a service a newcomer can report (one the finder shows); undefined for any other. */
export async function allianceOfReportableService(
  db: Kysely<Database>,
  serviceId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('service as s')
    .innerJoin('organization as o', 'o.id', 's.organization_id')
    .select('o.alliance_id')
    .where('s.id', '=', serviceId)
    .where('s.status', 'in', reportableStatuses)
    .executeTakeFirst();
  return row?.alliance_id;
}

/**
 * Records what a newcomer says is wrong with a service. The same open report without a comment (same service, same
 * kind) says nothing new: it is not added again. Answers whether a row was added.
 */
export async function addReport(
  trx: Transaction<Database>,
  report: { serviceId: string; kind: ServiceReportKind; comment: string | null; language: string | null },
): Promise<boolean> {
  if (report.comment === null) {
    const same = await trx
      .selectFrom('service_report')
      .select('id')
      .where('service_id', '=', report.serviceId)
      .where('kind', '=', report.kind)
      .where('comment', 'is', null)
      .where('resolved_at', 'is', null)
      .executeTakeFirst();
    if (same) return false;
  }
  await trx
    .insertInto('service_report')
    .values({
      service_id: report.serviceId,
      kind: report.kind,
      comment: report.comment,
      language: report.language,
    })
    .execute();
  return true;
}

function reportRows(db: Kysely<Database>) {
  return db
    .selectFrom('service_report as r')
    .innerJoin('service as s', 's.id', 'r.service_id')
    .innerJoin('organization as o', 'o.id', 's.organization_id')
    .leftJoin('account as a', 'a.id', 'r.resolved_by')
    .select([
      'r.id',
      'r.version',
      'r.service_id',
      's.name as service_name',
      'o.name as organization_name',
      'r.kind',
      'r.comment',
      'r.language',
      'r.created_at',
      'r.resolved_at',
      'r.resolved_by',
      'a.display_name as resolver_name',
      'a.email as resolver_email',
      'r.resolution',
    ]);
}

type ReportRow = Awaited<ReturnType<ReturnType<typeof reportRows>['executeTakeFirstOrThrow']>>;

function toReport(row: ReportRow): ServiceReport {
  return {
    id: row.id,
    version: row.version,
    service: { id: row.service_id, name: row.service_name, organizationName: row.organization_name },
    kind: row.kind,
    comment: row.comment,
    language: row.language,
    createdAt: row.created_at.toISOString(),
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    resolvedBy:
      row.resolved_by === null
        ? null
        : { accountId: row.resolved_by, displayName: row.resolver_name ?? row.resolver_email ?? '' },
    resolution: row.resolution,
  };
}

/** The alliance's open reports (oldest first: waiting longest) or resolved ones (latest first, at most `limit`). */
export async function listReports(
  db: Kysely<Database>,
  allianceId: string,
  state: 'open' | 'resolved',
  limit = 200,
): Promise<ServiceReport[]> {
  let query = reportRows(db).where('o.alliance_id', '=', allianceId);
  query =
    state === 'open'
      ? query.where('r.resolved_at', 'is', null).orderBy('r.created_at').orderBy('r.id')
      : query.where('r.resolved_at', 'is not', null).orderBy('r.resolved_at', 'desc').orderBy('r.id');
  return (await query.limit(limit).execute()).map(toReport);
}

/** How many reports of the alliance wait for an editor. */
export async function countOpenReports(db: Kysely<Database>, allianceId: string): Promise<number> {
  const row = await db
    .selectFrom('service_report as r')
    .innerJoin('service as s', 's.id', 'r.service_id')
    .innerJoin('organization as o', 'o.id', 's.organization_id')
    .select(sql<number>`count(*)::int`.as('open'))
    .where('o.alliance_id', '=', allianceId)
    .where('r.resolved_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.open);
}

export async function findReport(db: Kysely<Database>, id: string): Promise<ServiceReport | undefined> {
  const row = await reportRows(db).where('r.id', '=', id).executeTakeFirst();
  return row ? toReport(row) : undefined;
}

export async function allianceOfReport(db: Kysely<Database>, id: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('service_report as r')
    .innerJoin('service as s', 's.id', 'r.service_id')
    .innerJoin('organization as o', 'o.id', 's.organization_id')
    .select('o.alliance_id')
    .where('r.id', '=', id)
    .executeTakeFirst();
  return row?.alliance_id;
}

/** What resolving did: as an update, or nothing because the report was resolved already (by someone else). */
export type ResolveOutcome = UpdateOutcome | 'resolved-already';

/** Marks a report read at `version` corrected or dismissed, by `accountId`. */
export async function resolveReport(
  trx: Transaction<Database>,
  id: string,
  version: number,
  resolution: ReportResolution,
  accountId: string | null,
): Promise<ResolveOutcome> {
  const updated = await trx
    .updateTable('service_report')
    .set({ resolution, resolved_by: accountId, resolved_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('resolved_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (updated) return 'updated';
  const current = await trx
    .selectFrom('service_report')
    .select(['resolved_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!current) return 'missing';
  return current.resolved_at ? 'resolved-already' : 'stale';
}
