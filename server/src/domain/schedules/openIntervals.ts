import OpeningHours, { type nominatim_object } from 'opening_hours';
import { instantOfWallClock, localDateOfWallClock, wallClockAt, wallClockOfLocalDate } from './wallClock.js';
import { type CodedMessage, said } from '../messages/userError.js';

/** When a service opens and closes, as ISO instants. */
export type OpenInterval = [opens: string, closes: string];

export interface Period {
  from: Date;
  to: Date;
}

/**
 * Where opening hours are read: on the region's clocks, with the public holidays of its country that `PH` means
 * (and of its state, where they differ within the country).
 */
export interface ScheduleRegion {
  timeZone: string;
  /** ISO 3166-1 alpha-2, e.g. `FR`. */
  countryCode: string;
  /** The state or region as the opening_hours library names it (`Bayern`, `Nouvelle-Aquitaine`), when known. */
  state?: string;
}

/**
 * The library's "nominatim object" for the region. Without one it reads every schedule in Baden-Württemberg: a
 * French service with `PH off` would close on German holidays and stay open on 14 July. No point is given: the
 * library would place `sunrise` in the server's clock, not the region's wall clock that openIntervals hands it, so
 * it keeps its fixed 06:00–18:00 instead. (Its types ask for a state and a point that it does not need.)
 */
function placeOf(region: ScheduleRegion): nominatim_object {
  const address = { country_code: region.countryCode.trim().toLowerCase(), state: region.state };
  return { address } as nominatim_object;
}

/**
 * When a service with these opening hours (OpenStreetMap `opening_hours`
 * syntax) is open during `period`, read in `region`: on its clocks, whatever
 * the server's own zone, with its public holidays.
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
export function openIntervals(openingHours: string, region: ScheduleRegion, period: Period): OpenInterval[] {
  const { timeZone } = region;
  const schedule = new OpeningHours(openingHours, placeOf(region));
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
function describeSyntaxError(error: unknown): CodedMessage {
  const text = String(error instanceof Error ? error.message : error).trim();
  const located = /^(.*?)\s*<---\s*\((.*)\)$/s.exec(text);
  const reason = (located?.[2] ?? text)
    .replace(/\s*This means that.*$/s, '')
    .replace(/\.$/, '')
    .replace(/^./, (first) => first.toLowerCase());
  return located?.[1]
    ? said('opening-hours.invalid-near', { near: located[1], reason, example })
    : said('opening-hours.invalid', { reason, example });
}

/**
 * The library's answers when it has no holidays for the place (school holidays of a country whose dates differ by
 * region, a year it does not know yet): the hours are written correctly, only their holidays cannot be worked out.
 */
const missingHolidayData = /There are no holidays|not defined for the year|Country code missing/;

/**
 * null when `value` is valid opening_hours syntax, else a short message a person can act on. Evaluated in the
 * service's region, as the directory will; hours whose holidays the library does not know there are accepted (the
 * finder then shows them as written, without open times).
 */
export function checkOpeningHours(value: string, region?: ScheduleRegion): CodedMessage | null {
  let schedule: OpeningHours;
  try {
    // Without a region (a file read before it is placed in an alliance), the syntax alone is checked: public
    // holidays are those of no region.
    schedule = new OpeningHours(value, region ? placeOf(region) : null);
  } catch (error) {
    return problemOf(error);
  }
  return evaluationProblem(schedule);
}

/** Some mistakes only show when the rules are evaluated, not when they are read: null when a week evaluates. */
export function evaluationProblem(schedule: OpeningHours): CodedMessage | null {
  try {
    schedule.getOpenIntervals(new Date(2026, 0, 5), new Date(2026, 0, 12));
    return null;
  } catch (error) {
    return problemOf(error);
  }
}

function problemOf(error: unknown): CodedMessage | null {
  if (missingHolidayData.test(String(error instanceof Error ? error.message : error))) return null;
  return describeSyntaxError(error);
}
