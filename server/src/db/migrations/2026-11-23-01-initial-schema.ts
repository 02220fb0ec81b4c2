import { type Kysely, sql } from 'kysely';

/**
 * The first schema: alliances, the HSDS core (organization, service, location,
 * service_at_location, schedule) with the guide's stakeholder fields, and
 * translations. Frozen in time: it imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists postgis`.execute(db);
  await sql`create extension if not exists btree_gist`.execute(db);

  await sql`
    create table alliance (
      id uuid primary key default gen_random_uuid(),
      slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      name text not null check (length(name) between 1 and 200),
      country char(2) not null,
      description text,
      vision text,
      languages text[] not null default '{}',
      timezone text not null,
      boundary geometry(MultiPolygon, 4326),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index alliance_boundary_idx on alliance using gist (boundary)`.execute(db);

  await sql`
    create table organization (
      id uuid primary key default gen_random_uuid(),
      alliance_id uuid not null references alliance (id) on delete cascade,
      name text not null check (length(name) between 1 and 300),
      alternate_name text,
      description text,
      website text,
      email text,
      legal_status text,
      parent_organization_id uuid references organization (id) on delete set null,
      text_language text not null default 'en',
      contact_person text,
      contact_phone text,
      contact_email text,
      contribution text,
      what_matters text,
      influence text check (influence in ('low', 'medium', 'high')),
      engagement_strategy text,
      member_role text check (member_role in ('president', 'secretariat', 'member')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index organization_alliance_idx on organization (alliance_id)`.execute(db);

  await sql`
    create table service (
      id uuid primary key default gen_random_uuid(),
      organization_id uuid not null references organization (id) on delete cascade,
      name text not null check (length(name) between 1 and 300),
      alternate_name text,
      description text,
      url text,
      email text,
      status text not null default 'active'
        check (status in ('active', 'inactive', 'defunct', 'temporarily closed')),
      fees_description text,
      eligibility_description text,
      application_process text,
      interpretation_services text,
      category text not null
        check (category in ('social_action', 'socio_cultural_sports', 'professional_integration')),
      topics text[] not null default '{}',
      audiences text[] not null default '{}',
      languages text[] not null default '{}',
      area_scope text not null default 'local' check (area_scope in ('local', 'region')),
      text_language text not null default 'en',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index service_organization_idx on service (organization_id)`.execute(db);
  await sql`create index service_category_idx on service (category)`.execute(db);
  await sql`create index service_topics_idx on service using gin (topics)`.execute(db);
  await sql`create index service_languages_idx on service using gin (languages)`.execute(db);

  await sql`
    create table location (
      id uuid primary key default gen_random_uuid(),
      organization_id uuid references organization (id) on delete cascade,
      name text,
      description text,
      address_1 text,
      city text,
      postal_code text,
      country char(2),
      geog geography(Point, 4326) not null,
      precision text not null default 'exact' check (precision in ('exact', 'street', 'town')),
      note text,
      hide_address boolean not null default false,
      accessibility text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index location_geog_idx on location using gist (geog)`.execute(db);

  // service_at_location carries a copy of the service's category and of the
  // location's point so that one GiST index on (geog, category) answers the
  // category-filtered "near me" query without a join. Triggers keep the copies true.
  // The point comes first: GiST groups rows by its first column, and a first
  // column with three values leaves the tree badly organised in space (see
  // "Multicolumn Indexes" in the PostgreSQL manual); at 1M rows, (category, geog)
  // made the near-me query about 15% slower (docs/benchmarks.md).
  await sql`
    create table service_at_location (
      id uuid primary key default gen_random_uuid(),
      service_id uuid not null references service (id) on delete cascade,
      location_id uuid not null references location (id) on delete cascade,
      category text not null,
      geog geography(Point, 4326) not null,
      unique (service_id, location_id)
    )`.execute(db);
  await sql`create index service_at_location_geog_category_idx
    on service_at_location using gist (geog, category)`.execute(db);
  await sql`create index service_at_location_location_idx on service_at_location (location_id)`.execute(db);

  await sql`
    create function service_at_location_fill() returns trigger language plpgsql as $$
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
    create trigger service_at_location_fill before insert or update of service_id, location_id
    on service_at_location for each row execute function service_at_location_fill()`.execute(db);
  await sql`
    create function service_category_propagate() returns trigger language plpgsql as $$
    begin
      update service_at_location set category = new.category where service_id = new.id;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger service_category_propagate after update of category on service
    for each row when (old.category is distinct from new.category)
    execute function service_category_propagate()`.execute(db);
  await sql`
    create function location_geog_propagate() returns trigger language plpgsql as $$
    begin
      update service_at_location set geog = new.geog where location_id = new.id;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger location_geog_propagate after update of geog on location
    for each row when (not (old.geog::geometry ~= new.geog::geometry))
    execute function location_geog_propagate()`.execute(db);

  // Opening hours in the OpenStreetMap opening_hours syntax, evaluated in the
  // alliance's time zone; HSDS's structured fields are kept for exchange.
  await sql`
    create table schedule (
      id uuid primary key default gen_random_uuid(),
      service_id uuid references service (id) on delete cascade,
      location_id uuid references location (id) on delete cascade,
      opening_hours text,
      freq text check (freq in ('WEEKLY', 'MONTHLY')),
      byday text,
      opens_at time,
      closes_at time,
      valid_from date,
      valid_to date,
      description text,
      check (service_id is not null or location_id is not null)
    )`.execute(db);
  await sql`create index schedule_service_idx on schedule (service_id)`.execute(db);

  await sql`
    create table translation (
      id uuid primary key default gen_random_uuid(),
      entity_type text not null check (entity_type in ('alliance', 'organization', 'service', 'location')),
      entity_id uuid not null,
      field text not null,
      language text not null,
      text text not null,
      origin text not null check (origin in ('human', 'machine')),
      updated_at timestamptz not null default now(),
      unique (entity_type, entity_id, field, language)
    )`.execute(db);

  await sql`
    create table admin_token (
      id uuid primary key default gen_random_uuid(),
      token_hash text not null unique,
      created_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'admin_token',
    'translation',
    'schedule',
    'service_at_location',
    'location',
    'service',
    'organization',
    'alliance',
  ]) {
    await sql`drop table if exists ${sql.table(table)} cascade`.execute(db);
  }
  await sql`drop function if exists service_at_location_fill, service_category_propagate, location_geog_propagate`.execute(
    db,
  );
}
