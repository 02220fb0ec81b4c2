import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMonths,
  freshnessOf,
  notCheckedFor,
  notCheckedForCondition,
  overdueCondition,
  wholeMonthsBetween,
} from '../../server/src/domain/freshness/updateCycles.js';
import { createTestDatabase, databaseModes, type TestDatabase } from '../support/testDatabase.js';

/**
 * The update cycle of a service, on its region's calendar, with a fixed clock: the rule in TypeScript
 * (`freshnessOf`, for pages and mails) and in SQL (`overdueCondition`, for lists, digests and the gap analysis)
 * must agree on every case, month ends and leap years included.
 */

describe('adding months to a calendar date', () => {
  it('keeps the day, or takes the last day of a shorter month', () => {
    expect(addMonths('2026-03-15', 1)).toBe('2026-04-15');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-08-31', 3)).toBe('2026-11-30');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
  });

  it('counts whole months between two dates', () => {
    expect(wholeMonthsBetween('2026-01-31', '2026-02-27')).toBe(0);
    expect(wholeMonthsBetween('2026-01-31', '2026-02-28')).toBe(1);
    expect(wholeMonthsBetween('2026-03-15', '2026-09-14')).toBe(5);
    expect(wholeMonthsBetween('2026-03-15', '2026-09-15')).toBe(6);
    expect(wholeMonthsBetween('2026-03-15', '2026-01-01')).toBe(0);
  });
});

/** Each case: checked at `verifiedAt` (an instant), cycle, region zone, and the clock: overdue or not. */
const cases: { name: string; verifiedAt: string | null; cycle: number; zone: string; now: string; overdue: boolean }[] =
  [
    // Checked 31 January, one month: due 28 February, overdue on 1 March (region calendar).
    {
      name: 'month end, due day',
      verifiedAt: '2026-01-31T10:00:00Z',
      cycle: 1,
      zone: 'Europe/Paris',
      now: '2026-02-28T23:30:00Z',
      overdue: true,
    },
    {
      name: 'month end, last hour of the due day in UTC',
      verifiedAt: '2026-01-31T10:00:00Z',
      cycle: 1,
      zone: 'UTC',
      now: '2026-02-28T23:30:00Z',
      overdue: false,
    },
    {
      name: 'leap year, 29 February is the due day',
      verifiedAt: '2028-01-31T10:00:00Z',
      cycle: 1,
      zone: 'Europe/Paris',
      now: '2028-02-29T12:00:00Z',
      overdue: false,
    },
    {
      name: 'leap year, overdue on 1 March',
      verifiedAt: '2028-01-31T10:00:00Z',
      cycle: 1,
      zone: 'Europe/Paris',
      now: '2028-03-01T00:30:00Z',
      overdue: true,
    },
    // 23:30 UTC on 31 March is already 1 April in Paris: the check counts from 1 April there.
    {
      name: 'a check late at night belongs to the region’s next day',
      verifiedAt: '2026-03-31T23:30:00Z',
      cycle: 3,
      zone: 'Europe/Paris',
      now: '2026-07-01T12:00:00Z',
      overdue: false,
    },
    {
      name: 'same check in UTC',
      verifiedAt: '2026-03-31T23:30:00Z',
      cycle: 3,
      zone: 'UTC',
      now: '2026-07-01T12:00:00Z',
      overdue: true,
    },
    {
      name: 'a year, on the day',
      verifiedAt: '2025-12-03T09:00:00Z',
      cycle: 12,
      zone: 'Europe/Stockholm',
      now: '2026-12-03T16:00:00Z',
      overdue: false,
    },
    {
      name: 'a year and a day',
      verifiedAt: '2025-12-02T09:00:00Z',
      cycle: 12,
      zone: 'Europe/Stockholm',
      now: '2026-12-03T16:00:00Z',
      overdue: true,
    },
    {
      name: 'never checked',
      verifiedAt: null,
      cycle: 6,
      zone: 'Europe/Berlin',
      now: '2026-12-03T16:00:00Z',
      overdue: true,
    },
    {
      name: 'west of UTC',
      verifiedAt: '2026-06-01T03:00:00Z',
      cycle: 6,
      zone: 'America/Montreal',
      now: '2026-12-01T04:00:00Z',
      overdue: false,
    },
  ];

describe('when a service is overdue, with a fixed clock', () => {
  it.each(cases)('$name', ({ verifiedAt, cycle, zone, now, overdue }) => {
    const freshness = freshnessOf(verifiedAt ? new Date(verifiedAt) : null, cycle, zone, new Date(now));
    expect(freshness.overdue).toBe(overdue);
  });

  it('says when the check was and when it falls due, on the region’s calendar', () => {
    expect(freshnessOf(new Date('2026-01-31T23:30:00Z'), 1, 'Europe/Paris', new Date('2026-03-10T12:00:00Z'))).toEqual({
      checkedOn: '2026-02-01',
      dueOn: '2026-03-01',
      overdue: true,
      monthsSinceCheck: 1,
    });
  });

  it('tells a service not checked for N months', () => {
    const checked = new Date('2026-03-15T10:00:00Z');
    expect(notCheckedFor(checked, 6, 'Europe/Paris', new Date('2026-09-15T10:00:00Z'))).toBe(false);
    expect(notCheckedFor(checked, 6, 'Europe/Paris', new Date('2026-09-16T10:00:00Z'))).toBe(true);
    expect(notCheckedFor(null, 6, 'Europe/Paris')).toBe(true);
  });
});

describe.each(databaseModes())('the same rule in SQL (%s database)', (mode) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(mode);
  }, 60_000);
  afterAll(async () => {
    await database?.dispose();
  });

  it.each(cases)('$name', async ({ verifiedAt, cycle, zone, now, overdue }) => {
    const refs = {
      verifiedAt: sql`${verifiedAt}::timestamptz`,
      serviceCycle: sql`null::smallint`,
      allianceCycle: sql`${cycle}::smallint`,
      timeZone: sql`${zone}::text`,
    };
    const { rows } = await sql<{
      overdue: boolean;
    }>`select ${overdueCondition(refs, new Date(now))} as overdue`.execute(database.db);
    expect(rows[0]?.overdue).toBe(overdue);
  });

  it('lets a service’s own cycle win over its alliance’s', async () => {
    const refs = {
      verifiedAt: sql`'2026-01-10T10:00:00Z'::timestamptz`,
      serviceCycle: sql`1::smallint`,
      allianceCycle: sql`12::smallint`,
      timeZone: sql`'Europe/Paris'::text`,
    };
    const { rows } = await sql<{ overdue: boolean }>`
      select ${overdueCondition(refs, new Date('2026-03-01T10:00:00Z'))} as overdue`.execute(database.db);
    expect(rows[0]?.overdue).toBe(true);
  });

  it('tells a service not checked for N months', async () => {
    const refs = { verifiedAt: sql`'2026-03-15T10:00:00Z'::timestamptz`, timeZone: sql`'Europe/Paris'::text` };
    const { rows } = await sql<{ before: boolean; after: boolean }>`
      select ${notCheckedForCondition(refs, 6, new Date('2026-09-15T10:00:00Z'))} as before,
             ${notCheckedForCondition(refs, 6, new Date('2026-09-16T10:00:00Z'))} as after`.execute(database.db);
    expect(rows[0]).toEqual({ before: false, after: true });
  });
});
