import { describe, expect, it } from 'vitest';
import { checkOpeningHours, openIntervals } from '../../server/src/domain/schedules/openIntervals.js';
import {
  calendarDateAt,
  instantOfWallClock,
  localDateOfWallClock,
  startOfDay,
  wallClockAt,
  wallClockOfLocalDate,
  type WallClock,
} from '../../server/src/domain/schedules/wallClock.js';

const wall = (year: number, month: number, day: number, hour = 0, minute = 0): WallClock => ({
  year,
  month,
  day,
  hour,
  minute,
  second: 0,
  millisecond: 0,
});

const iso = (instant: Date) => instant.toISOString();

const paris = { timeZone: 'Europe/Paris', countryCode: 'FR' };

/** 2026-10-24 to 2026-11-01 in Paris: the clocks go back from 03:00 CEST to 02:00 CET on Sunday 25 October. */
const parisWeekOfDstChange = {
  from: startOfDay('2026-10-24', 'Europe/Paris'),
  to: startOfDay('2026-11-01', 'Europe/Paris'),
};

describe('wall clocks in a time zone', () => {
  it('reads the wall clock west and east of UTC, across the date line of the day', () => {
    expect(wallClockAt(new Date('2026-01-15T03:30:00Z'), 'America/New_York')).toEqual(wall(2026, 1, 14, 22, 30));
    expect(wallClockAt(new Date('2026-01-15T20:30:00Z'), 'Asia/Tokyo')).toEqual(wall(2026, 1, 16, 5, 30));
  });

  it('finds the instant of a wall clock, in winter and in summer', () => {
    expect(iso(instantOfWallClock(wall(2026, 1, 15, 9), 'America/New_York'))).toBe('2026-01-15T14:00:00.000Z');
    expect(iso(instantOfWallClock(wall(2026, 7, 15, 9), 'America/New_York'))).toBe('2026-07-15T13:00:00.000Z');
    expect(iso(instantOfWallClock(wall(2026, 1, 15, 9), 'Asia/Tokyo'))).toBe('2026-01-15T00:00:00.000Z');
    expect(iso(instantOfWallClock(wall(2026, 7, 15, 9), 'Asia/Tokyo'))).toBe('2026-07-15T00:00:00.000Z');
  });

  it('takes the earlier instant of an hour the clocks show twice', () => {
    // 02:30 on 25 October 2026 in Paris is first 00:30 UTC (CEST), then 01:30 UTC (CET).
    expect(iso(instantOfWallClock(wall(2026, 10, 25, 2, 30), 'Europe/Paris'))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(instantOfWallClock(wall(2026, 11, 1, 1, 30), 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
  });

  it('moves a time the clocks skip forward by the skipped hour', () => {
    // 02:30 on 29 March 2026 does not exist in Paris: 01:30 UTC is 03:30 CEST.
    expect(iso(instantOfWallClock(wall(2026, 3, 29, 2, 30), 'Europe/Paris'))).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(instantOfWallClock(wall(2026, 3, 8, 2, 30), 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z');
  });

  it('goes back and forth between a wall clock and a Date whose local time reads it', () => {
    const clock = wall(2026, 10, 25, 14, 45);
    const local = localDateOfWallClock(clock);
    expect(local.getHours()).toBe(14);
    expect(local.getDate()).toBe(25);
    expect(wallClockOfLocalDate(local)).toEqual(clock);
  });

  it('gives calendar dates and the start of a day in the zone', () => {
    expect(calendarDateAt(new Date('2026-01-15T03:30:00Z'), 'America/New_York')).toBe('2026-01-14');
    expect(calendarDateAt(new Date('2026-01-15T20:30:00Z'), 'Asia/Tokyo')).toBe('2026-01-16');
    expect(iso(startOfDay('2026-10-24', 'Europe/Paris'))).toBe('2026-10-23T22:00:00.000Z');
    expect(iso(startOfDay('2026-10-24', 'Europe/Paris', 8))).toBe('2026-10-31T23:00:00.000Z');
    expect(iso(startOfDay('2026-12-31', 'Asia/Tokyo', 1))).toBe('2026-12-31T15:00:00.000Z');
  });
});

describe('open intervals', () => {
  it('keeps the same wall-clock hours on both sides of a change of the clocks', () => {
    expect(openIntervals('Sa 09:00-12:00', paris, parisWeekOfDstChange)).toEqual([
      ['2026-10-24T07:00:00.000Z', '2026-10-24T10:00:00.000Z'],
      ['2026-10-31T08:00:00.000Z', '2026-10-31T11:00:00.000Z'],
    ]);
  });

  it('gives the day the clocks go back its 25 hours', () => {
    expect(openIntervals('Su 00:00-24:00', paris, parisWeekOfDstChange)).toEqual([
      ['2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z'],
    ]);
  });

  it('works in zones west and east of UTC', () => {
    const tokyoMonday = { from: startOfDay('2026-11-02', 'Asia/Tokyo'), to: startOfDay('2026-11-03', 'Asia/Tokyo') };
    expect(openIntervals('Mo 09:00-17:00', { timeZone: 'Asia/Tokyo', countryCode: 'JP' }, tokyoMonday)).toEqual([
      ['2026-11-02T00:00:00.000Z', '2026-11-02T08:00:00.000Z'],
    ]);
    // New York's clocks go back on Sunday 1 November 2026.
    const newYorkWeekend = {
      from: startOfDay('2026-10-31', 'America/New_York'),
      to: startOfDay('2026-11-02', 'America/New_York'),
    };
    expect(
      openIntervals('Sa,Su 10:00-14:00', { timeZone: 'America/New_York', countryCode: 'US' }, newYorkWeekend),
    ).toEqual([
      ['2026-10-31T14:00:00.000Z', '2026-10-31T18:00:00.000Z'],
      ['2026-11-01T15:00:00.000Z', '2026-11-01T19:00:00.000Z'],
    ]);
  });

  it('gives the same instants whatever the server process time zone', () => {
    const original = process.env.TZ;
    const results = new Map<string, unknown>();
    try {
      for (const [zone, januaryOffset] of [
        ['UTC', 0],
        ['America/New_York', 300],
        ['Asia/Tokyo', -540],
        ['Europe/Paris', -60],
      ] as const) {
        process.env.TZ = zone;
        // Node applies a change of TZ at once; if it did not, this test would prove nothing.
        expect(new Date(2026, 0, 1).getTimezoneOffset()).toBe(januaryOffset);
        results.set(zone, openIntervals('Mo-Fr 09:00-12:00; Sa 09:00-12:00', paris, parisWeekOfDstChange));
      }
    } finally {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    }
    const expected = [
      ['2026-10-24T07:00:00.000Z', '2026-10-24T10:00:00.000Z'],
      ...[26, 27, 28, 29, 30, 31].map((day) => [`2026-10-${day}T08:00:00.000Z`, `2026-10-${day}T11:00:00.000Z`]),
    ];
    for (const intervals of results.values()) expect(intervals).toEqual(expected);
  });

  it('leaves out times whose state is unknown, such as "by appointment"', () => {
    expect(openIntervals('Mo-Fr 10:00-12:00 "by appointment"', paris, parisWeekOfDstChange)).toEqual([]);
  });

  it('lists the whole period for a service open day and night', () => {
    expect(openIntervals('24/7', paris, parisWeekOfDstChange)).toEqual([
      ['2026-10-23T22:00:00.000Z', '2026-10-31T23:00:00.000Z'],
    ]);
  });
});

describe('public holidays of the region', () => {
  const hours = 'Mo-Su 09:00-17:00; PH off';
  const dayIn = (day: string, timeZone: string) => ({
    from: startOfDay(day, timeZone),
    to: startOfDay(day, timeZone, 1),
  });
  const france = { timeZone: 'Europe/Paris', countryCode: 'FR' };
  const ireland = { timeZone: 'Europe/Dublin', countryCode: 'IE' };
  const germany = { timeZone: 'Europe/Berlin', countryCode: 'DE' };

  it('closes a French service on 14 July and opens it on German Unity Day', () => {
    expect(openIntervals(hours, france, dayIn('2026-07-14', 'Europe/Paris'))).toEqual([]);
    expect(openIntervals(hours, france, dayIn('2026-10-03', 'Europe/Paris'))).toEqual([
      ['2026-10-03T07:00:00.000Z', '2026-10-03T15:00:00.000Z'],
    ]);
  });

  it("closes an Irish service on St Patrick's Day and opens it on 14 July", () => {
    expect(openIntervals(hours, ireland, dayIn('2026-03-17', 'Europe/Dublin'))).toEqual([]);
    expect(openIntervals(hours, ireland, dayIn('2026-07-14', 'Europe/Dublin'))).toEqual([
      ['2026-07-14T08:00:00.000Z', '2026-07-14T16:00:00.000Z'],
    ]);
  });

  it('closes a German service on 3 October and opens it on 14 July', () => {
    expect(openIntervals(hours, germany, dayIn('2026-10-03', 'Europe/Berlin'))).toEqual([]);
    expect(openIntervals(hours, germany, dayIn('2026-07-14', 'Europe/Berlin'))).toEqual([
      ['2026-07-14T07:00:00.000Z', '2026-07-14T15:00:00.000Z'],
    ]);
  });

  it('takes the country code in either case and with the padding of a fixed-width column', () => {
    expect(openIntervals(hours, { ...france, countryCode: 'fr ' }, dayIn('2026-07-14', 'Europe/Paris'))).toEqual([]);
  });

  /** A national holiday of 2026 for each European country whose holidays the library knows from the country alone. */
  const nationalHolidays: [country: string, timeZone: string, day: string, name: string][] = [
    ['AT', 'Europe/Vienna', '2026-10-26', 'Nationalfeiertag'],
    ['BE', 'Europe/Brussels', '2026-07-21', 'National Day'],
    ['BG', 'Europe/Sofia', '2026-03-03', 'Liberation Day'],
    ['CH', 'Europe/Zurich', '2026-08-01', 'Swiss National Day'],
    ['CZ', 'Europe/Prague', '2026-10-28', 'Independence Day'],
    ['DK', 'Europe/Copenhagen', '2026-05-14', 'Ascension Day'],
    ['EE', 'Europe/Tallinn', '2026-02-24', 'Independence Day'],
    ['ES', 'Europe/Madrid', '2026-10-12', 'Fiesta Nacional'],
    ['FI', 'Europe/Helsinki', '2026-12-06', 'Independence Day'],
    ['GR', 'Europe/Athens', '2026-03-25', 'Independence Day'],
    ['HR', 'Europe/Zagreb', '2026-05-30', 'Statehood Day'],
    ['HU', 'Europe/Budapest', '2026-03-15', 'National Day'],
    ['IT', 'Europe/Rome', '2026-06-02', 'Festa della Repubblica'],
    ['LT', 'Europe/Vilnius', '2026-02-16', 'Restoration of the State'],
    ['LU', 'Europe/Luxembourg', '2026-06-23', 'National Day'],
    ['LV', 'Europe/Riga', '2026-11-18', 'Proclamation Day'],
    ['MT', 'Europe/Malta', '2026-09-21', 'Independence Day'],
    ['NL', 'Europe/Amsterdam', '2026-04-27', "King's Day"],
    ['NO', 'Europe/Oslo', '2026-05-17', 'Constitution Day'],
    ['PL', 'Europe/Warsaw', '2026-05-03', 'Constitution Day'],
    ['PT', 'Europe/Lisbon', '2026-04-25', 'Freedom Day'],
    ['RO', 'Europe/Bucharest', '2026-12-01', 'Great Union Day'],
    ['SE', 'Europe/Stockholm', '2026-06-06', 'National Day'],
    ['SI', 'Europe/Ljubljana', '2026-06-25', 'Statehood Day'],
    ['SK', 'Europe/Bratislava', '2026-08-29', 'Slovak National Uprising'],
    ['UA', 'Europe/Kyiv', '2026-08-24', 'Independence Day'],
  ];

  it.each(nationalHolidays)(
    'closes a service in %s on %s (%s, %s) and opens it a week before',
    (country, timeZone, day) => {
      const region = { timeZone, countryCode: country };
      expect(openIntervals(hours, region, dayIn(day, timeZone))).toEqual([]);
      const weekBefore = new Date(Date.parse(`${day}T12:00:00Z`) - 7 * 86_400_000).toISOString().slice(0, 10);
      expect(openIntervals(hours, region, dayIn(weekBefore, timeZone))).toHaveLength(1);
    },
  );

  it('closes a Bavarian service on Epiphany, a holiday of the Land, and keeps a Berlin one open', () => {
    const day = dayIn('2026-01-06', 'Europe/Berlin');
    expect(openIntervals(hours, { ...germany, state: 'Bayern' }, day)).toEqual([]);
    expect(openIntervals(hours, { ...germany, state: 'Berlin' }, day)).toHaveLength(1);
    // Without a Land, only the national holidays apply.
    expect(openIntervals(hours, germany, day)).toHaveLength(1);
    expect(openIntervals(hours, { ...germany, state: 'Berlin' }, dayIn('2026-03-08', 'Europe/Berlin'))).toEqual([]);
  });

  it('reads British bank holidays by nation: the summer one is in August in England, early August in Scotland', () => {
    const britain = { timeZone: 'Europe/London', countryCode: 'GB' };
    const lastMonday = dayIn('2026-08-31', 'Europe/London');
    expect(openIntervals(hours, { ...britain, state: 'England' }, lastMonday)).toEqual([]);
    expect(openIntervals(hours, { ...britain, state: 'Scotland' }, lastMonday)).toHaveLength(1);
    expect(openIntervals(hours, { ...britain, state: 'Scotland' }, dayIn('2026-08-03', 'Europe/London'))).toEqual([]);
  });

  it('closes a service in Moselle on Good Friday, a holiday of Alsace-Moselle only', () => {
    const goodFriday = dayIn('2026-04-03', 'Europe/Paris');
    expect(openIntervals(hours, { ...france, state: 'Moselle' }, goodFriday)).toEqual([]);
    expect(openIntervals(hours, france, goodFriday)).toHaveLength(1);
  });
});

describe('checking opening hours', () => {
  it.each(['Mo-Fr 09:00-17:00', 'Mo-Fr 08:30-12:00,13:30-17:00; Sa 10:00-12:00', '24/7', 'Tu,Th 18:00-21:00'])(
    'accepts %s',
    (value) => {
      expect(checkOpeningHours(value, paris)).toBeNull();
    },
  );

  it('says where the mistake is and how to write opening hours', () => {
    expect(checkOpeningHours('Mo-Fr 25:00-26:00', paris)?.message).toBe(
      'The opening hours are not valid near "Mo-Fr 25:00": time range starts outside of the current day. ' +
        'Write them in the OpenStreetMap opening_hours syntax, for example "Mo-Fr 09:00-12:00,14:00-17:00; Sa 10:00-12:00".',
    );
  });

  it('accepts school holidays where the library knows them only by a state the alliance does not name', () => {
    expect(checkOpeningHours('Mo-Fr 09:00-17:00; SH off', paris)).toBeNull();
  });

  it.each(['Mo-Fx 09:00-17:00', 'tous les jours', '', 'Mo-Fr 09:00-'])('refuses %j', (value) => {
    expect(checkOpeningHours(value, paris)?.code).toMatch(/^opening-hours\.invalid/);
  });
});
