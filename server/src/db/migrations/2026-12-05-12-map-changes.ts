import { type Kysely, sql } from 'kysely';

/**
 * What the map's answers (services.geojson, the service tiles) depend on changed: a ledger that every statement
 * writing services, their places, organisations or alliances adds one row to per alliance it touched, written by
 * statement-level triggers (one row for an import's 100,000 services, not 100,000). An answer's ETag is the
 * count and the largest id of its alliance's rows (of all rows for every alliance): a commit adds rows, so the
 * pair changes even when a transaction that began earlier commits a smaller id later. Inserting never waits for
 * another transaction, unlike a counter row would while an import holds it. The reader folds an alliance's rows
 * into its last one once they pile up (domain/services/mapVersion.ts).
 *
 * Not the change log: bulk loads turn that off (`passerelle.history = 'off'`), and its rows are many per change.
 * Frozen in time: it imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table map_change (
      id bigint generated always as identity primary key,
      alliance_id uuid not null
    )`.execute(db);
  await sql`create index map_change_alliance_idx on map_change (alliance_id, id)`.execute(db);

  // How each table's rows name their alliance; rows deleted with their parent (services with their organisation)
  // find none, and their parent's own trigger has counted the change.
  const allianceOf: Record<string, (rows: string) => string> = {
    alliance: (rows) => `select id from ${rows}`,
    organization: (rows) => `select alliance_id from ${rows}`,
    service: (rows) => `select o.alliance_id from ${rows} r join organization o on o.id = r.organization_id`,
    location: (rows) => `select o.alliance_id from ${rows} r join organization o on o.id = r.organization_id`,
    service_at_location: (rows) =>
      `select o.alliance_id from ${rows} r join service s on s.id = r.service_id
       join organization o on o.id = s.organization_id`,
  };
  for (const [table, alliances] of Object.entries(allianceOf)) {
    const fn = `map_change_${table}`;
    await sql`
      create function ${sql.raw(fn)}() returns trigger language plpgsql as ${sql.lit(`
      begin
        if tg_op = 'INSERT' then
          insert into map_change (alliance_id) select distinct a from (${alliances('new_rows')}) t(a) where a is not null;
        elsif tg_op = 'DELETE' then
          insert into map_change (alliance_id) select distinct a from (${alliances('old_rows')}) t(a) where a is not null;
        else
          insert into map_change (alliance_id) select distinct a from (
            ${alliances('new_rows')} union ${alliances('old_rows')}) t(a) where a is not null;
        end if;
        return null;
      end`)}`.execute(db);
    await sql`
      create trigger ${sql.raw(`${fn}_insert`)} after insert on ${sql.table(table)}
      referencing new table as new_rows for each statement execute function ${sql.raw(fn)}()`.execute(db);
    await sql`
      create trigger ${sql.raw(`${fn}_update`)} after update on ${sql.table(table)}
      referencing new table as new_rows old table as old_rows for each statement execute function ${sql.raw(fn)}()`.execute(
      db,
    );
    await sql`
      create trigger ${sql.raw(`${fn}_delete`)} after delete on ${sql.table(table)}
      referencing old table as old_rows for each statement execute function ${sql.raw(fn)}()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['alliance', 'organization', 'service', 'location', 'service_at_location']) {
    const fn = `map_change_${table}`;
    for (const event of ['insert', 'update', 'delete']) {
      await sql`drop trigger if exists ${sql.raw(`${fn}_${event}`)} on ${sql.table(table)}`.execute(db);
    }
    await sql`drop function if exists ${sql.raw(fn)}()`.execute(db);
  }
  await sql`drop table if exists map_change`.execute(db);
}
