import type { OpenInterval, Period } from '../schedules/openIntervals.js';
import { startOfDay } from '../schedules/wallClock.js';

/** The days a closure covers, both included (YYYY-MM-DD), and its exceptional hours; null hours: closed. */
export interface ClosedDays {
  startsOn: string;
  endsOn: string;
  openingHours: string | null;
}

/**
 * The open intervals of a service once its closures are applied to the days `firstDay` to `lastDay`: on a day inside
 * a closure the usual hours give way to none (closed) or to the closure's exceptional hours (`hoursDuring` works
 * them out for those days; null when they cannot be, and the service is then shown closed on those days). Days
 * outside every closure keep their usual hours. A later closure in the list wins where two overlap. Unknown usual
 * hours stay unknown: the finder says the service is closed from its `closure` instead.
 */
export function applyClosures(
  usual: OpenInterval[] | null,
  closures: readonly ClosedDays[],
  days: { firstDay: string; lastDay: string; timeZone: string },
  hoursDuring: (openingHours: string, period: Period) => OpenInterval[] | null,
): OpenInterval[] | null {
  if (usual === null) return null;
  let intervals: OpenInterval[] = usual;
  for (const closure of closures) {
    const first = closure.startsOn > days.firstDay ? closure.startsOn : days.firstDay;
    const last = closure.endsOn < days.lastDay ? closure.endsOn : days.lastDay;
    if (last < first) continue;
    const window = { from: startOfDay(first, days.timeZone), to: startOfDay(last, days.timeZone, 1) };
    const exceptional = closure.openingHours === null ? [] : (hoursDuring(closure.openingHours, window) ?? []);
    intervals = [...outside(intervals, window), ...within(exceptional, window)];
  }
  return intervals.sort(([a], [b]) => Date.parse(a) - Date.parse(b));
}

/** The parts of `intervals` before and after `window`. */
function outside(intervals: readonly OpenInterval[], window: Period): OpenInterval[] {
  const from = window.from.getTime();
  const to = window.to.getTime();
  const kept: OpenInterval[] = [];
  for (const [opens, closes] of intervals) {
    const start = Date.parse(opens);
    const end = Date.parse(closes);
    if (start < from) kept.push([opens, end <= from ? closes : window.from.toISOString()]);
    if (end > to) kept.push([start >= to ? opens : window.to.toISOString(), closes]);
  }
  return kept;
}

/** The parts of `intervals` inside `window`. */
function within(intervals: readonly OpenInterval[], window: Period): OpenInterval[] {
  const from = window.from.getTime();
  const to = window.to.getTime();
  return intervals
    .filter(([opens, closes]) => Date.parse(closes) > from && Date.parse(opens) < to)
    .map(([opens, closes]) => [
      Date.parse(opens) < from ? window.from.toISOString() : opens,
      Date.parse(closes) > to ? window.to.toISOString() : closes,
    ]);
}
