import { describe, expect, it } from 'vitest';
import { dayInTimeZone, daysAhead, daysBetween, startOfDay } from './regionDay';

describe('region days', () => {
  it('tells the day it is in the region, not on the phone', () => {
    // 23:30 UTC on the 23rd is already the 24th in Paris and still the 23rd in New York.
    const instant = Date.parse('2026-11-23T23:30:00Z');
    expect(dayInTimeZone(instant, 'Europe/Paris')).toBe('2026-11-24');
    expect(dayInTimeZone(instant, 'America/New_York')).toBe('2026-11-23');
  });

  it('finds where a day starts, across daylight-saving changes', () => {
    expect(new Date(startOfDay('2026-11-23', 'Europe/Paris')).toISOString()).toBe('2026-11-22T23:00:00.000Z');
    expect(new Date(startOfDay('2026-07-01', 'Europe/Paris')).toISOString()).toBe('2026-06-30T22:00:00.000Z');
    expect(new Date(startOfDay('2026-11-23', 'Asia/Tokyo')).toISOString()).toBe('2026-11-22T15:00:00.000Z');
  });

  it('gives the next days with their true lengths: 25 hours on the day clocks go back', () => {
    const days = daysAhead(Date.parse('2026-10-24T12:00:00Z'), 'Europe/Paris', 3);
    expect(days.map((day) => (day.end - day.start) / 3_600_000)).toEqual([24, 25, 24]);
    expect(new Date(days[1]!.start).toISOString()).toBe('2026-10-24T22:00:00.000Z');
  });

  it('counts calendar days, across months and years', () => {
    expect(daysBetween('2026-11-23', '2026-11-24')).toBe(1);
    expect(daysBetween('2026-11-24', '2026-11-23')).toBe(-1);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
  });
});
