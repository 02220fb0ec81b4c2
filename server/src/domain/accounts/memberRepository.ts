import type { Kysely } from 'kysely';
import type { AllianceRole, Database } from '../../db/schema.js';

/** A person in an alliance, as the member list shows them. */
export interface Member {
  accountId: string;
  email: string;
  displayName: string;
  role: AllianceRole;
  organizationId: string | null;
  organizationName: string | null;
  joinedAt: string;
}

const roleOrder: Record<AllianceRole, number> = { coordinator: 0, secretariat: 1, editor: 2, member: 3 };

function members(db: Kysely<Database>, allianceId: string) {
  return db
    .selectFrom('alliance_member as m')
    .innerJoin('account as a', 'a.id', 'm.account_id')
    .leftJoin('organization as o', 'o.id', 'm.organization_id')
    .select([
      'm.account_id as accountId',
      'a.email',
      'a.display_name as displayName',
      'm.role',
      'm.organization_id as organizationId',
      'o.name as organizationName',
      'm.created_at as joinedAt',
    ])
    .where('m.alliance_id', '=', allianceId);
}

function toMember({ joinedAt, ...row }: Omit<Member, 'joinedAt'> & { joinedAt: Date }): Member {
  return { ...row, joinedAt: new Date(joinedAt).toISOString() };
}

/** The members of an alliance, coordinators first, then by name. */
export async function listMembers(db: Kysely<Database>, allianceId: string): Promise<Member[]> {
  const rows = await members(db, allianceId).orderBy('a.display_name').orderBy('a.email').execute();
  return rows.map(toMember).sort((a, b) => roleOrder[a.role] - roleOrder[b.role]);
}

export async function findMember(
  db: Kysely<Database>,
  allianceId: string,
  accountId: string,
): Promise<Member | undefined> {
  const row = await members(db, allianceId).where('m.account_id', '=', accountId).executeTakeFirst();
  return row && toMember(row);
}

/**
 * Adds an account to an alliance with the role and organisation of the invitation it accepted. An account that
 * already belongs keeps its role: an invitation never changes what a member may do (coordinators do that in
 * the member list).
 */
export async function joinAlliance(
  db: Kysely<Database>,
  member: { allianceId: string; accountId: string; role: AllianceRole; organizationId: string | null },
): Promise<void> {
  await db
    .insertInto('alliance_member')
    .values({
      alliance_id: member.allianceId,
      account_id: member.accountId,
      role: member.role,
      organization_id: member.organizationId,
    })
    .onConflict((conflict) => conflict.columns(['alliance_id', 'account_id']).doNothing())
    .execute();
}

export async function updateMember(
  db: Kysely<Database>,
  allianceId: string,
  accountId: string,
  changes: { role?: AllianceRole; organizationId?: string | null },
): Promise<void> {
  await db
    .updateTable('alliance_member')
    .set({
      ...(changes.role === undefined ? {} : { role: changes.role }),
      ...(changes.organizationId === undefined ? {} : { organization_id: changes.organizationId }),
    })
    .where('alliance_id', '=', allianceId)
    .where('account_id', '=', accountId)
    .execute();
}

export async function removeMember(db: Kysely<Database>, allianceId: string, accountId: string): Promise<void> {
  await db
    .deleteFrom('alliance_member')
    .where('alliance_id', '=', allianceId)
    .where('account_id', '=', accountId)
    .execute();
}

/**
 * Whether `accountId` is the only coordinator of the alliance. Locks the coordinators' rows until the
 * transaction ends, so that two coordinators stepping down at once cannot both succeed.
 */
export async function isLastCoordinator(db: Kysely<Database>, allianceId: string, accountId: string): Promise<boolean> {
  const coordinators = await db
    .selectFrom('alliance_member')
    .select('account_id')
    .where('alliance_id', '=', allianceId)
    .where('role', '=', 'coordinator')
    .forUpdate()
    .execute();
  return coordinators.length === 1 && coordinators[0]!.account_id === accountId;
}

export async function organizationBelongsTo(
  db: Kysely<Database>,
  organizationId: string,
  allianceId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('organization')
    .select('id')
    .where('id', '=', organizationId)
    .where('alliance_id', '=', allianceId)
    .executeTakeFirst();
  return row !== undefined;
}
