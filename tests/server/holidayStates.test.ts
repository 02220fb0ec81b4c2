import { describe, expect, it } from 'vitest';
import { holidayStateProblem, holidayStatesByCountry } from '#contract/schedules/holidayStates.js';
import { openIntervals } from '../../server/src/domain/schedules/openIntervals.js';
import { startOfDay } from '../../server/src/domain/schedules/wallClock.js';

const hours = 'Mo-Su 09:00-17:00; PH off';
const year = { from: startOfDay('2026-01-01', 'UTC'), to: startOfDay('2027-01-01', 'UTC') };
const openDays = (countryCode: string, state?: string) =>
  openIntervals(hours, { timeZone: 'UTC', countryCode, ...(state ? { state } : {}) }, year).length;

describe('the states whose public holidays differ within their country', () => {
  const listed = Object.entries(holidayStatesByCountry).flatMap(([country, states]) =>
    states.map((state) => [country, state] as const),
  );

  it.each(listed.filter(([country]) => country !== 'GB'))(
    '%s: %s has holidays of its own in 2026, as the opening_hours library spells it',
    (country, state) => {
      // A name the library does not know would silently mean the national holidays.
      expect(openDays(country, state)).not.toBe(openDays(country));
    },
  );

  it.each(holidayStatesByCountry.GB!)('GB: %s has bank holidays, which Great Britain alone has not', (nation) => {
    expect(() => openDays('GB')).toThrow(/no holidays/);
    expect(openDays('GB', nation)).toBeGreaterThan(350);
  });

  it('accepts no state, a listed one, and refuses others with the names it knows', () => {
    expect(holidayStateProblem('DE', null)).toBeNull();
    expect(holidayStateProblem('DE', 'Sachsen')).toBeNull();
    expect(holidayStateProblem('de ', 'Sachsen')).toBeNull();
    expect(holidayStateProblem('DE', 'Saxony')?.states).toContain('Sachsen-Anhalt');
    expect(holidayStateProblem('IT', 'Lombardia')).toEqual({ states: [] });
  });
});
