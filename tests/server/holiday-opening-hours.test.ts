import { beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, type TestActor } from '../support/accounts.js';
import { databaseModes } from '../support/testDatabase.js';
import { useTestApp } from '../support/testApp.js';

/** A holiday of this calendar year: always within the year of today that the directory accepts. */
const thisYears = (monthAndDay: string) => `${new Date().getUTCFullYear()}-${monthAndDay}`;

describe.each(databaseModes())('"open now" on the public holidays of the region (%s database)', (mode) => {
  const context = useTestApp(mode);
  const hours = 'Mo-Su 09:00-17:00; PH off';
  let coordinator: TestActor;

  beforeAll(async () => {
    coordinator = await signedInAs(context.database.db, 'coordinator', 'testland');
    const editor = await signedInAs(context.database.db, 'editor', 'testland');
    const organization = await context.database.db
      .selectFrom('organization')
      .select('id')
      .where('name', '=', 'Centre Alpha')
      .executeTakeFirstOrThrow();
    const created = await context.app.inject({
      method: 'POST',
      url: '/api/services',
      headers: editor.headers,
      payload: {
        organizationId: organization.id,
        name: 'Open every day',
        category: 'social_action',
        openingHours: hours,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
  });

  const moveTestlandTo = (country: string, timezone: string) =>
    context.database.db
      .updateTable('alliance')
      .set({ country, timezone, holiday_state: null })
      .where('slug', '=', 'testland')
      .execute();

  /** Sets Testland's holiday state through the API, as its coordinator would. */
  async function setHolidayState(holidayState: string | null) {
    const { version } = (
      await context.app.inject({ url: '/api/alliances/testland', headers: coordinator.headers })
    ).json();
    return context.app.inject({
      method: 'PATCH',
      url: '/api/alliances/testland',
      headers: coordinator.headers,
      payload: { version, holidayState },
    });
  }

  /** Whether the finder's directory lists the service open on `day` (the region's calendar day). */
  async function openOn(day: string): Promise<boolean> {
    const response = await context.app.inject({ url: `/api/alliances/testland/directory?from=${day}` });
    expect(response.statusCode, response.body).toBe(200);
    const service = response.json().services.find((entry: { name: string }) => entry.name === 'Open every day');
    const intervals = service.openIntervals as [string, string][];
    // 09:00 in Paris, Dublin or Berlin is the same UTC date.
    expect(intervals.length).toBeGreaterThan(0);
    return intervals.some(([opens]) => opens.startsWith(day));
  }

  it('closes a French service on 14 July and keeps it open on German Unity Day', async () => {
    await moveTestlandTo('FR', 'Europe/Paris');
    expect(await openOn(thisYears('07-14'))).toBe(false);
    expect(await openOn(thisYears('10-03'))).toBe(true);
  });

  it("closes an Irish service on St Patrick's Day", async () => {
    await moveTestlandTo('IE', 'Europe/Dublin');
    expect(await openOn(thisYears('03-17'))).toBe(false);
    expect(await openOn(thisYears('07-14'))).toBe(true);
  });

  it('closes a German service on 3 October', async () => {
    await moveTestlandTo('DE', 'Europe/Berlin');
    expect(await openOn(thisYears('10-03'))).toBe(false);
    expect(await openOn(thisYears('07-14'))).toBe(true);
  });

  it('closes a Norwegian service on 17 May', async () => {
    await moveTestlandTo('NO', 'Europe/Oslo');
    expect(await openOn(thisYears('05-17'))).toBe(false);
    expect(await openOn(thisYears('07-14'))).toBe(true);
  });

  it('closes a Bavarian service on Epiphany once the alliance names its Land, and a Berlin one on 8 March', async () => {
    await moveTestlandTo('DE', 'Europe/Berlin');
    // Without a Land, the national holidays only.
    expect(await openOn(thisYears('01-06'))).toBe(true);

    const bavaria = await setHolidayState('Bayern');
    expect(bavaria.statusCode, bavaria.body).toBe(200);
    expect(bavaria.json().holidayState).toBe('Bayern');
    expect(await openOn(thisYears('01-06'))).toBe(false);
    expect(await openOn(thisYears('10-03'))).toBe(false);

    expect((await setHolidayState('Berlin')).statusCode).toBe(200);
    expect(await openOn(thisYears('01-06'))).toBe(true);
    expect(await openOn(thisYears('03-08'))).toBe(false);

    // The directory keeps the state to itself.
    const directory = await context.app.inject({ url: '/api/alliances/testland/directory' });
    expect(directory.json().alliance).not.toHaveProperty('holidayState');
  });

  it('closes a service in Scotland on its summer bank holiday, early in August', async () => {
    await moveTestlandTo('GB', 'Europe/London');
    expect((await setHolidayState('Scotland')).statusCode).toBe(200);
    const firstMondayOfAugust = new Date(Date.UTC(new Date().getUTCFullYear(), 7, 1));
    while (firstMondayOfAugust.getUTCDay() !== 1) firstMondayOfAugust.setUTCDate(firstMondayOfAugust.getUTCDate() + 1);
    expect(await openOn(firstMondayOfAugust.toISOString().slice(0, 10))).toBe(false);
  });

  it('refuses a state the country does not divide its holidays by, saying which it knows', async () => {
    await moveTestlandTo('DE', 'Europe/Berlin');
    const misspelt = await setHolidayState('Bavaria');
    expect(misspelt.statusCode).toBe(400);
    expect(misspelt.json().message).toContain('"Bavaria" is not a region whose public holidays differ in DE');
    expect(misspelt.json().message).toContain('Bayern');

    await moveTestlandTo('NO', 'Europe/Oslo');
    const norway = await setHolidayState('Oslo');
    expect(norway.statusCode).toBe(400);
    expect(norway.json().message).toContain('Public holidays are the same in the whole of NO');
    expect((await setHolidayState(null)).statusCode).toBe(200);
  });
});
