import { type Kysely, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../server/src/db/migrate.js';
import { migrations } from '../../server/src/db/migrations/index.js';
import { hashToken } from '../../server/src/domain/admin/adminToken.js';
import { createTestDatabase, databaseModes, type TestDatabase } from '../support/testDatabase.js';

/**
 * Databases made before invitations waited for acceptance hold pending members: accounts without a password,
 * already members with the role they were invited to. The migration turns them into pending invitations.
 */
describe.each(databaseModes())('pending members of older databases (%s database)', (mode) => {
  let database: TestDatabase;
  const db = () => database.db as unknown as Kysely<any>;
  const token = 'an-invitation-token-from-before-the-change-0123';

  beforeAll(async () => {
    database = await createTestDatabase(mode);
    const migrator = new Migrator({ db: db(), provider: { getMigrations: async () => migrations } });
    const { error } = await migrator.migrateTo('2026-11-23-05-grid-boundary');
    if (error) throw error;

    const { rows } = await sql<{ alliance: string; organization: string; pending: string; member: string }>`
      with alliance as (
        insert into alliance (slug, name, country, languages, timezone)
        values ('oldland', 'Oldland', 'FR', '{fr}', 'Europe/Paris') returning id),
      organization as (
        insert into organization (alliance_id, name) select id, 'Centre Old' from alliance returning id),
      pending as (
        insert into account (email, display_name, password_hash)
        values ('pending@test.example', 'pending', null) returning id),
      member as (
        insert into account (email, display_name, password_hash)
        values ('member@test.example', 'Member', 'x') returning id)
      select (select id from alliance) as alliance, (select id from organization) as organization,
             (select id from pending) as pending, (select id from member) as member`.execute(db());
    const ids = rows[0]!;
    await db()
      .insertInto('alliance_member')
      .values([
        { alliance_id: ids.alliance, account_id: ids.pending, role: 'coordinator', organization_id: ids.organization },
        { alliance_id: ids.alliance, account_id: ids.member, role: 'member', organization_id: null },
      ])
      .execute();
    await db()
      .insertInto('account_link')
      .values({
        id: hashToken(token),
        kind: 'invitation',
        account_id: ids.pending,
        alliance_id: ids.alliance,
        role: 'coordinator',
        created_by: ids.member,
        expires_at: new Date(Date.now() + 86_400_000),
      })
      .execute();

    await migrateToLatest(db());
    // Migrating down and up again in the embedded database takes a while on a busy machine.
  }, 180_000);

  afterAll(async () => {
    await database?.dispose();
  });

  it('withdraws the membership a pending person was given, and keeps accepted members', async () => {
    const memberships = await db()
      .selectFrom('alliance_member as m')
      .innerJoin('account as a', 'a.id', 'm.account_id')
      .select(['a.email', 'm.role'])
      .execute();
    expect(memberships).toEqual([{ email: 'member@test.example', role: 'member' }]);
  });

  it('keeps the invitation, now naming the e-mail, the role and the organisation', async () => {
    const link = await db()
      .selectFrom('account_link as l')
      .leftJoin('organization as o', 'o.id', 'l.organization_id')
      .select(['l.email', 'l.role', 'l.account_id', 'o.name as organization'])
      .where('l.id', '=', hashToken(token))
      .executeTakeFirstOrThrow();
    expect(link).toEqual({
      email: 'pending@test.example',
      role: 'coordinator',
      account_id: null,
      organization: 'Centre Old',
    });
  });

  it('removes accounts that have no password, and then refuses any', async () => {
    const emails = await db().selectFrom('account').select('email').orderBy('email').execute();
    expect(emails).toEqual([{ email: 'member@test.example' }]);
    await expect(
      db().insertInto('account').values({ email: 'no-password@test.example', display_name: 'x' }).execute(),
    ).rejects.toThrow(/password_hash/);
  });
});
