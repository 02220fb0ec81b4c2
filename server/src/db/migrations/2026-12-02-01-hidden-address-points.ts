import { type Kysely, sql } from 'kysely';

/**
 * A hidden address (shelters, women's services) must not give its door away through its pin. `public_point` is
 * the point anyone may see: the location's own, or for a hidden address that point rounded to 0.01° (about a
 * kilometre), which says the neighbourhood and town, not the door. `service_at_location.geog` — what the near-me
 * search, the finder's directory and the gap analysis read, through the GiST index on (geog, category) — now holds
 * that public point, kept true by the triggers that already kept the copy: a search can neither rank nor filter by
 * a hidden door. The exact point stays in `location.geog`, for the alliance's members. Frozen in time: it imports
 * nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function public_point(geog geography, hidden boolean) returns geography
    language sql immutable parallel safe
    as $$ select case when hidden then ST_SnapToGrid(geog::geometry, 0.01)::geography else geog end $$`.execute(db);

  await sql`
    create or replace function service_at_location_fill() returns trigger language plpgsql as $$
    begin
      select category into new.category from service where id = new.service_id;
      if not found then
        raise foreign_key_violation using message = format('service %s does not exist', new.service_id);
      end if;
      select public_point(geog, hide_address) into new.geog from location where id = new.location_id;
      if not found then
        raise foreign_key_violation using message = format('location %s does not exist', new.location_id);
      end if;
      return new;
    end $$`.execute(db);
  await sql`
    create or replace function location_geog_propagate() returns trigger language plpgsql as $$
    begin
      update service_at_location set geog = public_point(new.geog, new.hide_address) where location_id = new.id;
      return new;
    end $$`.execute(db);
  // Hiding or showing an address moves the public point as much as moving the pin does.
  await sql`drop trigger location_geog_propagate on location`.execute(db);
  await sql`
    create trigger location_geog_propagate after update of geog, hide_address on location
    for each row when (not (old.geog::geometry ~= new.geog::geometry) or old.hide_address is distinct from new.hide_address)
    execute function location_geog_propagate()`.execute(db);

  // The copies of hidden addresses made so far, rounded; not a change anyone made, so the history is not told.
  const { rows } = await sql<{ history: string | null }>`
    select current_setting('passerelle.history', true) as history`.execute(db);
  await sql`select set_config('passerelle.history', 'off', true)`.execute(db);
  await sql`
    update service_at_location sal set geog = public_point(l.geog, l.hide_address)
    from location l where l.id = sal.location_id and l.hide_address`.execute(db);
  await sql`select set_config('passerelle.history', ${rows[0]?.history ?? ''}, true)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function service_at_location_fill() returns trigger language plpgsql as $$
    begin
      select category into new.category from service where id = new.service_id;
      if not found then
        raise foreign_key_violation using message = format('service %s does not exist', new.service_id);
      end if;
      select geog into new.geog from location where id = new.location_id;
      if not found then
        raise foreign_key_violation using message = format('location %s does not exist', new.location_id);
      end if;
      return new;
    end $$`.execute(db);
  await sql`
    create or replace function location_geog_propagate() returns trigger language plpgsql as $$
    begin
      update service_at_location set geog = new.geog where location_id = new.id;
      return new;
    end $$`.execute(db);
  await sql`drop trigger location_geog_propagate on location`.execute(db);
  await sql`
    create trigger location_geog_propagate after update of geog on location
    for each row when (not (old.geog::geometry ~= new.geog::geometry))
    execute function location_geog_propagate()`.execute(db);
  await sql`select set_config('passerelle.history', 'off', true)`.execute(db);
  await sql`
    update service_at_location sal set geog = l.geog
    from location l where l.id = sal.location_id and l.hide_address`.execute(db);
  await sql`drop function public_point(geography, boolean)`.execute(db);
}
