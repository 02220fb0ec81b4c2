import { describe, expect, it } from 'vitest';
import { intervalsWithin, openingStatus } from './openingStatus';

const period = { openFrom: '2026-11-23T00:00:00Z', openUntil: '2026-12-01T00:00:00Z' };
const service = {
  openIntervals: [
    ['2026-11-23T08:00:00Z', '2026-11-23T11:00:00Z'],
    ['2026-11-24T08:00:00Z', '2026-11-24T11:00:00Z'],
  ] as [string, string][],
};

describe('openingStatus', () => {
  it('is open inside an interval, until its end', () => {
    expect(openingStatus(service, period, Date.parse('2026-11-23T08:00:00Z'))).toEqual({
      state: 'open',
      closesAt: '2026-11-23T11:00:00Z',
    });
  });

  it('is closed at the end of an interval, and says when it opens next', () => {
    expect(openingStatus(service, period, Date.parse('2026-11-23T11:00:00Z'))).toEqual({
      state: 'closed',
      opensAt: '2026-11-24T08:00:00Z',
    });
    expect(openingStatus(service, period, Date.parse('2026-11-25T09:00:00Z'))).toEqual({
      state: 'closed',
      opensAt: null,
    });
  });

  it('does not guess: unknown hours, and a saved copy that no longer covers today', () => {
    expect(openingStatus({ openIntervals: null }, period, Date.parse('2026-11-23T09:00:00Z'))).toEqual({
      state: 'unknown',
    });
    expect(openingStatus(service, period, Date.parse('2026-12-01T09:00:00Z'))).toEqual({ state: 'outOfDate' });
  });

  it('clips intervals to a day', () => {
    const overnight: [string, string][] = [['2026-11-23T20:00:00Z', '2026-11-24T02:00:00Z']];
    const day = [Date.parse('2026-11-24T00:00:00Z'), Date.parse('2026-11-25T00:00:00Z')] as const;
    expect(intervalsWithin(overnight, ...day)).toEqual([[day[0], Date.parse('2026-11-24T02:00:00Z')]]);
  });
});
