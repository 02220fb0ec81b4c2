import { DIRECTORY_MAX_DAYS_FROM_TODAY } from '#contract/limits.js';
/** Intl formatters by kind and time zone: making one costs far more than using it. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(kind: 'day' | 'clock', timeZone: string): Intl.DateTimeFormat {
  const key = `${kind} ${timeZone}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter =
      kind === 'day'
        ? new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
        : new Intl.DateTimeFormat('en-US', {
            timeZone,
            hourCycle: 'h23',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
            second: 'numeric',
          });
    formatters.set(key, formatter);
  }
  return formatter;
}

/** The calendar day (YYYY-MM-DD) it is in a time zone at a moment: "today" for the region's opening times. */
export function dayInTimeZone(instant: number, timeZone: string): string {
  const parts = formatterFor('day', timeZone).formatToParts(new Date(instant));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** How far a time zone's wall clock is ahead of UTC at a moment, in milliseconds. */
function zoneOffset(instant: number, timeZone: string): number {
  const parts = formatterFor('clock', timeZone).formatToParts(new Date(instant));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wallClock = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return wallClock - Math.floor(instant / 1000) * 1000;
}

/** The instant a calendar day (YYYY-MM-DD) starts in a time zone. */
export function startOfDay(day: string, timeZone: string): number {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const midnightAsUtc = Date.UTC(year, month - 1, date);
  const first = midnightAsUtc - zoneOffset(midnightAsUtc, timeZone);
  // Near a daylight-saving change the offset at midnight differs from the one at our first guess.
  return midnightAsUtc - zoneOffset(first, timeZone);
}

/** The next `count` days in a time zone, from the day it is at `instant`, with where each starts and ends. */
export function daysAhead(instant: number, timeZone: string, count: number): Array<{ start: number; end: number }> {
  const days: Array<{ start: number; end: number }> = [];
  let day = dayInTimeZone(instant, timeZone);
  for (let index = 0; index < count; index += 1) {
    const start = startOfDay(day, timeZone);
    // 26 h later is always inside the next day, whatever the clocks do.
    const next = dayInTimeZone(start + 26 * 3_600_000, timeZone);
    const end = startOfDay(next, timeZone);
    days.push({ start, end });
    day = next;
  }
  return days;
}

/** Whole days from one calendar day (YYYY-MM-DD) to another: 1 from the 23rd to the 24th, -1 back. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Whether the server, whose today in the region is `today`, lists opening times from `day` (contract/limits.ts). */
export function dayTheServerAccepts(day: string, today: string): boolean {
  return Math.abs(daysBetween(today, day)) <= DIRECTORY_MAX_DAYS_FROM_TODAY;
}
