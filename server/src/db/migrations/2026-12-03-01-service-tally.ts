import { type Kysely, sql } from 'kysely';

/**
 * How many services each alliance has in each status, kept by triggers, so that a page of the HSDS read API can
 * say `total_items` without counting every service again (the count cost more than the page itself: issue 10).
 *
 * The tally is a ledger of changes, not one row per alliance: every statement that adds, removes or moves
 * services inserts one row per alliance and status with the difference (+3, -1). Inserting never waits for
 * another transaction, so an import that writes 100,000 services for minutes does not hold up an editor saving
 * one service in the same alliance, as an updated counter row would. The sum of an alliance's rows is its count,
 * exact in any transaction's snapshot; the reader folds an alliance's rows into one per status once they pile up.
 *
 * - Services: statement-level triggers with transition tables, so that a statement writing many rows adds one row
 *   per alliance and status, not one per service.
 * - A deleted organisation takes its services with it (`on delete cascade`); by the time their delete trigger runs
 *   the organisation is gone and their alliance cannot be found, so the organisation's own trigger takes them off
 *   before it goes. An organisation moved to another alliance takes its services' counts along.
 * - No foreign key to the alliance: deleting an alliance deletes its organisations, whose triggers write into the
 *   tally while the alliance is already gone; the alliance's own trigger then deletes its rows (PostgreSQL runs the
 *   cascade first: its triggers' names sort before ours).
 *
 * Frozen in time: it imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table service_tally (
      id bigint generated always as identity primary key,
      alliance_id uuid not null,
      status text not null,
      delta integer not null
    )`.execute(db);
  await sql`create index service_tally_alliance_idx on service_tally (alliance_id, status) include (delta)`.execute(db);

  await sql`
    create function service_tally_inserted() returns trigger language plpgsql as $$
    begin
      insert into service_tally (alliance_id, status, delta)
      select o.alliance_id, n.status, count(*)
      from inserted_services n join organization o on o.id = n.organization_id
      group by o.alliance_id, n.status;
      return null;
    end $$`.execute(db);
  await sql`
    create function service_tally_deleted() returns trigger language plpgsql as $$
    begin
      -- Services deleted with their organisation find no organisation here: its own trigger counted them out.
      insert into service_tally (alliance_id, status, delta)
      select o.alliance_id, d.status, -count(*)
      from deleted_services d join organization o on o.id = d.organization_id
      group by o.alliance_id, d.status;
      return null;
    end $$`.execute(db);
  await sql`
    create function service_tally_updated() returns trigger language plpgsql as $$
    begin
      insert into service_tally (alliance_id, status, delta)
      select alliance_id, status, sum(delta)
      from (
        select o.alliance_id, before.status, -1 as delta
        from services_before before
        join services_after after on after.id = before.id
        join organization o on o.id = before.organization_id
        where (before.status, before.organization_id) is distinct from (after.status, after.organization_id)
        union all
        select o.alliance_id, after.status, 1
        from services_before before
        join services_after after on after.id = before.id
        join organization o on o.id = after.organization_id
        where (before.status, before.organization_id) is distinct from (after.status, after.organization_id)
      ) moved
      group by alliance_id, status
      having sum(delta) <> 0;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger service_tally_insert after insert on service
    referencing new table as inserted_services
    for each statement execute function service_tally_inserted()`.execute(db);
  await sql`
    create trigger service_tally_delete after delete on service
    referencing old table as deleted_services
    for each statement execute function service_tally_deleted()`.execute(db);
  await sql`
    create trigger service_tally_update after update on service
    referencing old table as services_before new table as services_after
    for each statement execute function service_tally_updated()`.execute(db);

  await sql`
    create function service_tally_organization_deleted() returns trigger language plpgsql as $$
    begin
      insert into service_tally (alliance_id, status, delta)
      select old.alliance_id, s.status, -count(*)
      from service s where s.organization_id = old.id
      group by s.status;
      return old;
    end $$`.execute(db);
  await sql`
    create function service_tally_organization_moved() returns trigger language plpgsql as $$
    begin
      insert into service_tally (alliance_id, status, delta)
      select moved.alliance_id, s.status, moved.sign * count(*)
      from service s
      cross join (values (old.alliance_id, -1), (new.alliance_id, 1)) as moved (alliance_id, sign)
      where s.organization_id = new.id
      group by moved.alliance_id, moved.sign, s.status;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger service_tally_organization_delete before delete on organization
    for each row execute function service_tally_organization_deleted()`.execute(db);
  await sql`
    create trigger service_tally_organization_move after update of alliance_id on organization
    for each row when (old.alliance_id is distinct from new.alliance_id)
    execute function service_tally_organization_moved()`.execute(db);

  await sql`
    create function service_tally_alliance_deleted() returns trigger language plpgsql as $$
    begin
      delete from service_tally where alliance_id = old.id;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger service_tally_alliance_delete after delete on alliance
    for each row execute function service_tally_alliance_deleted()`.execute(db);

  await sql`
    insert into service_tally (alliance_id, status, delta)
    select o.alliance_id, s.status, count(*)
    from service s join organization o on o.id = s.organization_id
    group by o.alliance_id, s.status`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists service_tally_alliance_delete on alliance`.execute(db);
  await sql`drop trigger if exists service_tally_organization_move on organization`.execute(db);
  await sql`drop trigger if exists service_tally_organization_delete on organization`.execute(db);
  await sql`drop trigger if exists service_tally_update on service`.execute(db);
  await sql`drop trigger if exists service_tally_delete on service`.execute(db);
  await sql`drop trigger if exists service_tally_insert on service`.execute(db);
  await sql`drop function if exists service_tally_alliance_deleted()`.execute(db);
  await sql`drop function if exists service_tally_organization_moved()`.execute(db);
  await sql`drop function if exists service_tally_organization_deleted()`.execute(db);
  await sql`drop function if exists service_tally_updated()`.execute(db);
  await sql`drop function if exists service_tally_deleted()`.execute(db);
  await sql`drop function if exists service_tally_inserted()`.execute(db);
  await sql`drop table if exists service_tally`.execute(db);
}
