import { type Kysely, sql } from 'kysely';

/**
 * A place may be not placed yet: its point is null until someone puts its pin on the map, rather than standing at
 * the centre of the alliance's area, where the near-me search, the finder and the gap analysis took it for a real
 * place (a service in Göttingen shown 12 km from where it is). `location.geog` and its public copy
 * `service_at_location.geog` become nullable; such a location is always marked `needs_place`. Nothing that reads
 * points by `ST_DWithin`, `<->` or `ST_Intersects` sees a null point, and the GiST index on (geog, category) keeps
 * answering the rest. The trigger that copies the point learns that null to a point and a point to null are moves.
 *
 * Frozen in time: it imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table location alter column geog drop not null`.execute(db);
  await sql`alter table location add constraint location_unplaced_needs_place check (geog is not null or needs_place)`.execute(
    db,
  );
  await sql`alter table service_at_location alter column geog drop not null`.execute(db);
  await sql`drop trigger location_geog_propagate on location`.execute(db);
  await sql`
    create trigger location_geog_propagate after update of geog, hide_address on location
    for each row when ((old.geog is null) <> (new.geog is null)
      or not coalesce(old.geog::geometry ~= new.geog::geometry, true)
      or old.hide_address is distinct from new.hide_address)
    execute function location_geog_propagate()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // A place not placed yet cannot be kept without a point: the links to it and the place itself go.
  await sql`delete from location where geog is null`.execute(db);
  await sql`drop trigger location_geog_propagate on location`.execute(db);
  await sql`
    create trigger location_geog_propagate after update of geog, hide_address on location
    for each row when (not (old.geog::geometry ~= new.geog::geometry) or old.hide_address is distinct from new.hide_address)
    execute function location_geog_propagate()`.execute(db);
  await sql`alter table service_at_location alter column geog set not null`.execute(db);
  await sql`alter table location drop constraint location_unplaced_needs_place`.execute(db);
  await sql`alter table location alter column geog set not null`.execute(db);
}
