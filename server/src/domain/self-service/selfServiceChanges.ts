import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, ServiceStatus } from '../../db/schema.js';
import { changeAs } from '../history/actingAs.js';
import { updateService, type ServiceWrite } from '../services/serviceRepository.js';
import type { SelfServiceSession } from './selfServiceLinks.js';
import { addClosure } from '../closures/closureRepository.js';
import { verifyService } from '../freshness/verifyService.js';

/** A service as its organisation sees it on the self-service page: its public face, no one's contact details. */
export interface SelfServiceService {
  id: string;
  name: string;
  description: string | null;
  openingHours: string | null;
  phone: string | null;
  email: string | null;
  url: string | null;
  feesDescription: string | null;
  status: ServiceStatus;
  verifiedAt: string | null;
  /** Closures that have not ended yet (region calendar), soonest first. */
  closures: { id: string; startsOn: string; endsOn: string; note: string | null }[];
  /** Changes sent through a link that wait for an editor. */
  waitingChanges: number;
}

/** The fields an organisation may change through its link: its services' public face, nothing structural. */
export interface SelfServiceEdit {
  description?: string | null;
  openingHours?: string | null;
  phone?: string | null;
  email?: string | null;
  url?: string | null;
  feesDescription?: string | null;
}

export type SelfServiceChange =
  | { kind: 'verify' }
  | { kind: 'edit'; changes: SelfServiceEdit }
  | { kind: 'closure'; startsOn: string; endsOn: string; note: string | null };

/** A calendar date (YYYY-MM-DD) in a time zone. */
export function calendarDate(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** The organisation's services, by name, with their closures not ended by `today`. */
export async function listOrganizationServices(
  db: Kysely<Database>,
  organizationId: string,
  today: string,
): Promise<SelfServiceService[]> {
  const services = await db
    .selectFrom('service as s')
    .select([
      's.id',
      's.name',
      's.description',
      's.phone',
      's.email',
      's.url',
      's.fees_description as feesDescription',
      's.status',
      's.verified_at as verifiedAt',
      sql<string | null>`(
        select sc.opening_hours from schedule sc
        where sc.service_id = s.id and sc.location_id is null and sc.opening_hours is not null
        order by sc.id limit 1)`.as('openingHours'),
      sql<number>`(
        select count(*)::int from self_service_proposal p
        where p.service_id = s.id and p.decided_at is null)`.as('waitingChanges'),
    ])
    .where('s.organization_id', '=', organizationId)
    .orderBy('s.name')
    .execute();
  if (services.length === 0) return [];
  const closures = await db
    .selectFrom('service_closure')
    .select([
      'id',
      'service_id',
      sql<string>`starts_on::text`.as('startsOn'),
      sql<string>`ends_on::text`.as('endsOn'),
      'note',
    ])
    .where(
      'service_id',
      'in',
      services.map((service) => service.id),
    )
    .where('opening_hours', 'is', null)
    .where(sql<boolean>`ends_on >= ${today}::date`)
    .orderBy('starts_on')
    .execute();
  return services.map((service) => ({
    ...service,
    verifiedAt: service.verifiedAt === null ? null : new Date(service.verifiedAt).toISOString(),
    closures: closures
      .filter((closure) => closure.service_id === service.id)
      .map(({ service_id: _serviceId, ...closure }) => closure),
  }));
}

/** Whether a service is the organisation's. */
export async function isServiceOf(db: Kysely<Database>, serviceId: string, organizationId: string): Promise<boolean> {
  const row = await db
    .selectFrom('service')
    .select('id')
    .where('id', '=', serviceId)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Makes the change, in the caller's transaction (whose author the caller set): the closure through the closures'
 * own rules (`addClosure`: real days, at most two years), the check through `verifyService` as the organisation's.
 */
async function applyChange(trx: Transaction<Database>, serviceId: string, change: SelfServiceChange) {
  if (change.kind === 'verify') {
    await verifyService(trx, serviceId, { via: 'organization', accountId: null });
    return;
  }
  if (change.kind === 'closure') {
    await addClosure(trx, serviceId, {
      startsOn: change.startsOn,
      endsOn: change.endsOn,
      openingHours: null,
      note: change.note ?? null,
    });
    return;
  }
  const current = await trx
    .selectFrom('service')
    .select('version')
    .where('id', '=', serviceId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  await updateService(trx, serviceId, current.version, change.changes as Partial<ServiceWrite>);
}

/** The change log's author for what an organisation changes through its link. */
export const selfServiceAuthorLabel = (organizationName: string) =>
  `${organizationName} (through its self-service link)`;
/** …and for what an editor approved of it. */
export const approvedChangeLabel = (organizationName: string) => `approved change from ${organizationName}`;

/**
 * What an organisation sends through its link: made at once, recorded with the organisation as its author, or kept
 * as a proposal for an editor when the alliance asks for approval. 'missing' when the service is not the
 * organisation's.
 */
export async function submitSelfServiceChange(
  db: Kysely<Database>,
  session: SelfServiceSession,
  serviceId: string,
  change: SelfServiceChange,
  now: Date = new Date(),
): Promise<'applied' | 'proposed' | 'missing'> {
  if (!(await isServiceOf(db, serviceId, session.organizationId))) return 'missing';
  if (session.approval) {
    const { kind, ...changes } = change;
    await db
      .insertInto('self_service_proposal')
      .values({
        organization_id: session.organizationId,
        service_id: serviceId,
        link_id: session.linkId,
        kind,
        changes: JSON.stringify(kind === 'edit' ? (changes as { changes: SelfServiceEdit }).changes : changes),
        created_at: now,
      })
      .execute();
    return 'proposed';
  }
  await changeAs(
    db,
    { accountId: null, allianceId: session.allianceId, label: selfServiceAuthorLabel(session.organizationName) },
    (trx) => applyChange(trx, serviceId, change),
  );
  return 'applied';
}

/** A change an organisation proposed, as the editors' list shows it. */
export interface SelfServiceProposal {
  id: string;
  organizationId: string;
  organizationName: string;
  serviceId: string;
  serviceName: string;
  kind: 'verify' | 'edit' | 'closure';
  changes: Record<string, unknown>;
  createdAt: string;
}

/** The alliance's proposals that wait for an editor, oldest first. */
export async function listWaitingProposals(db: Kysely<Database>, allianceId: string): Promise<SelfServiceProposal[]> {
  const rows = await db
    .selectFrom('self_service_proposal as p')
    .innerJoin('organization as o', 'o.id', 'p.organization_id')
    .innerJoin('service as s', 's.id', 'p.service_id')
    .select([
      'p.id',
      'o.id as organizationId',
      'o.name as organizationName',
      's.id as serviceId',
      's.name as serviceName',
      'p.kind',
      'p.changes',
      'p.created_at as createdAt',
    ])
    .where('o.alliance_id', '=', allianceId)
    .where('p.decided_at', 'is', null)
    .orderBy('p.created_at')
    .execute();
  return rows.map((row) => ({ ...row, createdAt: new Date(row.createdAt).toISOString() }));
}

/** The alliance of a proposal, for the permission check; undefined when there is none. */
export async function allianceOfProposal(db: Kysely<Database>, proposalId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('self_service_proposal as p')
    .innerJoin('organization as o', 'o.id', 'p.organization_id')
    .select('o.alliance_id')
    .where('p.id', '=', proposalId)
    .executeTakeFirst();
  return row?.alliance_id;
}

/** The change a proposal holds, as it was sent. */
function proposedChange(kind: SelfServiceProposal['kind'], changes: Record<string, unknown>): SelfServiceChange {
  if (kind === 'verify') return { kind };
  if (kind === 'closure') {
    return {
      kind,
      startsOn: String(changes.startsOn),
      endsOn: String(changes.endsOn),
      note: typeof changes.note === 'string' ? changes.note : null,
    };
  }
  return { kind, changes: changes as SelfServiceEdit };
}

/**
 * An editor's decision on a proposal, once: approving makes the change with the editor as its author and the
 * organisation named in the label; rejecting makes none. Both are kept on the proposal.
 */
export async function decideProposal(
  db: Kysely<Database>,
  proposalId: string,
  decision: 'approved' | 'rejected',
  editor: { accountId: string | null; allianceId: string },
  now: Date = new Date(),
): Promise<'decided' | 'decided-already' | 'missing'> {
  const proposal = await db
    .selectFrom('self_service_proposal as p')
    .innerJoin('organization as o', 'o.id', 'p.organization_id')
    .select(['p.service_id', 'p.kind', 'p.changes', 'p.decided_at', 'o.name'])
    .where('p.id', '=', proposalId)
    .executeTakeFirst();
  if (!proposal) return 'missing';
  if (proposal.decided_at !== null) return 'decided-already';
  const label = decision === 'approved' ? approvedChangeLabel(proposal.name) : undefined;
  return changeAs(db, { accountId: editor.accountId, allianceId: editor.allianceId, label }, async (trx) => {
    const decided = await trx
      .updateTable('self_service_proposal')
      .set({ decided_at: now, decided_by: editor.accountId, decision })
      .where('id', '=', proposalId)
      .where('decided_at', 'is', null)
      .executeTakeFirst();
    if (decided.numUpdatedRows === 0n) return 'decided-already';
    if (decision === 'approved') {
      await applyChange(trx, proposal.service_id, proposedChange(proposal.kind, proposal.changes));
    }
    return 'decided';
  });
}
