/**
 * A moment as a clock on the wall shows it in some time zone: a calendar date
 * and a time of day, with no zone attached. Months count from 1.
 */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const dayMs = 24 * 60 * 60 * 1000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** What the clocks of `timeZone` show at `instant`. */
export function wallClockAt(instant: Date, timeZone: string): WallClock {
  const wall: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, millisecond: 0 };
  for (const { type, value } of formatterFor(timeZone).formatToParts(instant)) {
    if (
      type === 'year' ||
      type === 'month' ||
      type === 'day' ||
      type === 'hour' ||
      type === 'minute' ||
      type === 'second'
    ) {
      wall[type] = Number(value);
    }
  }
  wall.millisecond = instant.getUTCMilliseconds();
  return wall;
}

function wallClockAsUtcMs(wall: WallClock): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond);
}

/** How far the clocks of `timeZone` are ahead of UTC at `instantMs`, in milliseconds. */
function utcOffsetMs(timeZone: string, instantMs: number): number {
  return wallClockAsUtcMs(wallClockAt(new Date(instantMs), timeZone)) - instantMs;
}

/**
 * The instant at which the clocks of `timeZone` show `wall`. When the clocks
 * go back and show it twice, the earlier instant; when they jump forward over
 * it, the instant as far after the jump as `wall` is after the skipped time
 * (as JavaScript's Date does with local times), so that nothing is lost.
 */
export function instantOfWallClock(wall: WallClock, timeZone: string): Date {
  const asUtc = wallClockAsUtcMs(wall);
  // The true offset is the one in force a day before or a day after: zones do
  // not change their clocks twice within two days.
  const offsetBefore = utcOffsetMs(timeZone, asUtc - dayMs);
  const offsetAfter = utcOffsetMs(timeZone, asUtc + dayMs);
  const matches = [...new Set([offsetBefore, offsetAfter])]
    .map((offset) => asUtc - offset)
    .filter((instantMs) => utcOffsetMs(timeZone, instantMs) === asUtc - instantMs)
    .sort((a, b) => a - b);
  return new Date(matches[0] ?? asUtc - offsetBefore);
}

/**
 * A Date whose local-time fields (getHours() and the like, in the server's own
 * zone) read `wall`. Libraries that reason on local time, such as
 * opening_hours, can then work in another zone than the server's.
 */
export function localDateOfWallClock(wall: WallClock): Date {
  return new Date(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond);
}

/** The wall clock that a Date's local-time fields read: the inverse of localDateOfWallClock. */
export function wallClockOfLocalDate(date: Date): WallClock {
  return {
    year: date.getFullYear(),
    month: date.getMonth() + 1,
    day: date.getDate(),
    hour: date.getHours(),
    minute: date.getMinutes(),
    second: date.getSeconds(),
    millisecond: date.getMilliseconds(),
  };
}

const calendarDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The calendar date (YYYY-MM-DD) in `timeZone` at `instant`. */
export function calendarDateAt(instant: Date, timeZone: string): string {
  const { year, month, day } = wallClockAt(instant, timeZone);
  return [String(year).padStart(4, '0'), String(month).padStart(2, '0'), String(day).padStart(2, '0')].join('-');
}

/** Whole days from calendar date `a` to calendar date `b` (both YYYY-MM-DD), negative when `b` is earlier. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / dayMs);
}

/** The instant a calendar date (YYYY-MM-DD) plus `days` begins in `timeZone`: its midnight, or the first moment after. */
export function startOfDay(date: string, timeZone: string, days = 0): Date {
  const match = calendarDatePattern.exec(date);
  if (!match) throw new RangeError(`"${date}" is not a calendar date written YYYY-MM-DD.`);
  const shifted = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days));
  return instantOfWallClock(
    {
      year: shifted.getUTCFullYear(),
      month: shifted.getUTCMonth() + 1,
      day: shifted.getUTCDate(),
      hour: 0,
      minute: 0,
      second: 0,
      millisecond: 0,
    },
    timeZone,
  );
}
