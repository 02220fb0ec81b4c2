import { DIRECTORY_MAX_DAYS_FROM_TODAY } from '#contract/limits.js';
import { type CodedMessage, said } from '../messages/userError.js';
import { daysBetween, startOfDay } from '../schedules/wallClock.js';

/** The directory lists opening times for this many days: a week, and the same weekday once more. */
export const openingDays = 8;

/** How far from today (in days) the first day of the listed opening times may be. */
export const maxDaysFromToday = DIRECTORY_MAX_DAYS_FROM_TODAY;

/**
 * null when `day` may start the listed opening times, else why not. Today is
 * the region's today; a phone whose clock or saved copy is a little off still
 * gets an answer, but a date years away is a mistake worth saying.
 */
export function checkDirectoryDay(day: string, today: string): CodedMessage | null {
  if (Math.abs(daysBetween(today, day)) <= maxDaysFromToday) return null;
  return said('directory.day-out-of-range', { today, day });
}

/** From the start of `day` to the start of the day `openingDays` later, in the region's time zone. */
export function directoryPeriod(day: string, timeZone: string): { from: Date; to: Date } {
  return { from: startOfDay(day, timeZone), to: startOfDay(day, timeZone, openingDays) };
}
