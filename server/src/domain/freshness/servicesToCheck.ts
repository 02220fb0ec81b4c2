import { type Kysely, sql } from 'kysely';
import type { Database, UpdateCycleMonths, VerifiedVia } from '../../db/schema.js';
import { freshnessOf, dueOnExpression, notCheckedForCondition, overdueCondition } from './updateCycles.js';

/** An overdue service in an alliance's "to check" list. */
export interface ServiceToCheck {
  id: string;
  name: string;
  /** Send it back to verify (POST /api/services/:id/verify). */
  version: number;
  organization: { id: string; name: string };
  /** The last check (ISO 8601); null: never checked. */
  verifiedAt: string | null;
  verifiedVia: VerifiedVia | null;
  /** The region's calendar date of the last check. */
  checkedOn: string | null;
  /** The last day the check held; null when never checked. */
  dueOn: string | null;
  /** Whole months since the last check on the region's calendar; null when never checked. */
  monthsSinceCheck: number | null;
  effectiveCycleMonths: UpdateCycleMonths;
}

export interface ToCheckFilters {
  organizationId?: string;
  /** Only those not checked within this many months as well. */
  notCheckedForMonths?: number;
}

const refs = {
  verifiedAt: sql.ref('s.verified_at'),
  serviceCycle: sql.ref('s.update_cycle_months'),
  allianceCycle: sql.ref('a.update_cycle_months'),
  timeZone: sql.ref('a.timezone'),
};

/**
 * An alliance's services past their cycle at `now` (a defunct service needs no check): those never checked first,
 * then the oldest due day first, by organisation and name within a day.
 */
export async function listServicesToCheck(
  db: Kysely<Database>,
  allianceId: string,
  filters: ToCheckFilters = {},
  now: Date = new Date(),
): Promise<ServiceToCheck[]> {
  let query = db
    .selectFrom('service as s')
    .innerJoin('organization as o', 'o.id', 's.organization_id')
    .innerJoin('alliance as a', 'a.id', 'o.alliance_id')
    .select([
      's.id',
      's.name',
      's.version',
      's.verified_at',
      's.verified_via',
      's.update_cycle_months',
      'a.update_cycle_months as alliance_cycle_months',
      'a.timezone',
      'o.id as organization_id',
      'o.name as organization_name',
      dueOnExpression(refs).as('due_on'),
    ])
    .where('o.alliance_id', '=', allianceId)
    .where('s.status', '!=', 'defunct')
    .where(overdueCondition(refs, now));
  if (filters.organizationId) query = query.where('o.id', '=', filters.organizationId);
  if (filters.notCheckedForMonths !== undefined) {
    query = query.where(notCheckedForCondition(refs, filters.notCheckedForMonths, now));
  }
  const rows = await query
    .orderBy(sql`s.verified_at is not null`)
    .orderBy('due_on')
    .orderBy('o.name')
    .orderBy('s.name')
    .orderBy('s.id')
    .execute();
  return rows.map((row) => {
    const cycle = row.update_cycle_months ?? row.alliance_cycle_months;
    const freshness = freshnessOf(row.verified_at, cycle, row.timezone, now);
    return {
      id: row.id,
      name: row.name,
      version: row.version,
      organization: { id: row.organization_id, name: row.organization_name },
      verifiedAt: row.verified_at?.toISOString() ?? null,
      verifiedVia: row.verified_via,
      checkedOn: freshness.checkedOn,
      dueOn: freshness.dueOn,
      monthsSinceCheck: freshness.monthsSinceCheck,
      effectiveCycleMonths: cycle,
    };
  });
}
