/** Whether a service is open at a moment, from the open intervals the server worked out for the region. */
export type OpeningStatus =
  | { state: 'open'; closesAt: string }
  | { state: 'closed'; opensAt: string | null }
  | { state: 'unknown' }
  | { state: 'outOfDate' };

export interface OpeningTimes {
  openIntervals: readonly (readonly [string, string])[] | null;
}

export interface CoveredPeriod {
  openFrom: string;
  openUntil: string;
}

export function openingStatus(service: OpeningTimes, period: CoveredPeriod, now: number): OpeningStatus {
  const intervals = service.openIntervals;
  if (!intervals) return { state: 'unknown' };
  // A copy saved days ago may not cover today: better to say so than to guess.
  if (now < Date.parse(period.openFrom) || now >= Date.parse(period.openUntil)) return { state: 'outOfDate' };
  let opensAt: string | null = null;
  for (const [start, end] of intervals) {
    const startMs = Date.parse(start);
    const endMs = Date.parse(end);
    if (startMs <= now && now < endMs) return { state: 'open', closesAt: end };
    if (startMs > now && (opensAt === null || startMs < Date.parse(opensAt))) opensAt = start;
  }
  return { state: 'closed', opensAt };
}

/** The intervals of one day, clipped to it: for the week's table on a service card. */
export function intervalsWithin(
  intervals: readonly (readonly [string, string])[],
  dayStart: number,
  dayEnd: number,
): Array<[number, number]> {
  const clipped: Array<[number, number]> = [];
  for (const [start, end] of intervals) {
    const from = Math.max(Date.parse(start), dayStart);
    const to = Math.min(Date.parse(end), dayEnd);
    if (from < to) clipped.push([from, to]);
  }
  return clipped.sort((a, b) => a[0] - b[0]);
}
