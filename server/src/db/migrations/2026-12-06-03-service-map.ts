import { type Kysely, sql } from 'kysely';

/**
 * The map table: one row per service that has a placed location, at its first placed location (by the location's
 * creation, then id, as the GeoJSON and the list have it), carrying exactly what a service tile shows and filters on
 * (name, category, organisation's name, town, precision, the check's date and the service's cycle, topics and
 * languages, the alliance) and both of its points: the public one (`public_point`: a hidden address rounded to
 * 0.01°), which anyone may see, and the exact one, for the alliance's members and platform admins. A tile is then
 * one walk of one GiST index over one table, in spatial order, without joins per point.
 *
 * The points are kept in "tile space": Web Mercator scaled to the unit square (x from 0 at 180° W to 1 at 180° E, y
 * from 0 at 85.05° N to 1 at 85.05° S; latitudes clamped to ±86°, beyond every tile), so that a point's pixel in
 * tile (z, x, y) is `floor(px · 2^z · 4096 − x · 4096)` and a tile's box is `[x/2^z, (x+1)/2^z] × [y/2^z, (y+1)/2^z]`:
 * no projection per point, and the same arithmetic in both database modes.
 *
 * Statement-level triggers with transition tables on service_at_location, service, location and organization keep
 * it true (the alliance's time zone and cycle are read by the tile from the alliance itself): whatever writes those
 * tables (the API, imports, the demo seed, self-service, undo, cascades) keeps the map table true without code of
 * its own, and a bulk insert costs one set-based statement. Each trigger works out which services a statement
 * touched and rewrites their rows from the base tables (the view `service_map_source`), in spatial order (geohash).
 *
 * Frozen in time: it imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function tile_space_point(geog geography) returns geometry
    language sql immutable parallel safe as $$
      select ST_MakePoint(
        (ST_X(geog::geometry) + 180) / 360,
        (1 - ln(tan(radians(least(greatest(ST_Y(geog::geometry), -86), 86)))
          + 1 / cos(radians(least(greatest(ST_Y(geog::geometry), -86), 86)))) / pi()) / 2)
    $$`.execute(db);

  await sql`
    create table service_map (
      service_id uuid primary key,
      location_id uuid not null,
      alliance_id uuid not null,
      public_point geometry(Point) not null,
      exact_point geometry(Point) not null,
      category text not null,
      name text not null,
      organization_name text not null,
      town text,
      precision text not null,
      hide_address boolean not null,
      verified_at timestamptz,
      update_cycle_months smallint,
      topics text[] not null,
      languages text[] not null
    )`.execute(db);
  // A tile is a small statement among many at once: helpers in parallel cost more than they give there.
  await sql`alter table service_map set (parallel_workers = 0)`.execute(db);

  // What the rows must hold, from the base tables: each service at its first placed location.
  await sql`
    create view service_map_source as
    select s.id as service_id, l.id as location_id, o.alliance_id,
           tile_space_point(public_point(l.geog, l.hide_address)) as public_point,
           tile_space_point(l.geog) as exact_point,
           s.category, s.name, o.name as organization_name, l.city as town, l.precision, l.hide_address,
           s.verified_at, s.update_cycle_months, s.topics, s.languages,
           ST_GeoHash(l.geog::geometry, 12) as spatial_key
    from service s
    join organization o on o.id = s.organization_id
    join service_at_location sal on sal.service_id = s.id
    join location l on l.id = sal.location_id
    where l.geog is not null
      and not exists (
        select 1 from service_at_location sal2 join location l2 on l2.id = sal2.location_id
        where sal2.service_id = s.id and sal2.location_id <> l.id and l2.geog is not null
          and (l2.created_at, l2.id) < (l.created_at, l.id))`.execute(db);

  const columns = sql.raw(`service_id, location_id, alliance_id, public_point, exact_point, category, name,
    organization_name, town, precision, hide_address, verified_at, update_cycle_months, topics, languages`);

  // Backfill in spatial order (geohash: nearby points, nearby keys), then index.
  await sql`
    insert into service_map (${columns})
    select ${columns} from service_map_source order by spatial_key, service_id`.execute(db);
  await sql`create index service_map_public_point_idx on service_map using gist (public_point)`.execute(db);
  await sql`create index service_map_exact_point_idx on service_map using gist (exact_point)`.execute(db);
  await sql`create index service_map_location_idx on service_map (location_id)`.execute(db);

  // Rewrites the rows of the given services from the base tables (none when a service has no placed location).
  await sql`
    create function service_map_rewrite(service_ids uuid[]) returns void
    language sql as $$
      delete from service_map where service_id = any(service_ids);
      insert into service_map (${columns})
      select ${columns} from service_map_source src
      join (select distinct unnest(service_ids) as id) touched on touched.id = src.service_id
      order by src.spatial_key, src.service_id;
    $$`.execute(db);

  // service_at_location: a link made, unmade or pointed elsewhere; the service's first location may change.
  await sql`
    create function service_map_after_link() returns trigger language plpgsql as $$
    declare
      service_ids uuid[];
    begin
      if tg_op = 'INSERT' then
        select array_agg(distinct service_id) into service_ids from added;
      elsif tg_op = 'DELETE' then
        select array_agg(distinct service_id) into service_ids from removed;
      else
        -- Only a link moved to another service or location: the point it copies changes with its location,
        -- whose own trigger rewrites the rows.
        select array_agg(distinct id) into service_ids from (
          select o.service_id as id from removed o join added n on n.id = o.id
          where (n.service_id, n.location_id) <> (o.service_id, o.location_id)
          union
          select n.service_id from removed o join added n on n.id = o.id
          where (n.service_id, n.location_id) <> (o.service_id, o.location_id)
        ) moved;
      end if;
      if service_ids is not null then
        perform service_map_rewrite(service_ids);
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger service_map_link_insert after insert on service_at_location
    referencing new table as added for each statement execute function service_map_after_link()`.execute(db);
  await sql`
    create trigger service_map_link_delete after delete on service_at_location
    referencing old table as removed for each statement execute function service_map_after_link()`.execute(db);
  await sql`
    create trigger service_map_link_update after update on service_at_location
    referencing old table as removed new table as added
    for each statement execute function service_map_after_link()`.execute(db);

  // service: what a tile shows or filters on, its organisation. A new service has no link yet.
  await sql`
    create function service_map_after_service() returns trigger language plpgsql as $$
    declare
      service_ids uuid[];
    begin
      if tg_op = 'DELETE' then
        delete from service_map where service_id in (select id from removed);
      else
        select array_agg(n.id) into service_ids
        from added n join removed o on o.id = n.id
        where (n.name, n.category, n.topics, n.languages, n.verified_at, n.update_cycle_months, n.organization_id)
          is distinct from (o.name, o.category, o.topics, o.languages, o.verified_at, o.update_cycle_months,
                            o.organization_id);
        if service_ids is not null then
          perform service_map_rewrite(service_ids);
        end if;
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger service_map_service_update after update on service
    referencing old table as removed new table as added
    for each statement execute function service_map_after_service()`.execute(db);
  await sql`
    create trigger service_map_service_delete after delete on service
    referencing old table as removed for each statement execute function service_map_after_service()`.execute(db);

  // location: moved, placed or unplaced, its address hidden or shown, its town, precision or age (which orders a
  // service's locations). A new location has no link yet; a deleted one takes its links with it.
  await sql`
    create function service_map_after_location() returns trigger language plpgsql as $$
    declare
      service_ids uuid[];
    begin
      select array_agg(distinct sal.service_id) into service_ids
      from added n join removed o on o.id = n.id
      join service_at_location sal on sal.location_id = n.id
      where (n.geog is null) <> (o.geog is null)
        or not coalesce(n.geog::geometry ~= o.geog::geometry, true)
        or (n.hide_address, n.city, n.precision, n.created_at)
          is distinct from (o.hide_address, o.city, o.precision, o.created_at);
      if service_ids is not null then
        perform service_map_rewrite(service_ids);
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger service_map_location_update after update on location
    referencing old table as removed new table as added
    for each statement execute function service_map_after_location()`.execute(db);

  // organization: renamed or moved to another alliance. Its deletion cascades to its services.
  await sql`
    create function service_map_after_organization() returns trigger language plpgsql as $$
    declare
      service_ids uuid[];
    begin
      select array_agg(s.id) into service_ids
      from added n join removed o on o.id = n.id
      join service s on s.organization_id = n.id
      where (n.name, n.alliance_id) is distinct from (o.name, o.alliance_id);
      if service_ids is not null then
        perform service_map_rewrite(service_ids);
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger service_map_organization_update after update on organization
    referencing old table as removed new table as added
    for each statement execute function service_map_after_organization()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger service_map_organization_update on organization`.execute(db);
  await sql`drop trigger service_map_location_update on location`.execute(db);
  await sql`drop trigger service_map_service_update on service`.execute(db);
  await sql`drop trigger service_map_service_delete on service`.execute(db);
  await sql`drop trigger service_map_link_insert on service_at_location`.execute(db);
  await sql`drop trigger service_map_link_delete on service_at_location`.execute(db);
  await sql`drop trigger service_map_link_update on service_at_location`.execute(db);
  await sql`
    drop function service_map_after_organization, service_map_after_location, service_map_after_service,
      service_map_after_link, service_map_rewrite`.execute(db);
  await sql`drop view service_map_source`.execute(db);
  await sql`drop table service_map`.execute(db);
  await sql`drop function tile_space_point`.execute(db);
}
