import type { UpdateCycleMonths, VerifiedVia } from '../../db/schema.js';
import { calendarDateAt } from '../schedules/wallClock.js';
import { sql, type RawBuilder } from 'kysely';
import { addMonths, dueOnExpression, freshnessOf, overdueCondition } from './updateCycles.js';

/**
 * A service's age at a glance, as the workspace colours it: checked within its cycle with more than a month to go
 * (`fresh`), due within a month (`due-soon`), past its due day (`overdue`), or never checked (`never`).
 */
export type ServiceAge = 'fresh' | 'due-soon' | 'overdue' | 'never';
export const serviceAges: readonly ServiceAge[] = ['fresh', 'due-soon', 'overdue', 'never'];

/** What the workspace's service answers say of a service's last check and cycle. */
export interface ServiceFreshness {
  /** When it was last checked (ISO 8601); null: never. */
  verifiedAt: string | null;
  verifiedVia: VerifiedVia | null;
  /** Its own cycle; null follows the alliance's. */
  updateCycleMonths: UpdateCycleMonths | null;
  /** The cycle it follows: its own, else its alliance's. */
  effectiveCycleMonths: UpdateCycleMonths;
  /** The last day the check holds, on the region's calendar (YYYY-MM-DD); null when never checked. */
  dueOn: string | null;
  overdue: boolean;
  age: ServiceAge;
}

/** The columns `freshnessFields` reads: the service's, its alliance's cycle and time zone. */
export interface FreshnessColumns {
  verified_at: Date | null;
  verified_via: VerifiedVia | null;
  update_cycle_months: UpdateCycleMonths | null;
  alliance_cycle_months: UpdateCycleMonths;
  timezone: string;
}

/** How a service stands at `now`, on its region's calendar (the rule of `freshnessOf`). */
export function freshnessFields(row: FreshnessColumns, now: Date = new Date()): ServiceFreshness {
  const effectiveCycleMonths = row.update_cycle_months ?? row.alliance_cycle_months;
  const freshness = freshnessOf(row.verified_at, effectiveCycleMonths, row.timezone, now);
  return {
    verifiedAt: row.verified_at?.toISOString() ?? null,
    verifiedVia: row.verified_via,
    updateCycleMonths: row.update_cycle_months,
    effectiveCycleMonths,
    dueOn: freshness.dueOn,
    overdue: freshness.overdue,
    age: ageOf(freshness.dueOn, freshness.overdue, row.timezone, now),
  };
}

/** The age class of a service due on `dueOn` (null: never checked): due soon once its due day is a month away. */
export function ageOf(dueOn: string | null, overdue: boolean, timeZone: string, now: Date = new Date()): ServiceAge {
  if (dueOn === null) return 'never';
  if (overdue) return 'overdue';
  return dueOn <= addMonths(calendarDateAt(now, timeZone), 1) ? 'due-soon' : 'fresh';
}

/**
 * SQL: the age class of `ageOf`, for answers built in the database (the service tiles): never checked, overdue
 * (`overdueCondition`), due within a month of the region's date, or fresh.
 */
export function ageExpression(
  refs: Parameters<typeof dueOnExpression>[0],
  now: Date = new Date(),
): RawBuilder<ServiceAge> {
  const today = sql`(${now.toISOString()}::timestamptz at time zone ${refs.timeZone})::date`;
  return sql<ServiceAge>`(case
    when ${refs.verifiedAt} is null then 'never'
    when ${overdueCondition(refs, now)} then 'overdue'
    when ${dueOnExpression(refs)} <= (${today} + interval '1 month')::date then 'due-soon'
    else 'fresh' end)`;
}
