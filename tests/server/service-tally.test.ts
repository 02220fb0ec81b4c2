import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { foldTally } from '../../server/src/domain/hsds/serviceTally.js';
import { signedInAs } from '../support/accounts.js';
import { databaseModes } from '../support/testDatabase.js';
import { demoDataDir, useTestApp } from '../support/testApp.js';

/**
 * The tally of services per alliance and status (migration 2026-12-03-01-service-tally) that the HSDS pages read
 * for `total_items`: after every kind of write, it must say what counting the services says.
 */
describe.each(databaseModes())('service tally (%s database)', (mode) => {
  const context = useTestApp(mode, demoDataDir);
  const db = () => context.database.db;

  async function tallied() {
    const { rows } = await sql<{ alliance_id: string; status: string; n: number }>`
      select alliance_id, status, sum(delta)::int as n from service_tally
      group by alliance_id, status having sum(delta) <> 0 order by 1, 2`.execute(db());
    return rows;
  }

  async function counted() {
    const { rows } = await sql<{ alliance_id: string; status: string; n: number }>`
      select o.alliance_id, s.status, count(*)::int as n from service s join organization o on o.id = s.organization_id
      group by 1, 2 order by 1, 2`.execute(db());
    return rows;
  }

  async function expectTallyTrue() {
    const expected = await counted();
    expect(expected.length).toBeGreaterThan(0);
    expect(await tallied()).toEqual(expected);
  }

  async function alliances() {
    const { rows } = await sql<{ id: string; slug: string }>`select id, slug from alliance order by slug`.execute(db());
    return rows;
  }

  async function organizationOf(allianceId: string) {
    const { rows } = await sql<{ id: string }>`
      select o.id from organization o where o.alliance_id = ${allianceId}
      and exists (select 1 from service s where s.organization_id = o.id) order by o.id limit 1`.execute(db());
    return rows[0]!.id;
  }

  it('counts the demo services as counting them does', async () => {
    await expectTallyTrue();
  });

  it('follows inserts of many rows, status changes and moves between alliances', async () => {
    const [first, second] = await alliances();
    const organization = await organizationOf(first!.id);
    await sql`
      insert into service (organization_id, name, category, status)
      select ${organization}, 'Tally ' || n, 'social_action', case when n % 3 = 0 then 'inactive' else 'active' end
      from generate_series(1, 25) n`.execute(db());
    await expectTallyTrue();
    await sql`update service set status = 'temporarily closed' where name like 'Tally 1%'`.execute(db());
    await expectTallyTrue();
    // A service moved to an organisation of another alliance, and a statement that changes nothing it counts.
    const elsewhere = await organizationOf(second!.id);
    await sql`update service set organization_id = ${elsewhere} where name in ('Tally 2', 'Tally 3')`.execute(db());
    await sql`update service set name = name || '.' where name like 'Tally%'`.execute(db());
    await expectTallyTrue();
    await sql`delete from service where name like 'Tally 2%'`.execute(db());
    await expectTallyTrue();
  });

  it('counts out the services of a deleted organisation, and follows an organisation to another alliance', async () => {
    const [first, second] = await alliances();
    await sql`delete from organization where id = ${await organizationOf(first!.id)}`.execute(db());
    await expectTallyTrue();
    await sql`update organization set alliance_id = ${first!.id} where id = ${await organizationOf(second!.id)}`.execute(
      db(),
    );
    await expectTallyTrue();
  });

  it('forgets a deleted alliance, and rolls back with a transaction that fails', async () => {
    const [, , third] = await alliances();
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await sql`delete from service where organization_id in
            (select id from organization where alliance_id = ${third!.id})`.execute(trx);
          throw new Error('rolled back');
        }),
    ).rejects.toThrow('rolled back');
    await expectTallyTrue();
    await sql`delete from alliance where id = ${third!.id}`.execute(db());
    await expectTallyTrue();
    const { rows } = await sql`select 1 from service_tally where alliance_id = ${third!.id}`.execute(db());
    expect(rows).toHaveLength(0);
  });

  it('folds the rows of each alliance into one per status, keeping the sums', async () => {
    const before = await tallied();
    await foldTally(db());
    expect(await tallied()).toEqual(before);
    const { rows } = await sql<{ rows: number; keys: number }>`
      select count(*)::int as rows, count(distinct (alliance_id, status))::int as keys from service_tally`.execute(
      db(),
    );
    expect(rows[0]!.rows).toBe(rows[0]!.keys);
    await expectTallyTrue();
  });

  it('gives total_items from the tally to anonymous readers and members, as counting does', async () => {
    const [first] = await alliances();
    const organization = await organizationOf(first!.id);
    // More than the reader folds at: the page folds them, and still says the same total.
    for (let index = 0; index < 70; index++) {
      await sql`insert into service (organization_id, name, category, status)
        values (${organization}, ${`Fold ${index}`}, 'social_action', ${index % 2 ? 'active' : 'inactive'})`.execute(
        db(),
      );
    }
    const count = async (where: ReturnType<typeof sql>) =>
      Number(
        (
          await sql<{ n: number }>`select count(*)::int as n from service s join organization o
            on o.id = s.organization_id where ${where}`.execute(db())
        ).rows[0]!.n,
      );
    const anonymous = await context.app.inject({ method: 'GET', url: '/api/hsds/services?per_page=1' });
    expect(anonymous.json().total_items).toBe(await count(sql`s.status = 'active'`));
    const { rows: tallyRows } = await sql`select 1 from service_tally`.execute(db());
    expect(tallyRows.length).toBeLessThanOrEqual(64);

    const inAlliance = await context.app.inject({
      method: 'GET',
      url: `/api/hsds/services?per_page=1&alliance=${first!.slug}`,
    });
    expect(inAlliance.json().total_items).toBe(await count(sql`s.status = 'active' and o.alliance_id = ${first!.id}`));

    const member = await signedInAs(db(), 'member', first!.slug);
    const asMember = await context.app.inject({
      method: 'GET',
      url: '/api/hsds/services?per_page=1',
      headers: member.headers,
    });
    expect(asMember.json().total_items).toBe(await count(sql`s.status = 'active' or o.alliance_id = ${first!.id}`));
    expect(asMember.json().total_items).toBeGreaterThan(anonymous.json().total_items);
  });
});
