import OpeningHours from 'opening_hours';
import { instantOfWallClock, localDateOfWallClock, wallClockAt, wallClockOfLocalDate } from './wallClock.js';

/** When a service opens and closes, as ISO instants. */
export type OpenInterval = [opens: string, closes: string];

export interface Period {
  from: Date;
  to: Date;
}

/**
 * When a service with these opening hours (OpenStreetMap `opening_hours`
 * syntax) is open during `period`, read on the clocks of `timeZone` (the
 * region's), whatever the server's own zone.
 *
 * The library reads and builds Dates in the server's local time, so the period
 * is handed to it as Dates whose local time reads the region's wall clock, and
 * what it answers is read back the same way and placed in the region's zone.
 * This is exact whenever the server runs in UTC or another zone without
 * daylight saving time (containers do by default). In a zone with daylight
 * saving time, a rule that opens or closes inside the hour that the server's
 * own clocks skip is off by that hour on that one night.
 *
 * Periods whose state is unknown ("by appointment", `unknown`) are left out:
 * the list says when someone can count on finding the service open.
 * Throws the library's message when the opening hours are not valid.
 */
export function openIntervals(openingHours: string, timeZone: string, period: Period): OpenInterval[] {
  const schedule = new OpeningHours(openingHours, null);
  const toRegionInstant = (localDate: Date) =>
    instantOfWallClock(wallClockOfLocalDate(localDate), timeZone).toISOString();
  return schedule
    .getOpenIntervals(
      localDateOfWallClock(wallClockAt(period.from, timeZone)),
      localDateOfWallClock(wallClockAt(period.to, timeZone)),
    )
    .filter(([, , unknown]) => !unknown)
    .map(([opens, closes]) => [toRegionInstant(opens), toRegionInstant(closes)]);
}

const example = 'Mo-Fr 09:00-12:00,14:00-17:00; Sa 10:00-12:00';

/**
 * Turns the library's error ("Mo-F <--- (Unexpected token: "-" This means
 * that…)") into a sentence that says where the problem is and how to write it.
 */
function describeSyntaxError(error: unknown): string {
  const text = String(error instanceof Error ? error.message : error).trim();
  const located = /^(.*?)\s*<---\s*\((.*)\)$/s.exec(text);
  const reason = (located?.[2] ?? text)
    .replace(/\s*This means that.*$/s, '')
    .replace(/\.$/, '')
    .replace(/^./, (first) => first.toLowerCase());
  const where = located?.[1] ? ` near "${located[1]}"` : '';
  return `The opening hours are not valid${where}: ${reason}. Write them in the OpenStreetMap opening_hours syntax, for example "${example}".`;
}

/** null when `value` is valid opening_hours syntax, else a short message a person can act on. */
export function checkOpeningHours(value: string): string | null {
  try {
    // Some mistakes only show when the rules are evaluated, not when they are read.
    const schedule = new OpeningHours(value, null);
    schedule.getOpenIntervals(new Date(2026, 0, 5), new Date(2026, 0, 12));
    return null;
  } catch (error) {
    return describeSyntaxError(error);
  }
}
