-- passerelle: script of several statements
-- The schema the migrations below make, squashed into one script: written by `npm run db:baseline`
-- (scripts/db-baseline.ts) from pg_dump; do not edit. A new, empty database runs it in one go and records
-- these migrations as done; the migrations after them run step by step (server/src/db/baseline.ts).
-- covers: 2026-11-23-01-initial-schema
-- covers: 2026-11-23-02-gap-analysis
-- covers: 2026-11-23-03-finder-details
-- covers: 2026-11-23-04-alliance-workspace
-- covers: 2026-11-23-05-grid-boundary
-- covers: 2026-12-02-01-hidden-address-points
-- covers: 2026-12-02-01-invitations-on-acceptance
-- covers: 2026-12-02-01-unit-set-complete
-- covers: 2026-12-02-02-record-provenance
-- covers: 2026-12-02-03-import-jobs
-- covers: 2026-12-02-04-hsds-indexes
-- covers: 2026-12-03-01-service-tally
-- covers: 2026-12-03-02-alliance-holiday-state
-- covers: 2026-12-03-12-unplaced-locations
-- covers: 2026-12-03-13-population-surfaces
-- covers: 2026-12-03-14-service-capacity
-- covers: 2026-12-03-15-outer-demand
-- covers: 2026-12-03-16-gap-reason-codes
-- covers: 2026-12-03-17-translation-review
-- covers: 2026-12-03-18-run-message-codes
-- covers: 2026-12-03-19-population-source-codes
-- covers: 2026-12-04-01-keeping-the-map-true
-- covers: 2026-12-05-11-near-me-search
-- covers: 2026-12-05-12-map-changes

SET LOCAL statement_timeout = 0;
SET LOCAL lock_timeout = 0;
SET LOCAL idle_in_transaction_session_timeout = 0;
SET LOCAL client_encoding = 'UTF8';
SET LOCAL standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', true);
SET LOCAL check_function_bodies = false;
SET LOCAL xmloption = content;
SET LOCAL client_min_messages = warning;
SET LOCAL row_security = off;

CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;

CREATE EXTENSION IF NOT EXISTS postgis WITH SCHEMA public;

CREATE FUNCTION public.bump_version() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    begin
      new.version := old.version + 1;
      new.updated_at := now();
      return new;
    end $$;

CREATE FUNCTION public.import_name_key(name text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
      select trim(regexp_replace(lower(translate(coalesce(name, ''),
        'ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝýÿŒœÆæ',
        'AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOOooooooUUUUuuuuYyyOoAa')),
        '[^a-z0-9]+', ' ', 'g'))
    $$;

CREATE FUNCTION public.location_geog_propagate() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    begin
      update service_at_location set geog = public_point(new.geog, new.hide_address) where location_id = new.id;
      return new;
    end $$;

CREATE FUNCTION public.map_change_alliance() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
      begin
        if tg_op = 'INSERT' then
          insert into map_change (alliance_id) select distinct a from (select id from new_rows) t(a) where a is not null;
        elsif tg_op = 'DELETE' then
          insert into map_change (alliance_id) select distinct a from (select id from old_rows) t(a) where a is not null;
        else
          insert into map_change (alliance_id) select distinct a from (
            select id from new_rows union select id from old_rows) t(a) where a is not null;
        end if;
        return null;
      end$$;

CREATE FUNCTION public.map_change_location() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
      begin
        if tg_op = 'INSERT' then
          insert into map_change (alliance_id) select distinct a from (select o.alliance_id from new_rows r join organization o on o.id = r.organization_id) t(a) where a is not null;
        elsif tg_op = 'DELETE' then
          insert into map_change (alliance_id) select distinct a from (select o.alliance_id from old_rows r join organization o on o.id = r.organization_id) t(a) where a is not null;
        else
          insert into map_change (alliance_id) select distinct a from (
            select o.alliance_id from new_rows r join organization o on o.id = r.organization_id union select o.alliance_id from old_rows r join organization o on o.id = r.organization_id) t(a) where a is not null;
        end if;
        return null;
      end$$;

CREATE FUNCTION public.map_change_organization() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
      begin
        if tg_op = 'INSERT' then
          insert into map_change (alliance_id) select distinct a from (select alliance_id from new_rows) t(a) where a is not null;
        elsif tg_op = 'DELETE' then
          insert into map_change (alliance_id) select distinct a from (select alliance_id from old_rows) t(a) where a is not null;
        else
          insert into map_change (alliance_id) select distinct a from (
            select alliance_id from new_rows union select alliance_id from old_rows) t(a) where a is not null;
        end if;
        return null;
      end$$;

CREATE FUNCTION public.map_change_service() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
      begin
        if tg_op = 'INSERT' then
          insert into map_change (alliance_id) select distinct a from (select o.alliance_id from new_rows r join organization o on o.id = r.organization_id) t(a) where a is not null;
        elsif tg_op = 'DELETE' then
          insert into map_change (alliance_id) select distinct a from (select o.alliance_id from old_rows r join organization o on o.id = r.organization_id) t(a) where a is not null;
        else
          insert into map_change (alliance_id) select distinct a from (
            select o.alliance_id from new_rows r join organization o on o.id = r.organization_id union select o.alliance_id from old_rows r join organization o on o.id = r.organization_id) t(a) where a is not null;
        end if;
        return null;
      end$$;

CREATE FUNCTION public.map_change_service_at_location() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
      begin
        if tg_op = 'INSERT' then
          insert into map_change (alliance_id) select distinct a from (select o.alliance_id from new_rows r join service s on s.id = r.service_id
       join organization o on o.id = s.organization_id) t(a) where a is not null;
        elsif tg_op = 'DELETE' then
          insert into map_change (alliance_id) select distinct a from (select o.alliance_id from old_rows r join service s on s.id = r.service_id
       join organization o on o.id = s.organization_id) t(a) where a is not null;
        else
          insert into map_change (alliance_id) select distinct a from (
            select o.alliance_id from new_rows r join service s on s.id = r.service_id
       join organization o on o.id = s.organization_id union select o.alliance_id from old_rows r join service s on s.id = r.service_id
       join organization o on o.id = s.organization_id) t(a) where a is not null;
        end if;
        return null;
      end$$;

CREATE FUNCTION public.public_point(geog public.geography, hidden boolean) RETURNS public.geography
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ select case when hidden then ST_SnapToGrid(geog::geometry, 0.01)::geography else geog end $$;

CREATE FUNCTION public.record_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    declare
      row_values jsonb;
      row_alliance uuid;
      actor uuid := nullif(current_setting('passerelle.account_id', true), '')::uuid;
      actor_label text := nullif(current_setting('passerelle.author_label', true), '');
      change_action text := case tg_op when 'INSERT' then 'create' when 'UPDATE' then 'update' else 'delete' end;
    begin
      if current_setting('passerelle.history', true) = 'off' then
        return null;
      end if;
      row_values := case when tg_op = 'DELETE' then to_jsonb(old) else to_jsonb(new) end;
      if tg_op = 'UPDATE' and to_jsonb(old) - 'version' - 'updated_at' = to_jsonb(new) - 'version' - 'updated_at' then
        return null;
      end if;
      row_alliance := coalesce(
        (row_values ->> 'alliance_id')::uuid,
        case tg_table_name
          when 'service' then (select alliance_id from organization where id = (row_values ->> 'organization_id')::uuid)
          when 'location' then (select alliance_id from organization where id = (row_values ->> 'organization_id')::uuid)
          when 'service_at_location' then (
            select o.alliance_id from service s join organization o on o.id = s.organization_id
            where s.id = (row_values ->> 'service_id')::uuid)
          when 'schedule' then (
            select o.alliance_id from service s join organization o on o.id = s.organization_id
            where s.id = (row_values ->> 'service_id')::uuid)
          when 'service_closure' then (
            select o.alliance_id from service s join organization o on o.id = s.organization_id
            where s.id = (row_values ->> 'service_id')::uuid)
          when 'service_report' then (
            select o.alliance_id from service s join organization o on o.id = s.organization_id
            where s.id = (row_values ->> 'service_id')::uuid)
          else null
        end,
        nullif(current_setting('passerelle.alliance_id', true), '')::uuid,
        case when tg_table_name = 'alliance' then (row_values ->> 'id')::uuid end
      );
      insert into change_log (entity_type, entity_id, alliance_id, account_id, author_label, action, old_values, new_values)
      values (
        tg_table_name,
        (row_values ->> 'id')::uuid,
        row_alliance,
        actor,
        actor_label,
        change_action,
        case when tg_op = 'INSERT' then null else to_jsonb(old) end,
        case when tg_op = 'DELETE' then null else to_jsonb(new) end
      );
      return null;
    end $$;

CREATE FUNCTION public.service_at_location_fill() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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
    end $$;

CREATE FUNCTION public.service_category_propagate() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    begin
      update service_at_location set category = new.category where service_id = new.id;
      return new;
    end $$;

CREATE FUNCTION public.service_search_after_alliance() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    begin
      update service_search ss set alliance_slug = n.slug
      from added n join removed o on o.id = n.id
      join organization org on org.alliance_id = n.id
      join service s on s.organization_id = org.id
      where n.slug is distinct from o.slug and ss.service_id = s.id;
      return null;
    end $$;

CREATE FUNCTION public.service_search_after_link() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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
    end $$;

CREATE FUNCTION public.service_search_after_location() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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
    end $$;

CREATE FUNCTION public.service_search_after_organization() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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
    end $$;

CREATE FUNCTION public.service_search_after_service() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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
    end $$;

CREATE FUNCTION public.service_search_rewrite_pairs(service_ids uuid[], location_ids uuid[]) RETURNS void
    LANGUAGE sql
    AS $$
      delete from service_search ss
      using unnest(service_ids, location_ids) as p(service_id, location_id)
      where ss.service_id = p.service_id and ss.location_id = p.location_id;
      insert into service_search
      select src.* from service_search_source src
      join unnest(service_ids, location_ids) as p(service_id, location_id)
        on src.service_id = p.service_id and src.location_id = p.location_id
      order by ST_GeoHash(src.geog::geometry, 12);
    $$;

CREATE FUNCTION public.service_search_rewrite_services(service_ids uuid[]) RETURNS void
    LANGUAGE sql
    AS $$
      delete from service_search where service_id = any(service_ids);
      insert into service_search
      select * from service_search_source where service_id = any(service_ids)
      order by ST_GeoHash(geog::geometry, 12);
    $$;

CREATE FUNCTION public.service_tally_alliance_deleted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    begin
      delete from service_tally where alliance_id = old.id;
      return null;
    end $$;

CREATE FUNCTION public.service_tally_deleted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    begin
      -- Services deleted with their organisation find no organisation here: its own trigger counted them out.
      insert into service_tally (alliance_id, status, delta)
      select o.alliance_id, d.status, -count(*)
      from deleted_services d join organization o on o.id = d.organization_id
      group by o.alliance_id, d.status;
      return null;
    end $$;

CREATE FUNCTION public.service_tally_inserted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    begin
      insert into service_tally (alliance_id, status, delta)
      select o.alliance_id, n.status, count(*)
      from inserted_services n join organization o on o.id = n.organization_id
      group by o.alliance_id, n.status;
      return null;
    end $$;

CREATE FUNCTION public.service_tally_organization_deleted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    begin
      insert into service_tally (alliance_id, status, delta)
      select old.alliance_id, s.status, -count(*)
      from service s where s.organization_id = old.id
      group by s.status;
      return old;
    end $$;

CREATE FUNCTION public.service_tally_organization_moved() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    begin
      insert into service_tally (alliance_id, status, delta)
      select moved.alliance_id, s.status, moved.sign * count(*)
      from service s
      cross join (values (old.alliance_id, -1), (new.alliance_id, 1)) as moved (alliance_id, sign)
      where s.organization_id = new.id
      group by moved.alliance_id, moved.sign, s.status;
      return null;
    end $$;

CREATE FUNCTION public.service_tally_updated() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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
    end $$;

SET LOCAL default_table_access_method = heap;

CREATE TABLE public.account (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    email text NOT NULL,
    display_name text NOT NULL,
    password_hash text NOT NULL,
    is_platform_admin boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    language text,
    CONSTRAINT account_display_name_check CHECK (((length(display_name) >= 1) AND (length(display_name) <= 200))),
    CONSTRAINT account_email_check CHECK (((email = lower(email)) AND (email ~ '^[^@[:space:]]+@[^@[:space:]]+$'::text))),
    CONSTRAINT account_language_check CHECK ((language ~ '^[a-z]{2,3}$'::text))
);

CREATE TABLE public.account_link (
    id text NOT NULL,
    kind text NOT NULL,
    account_id uuid,
    alliance_id uuid,
    role text,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone,
    email text,
    organization_id uuid,
    public_id uuid DEFAULT gen_random_uuid() NOT NULL,
    CONSTRAINT account_link_email_check CHECK (((email IS NULL) OR (email = lower(email)))),
    CONSTRAINT account_link_kind_check CHECK ((kind = ANY (ARRAY['invitation'::text, 'password_reset'::text]))),
    CONSTRAINT account_link_kind_fields CHECK ((((kind = 'password_reset'::text) AND (account_id IS NOT NULL)) OR ((kind = 'invitation'::text) AND (account_id IS NULL) AND (email IS NOT NULL) AND (alliance_id IS NOT NULL) AND (role IS NOT NULL)))),
    CONSTRAINT account_link_role_check CHECK ((role = ANY (ARRAY['coordinator'::text, 'secretariat'::text, 'editor'::text, 'member'::text])))
);

CREATE TABLE public.admin_token (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    token_hash text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    account_id uuid
);

CREATE TABLE public.alliance (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    slug text NOT NULL,
    name text NOT NULL,
    country character(2) NOT NULL,
    description text,
    vision text,
    languages text[] DEFAULT '{}'::text[] NOT NULL,
    timezone text NOT NULL,
    boundary public.geometry(MultiPolygon,4326),
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    is_demo boolean DEFAULT false NOT NULL,
    charter text,
    profile_published boolean DEFAULT false NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    holiday_state text,
    update_cycle_months smallint DEFAULT 6 NOT NULL,
    self_service_approval boolean DEFAULT false NOT NULL,
    CONSTRAINT alliance_name_check CHECK (((length(name) >= 1) AND (length(name) <= 200))),
    CONSTRAINT alliance_slug_check CHECK ((slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'::text)),
    CONSTRAINT alliance_update_cycle_months_check CHECK ((update_cycle_months = ANY (ARRAY[1, 3, 6, 12])))
);

CREATE TABLE public.alliance_member (
    alliance_id uuid NOT NULL,
    account_id uuid NOT NULL,
    role text NOT NULL,
    organization_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT alliance_member_role_check CHECK ((role = ANY (ARRAY['coordinator'::text, 'secretariat'::text, 'editor'::text, 'member'::text])))
);

CREATE TABLE public.analysis_outer_demand (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    set_id uuid NOT NULL,
    population double precision NOT NULL,
    centroid public.geography(Point,4326) NOT NULL
);

CREATE TABLE public.analysis_unit (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    set_id uuid NOT NULL,
    code text NOT NULL,
    name text,
    geom public.geometry(MultiPolygon,4326) NOT NULL,
    centroid public.geography(Point,4326) NOT NULL,
    population double precision NOT NULL,
    CONSTRAINT analysis_unit_population_check CHECK ((population >= (0)::double precision))
);

CREATE TABLE public.analysis_unit_set (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    alliance_id uuid NOT NULL,
    kind text NOT NULL,
    h3_resolution integer,
    name text NOT NULL,
    population_source text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    boundary_md5 text,
    complete boolean DEFAULT true NOT NULL,
    population_surface_id uuid,
    outer_demand_ready boolean DEFAULT false NOT NULL,
    population_source_parts jsonb,
    CONSTRAINT analysis_unit_set_boundary_md5_h3 CHECK (((boundary_md5 IS NULL) OR (kind = 'h3'::text))),
    CONSTRAINT analysis_unit_set_check CHECK (((kind = 'h3'::text) = (h3_resolution IS NOT NULL))),
    CONSTRAINT analysis_unit_set_h3_resolution_check CHECK (((h3_resolution >= 0) AND (h3_resolution <= 15))),
    CONSTRAINT analysis_unit_set_kind_check CHECK ((kind = ANY (ARRAY['h3'::text, 'imported'::text]))),
    CONSTRAINT analysis_unit_set_name_check CHECK (((length(name) >= 1) AND (length(name) <= 300)))
);

CREATE TABLE public.change_log (
    id bigint NOT NULL,
    change_set bigint DEFAULT txid_current() NOT NULL,
    entity_type text NOT NULL,
    entity_id uuid NOT NULL,
    alliance_id uuid,
    account_id uuid,
    action text NOT NULL,
    old_values jsonb,
    new_values jsonb,
    changed_at timestamp with time zone DEFAULT now() NOT NULL,
    author_label text,
    CONSTRAINT change_log_action_check CHECK ((action = ANY (ARRAY['create'::text, 'update'::text, 'delete'::text])))
);

CREATE SEQUENCE public.change_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.change_log_id_seq OWNED BY public.change_log.id;

CREATE TABLE public.charter_signature (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    alliance_id uuid NOT NULL,
    signer_name text NOT NULL,
    organization_id uuid,
    contact text,
    signed_on date DEFAULT CURRENT_DATE NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT charter_signature_signer_name_check CHECK (((length(signer_name) >= 1) AND (length(signer_name) <= 200)))
);

CREATE TABLE public.comment (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    alliance_id uuid NOT NULL,
    entity_type text NOT NULL,
    entity_id uuid NOT NULL,
    account_id uuid,
    body text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT comment_body_check CHECK (((length(body) >= 1) AND (length(body) <= 5000))),
    CONSTRAINT comment_entity_type_check CHECK ((entity_type = ANY (ARRAY['plan_action'::text, 'organization'::text, 'service'::text])))
);

CREATE TABLE public.demand_point (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    source_key text NOT NULL,
    region_code text NOT NULL,
    country character(2) NOT NULL,
    name text NOT NULL,
    population double precision NOT NULL,
    geog public.geography(Point,4326) NOT NULL,
    source text NOT NULL,
    CONSTRAINT demand_point_population_check CHECK ((population >= (0)::double precision))
);

CREATE TABLE public.freshness_digest (
    alliance_id uuid NOT NULL,
    month text NOT NULL,
    sent_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT freshness_digest_month_check CHECK ((month ~ '^[0-9]{4}-[0-9]{2}$'::text))
);

CREATE TABLE public.gap_analysis_result (
    run_id uuid NOT NULL,
    unit_id uuid NOT NULL,
    subject_kind text NOT NULL,
    subject text NOT NULL,
    population double precision NOT NULL,
    nearest_distance_m double precision,
    count_within integer NOT NULL,
    supply_count integer NOT NULL,
    supply_per_10k double precision,
    score_2sfca double precision NOT NULL,
    score_e2sfca double precision NOT NULL,
    flags text[] DEFAULT '{}'::text[] NOT NULL,
    reason_code text,
    reason_params jsonb,
    CONSTRAINT gap_analysis_result_reason_code_check CHECK ((reason_code = ANY (ARRAY['no-service-within'::text, 'below-regional-mean'::text]))),
    CONSTRAINT gap_analysis_result_subject_kind_check CHECK ((subject_kind = ANY (ARRAY['category'::text, 'topic'::text])))
);

CREATE TABLE public.gap_analysis_run (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    alliance_id uuid NOT NULL,
    unit_set_id uuid,
    parameters jsonb NOT NULL,
    status text DEFAULT 'running'::text NOT NULL,
    progress double precision DEFAULT 0 NOT NULL,
    stage text,
    error text,
    summary jsonb,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    finished_at timestamp with time zone,
    published boolean DEFAULT false NOT NULL,
    stage_code text,
    stage_params jsonb,
    error_code text,
    error_params jsonb,
    CONSTRAINT gap_analysis_run_progress_check CHECK (((progress >= (0)::double precision) AND (progress <= (1)::double precision))),
    CONSTRAINT gap_analysis_run_status_check CHECK ((status = ANY (ARRAY['running'::text, 'done'::text, 'failed'::text])))
);

CREATE TABLE public.import_job (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    alliance_id uuid NOT NULL,
    import_source_id uuid,
    source_name text NOT NULL,
    account_id uuid,
    format text,
    file_names text[] DEFAULT '{}'::text[] NOT NULL,
    status text DEFAULT 'reading'::text NOT NULL,
    progress jsonb,
    options jsonb DEFAULT '{}'::jsonb NOT NULL,
    columns jsonb,
    available_fields jsonb,
    vocabulary jsonb DEFAULT '[]'::jsonb NOT NULL,
    counts jsonb,
    geocoding jsonb,
    report jsonb,
    error text,
    change_set bigint,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone DEFAULT (now() + '24:00:00'::interval) NOT NULL,
    committed_at timestamp with time zone,
    CONSTRAINT import_job_source_name_check CHECK (((length(source_name) >= 1) AND (length(source_name) <= 200))),
    CONSTRAINT import_job_status_check CHECK ((status = ANY (ARRAY['reading'::text, 'preview'::text, 'committing'::text, 'committed'::text, 'failed'::text, 'expired'::text, 'undone'::text, 'discarded'::text])))
);

CREATE TABLE public.import_row (
    job_id uuid NOT NULL,
    key integer NOT NULL,
    file text,
    "row" integer,
    kind text,
    source_id text,
    name text,
    record jsonb,
    incoming jsonb,
    problems jsonb DEFAULT '[]'::jsonb NOT NULL,
    outcome text,
    existing_id uuid,
    candidates jsonb,
    decision text,
    target_id uuid,
    changes jsonb,
    overwrite text[] DEFAULT '{}'::text[] NOT NULL,
    new_id uuid DEFAULT gen_random_uuid() NOT NULL,
    record_id uuid,
    parent_id uuid,
    lat double precision,
    lon double precision,
    "precision" text,
    needs_place boolean DEFAULT false NOT NULL,
    CONSTRAINT import_row_decision_check CHECK ((decision = ANY (ARRAY['merge'::text, 'skip'::text, 'create'::text]))),
    CONSTRAINT import_row_kind_check CHECK ((kind = ANY (ARRAY['organization'::text, 'location'::text, 'service'::text]))),
    CONSTRAINT import_row_outcome_check CHECK ((outcome = ANY (ARRAY['new'::text, 'updated'::text, 'unchanged'::text, 'error'::text, 'skipped'::text, 'gone'::text])))
);

CREATE TABLE public.import_source (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    alliance_id uuid NOT NULL,
    name text NOT NULL,
    format text NOT NULL,
    column_mapping jsonb DEFAULT '{}'::jsonb NOT NULL,
    vocabulary_mapping jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT import_source_name_check CHECK (((length(name) >= 1) AND (length(name) <= 200)))
);

CREATE TABLE public.location (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid,
    name text,
    description text,
    address_1 text,
    city text,
    postal_code text,
    country character(2),
    geog public.geography(Point,4326),
    "precision" text DEFAULT 'exact'::text NOT NULL,
    note text,
    hide_address boolean DEFAULT false NOT NULL,
    accessibility text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    import_source_id uuid,
    source_record_id text,
    source_updated_at timestamp with time zone,
    imported_at timestamp with time zone,
    imported_values jsonb,
    needs_place boolean DEFAULT false NOT NULL,
    CONSTRAINT location_precision_check CHECK (("precision" = ANY (ARRAY['exact'::text, 'street'::text, 'town'::text]))),
    CONSTRAINT location_source_record_id_check CHECK ((length(source_record_id) <= 500)),
    CONSTRAINT location_unplaced_needs_place CHECK (((geog IS NOT NULL) OR needs_place))
);

CREATE TABLE public.mail_bounce (
    email text NOT NULL,
    bounced_at timestamp with time zone DEFAULT now() NOT NULL,
    reason text,
    CONSTRAINT mail_bounce_email_check CHECK ((email = lower(email)))
);

CREATE TABLE public.map_change (
    id bigint NOT NULL,
    alliance_id uuid NOT NULL
);

ALTER TABLE public.map_change ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.map_change_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.organization (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    alliance_id uuid NOT NULL,
    name text NOT NULL,
    alternate_name text,
    description text,
    website text,
    email text,
    legal_status text,
    parent_organization_id uuid,
    text_language text DEFAULT 'en'::text NOT NULL,
    contact_person text,
    contact_phone text,
    contact_email text,
    contribution text,
    what_matters text,
    influence text,
    engagement_strategy text,
    member_role text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    sector text,
    version integer DEFAULT 1 NOT NULL,
    import_source_id uuid,
    source_record_id text,
    source_updated_at timestamp with time zone,
    imported_at timestamp with time zone,
    imported_values jsonb,
    identifiers jsonb DEFAULT '[]'::jsonb NOT NULL,
    CONSTRAINT organization_identifiers_check CHECK ((jsonb_typeof(identifiers) = 'array'::text)),
    CONSTRAINT organization_influence_check CHECK ((influence = ANY (ARRAY['low'::text, 'medium'::text, 'high'::text]))),
    CONSTRAINT organization_member_role_check CHECK ((member_role = ANY (ARRAY['president'::text, 'secretariat'::text, 'member'::text]))),
    CONSTRAINT organization_name_check CHECK (((length(name) >= 1) AND (length(name) <= 300))),
    CONSTRAINT organization_sector_check CHECK ((sector = ANY (ARRAY['public_authority'::text, 'ngo'::text, 'migrant_association'::text, 'mediator'::text, 'social_services'::text, 'education'::text, 'employer'::text, 'other'::text]))),
    CONSTRAINT organization_source_record_id_check CHECK ((length(source_record_id) <= 500))
);

CREATE TABLE public.outbox (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    to_email text NOT NULL,
    subject text NOT NULL,
    body text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    sent_at timestamp with time zone,
    attempts integer DEFAULT 0 NOT NULL,
    next_attempt_at timestamp with time zone,
    failed_at timestamp with time zone,
    last_error text
);

CREATE TABLE public.plan_action (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    alliance_id uuid NOT NULL,
    number integer NOT NULL,
    title text NOT NULL,
    problem text,
    description text,
    gap_run_id uuid,
    gap_unit_id text,
    gap_subject text,
    estimated_budget numeric(14,2),
    currency character(3),
    resources text,
    responsible_organization_id uuid,
    partner_organization_ids uuid[] DEFAULT '{}'::uuid[] NOT NULL,
    indicator text,
    starts_on date,
    due_on date,
    status text DEFAULT 'proposed'::text NOT NULL,
    published boolean DEFAULT false NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT plan_action_check CHECK (((due_on IS NULL) OR (starts_on IS NULL) OR (due_on >= starts_on))),
    CONSTRAINT plan_action_estimated_budget_check CHECK ((estimated_budget >= (0)::numeric)),
    CONSTRAINT plan_action_number_check CHECK ((number > 0)),
    CONSTRAINT plan_action_status_check CHECK ((status = ANY (ARRAY['proposed'::text, 'planned'::text, 'in_progress'::text, 'done'::text, 'dropped'::text]))),
    CONSTRAINT plan_action_title_check CHECK (((length(title) >= 1) AND (length(title) <= 300)))
);

CREATE TABLE public.population_cell (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    surface_id uuid NOT NULL,
    geog public.geography(Point,4326) NOT NULL,
    population double precision NOT NULL,
    CONSTRAINT population_cell_population_check CHECK ((population > (0)::double precision))
);

CREATE TABLE public.population_surface (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    alliance_id uuid NOT NULL,
    account_id uuid,
    source_name text NOT NULL,
    format text NOT NULL,
    crs text NOT NULL,
    cell_size_m double precision,
    population_field text,
    status text DEFAULT 'importing'::text NOT NULL,
    progress double precision DEFAULT 0 NOT NULL,
    stage text,
    error text,
    cells_read bigint DEFAULT 0 NOT NULL,
    cells_kept bigint DEFAULT 0 NOT NULL,
    total_population double precision DEFAULT 0 NOT NULL,
    margin_m double precision NOT NULL,
    clip_area public.geometry(Geometry,4326),
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    imported_at timestamp with time zone,
    stage_code text,
    stage_params jsonb,
    error_code text,
    error_params jsonb,
    CONSTRAINT population_surface_format_check CHECK ((format = ANY (ARRAY['geotiff'::text, 'kontur_h3'::text, 'insee_grid'::text, 'census_areas'::text]))),
    CONSTRAINT population_surface_source_name_check CHECK (((length(source_name) >= 1) AND (length(source_name) <= 300))),
    CONSTRAINT population_surface_status_check CHECK ((status = ANY (ARRAY['importing'::text, 'active'::text, 'replaced'::text, 'removed'::text, 'failed'::text])))
);

CREATE TABLE public.schedule (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    service_id uuid,
    location_id uuid,
    opening_hours text,
    freq text,
    byday text,
    opens_at time without time zone,
    closes_at time without time zone,
    valid_from date,
    valid_to date,
    description text,
    CONSTRAINT schedule_check CHECK (((service_id IS NOT NULL) OR (location_id IS NOT NULL))),
    CONSTRAINT schedule_freq_check CHECK ((freq = ANY (ARRAY['WEEKLY'::text, 'MONTHLY'::text])))
);

CREATE TABLE public.self_service_link (
    id text NOT NULL,
    public_id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid NOT NULL,
    email text,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    opened_at timestamp with time zone,
    session_id text,
    session_expires_at timestamp with time zone
);

CREATE TABLE public.self_service_proposal (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid NOT NULL,
    service_id uuid NOT NULL,
    link_id text,
    kind text NOT NULL,
    changes jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    decided_at timestamp with time zone,
    decided_by uuid,
    decision text,
    CONSTRAINT self_service_proposal_decision_check CHECK ((decision = ANY (ARRAY['approved'::text, 'rejected'::text]))),
    CONSTRAINT self_service_proposal_kind_check CHECK ((kind = ANY (ARRAY['verify'::text, 'edit'::text, 'closure'::text])))
);

CREATE TABLE public.service (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid NOT NULL,
    name text NOT NULL,
    alternate_name text,
    description text,
    url text,
    email text,
    status text DEFAULT 'active'::text NOT NULL,
    fees_description text,
    eligibility_description text,
    application_process text,
    interpretation_services text,
    category text NOT NULL,
    topics text[] DEFAULT '{}'::text[] NOT NULL,
    audiences text[] DEFAULT '{}'::text[] NOT NULL,
    languages text[] DEFAULT '{}'::text[] NOT NULL,
    area_scope text DEFAULT 'local'::text NOT NULL,
    text_language text DEFAULT 'en'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    free boolean,
    phone text,
    version integer DEFAULT 1 NOT NULL,
    import_source_id uuid,
    source_record_id text,
    source_updated_at timestamp with time zone,
    imported_at timestamp with time zone,
    imported_values jsonb,
    capacity double precision,
    capacity_unit text,
    update_cycle_months smallint,
    verified_at timestamp with time zone,
    verified_by uuid,
    verified_via text,
    CONSTRAINT service_area_scope_check CHECK ((area_scope = ANY (ARRAY['local'::text, 'region'::text]))),
    CONSTRAINT service_capacity_check CHECK (((capacity > (0)::double precision) AND (capacity < 'Infinity'::double precision))),
    CONSTRAINT service_capacity_unit_check CHECK (((length(capacity_unit) >= 1) AND (length(capacity_unit) <= 100))),
    CONSTRAINT service_category_check CHECK ((category = ANY (ARRAY['social_action'::text, 'socio_cultural_sports'::text, 'professional_integration'::text]))),
    CONSTRAINT service_name_check CHECK (((length(name) >= 1) AND (length(name) <= 300))),
    CONSTRAINT service_phone_check CHECK ((length(phone) <= 50)),
    CONSTRAINT service_source_record_id_check CHECK ((length(source_record_id) <= 500)),
    CONSTRAINT service_status_check CHECK ((status = ANY (ARRAY['active'::text, 'inactive'::text, 'defunct'::text, 'temporarily closed'::text]))),
    CONSTRAINT service_update_cycle_months_check CHECK ((update_cycle_months = ANY (ARRAY[1, 3, 6, 12]))),
    CONSTRAINT service_verified_via_check CHECK ((verified_via = ANY (ARRAY['editor'::text, 'organization'::text, 'import'::text])))
);

CREATE TABLE public.service_at_location (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    service_id uuid NOT NULL,
    location_id uuid NOT NULL,
    category text NOT NULL,
    geog public.geography(Point,4326)
);

CREATE TABLE public.service_closure (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    service_id uuid NOT NULL,
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    opening_hours text,
    note text,
    version integer DEFAULT 1 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT service_closure_check CHECK ((ends_on >= starts_on))
);

CREATE TABLE public.service_report (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    service_id uuid NOT NULL,
    kind text NOT NULL,
    comment text,
    language text,
    resolved_at timestamp with time zone,
    resolved_by uuid,
    resolution text,
    version integer DEFAULT 1 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT service_report_check CHECK (((resolved_at IS NULL) = (resolution IS NULL))),
    CONSTRAINT service_report_comment_check CHECK ((char_length(comment) <= 500)),
    CONSTRAINT service_report_kind_check CHECK ((kind = ANY (ARRAY['closed'::text, 'moved'::text, 'wrong_hours'::text, 'other'::text]))),
    CONSTRAINT service_report_resolution_check CHECK ((resolution = ANY (ARRAY['corrected'::text, 'dismissed'::text])))
);

CREATE TABLE public.service_search (
    service_id uuid NOT NULL,
    location_id uuid NOT NULL,
    geog public.geography(Point,4326) NOT NULL,
    category text NOT NULL,
    name text NOT NULL,
    topics text[] NOT NULL,
    languages text[] NOT NULL,
    organization_id uuid NOT NULL,
    organization_name text NOT NULL,
    alliance_slug text NOT NULL,
    town text,
    "precision" text NOT NULL
);

CREATE VIEW public.service_search_source AS
 SELECT sal.service_id,
    sal.location_id,
    public.public_point(l.geog, l.hide_address) AS geog,
    s.category,
    s.name,
    s.topics,
    s.languages,
    o.id AS organization_id,
    o.name AS organization_name,
    a.slug AS alliance_slug,
    l.city AS town,
        CASE
            WHEN l.hide_address THEN 'town'::text
            ELSE l."precision"
        END AS "precision"
   FROM ((((public.service_at_location sal
     JOIN public.service s ON ((s.id = sal.service_id)))
     JOIN public.location l ON ((l.id = sal.location_id)))
     JOIN public.organization o ON ((o.id = s.organization_id)))
     JOIN public.alliance a ON ((a.id = o.alliance_id)))
  WHERE ((s.status = 'active'::text) AND (l.geog IS NOT NULL));

CREATE TABLE public.service_tally (
    id bigint NOT NULL,
    alliance_id uuid NOT NULL,
    status text NOT NULL,
    delta integer NOT NULL
);

ALTER TABLE public.service_tally ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.service_tally_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.session (
    id text NOT NULL,
    account_id uuid NOT NULL,
    csrf_token text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL
);

CREATE TABLE public.swot_item (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    alliance_id uuid NOT NULL,
    quadrant text NOT NULL,
    text text NOT NULL,
    "position" integer DEFAULT 0 NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT swot_item_quadrant_check CHECK ((quadrant = ANY (ARRAY['strengths'::text, 'weaknesses'::text, 'opportunities'::text, 'threats'::text]))),
    CONSTRAINT swot_item_text_check CHECK (((length(text) >= 1) AND (length(text) <= 2000)))
);

CREATE TABLE public.translation (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    entity_type text NOT NULL,
    entity_id uuid NOT NULL,
    field text NOT NULL,
    language text NOT NULL,
    text text NOT NULL,
    origin text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    review_state text DEFAULT 'machine-draft'::text NOT NULL,
    reviewed_by uuid,
    reviewed_at timestamp with time zone,
    source_hash text,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT translation_entity_type_check CHECK ((entity_type = ANY (ARRAY['alliance'::text, 'organization'::text, 'service'::text, 'location'::text]))),
    CONSTRAINT translation_human_reviewed CHECK (((origin = 'machine'::text) OR (review_state = 'reviewed'::text))),
    CONSTRAINT translation_origin_check CHECK ((origin = ANY (ARRAY['human'::text, 'machine'::text]))),
    CONSTRAINT translation_review_state_check CHECK ((review_state = ANY (ARRAY['machine-draft'::text, 'reviewed'::text])))
);

ALTER TABLE ONLY public.change_log ALTER COLUMN id SET DEFAULT nextval('public.change_log_id_seq'::regclass);

SELECT pg_catalog.setval('public.change_log_id_seq', 1, false);

SELECT pg_catalog.setval('public.map_change_id_seq', 1, false);

SELECT pg_catalog.setval('public.service_tally_id_seq', 1, false);

ALTER TABLE ONLY public.account
    ADD CONSTRAINT account_email_key UNIQUE (email);

ALTER TABLE ONLY public.account_link
    ADD CONSTRAINT account_link_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.account_link
    ADD CONSTRAINT account_link_public_id_key UNIQUE (public_id);

ALTER TABLE ONLY public.account
    ADD CONSTRAINT account_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.admin_token
    ADD CONSTRAINT admin_token_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.admin_token
    ADD CONSTRAINT admin_token_token_hash_key UNIQUE (token_hash);

ALTER TABLE ONLY public.alliance_member
    ADD CONSTRAINT alliance_member_pkey PRIMARY KEY (alliance_id, account_id);

ALTER TABLE ONLY public.alliance
    ADD CONSTRAINT alliance_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.alliance
    ADD CONSTRAINT alliance_slug_key UNIQUE (slug);

ALTER TABLE ONLY public.analysis_outer_demand
    ADD CONSTRAINT analysis_outer_demand_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.analysis_unit
    ADD CONSTRAINT analysis_unit_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.analysis_unit
    ADD CONSTRAINT analysis_unit_set_id_code_key UNIQUE (set_id, code);

ALTER TABLE ONLY public.analysis_unit_set
    ADD CONSTRAINT analysis_unit_set_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.change_log
    ADD CONSTRAINT change_log_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.charter_signature
    ADD CONSTRAINT charter_signature_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.comment
    ADD CONSTRAINT comment_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.demand_point
    ADD CONSTRAINT demand_point_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.demand_point
    ADD CONSTRAINT demand_point_source_key_key UNIQUE (source_key);

ALTER TABLE ONLY public.freshness_digest
    ADD CONSTRAINT freshness_digest_pkey PRIMARY KEY (alliance_id, month);

ALTER TABLE ONLY public.gap_analysis_result
    ADD CONSTRAINT gap_analysis_result_pkey PRIMARY KEY (run_id, subject, unit_id);

ALTER TABLE ONLY public.gap_analysis_run
    ADD CONSTRAINT gap_analysis_run_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.import_job
    ADD CONSTRAINT import_job_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.import_row
    ADD CONSTRAINT import_row_pkey PRIMARY KEY (job_id, key);

ALTER TABLE ONLY public.import_source
    ADD CONSTRAINT import_source_alliance_id_name_key UNIQUE (alliance_id, name);

ALTER TABLE ONLY public.import_source
    ADD CONSTRAINT import_source_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.location
    ADD CONSTRAINT location_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.mail_bounce
    ADD CONSTRAINT mail_bounce_pkey PRIMARY KEY (email);

ALTER TABLE ONLY public.map_change
    ADD CONSTRAINT map_change_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.organization
    ADD CONSTRAINT organization_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.outbox
    ADD CONSTRAINT outbox_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.plan_action
    ADD CONSTRAINT plan_action_alliance_id_number_key UNIQUE (alliance_id, number);

ALTER TABLE ONLY public.plan_action
    ADD CONSTRAINT plan_action_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.population_cell
    ADD CONSTRAINT population_cell_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.population_surface
    ADD CONSTRAINT population_surface_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.schedule
    ADD CONSTRAINT schedule_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.self_service_link
    ADD CONSTRAINT self_service_link_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.self_service_link
    ADD CONSTRAINT self_service_link_public_id_key UNIQUE (public_id);

ALTER TABLE ONLY public.self_service_link
    ADD CONSTRAINT self_service_link_session_id_key UNIQUE (session_id);

ALTER TABLE ONLY public.self_service_proposal
    ADD CONSTRAINT self_service_proposal_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.service_at_location
    ADD CONSTRAINT service_at_location_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.service_at_location
    ADD CONSTRAINT service_at_location_service_id_location_id_key UNIQUE (service_id, location_id);

ALTER TABLE ONLY public.service_closure
    ADD CONSTRAINT service_closure_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.service
    ADD CONSTRAINT service_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.service_report
    ADD CONSTRAINT service_report_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.service_search
    ADD CONSTRAINT service_search_pkey PRIMARY KEY (service_id, location_id);

ALTER TABLE ONLY public.service_tally
    ADD CONSTRAINT service_tally_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.session
    ADD CONSTRAINT session_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.swot_item
    ADD CONSTRAINT swot_item_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.translation
    ADD CONSTRAINT translation_entity_type_entity_id_field_language_key UNIQUE (entity_type, entity_id, field, language);

ALTER TABLE ONLY public.translation
    ADD CONSTRAINT translation_pkey PRIMARY KEY (id);

CREATE INDEX account_link_invitation_email ON public.account_link USING btree (email) WHERE (kind = 'invitation'::text);

CREATE INDEX alliance_boundary_idx ON public.alliance USING gist (boundary);

CREATE INDEX alliance_member_account_idx ON public.alliance_member USING btree (account_id);

CREATE INDEX analysis_outer_demand_centroid_idx ON public.analysis_outer_demand USING gist (centroid);

CREATE INDEX analysis_outer_demand_set_idx ON public.analysis_outer_demand USING btree (set_id);

CREATE INDEX analysis_unit_centroid_idx ON public.analysis_unit USING gist (centroid);

CREATE INDEX analysis_unit_geom_idx ON public.analysis_unit USING gist (geom);

CREATE INDEX analysis_unit_set_alliance_idx ON public.analysis_unit_set USING btree (alliance_id, kind, h3_resolution);

CREATE INDEX change_log_alliance_idx ON public.change_log USING btree (alliance_id, id DESC);

CREATE INDEX change_log_entity_idx ON public.change_log USING btree (entity_type, entity_id, id);

CREATE INDEX change_log_set_idx ON public.change_log USING btree (change_set);

CREATE INDEX comment_entity_idx ON public.comment USING btree (entity_type, entity_id, created_at);

CREATE INDEX demand_point_geog_idx ON public.demand_point USING gist (geog);

CREATE INDEX gap_analysis_result_unit_idx ON public.gap_analysis_result USING btree (unit_id);

CREATE INDEX gap_analysis_run_alliance_idx ON public.gap_analysis_run USING btree (alliance_id, started_at DESC);

CREATE INDEX import_job_alliance_idx ON public.import_job USING btree (alliance_id, created_at DESC);

CREATE UNIQUE INDEX import_job_one_commit_idx ON public.import_job USING btree (alliance_id) WHERE (status = 'committing'::text);

CREATE INDEX import_row_organization_idx ON public.import_row USING btree (job_id, ((record ->> 'organizationSourceId'::text))) WHERE (kind = ANY (ARRAY['location'::text, 'service'::text]));

CREATE INDEX import_row_source_idx ON public.import_row USING btree (job_id, kind, source_id);

CREATE INDEX location_geog_idx ON public.location USING gist (geog);

CREATE UNIQUE INDEX location_source_record_idx ON public.location USING btree (import_source_id, source_record_id) WHERE ((import_source_id IS NOT NULL) AND (source_record_id IS NOT NULL));

CREATE INDEX map_change_alliance_idx ON public.map_change USING btree (alliance_id, id);

CREATE INDEX organization_alliance_idx ON public.organization USING btree (alliance_id);

CREATE INDEX organization_identifiers_idx ON public.organization USING gin (identifiers jsonb_path_ops);

CREATE UNIQUE INDEX organization_source_record_idx ON public.organization USING btree (import_source_id, source_record_id) WHERE ((import_source_id IS NOT NULL) AND (source_record_id IS NOT NULL));

CREATE INDEX outbox_waiting ON public.outbox USING btree (next_attempt_at) WHERE ((sent_at IS NULL) AND (failed_at IS NULL));

CREATE INDEX population_cell_geog_idx ON public.population_cell USING gist (geog);

CREATE INDEX population_cell_surface_idx ON public.population_cell USING btree (surface_id);

CREATE INDEX population_surface_alliance_idx ON public.population_surface USING btree (alliance_id, started_at DESC);

CREATE UNIQUE INDEX population_surface_one_active_idx ON public.population_surface USING btree (alliance_id) WHERE (status = 'active'::text);

CREATE UNIQUE INDEX population_surface_one_import_idx ON public.population_surface USING btree (alliance_id) WHERE (status = 'importing'::text);

CREATE INDEX schedule_location_idx ON public.schedule USING btree (location_id);

CREATE INDEX schedule_service_idx ON public.schedule USING btree (service_id);

CREATE INDEX self_service_proposal_waiting ON public.self_service_proposal USING btree (organization_id) WHERE (decided_at IS NULL);

CREATE INDEX service_active_id_idx ON public.service USING btree (id) WHERE (status = 'active'::text);

CREATE INDEX service_at_location_geog_category_idx ON public.service_at_location USING gist (geog, category);

CREATE INDEX service_at_location_location_idx ON public.service_at_location USING btree (location_id);

CREATE INDEX service_category_idx ON public.service USING btree (category);

CREATE INDEX service_closure_service ON public.service_closure USING btree (service_id, ends_on);

CREATE INDEX service_languages_idx ON public.service USING gin (languages);

CREATE INDEX service_organization_idx ON public.service USING btree (organization_id);

CREATE INDEX service_report_open ON public.service_report USING btree (service_id) WHERE (resolved_at IS NULL);

CREATE INDEX service_search_geog_category_idx ON public.service_search USING gist (geog, category);

CREATE INDEX service_search_location_idx ON public.service_search USING btree (location_id);

CREATE UNIQUE INDEX service_source_record_idx ON public.service USING btree (import_source_id, source_record_id) WHERE ((import_source_id IS NOT NULL) AND (source_record_id IS NOT NULL));

CREATE INDEX service_tally_alliance_idx ON public.service_tally USING btree (alliance_id, status) INCLUDE (delta);

CREATE INDEX service_topics_idx ON public.service USING gin (topics);

CREATE INDEX session_account_idx ON public.session USING btree (account_id);

CREATE TRIGGER alliance_bump_version BEFORE UPDATE ON public.alliance FOR EACH ROW WHEN ((old.* IS DISTINCT FROM new.*)) EXECUTE FUNCTION public.bump_version();

CREATE TRIGGER alliance_record_change AFTER INSERT OR DELETE OR UPDATE ON public.alliance FOR EACH ROW EXECUTE FUNCTION public.record_change();

CREATE TRIGGER charter_signature_bump_version BEFORE UPDATE ON public.charter_signature FOR EACH ROW WHEN ((old.* IS DISTINCT FROM new.*)) EXECUTE FUNCTION public.bump_version();

CREATE TRIGGER charter_signature_record_change AFTER INSERT OR DELETE OR UPDATE ON public.charter_signature FOR EACH ROW EXECUTE FUNCTION public.record_change();

CREATE TRIGGER location_bump_version BEFORE UPDATE ON public.location FOR EACH ROW WHEN ((old.* IS DISTINCT FROM new.*)) EXECUTE FUNCTION public.bump_version();

CREATE TRIGGER location_geog_propagate AFTER UPDATE OF geog, hide_address ON public.location FOR EACH ROW WHEN ((((old.geog IS NULL) <> (new.geog IS NULL)) OR (NOT COALESCE(((old.geog)::public.geometry OPERATOR(public.~=) (new.geog)::public.geometry), true)) OR (old.hide_address IS DISTINCT FROM new.hide_address))) EXECUTE FUNCTION public.location_geog_propagate();

CREATE TRIGGER location_record_change AFTER INSERT OR DELETE OR UPDATE ON public.location FOR EACH ROW EXECUTE FUNCTION public.record_change();

CREATE TRIGGER map_change_alliance_delete AFTER DELETE ON public.alliance REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.map_change_alliance();

CREATE TRIGGER map_change_alliance_insert AFTER INSERT ON public.alliance REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.map_change_alliance();

CREATE TRIGGER map_change_alliance_update AFTER UPDATE ON public.alliance REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.map_change_alliance();

CREATE TRIGGER map_change_location_delete AFTER DELETE ON public.location REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.map_change_location();

CREATE TRIGGER map_change_location_insert AFTER INSERT ON public.location REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.map_change_location();

CREATE TRIGGER map_change_location_update AFTER UPDATE ON public.location REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.map_change_location();

CREATE TRIGGER map_change_organization_delete AFTER DELETE ON public.organization REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.map_change_organization();

CREATE TRIGGER map_change_organization_insert AFTER INSERT ON public.organization REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.map_change_organization();

CREATE TRIGGER map_change_organization_update AFTER UPDATE ON public.organization REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.map_change_organization();

CREATE TRIGGER map_change_service_at_location_delete AFTER DELETE ON public.service_at_location REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.map_change_service_at_location();

CREATE TRIGGER map_change_service_at_location_insert AFTER INSERT ON public.service_at_location REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.map_change_service_at_location();

CREATE TRIGGER map_change_service_at_location_update AFTER UPDATE ON public.service_at_location REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.map_change_service_at_location();

CREATE TRIGGER map_change_service_delete AFTER DELETE ON public.service REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.map_change_service();

CREATE TRIGGER map_change_service_insert AFTER INSERT ON public.service REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.map_change_service();

CREATE TRIGGER map_change_service_update AFTER UPDATE ON public.service REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.map_change_service();

CREATE TRIGGER organization_bump_version BEFORE UPDATE ON public.organization FOR EACH ROW WHEN ((old.* IS DISTINCT FROM new.*)) EXECUTE FUNCTION public.bump_version();

CREATE TRIGGER organization_record_change AFTER INSERT OR DELETE OR UPDATE ON public.organization FOR EACH ROW EXECUTE FUNCTION public.record_change();

CREATE TRIGGER plan_action_bump_version BEFORE UPDATE ON public.plan_action FOR EACH ROW WHEN ((old.* IS DISTINCT FROM new.*)) EXECUTE FUNCTION public.bump_version();

CREATE TRIGGER plan_action_record_change AFTER INSERT OR DELETE OR UPDATE ON public.plan_action FOR EACH ROW EXECUTE FUNCTION public.record_change();

CREATE TRIGGER schedule_record_change AFTER INSERT OR DELETE OR UPDATE ON public.schedule FOR EACH ROW EXECUTE FUNCTION public.record_change();

CREATE TRIGGER service_at_location_fill BEFORE INSERT OR UPDATE OF service_id, location_id ON public.service_at_location FOR EACH ROW EXECUTE FUNCTION public.service_at_location_fill();

CREATE TRIGGER service_at_location_record_change AFTER INSERT OR DELETE OR UPDATE ON public.service_at_location FOR EACH ROW EXECUTE FUNCTION public.record_change();

CREATE TRIGGER service_bump_version BEFORE UPDATE ON public.service FOR EACH ROW WHEN ((old.* IS DISTINCT FROM new.*)) EXECUTE FUNCTION public.bump_version();

CREATE TRIGGER service_category_propagate AFTER UPDATE OF category ON public.service FOR EACH ROW WHEN ((old.category IS DISTINCT FROM new.category)) EXECUTE FUNCTION public.service_category_propagate();

CREATE TRIGGER service_closure_bump_version BEFORE UPDATE ON public.service_closure FOR EACH ROW EXECUTE FUNCTION public.bump_version();

CREATE TRIGGER service_closure_record_change AFTER INSERT OR DELETE OR UPDATE ON public.service_closure FOR EACH ROW EXECUTE FUNCTION public.record_change();

CREATE TRIGGER service_record_change AFTER INSERT OR DELETE OR UPDATE ON public.service FOR EACH ROW EXECUTE FUNCTION public.record_change();

CREATE TRIGGER service_report_bump_version BEFORE UPDATE ON public.service_report FOR EACH ROW EXECUTE FUNCTION public.bump_version();

CREATE TRIGGER service_report_record_change AFTER INSERT OR DELETE OR UPDATE ON public.service_report FOR EACH ROW EXECUTE FUNCTION public.record_change();

CREATE TRIGGER service_search_alliance_update AFTER UPDATE ON public.alliance REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION public.service_search_after_alliance();

CREATE TRIGGER service_search_link_delete AFTER DELETE ON public.service_at_location REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION public.service_search_after_link();

CREATE TRIGGER service_search_link_insert AFTER INSERT ON public.service_at_location REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION public.service_search_after_link();

CREATE TRIGGER service_search_link_update AFTER UPDATE ON public.service_at_location REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION public.service_search_after_link();

CREATE TRIGGER service_search_location_update AFTER UPDATE ON public.location REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION public.service_search_after_location();

CREATE TRIGGER service_search_organization_update AFTER UPDATE ON public.organization REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION public.service_search_after_organization();

CREATE TRIGGER service_search_service_delete AFTER DELETE ON public.service REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION public.service_search_after_service();

CREATE TRIGGER service_search_service_update AFTER UPDATE ON public.service REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION public.service_search_after_service();

CREATE TRIGGER service_tally_alliance_delete AFTER DELETE ON public.alliance FOR EACH ROW EXECUTE FUNCTION public.service_tally_alliance_deleted();

CREATE TRIGGER service_tally_delete AFTER DELETE ON public.service REFERENCING OLD TABLE AS deleted_services FOR EACH STATEMENT EXECUTE FUNCTION public.service_tally_deleted();

CREATE TRIGGER service_tally_insert AFTER INSERT ON public.service REFERENCING NEW TABLE AS inserted_services FOR EACH STATEMENT EXECUTE FUNCTION public.service_tally_inserted();

CREATE TRIGGER service_tally_organization_delete BEFORE DELETE ON public.organization FOR EACH ROW EXECUTE FUNCTION public.service_tally_organization_deleted();

CREATE TRIGGER service_tally_organization_move AFTER UPDATE OF alliance_id ON public.organization FOR EACH ROW WHEN ((old.alliance_id IS DISTINCT FROM new.alliance_id)) EXECUTE FUNCTION public.service_tally_organization_moved();

CREATE TRIGGER service_tally_update AFTER UPDATE ON public.service REFERENCING OLD TABLE AS services_before NEW TABLE AS services_after FOR EACH STATEMENT EXECUTE FUNCTION public.service_tally_updated();

CREATE TRIGGER swot_item_bump_version BEFORE UPDATE ON public.swot_item FOR EACH ROW WHEN ((old.* IS DISTINCT FROM new.*)) EXECUTE FUNCTION public.bump_version();

CREATE TRIGGER swot_item_record_change AFTER INSERT OR DELETE OR UPDATE ON public.swot_item FOR EACH ROW EXECUTE FUNCTION public.record_change();

CREATE TRIGGER translation_bump_version BEFORE UPDATE ON public.translation FOR EACH ROW WHEN ((old.* IS DISTINCT FROM new.*)) EXECUTE FUNCTION public.bump_version();

CREATE TRIGGER translation_record_change AFTER INSERT OR DELETE OR UPDATE ON public.translation FOR EACH ROW EXECUTE FUNCTION public.record_change();

ALTER TABLE ONLY public.account_link
    ADD CONSTRAINT account_link_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.account(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.account_link
    ADD CONSTRAINT account_link_alliance_id_fkey FOREIGN KEY (alliance_id) REFERENCES public.alliance(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.account_link
    ADD CONSTRAINT account_link_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.account(id) ON DELETE SET NULL;

ALTER TABLE ONLY public.account_link
    ADD CONSTRAINT account_link_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organization(id) ON DELETE SET NULL;

ALTER TABLE ONLY public.admin_token
    ADD CONSTRAINT admin_token_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.account(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.alliance_member
    ADD CONSTRAINT alliance_member_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.account(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.alliance_member
    ADD CONSTRAINT alliance_member_alliance_id_fkey FOREIGN KEY (alliance_id) REFERENCES public.alliance(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.alliance_member
    ADD CONSTRAINT alliance_member_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organization(id) ON DELETE SET NULL;

ALTER TABLE ONLY public.analysis_outer_demand
    ADD CONSTRAINT analysis_outer_demand_set_id_fkey FOREIGN KEY (set_id) REFERENCES public.analysis_unit_set(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.analysis_unit_set
    ADD CONSTRAINT analysis_unit_set_alliance_id_fkey FOREIGN KEY (alliance_id) REFERENCES public.alliance(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.analysis_unit
    ADD CONSTRAINT analysis_unit_set_id_fkey FOREIGN KEY (set_id) REFERENCES public.analysis_unit_set(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.change_log
    ADD CONSTRAINT change_log_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.account(id) ON DELETE SET NULL;

ALTER TABLE ONLY public.charter_signature
    ADD CONSTRAINT charter_signature_alliance_id_fkey FOREIGN KEY (alliance_id) REFERENCES public.alliance(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.charter_signature
    ADD CONSTRAINT charter_signature_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organization(id) ON DELETE SET NULL;

ALTER TABLE ONLY public.comment
    ADD CONSTRAINT comment_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.account(id) ON DELETE SET NULL;

ALTER TABLE ONLY public.comment
    ADD CONSTRAINT comment_alliance_id_fkey FOREIGN KEY (alliance_id) REFERENCES public.alliance(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.freshness_digest
    ADD CONSTRAINT freshness_digest_alliance_id_fkey FOREIGN KEY (alliance_id) REFERENCES public.alliance(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.gap_analysis_result
    ADD CONSTRAINT gap_analysis_result_run_id_fkey FOREIGN KEY (run_id) REFERENCES public.gap_analysis_run(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.gap_analysis_result
    ADD CONSTRAINT gap_analysis_result_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.analysis_unit(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.gap_analysis_run
    ADD CONSTRAINT gap_analysis_run_alliance_id_fkey FOREIGN KEY (alliance_id) REFERENCES public.alliance(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.gap_analysis_run
    ADD CONSTRAINT gap_analysis_run_unit_set_id_fkey FOREIGN KEY (unit_set_id) REFERENCES public.analysis_unit_set(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.import_job
    ADD CONSTRAINT import_job_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.account(id) ON DELETE SET NULL;

ALTER TABLE ONLY public.import_job
    ADD CONSTRAINT import_job_alliance_id_fkey FOREIGN KEY (alliance_id) REFERENCES public.alliance(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.import_job
    ADD CONSTRAINT import_job_import_source_id_fkey FOREIGN KEY (import_source_id) REFERENCES public.import_source(id) ON DELETE SET NULL;

ALTER TABLE ONLY public.import_row
    ADD CONSTRAINT import_row_job_id_fkey FOREIGN KEY (job_id) REFERENCES public.import_job(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.import_source
    ADD CONSTRAINT import_source_alliance_id_fkey FOREIGN KEY (alliance_id) REFERENCES public.alliance(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.location
    ADD CONSTRAINT location_import_source_id_fkey FOREIGN KEY (import_source_id) REFERENCES public.import_source(id) ON DELETE SET NULL;

ALTER TABLE ONLY public.location
    ADD CONSTRAINT location_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organization(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.organization
    ADD CONSTRAINT organization_alliance_id_fkey FOREIGN KEY (alliance_id) REFERENCES public.alliance(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.organization
    ADD CONSTRAINT organization_import_source_id_fkey FOREIGN KEY (import_source_id) REFERENCES public.import_source(id) ON DELETE SET NULL;

ALTER TABLE ONLY public.organization
    ADD CONSTRAINT organization_parent_organization_id_fkey FOREIGN KEY (parent_organization_id) REFERENCES public.organization(id) ON DELETE SET NULL;

ALTER TABLE ONLY public.plan_action
    ADD CONSTRAINT plan_action_alliance_id_fkey FOREIGN KEY (alliance_id) REFERENCES public.alliance(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.plan_action
    ADD CONSTRAINT plan_action_gap_run_id_fkey FOREIGN KEY (gap_run_id) REFERENCES public.gap_analysis_run(id) ON DELETE SET NULL;

ALTER TABLE ONLY public.plan_action
    ADD CONSTRAINT plan_action_responsible_organization_id_fkey FOREIGN KEY (responsible_organization_id) REFERENCES public.organization(id) ON DELETE SET NULL;

ALTER TABLE ONLY public.population_cell
    ADD CONSTRAINT population_cell_surface_id_fkey FOREIGN KEY (surface_id) REFERENCES public.population_surface(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.population_surface
    ADD CONSTRAINT population_surface_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.account(id) ON DELETE SET NULL;

ALTER TABLE ONLY public.population_surface
    ADD CONSTRAINT population_surface_alliance_id_fkey FOREIGN KEY (alliance_id) REFERENCES public.alliance(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.schedule
    ADD CONSTRAINT schedule_location_id_fkey FOREIGN KEY (location_id) REFERENCES public.location(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.schedule
    ADD CONSTRAINT schedule_service_id_fkey FOREIGN KEY (service_id) REFERENCES public.service(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.self_service_link
    ADD CONSTRAINT self_service_link_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.account(id) ON DELETE SET NULL;

ALTER TABLE ONLY public.self_service_link
    ADD CONSTRAINT self_service_link_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organization(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.self_service_proposal
    ADD CONSTRAINT self_service_proposal_decided_by_fkey FOREIGN KEY (decided_by) REFERENCES public.account(id) ON DELETE SET NULL;

ALTER TABLE ONLY public.self_service_proposal
    ADD CONSTRAINT self_service_proposal_link_id_fkey FOREIGN KEY (link_id) REFERENCES public.self_service_link(id) ON DELETE SET NULL;

ALTER TABLE ONLY public.self_service_proposal
    ADD CONSTRAINT self_service_proposal_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organization(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.self_service_proposal
    ADD CONSTRAINT self_service_proposal_service_id_fkey FOREIGN KEY (service_id) REFERENCES public.service(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.service_at_location
    ADD CONSTRAINT service_at_location_location_id_fkey FOREIGN KEY (location_id) REFERENCES public.location(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.service_at_location
    ADD CONSTRAINT service_at_location_service_id_fkey FOREIGN KEY (service_id) REFERENCES public.service(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.service_closure
    ADD CONSTRAINT service_closure_service_id_fkey FOREIGN KEY (service_id) REFERENCES public.service(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.service
    ADD CONSTRAINT service_import_source_id_fkey FOREIGN KEY (import_source_id) REFERENCES public.import_source(id) ON DELETE SET NULL;

ALTER TABLE ONLY public.service
    ADD CONSTRAINT service_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organization(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.service_report
    ADD CONSTRAINT service_report_resolved_by_fkey FOREIGN KEY (resolved_by) REFERENCES public.account(id) ON DELETE SET NULL;

ALTER TABLE ONLY public.service_report
    ADD CONSTRAINT service_report_service_id_fkey FOREIGN KEY (service_id) REFERENCES public.service(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.service
    ADD CONSTRAINT service_verified_by_fkey FOREIGN KEY (verified_by) REFERENCES public.account(id) ON DELETE SET NULL;

ALTER TABLE ONLY public.session
    ADD CONSTRAINT session_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.account(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.swot_item
    ADD CONSTRAINT swot_item_alliance_id_fkey FOREIGN KEY (alliance_id) REFERENCES public.alliance(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.translation
    ADD CONSTRAINT translation_reviewed_by_fkey FOREIGN KEY (reviewed_by) REFERENCES public.account(id) ON DELETE SET NULL;
