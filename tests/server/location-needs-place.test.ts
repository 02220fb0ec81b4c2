import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { databaseModes } from '../support/testDatabase.js';
import { adminHeaders, useTestApp } from '../support/testApp.js';

/**
 * A place an import could not find stands at its town with the "needs a place" mark (issue 10): the mark goes when
 * an editor puts the pin where the place is, and stays while other fields are edited.
 */
describe.each(databaseModes())('a place that needs a place (%s database)', (mode) => {
  const context = useTestApp(mode);

  async function markedPlace() {
    const { rows } = await sql<{ id: string }>`
      update location set needs_place = true, precision = 'town'
      where id = (select id from location order by id limit 1) returning id`.execute(context.database.db);
    return rows[0]!.id;
  }

  const needsPlace = async (id: string) =>
    (
      await sql<{ needs_place: boolean }>`select needs_place from location where id = ${id}`.execute(
        context.database.db,
      )
    ).rows[0]!.needs_place;

  const patch = async (id: string, change: Record<string, unknown>) => {
    const { version } = (
      await sql<{ version: number }>`select version from location where id = ${id}`.execute(context.database.db)
    ).rows[0]!;
    const answer = await context.app.inject({
      method: 'PATCH',
      url: `/api/locations/${id}`,
      headers: adminHeaders,
      payload: { version, ...change },
    });
    expect(answer.statusCode, answer.body).toBe(200);
  };

  it('keeps the mark while the name or the note change', async () => {
    const id = await markedPlace();
    await patch(id, { name: 'Permanence du mardi', note: 'Entrée par la cour' });
    expect(await needsPlace(id)).toBe(true);
  });

  it('drops the mark when the pin is moved by hand', async () => {
    const id = await markedPlace();
    await patch(id, { lat: 44.8378, lon: -0.5792, precision: 'exact' });
    expect(await needsPlace(id)).toBe(false);
  });
});
