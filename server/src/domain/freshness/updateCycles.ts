import { sql, type Expression, type RawBuilder } from 'kysely';
import type { UpdateCycleMonths } from '../../db/schema.js';
import { calendarDateAt, startOfDay } from '../schedules/wallClock.js';

/** The update cycles a service or an alliance may choose, in months. */
export const updateCycles: readonly UpdateCycleMonths[] = [1, 3, 6, 12];
export const defaultUpdateCycle: UpdateCycleMonths = 6;

export const isUpdateCycle = (value: unknown): value is UpdateCycleMonths =>
  updateCycles.includes(value as UpdateCycleMonths);

/**
 * A calendar date (YYYY-MM-DD) plus whole months, as PostgreSQL adds `interval 'N months'` to a date: the same day
 * of the month, or the month's last day when it has fewer (31 January + 1 month = 28 or 29 February).
 */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth, 0)).getUTCDate();
  return [
    String(targetYear).padStart(4, '0'),
    String(targetMonth).padStart(2, '0'),
    String(Math.min(day, lastDay)).padStart(2, '0'),
  ].join('-');
}

/** Where a service stands against its cycle, on the region's calendar. */
export interface Freshness {
  /** The region's calendar date of the last check; null: never checked. */
  checkedOn: string | null;
  /** The last day the check holds: `checkedOn` + the cycle; null when never checked (due already). */
  dueOn: string | null;
  /** True once the region's date is past `dueOn`, and for a service never checked. */
  overdue: boolean;
  /** Whole months since the check (the region's calendar), null when never checked. */
  monthsSinceCheck: number | null;
}

/**
 * How fresh a service is at `now`, with the cycle it follows (its own or its alliance's), on the calendar of the
 * region's `timeZone`: a service checked on 31 January with a one-month cycle is due on 28 February (29 in a leap
 * year) and overdue from 1 March, whatever the server's zone. The same rule as `overdueCondition` in SQL.
 */
export function freshnessOf(
  verifiedAt: Date | null,
  cycleMonths: number,
  timeZone: string,
  now: Date = new Date(),
): Freshness {
  if (!verifiedAt) return { checkedOn: null, dueOn: null, overdue: true, monthsSinceCheck: null };
  const checkedOn = calendarDateAt(verifiedAt, timeZone);
  const today = calendarDateAt(now, timeZone);
  const dueOn = addMonths(checkedOn, cycleMonths);
  return { checkedOn, dueOn, overdue: today > dueOn, monthsSinceCheck: wholeMonthsBetween(checkedOn, today) };
}

/** Whole months from calendar date `from` to `to` (0 when `to` is earlier): 31 Jan → 28 Feb is one month. */
export function wholeMonthsBetween(from: string, to: string): number {
  if (to <= from) return 0;
  const [fromYear, fromMonth] = from.split('-').map(Number) as [number, number];
  const [toYear, toMonth] = to.split('-').map(Number) as [number, number];
  let months = (toYear - fromYear) * 12 + (toMonth - fromMonth);
  while (months > 0 && addMonths(from, months) > to) months -= 1;
  return months;
}

/** True when a check at `verifiedAt` is older than `months` at `now` on the region's calendar (never checked: true). */
export function notCheckedFor(
  verifiedAt: Date | null,
  months: number,
  timeZone: string,
  now: Date = new Date(),
): boolean {
  if (!verifiedAt) return true;
  return calendarDateAt(now, timeZone) > addMonths(calendarDateAt(verifiedAt, timeZone), months);
}

/**
 * SQL: the last day a service's check holds, on its region's calendar — `verified_at` read in the alliance's time
 * zone, plus its cycle (the service's, else the alliance's). Null when never checked.
 */
export function dueOnExpression(refs: {
  verifiedAt: Expression<unknown> | RawBuilder<unknown>;
  serviceCycle: Expression<unknown> | RawBuilder<unknown>;
  allianceCycle: Expression<unknown> | RawBuilder<unknown>;
  timeZone: Expression<unknown> | RawBuilder<unknown>;
}): RawBuilder<string | null> {
  return sql<string | null>`(((${refs.verifiedAt} at time zone ${refs.timeZone})::date
    + make_interval(months => coalesce(${refs.serviceCycle}, ${refs.allianceCycle})::int))::date)`;
}

/**
 * SQL: true when a service is overdue at `now` — never checked, or its region's date is past its due day. The same
 * rule as `freshnessOf`.
 */
export function overdueCondition(
  refs: Parameters<typeof dueOnExpression>[0],
  now: Date = new Date(),
): RawBuilder<boolean> {
  return sql<boolean>`(${refs.verifiedAt} is null
    or (${now.toISOString()}::timestamptz at time zone ${refs.timeZone})::date > ${dueOnExpression(refs)})`;
}

/** SQL: true when a service was not checked within `months` at `now` on its region's calendar (never checked: true). */
export function notCheckedForCondition(
  refs: Pick<Parameters<typeof dueOnExpression>[0], 'verifiedAt' | 'timeZone'>,
  months: number,
  now: Date = new Date(),
): RawBuilder<boolean> {
  return sql<boolean>`(${refs.verifiedAt} is null
    or (${now.toISOString()}::timestamptz at time zone ${refs.timeZone})::date
       > ((${refs.verifiedAt} at time zone ${refs.timeZone})::date + make_interval(months => ${months}::int))::date)`;
}

/**
 * The instant from which a check counts as "within `months`" at `now`: the start, in the region's zone, of the
 * region's day `months` before today (a check on that day or later is within; one before is not).
 */
export function checkedSinceInstant(months: number, timeZone: string, now: Date = new Date()): Date {
  return startOfDay(addMonths(calendarDateAt(now, timeZone), -months), timeZone);
}
