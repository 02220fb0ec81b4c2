import { beforeAll, describe, expect, it } from 'vitest';
import { signedInAs } from '../support/accounts.js';
import { databaseModes } from '../support/testDatabase.js';
import { useTestApp } from '../support/testApp.js';

/** A holiday of this calendar year: always within the year of today that the directory accepts. */
const thisYears = (monthAndDay: string) => `${new Date().getUTCFullYear()}-${monthAndDay}`;

describe.each(databaseModes())('"open now" on the public holidays of the region (%s database)', (mode) => {
  const context = useTestApp(mode);
  const hours = 'Mo-Su 09:00-17:00; PH off';

  beforeAll(async () => {
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
    context.database.db.updateTable('alliance').set({ country, timezone }).where('slug', '=', 'testland').execute();

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
});
