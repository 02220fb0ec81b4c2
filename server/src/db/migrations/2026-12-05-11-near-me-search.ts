import { type Kysely, sql } from 'kysely';

/**
 * The near-me search table: one row per active service at a placed location, carrying exactly what
 * `GET /api/services/nearby` answers and filters on (names, category, topics, languages, the public point, town,
 * precision, the alliance's slug), so that the query is one nearest-first walk of one GiST index on
 * (geog, category) over one table, without joins and without a status filter after the index.
 *
 * Statement-level triggers with transition tables on service_at_location, service, location, organization and
 * alliance keep it true: whatever writes those tables (the API, imports, the demo seed, self-service, undo, a
 * cascade from a deleted organisation or alliance) keeps the search table true without code of its own, and a bulk
 * insert costs one set-based statement, not one per row. Each trigger works out which (service, location) pairs a
 * statement touched, deletes their rows and inserts them again from the base tables (the view
 * `service_search_source`), in spatial order (geohash), so that rows written together lie together on disk.
 *
 * The point is `public_point(location.geog, hide_address)`, the same as `service_at_location.geog`: a hidden
 * address is found, ranked and shown by its rounded point only, at town precision.
 *
 * Frozen in time: it imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table service_search (
      service_id uuid not null,
      location_id uuid not null,
      geog geography(Point, 4326) not null,
      category text not null,
      name text not null,
      topics text[] not null,
      languages text[] not null,
      organization_id uuid not null,
      organization_name text not null,
      alliance_slug text not null,
      town text,
      precision text not null,
      primary key (service_id, location_id)
    )`.execute(db);

  // What a row must hold, from the base tables: the triggers and the backfill insert from it.
  await sql`
    create view service_search_source as
    select sal.service_id, sal.location_id, public_point(l.geog, l.hide_address) as geog, s.category, s.name,
           s.topics, s.languages, o.id as organization_id, o.name as organization_name, a.slug as alliance_slug,
           l.city as town, case when l.hide_address then 'town' else l.precision end as precision
    from service_at_location sal
    join service s on s.id = sal.service_id
    join location l on l.id = sal.location_id
    join organization o on o.id = s.organization_id
    join alliance a on a.id = o.alliance_id
    where s.status = 'active' and l.geog is not null`.execute(db);

  // Backfill in spatial order (geohash: nearby points, nearby keys), then index.
  await sql`
    insert into service_search
    select * from service_search_source order by ST_GeoHash(geog::geometry, 12), service_id, location_id`.execute(db);
  await sql`create index service_search_geog_category_idx on service_search using gist (geog, category)`.execute(db);
  await sql`create index service_search_location_idx on service_search (location_id)`.execute(db);

  // Rewrites the rows of the given pairs from the base tables.
  await sql`
    create function service_search_rewrite_pairs(service_ids uuid[], location_ids uuid[]) returns void
    language sql as $$
      delete from service_search ss
      using unnest(service_ids, location_ids) as p(service_id, location_id)
      where ss.service_id = p.service_id and ss.location_id = p.location_id;
      insert into service_search
      select src.* from service_search_source src
      join unnest(service_ids, location_ids) as p(service_id, location_id)
        on src.service_id = p.service_id and src.location_id = p.location_id
      order by ST_GeoHash(src.geog::geometry, 12);
    $$`.execute(db);

  // Rewrites every row of the given services.
  await sql`
    create function service_search_rewrite_services(service_ids uuid[]) returns void
    language sql as $$
      delete from service_search where service_id = any(service_ids);
      insert into service_search
      select * from service_search_source where service_id = any(service_ids)
      order by ST_GeoHash(geog::geometry, 12);
    $$`.execute(db);

  // service_at_location: a link made, unmade or pointed elsewhere.
  await sql`
    create function service_search_after_link() returns trigger language plpgsql as $$
    declare
      service_ids uuid[];
      location_ids uuid[];
    begin
      if tg_op = 'INSERT' then
        insert into service_search
        select src.* from service_search_source src
        join added on added.service_id = src.service_id and added.location_id = src.location_id
        order by ST_GeoHash(src.geog::geometry, 12);
      elsif tg_op = 'DELETE' then
        delete from service_search ss using removed
        where ss.service_id = removed.service_id and ss.location_id = removed.location_id;
      else
        -- Only a link moved to another service or location: the copies of the category and point it carries
        -- change with the service or location, whose own triggers rewrite the rows.
        select array_agg(service_id), array_agg(location_id) into service_ids, location_ids
        from (
          select o.service_id, o.location_id from removed o join added n on n.id = o.id
          where (n.service_id, n.location_id) <> (o.service_id, o.location_id)
          union
          select n.service_id, n.location_id from removed o join added n on n.id = o.id
          where (n.service_id, n.location_id) <> (o.service_id, o.location_id)
        ) pairs;
        if service_ids is not null then
          perform service_search_rewrite_pairs(service_ids, location_ids);
        end if;
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger service_search_link_insert after insert on service_at_location
    referencing new table as added for each statement execute function service_search_after_link()`.execute(db);
  await sql`
    create trigger service_search_link_delete after delete on service_at_location
    referencing old table as removed for each statement execute function service_search_after_link()`.execute(db);
  await sql`
    create trigger service_search_link_update after update on service_at_location
    referencing old table as removed new table as added
    for each statement execute function service_search_after_link()`.execute(db);

  // service: what the answer shows or filters on, its status, its organisation. A new service has no link yet.
  await sql`
    create function service_search_after_service() returns trigger language plpgsql as $$
    declare
      service_ids uuid[];
    begin
      if tg_op = 'DELETE' then
        delete from service_search where service_id in (select id from removed);
      else
        select array_agg(n.id) into service_ids
        from added n join removed o on o.id = n.id
        where (n.status, n.name, n.category, n.topics, n.languages, n.organization_id)
          is distinct from (o.status, o.name, o.category, o.topics, o.languages, o.organization_id);
        if service_ids is not null then
          perform service_search_rewrite_services(service_ids);
        end if;
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger service_search_service_update after update on service
    referencing old table as removed new table as added
    for each statement execute function service_search_after_service()`.execute(db);
  await sql`
    create trigger service_search_service_delete after delete on service
    referencing old table as removed for each statement execute function service_search_after_service()`.execute(db);

  // location: moved, placed or unplaced, its address hidden or shown, its town or precision. A new location has
  // no link yet; a deleted one takes its links with it (service_at_location's trigger).
  await sql`
    create function service_search_after_location() returns trigger language plpgsql as $$
    declare
      service_ids uuid[];
      location_ids uuid[];
    begin
      select array_agg(sal.service_id), array_agg(sal.location_id) into service_ids, location_ids
      from added n join removed o on o.id = n.id
      join service_at_location sal on sal.location_id = n.id
      where (n.geog is null) <> (o.geog is null)
        or not coalesce(n.geog::geometry ~= o.geog::geometry, true)
        or (n.hide_address, n.city, n.precision) is distinct from (o.hide_address, o.city, o.precision);
      if service_ids is not null then
        perform service_search_rewrite_pairs(service_ids, location_ids);
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger service_search_location_update after update on location
    referencing old table as removed new table as added
    for each statement execute function service_search_after_location()`.execute(db);

  // organization: renamed or moved to another alliance. Its deletion cascades to its services.
  await sql`
    create function service_search_after_organization() returns trigger language plpgsql as $$
    declare
      service_ids uuid[];
    begin
      select array_agg(s.id) into service_ids
      from added n join removed o on o.id = n.id
      join service s on s.organization_id = n.id
      where (n.name, n.alliance_id) is distinct from (o.name, o.alliance_id);
      if service_ids is not null then
        perform service_search_rewrite_services(service_ids);
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger service_search_organization_update after update on organization
    referencing old table as removed new table as added
    for each statement execute function service_search_after_organization()`.execute(db);

  // alliance: its slug, which each answer names. Its deletion cascades to its organisations.
  await sql`
    create function service_search_after_alliance() returns trigger language plpgsql as $$
    begin
      update service_search ss set alliance_slug = n.slug
      from added n join removed o on o.id = n.id
      join organization org on org.alliance_id = n.id
      join service s on s.organization_id = org.id
      where n.slug is distinct from o.slug and ss.service_id = s.id;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger service_search_alliance_update after update on alliance
    referencing old table as removed new table as added
    for each statement execute function service_search_after_alliance()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger service_search_alliance_update on alliance`.execute(db);
  await sql`drop trigger service_search_organization_update on organization`.execute(db);
  await sql`drop trigger service_search_location_update on location`.execute(db);
  await sql`drop trigger service_search_service_update on service`.execute(db);
  await sql`drop trigger service_search_service_delete on service`.execute(db);
  await sql`drop trigger service_search_link_insert on service_at_location`.execute(db);
  await sql`drop trigger service_search_link_delete on service_at_location`.execute(db);
  await sql`drop trigger service_search_link_update on service_at_location`.execute(db);
  await sql`
    drop function service_search_after_alliance, service_search_after_organization, service_search_after_location,
      service_search_after_service, service_search_after_link, service_search_rewrite_services,
      service_search_rewrite_pairs`.execute(db);
  await sql`drop view service_search_source`.execute(db);
  await sql`drop table service_search`.execute(db);
}
