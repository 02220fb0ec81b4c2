import { addMonths } from '../freshness/updateCycles.js';
import { checkOpeningHours, type ScheduleRegion } from '../schedules/openIntervals.js';
import { type CodedMessage, said } from '../messages/userError.js';

/** A closure longer than this is a service that stopped, not a holiday: mark it inactive instead. */
export const maxClosureMonths = 24;

/** What a person writes for a closure: both days included, in the region's calendar. */
export interface ClosureInput {
  /** YYYY-MM-DD. */
  startsOn: string;
  /** YYYY-MM-DD, the last day closed (or at exceptional hours). */
  endsOn: string;
  /** Exceptional hours for those days (OpenStreetMap `opening_hours`); null: closed. */
  openingHours: string | null;
  note: string | null;
}

const calendarDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a day that exists, written YYYY-MM-DD: 2028-02-29 is one, 2026-02-30 and 2026-13-01 are not. */
export function isCalendarDate(value: string): boolean {
  const match = calendarDatePattern.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The calendar date (YYYY-MM-DD) `days` after `date`. */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** The day after `date`: when a closure ending on `date` reopens. */
export const dayAfter = (date: string): string => addDays(date, 1);

/**
 * null when a closure may be recorded, else why not: days that exist, an end on or after the start, at most two
 * years, and exceptional hours that read as opening hours in the service's region.
 */
export function closureProblem(input: ClosureInput, region?: ScheduleRegion): CodedMessage | null {
  for (const field of ['startsOn', 'endsOn'] as const) {
    if (!isCalendarDate(input[field])) return said('closures.date-invalid', { field, value: input[field] });
  }
  const { startsOn, endsOn } = input;
  if (endsOn < startsOn) return said('closures.ends-before-start', { startsOn, endsOn });
  const latestEndsOn = addMonths(startsOn, maxClosureMonths);
  if (endsOn > latestEndsOn) {
    return said('closures.too-long', { startsOn, endsOn, latestEndsOn, months: maxClosureMonths });
  }
  return input.openingHours === null ? null : checkOpeningHours(input.openingHours, region);
}
