import { type Kysely, sql } from 'kysely';

/**
 * The alliance workspace: accounts, sessions and per-alliance roles; invitation and password-reset links;
 * a version number on every editable record (optimistic concurrency); a change log filled by triggers, which
 * keeps the old and new values of every change, deleted rows included, so that any version can be restored;
 * the sector of each organisation (the guide's balance of 8–12 representatives across sectors); the action
 * plan, SWOT, charter and its signatures, and comments. Frozen in time: it imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table account (
      id uuid primary key default gen_random_uuid(),
      email text not null unique check (email = lower(email) and email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
      display_name text not null check (length(display_name) between 1 and 200),
      password_hash text,
      is_platform_admin boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table session (
      id text primary key,
      account_id uuid not null references account (id) on delete cascade,
      csrf_token text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    )`.execute(db);
  await sql`create index session_account_idx on session (account_id)`.execute(db);

  await sql`
    create table alliance_member (
      alliance_id uuid not null references alliance (id) on delete cascade,
      account_id uuid not null references account (id) on delete cascade,
      role text not null check (role in ('coordinator', 'secretariat', 'editor', 'member')),
      organization_id uuid references organization (id) on delete set null,
      created_at timestamptz not null default now(),
      primary key (alliance_id, account_id)
    )`.execute(db);
  await sql`create index alliance_member_account_idx on alliance_member (account_id)`.execute(db);

  await sql`
    create table account_link (
      id text primary key,
      kind text not null check (kind in ('invitation', 'password_reset')),
      account_id uuid not null references account (id) on delete cascade,
      alliance_id uuid references alliance (id) on delete cascade,
      role text check (role in ('coordinator', 'secretariat', 'editor', 'member')),
      created_by uuid references account (id) on delete set null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz,
      check (kind = 'password_reset' or (alliance_id is not null and role is not null))
    )`.execute(db);

  await sql`
    create table outbox (
      id uuid primary key default gen_random_uuid(),
      to_email text not null,
      subject text not null,
      body text not null,
      created_at timestamptz not null default now(),
      sent_at timestamptz
    )`.execute(db);

  // API tokens belong to an account; the foundation's admin token becomes the first admin account's.
  await sql`alter table admin_token add column account_id uuid references account (id) on delete cascade`.execute(db);

  await sql`
    alter table organization add column sector text check (sector in (
      'public_authority', 'ngo', 'migrant_association', 'mediator', 'social_services', 'education', 'employer', 'other'
    ))`.execute(db);

  await sql`
    alter table alliance
      add column charter text,
      add column profile_published boolean not null default false,
      add column version integer not null default 1`.execute(db);
  for (const table of ['organization', 'service', 'location']) {
    await sql`alter table ${sql.table(table)} add column version integer not null default 1`.execute(db);
  }

  await sql`
    create table plan_action (
      id uuid primary key default gen_random_uuid(),
      alliance_id uuid not null references alliance (id) on delete cascade,
      number integer not null check (number > 0),
      title text not null check (length(title) between 1 and 300),
      problem text,
      description text,
      gap_run_id uuid references gap_analysis_run (id) on delete set null,
      gap_unit_id text,
      gap_subject text,
      estimated_budget numeric(14, 2) check (estimated_budget >= 0),
      currency char(3),
      resources text,
      responsible_organization_id uuid references organization (id) on delete set null,
      partner_organization_ids uuid[] not null default '{}',
      indicator text,
      starts_on date,
      due_on date,
      status text not null default 'proposed'
        check (status in ('proposed', 'planned', 'in_progress', 'done', 'dropped')),
      published boolean not null default false,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (alliance_id, number),
      check (due_on is null or starts_on is null or due_on >= starts_on)
    )`.execute(db);

  await sql`
    create table swot_item (
      id uuid primary key default gen_random_uuid(),
      alliance_id uuid not null references alliance (id) on delete cascade,
      quadrant text not null check (quadrant in ('strengths', 'weaknesses', 'opportunities', 'threats')),
      text text not null check (length(text) between 1 and 2000),
      position integer not null default 0,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table charter_signature (
      id uuid primary key default gen_random_uuid(),
      alliance_id uuid not null references alliance (id) on delete cascade,
      signer_name text not null check (length(signer_name) between 1 and 200),
      organization_id uuid references organization (id) on delete set null,
      contact text,
      signed_on date not null default current_date,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table comment (
      id uuid primary key default gen_random_uuid(),
      alliance_id uuid not null references alliance (id) on delete cascade,
      entity_type text not null check (entity_type in ('plan_action', 'organization', 'service')),
      entity_id uuid not null,
      account_id uuid references account (id) on delete set null,
      body text not null check (length(body) between 1 and 5000),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index comment_entity_idx on comment (entity_type, entity_id, created_at)`.execute(db);

  await sql`alter table gap_analysis_run add column published boolean not null default false`.execute(db);

  // The change log: one row per changed row, grouped by transaction, with who made the change.
  await sql`
    create table change_log (
      id bigserial primary key,
      change_set bigint not null default txid_current(),
      entity_type text not null,
      entity_id uuid not null,
      alliance_id uuid,
      account_id uuid references account (id) on delete set null,
      action text not null check (action in ('create', 'update', 'delete')),
      old_values jsonb,
      new_values jsonb,
      changed_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index change_log_entity_idx on change_log (entity_type, entity_id, id)`.execute(db);
  await sql`create index change_log_alliance_idx on change_log (alliance_id, id desc)`.execute(db);
  await sql`create index change_log_set_idx on change_log (change_set)`.execute(db);

  // Every update of a versioned row bumps its version, whoever makes it.
  await sql`
    create function bump_version() returns trigger language plpgsql as $$
    begin
      new.version := old.version + 1;
      new.updated_at := now();
      return new;
    end $$`.execute(db);

  /*
   * Writes one change_log row per insert, update or delete. The application names the acting account and the
   * alliance for the transaction (set_config('passerelle.account_id' / 'passerelle.alliance_id', …, true));
   * rows whose alliance cannot be read from themselves (services, locations, deleted with their organisation)
   * take it from there. Bulk loads (demo data, benchmarks) turn the log off with passerelle.history = 'off'.
   */
  await sql`
    create function record_change() returns trigger language plpgsql as $$
    declare
      row_values jsonb;
      row_alliance uuid;
      actor uuid := nullif(current_setting('passerelle.account_id', true), '')::uuid;
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
          else null
        end,
        nullif(current_setting('passerelle.alliance_id', true), '')::uuid,
        case when tg_table_name = 'alliance' then (row_values ->> 'id')::uuid end
      );
      insert into change_log (entity_type, entity_id, alliance_id, account_id, action, old_values, new_values)
      values (
        tg_table_name,
        (row_values ->> 'id')::uuid,
        row_alliance,
        actor,
        change_action,
        case when tg_op = 'INSERT' then null else to_jsonb(old) end,
        case when tg_op = 'DELETE' then null else to_jsonb(new) end
      );
      return null;
    end $$`.execute(db);

  for (const table of [
    'alliance',
    'organization',
    'service',
    'location',
    'plan_action',
    'swot_item',
    'charter_signature',
  ]) {
    await sql`
      create trigger ${sql.raw(`${table}_bump_version`)} before update on ${sql.table(table)}
      for each row when (old.* is distinct from new.*) execute function bump_version()`.execute(db);
  }
  for (const table of [
    'alliance',
    'organization',
    'service',
    'location',
    'service_at_location',
    'schedule',
    'plan_action',
    'swot_item',
    'charter_signature',
  ]) {
    await sql`
      create trigger ${sql.raw(`${table}_record_change`)} after insert or update or delete on ${sql.table(table)}
      for each row execute function record_change()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'alliance',
    'organization',
    'service',
    'location',
    'service_at_location',
    'schedule',
    'plan_action',
    'swot_item',
    'charter_signature',
  ]) {
    await sql`drop trigger if exists ${sql.raw(`${table}_record_change`)} on ${sql.table(table)}`.execute(db);
    await sql`drop trigger if exists ${sql.raw(`${table}_bump_version`)} on ${sql.table(table)}`.execute(db);
  }
  await sql`drop function if exists record_change, bump_version`.execute(db);
  for (const table of [
    'change_log',
    'comment',
    'charter_signature',
    'swot_item',
    'plan_action',
    'outbox',
    'account_link',
    'alliance_member',
    'session',
  ]) {
    await sql`drop table if exists ${sql.table(table)} cascade`.execute(db);
  }
  await sql`alter table gap_analysis_run drop column if exists published`.execute(db);
  await sql`alter table admin_token drop column if exists account_id`.execute(db);
  await sql`drop table if exists account cascade`.execute(db);
  for (const table of ['organization', 'service', 'location']) {
    await sql`alter table ${sql.table(table)} drop column if exists version`.execute(db);
  }
  await sql`alter table organization drop column if exists sector`.execute(db);
  await sql`alter table alliance drop column if exists charter, drop column if exists profile_published, drop column if exists version`.execute(
    db,
  );
}
