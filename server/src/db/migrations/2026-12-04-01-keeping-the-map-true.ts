import { type Kysely, sql } from 'kysely';

/**
 * Keeping the map true (issue 13): when each service was last checked and by whom, its update cycle (the alliance
 * sets the default), temporary closures and exceptional hours for a range of dates, newcomers' reports of what is
 * wrong, the self-service links an organisation checks its own services through (and the changes they propose
 * while they wait for an editor), the monthly digests already sent, mail delivery attempts and the addresses that
 * bounce, and a change log author that is not an account ("the contact of <organisation>, through a link").
 *
 * Frozen in time: it imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table alliance
      add column update_cycle_months smallint not null default 6 check (update_cycle_months in (1, 3, 6, 12)),
      add column self_service_approval boolean not null default false`.execute(db);

  // Null cycle: the alliance's. Null verified_at: never checked, so due now.
  await sql`
    alter table service
      add column update_cycle_months smallint check (update_cycle_months in (1, 3, 6, 12)),
      add column verified_at timestamptz,
      add column verified_by uuid references account (id) on delete set null,
      add column verified_via text check (verified_via in ('editor', 'organization', 'import'))`.execute(db);
  // What the source said of its own freshness counts as a check, from the source.
  await sql`
    update service set verified_at = source_updated_at, verified_via = 'import'
    where source_updated_at is not null`.execute(db);

  // A range of days (both ends included, in the region's calendar) when the service is closed, or open at other
  // hours than usual (`opening_hours` set, OSM syntax).
  await sql`
    create table service_closure (
      id uuid primary key default gen_random_uuid(),
      service_id uuid not null references service (id) on delete cascade,
      starts_on date not null,
      ends_on date not null,
      opening_hours text,
      note text,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (ends_on >= starts_on)
    )`.execute(db);
  await sql`create index service_closure_service on service_closure (service_id, ends_on)`.execute(db);

  // What a newcomer or a member of staff says is wrong with a service: no account, no position, no address.
  await sql`
    create table service_report (
      id uuid primary key default gen_random_uuid(),
      service_id uuid not null references service (id) on delete cascade,
      kind text not null check (kind in ('closed', 'moved', 'wrong_hours', 'other')),
      comment text check (char_length(comment) <= 500),
      language text,
      resolved_at timestamptz,
      resolved_by uuid references account (id) on delete set null,
      resolution text check (resolution in ('corrected', 'dismissed')),
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((resolved_at is null) = (resolution is null))
    )`.execute(db);
  await sql`create index service_report_open on service_report (service_id) where resolved_at is null`.execute(db);

  // A link mailed to an organisation: `id` is the sha256 of its token. Opened once, it hands a short session
  // (`session_id`, the sha256 of that session's token) and cannot be opened again.
  await sql`
    create table self_service_link (
      id text primary key,
      public_id uuid not null default gen_random_uuid() unique,
      organization_id uuid not null references organization (id) on delete cascade,
      email text,
      created_by uuid references account (id) on delete set null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      opened_at timestamptz,
      session_id text unique,
      session_expires_at timestamptz
    )`.execute(db);

  // A change an organisation proposed through its link, waiting for an editor when the alliance asks for approval.
  await sql`
    create table self_service_proposal (
      id uuid primary key default gen_random_uuid(),
      organization_id uuid not null references organization (id) on delete cascade,
      service_id uuid not null references service (id) on delete cascade,
      link_id text references self_service_link (id) on delete set null,
      kind text not null check (kind in ('verify', 'edit', 'closure')),
      changes jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now(),
      decided_at timestamptz,
      decided_by uuid references account (id) on delete set null,
      decision text check (decision in ('approved', 'rejected'))
    )`.execute(db);
  await sql`
    create index self_service_proposal_waiting on self_service_proposal (organization_id)
    where decided_at is null`.execute(db);

  // One digest per alliance and month (YYYY-MM in the region's calendar), whatever the number of instances.
  await sql`
    create table freshness_digest (
      alliance_id uuid not null references alliance (id) on delete cascade,
      month text not null check (month ~ '^[0-9]{4}-[0-9]{2}$'),
      sent_at timestamptz not null default now(),
      primary key (alliance_id, month)
    )`.execute(db);

  // Delivery: tries, the next try, and giving up. An address that bounced gets no more mail until cleared.
  await sql`
    alter table outbox
      add column attempts integer not null default 0,
      add column next_attempt_at timestamptz,
      add column failed_at timestamptz,
      add column last_error text`.execute(db);
  await sql`create index outbox_waiting on outbox (next_attempt_at) where sent_at is null and failed_at is null`.execute(
    db,
  );
  await sql`
    create table mail_bounce (
      email text primary key check (email = lower(email)),
      bounced_at timestamptz not null default now(),
      reason text
    )`.execute(db);

  await sql`alter table change_log add column author_label text`.execute(db);

  await recordChangeFunction(db, true);

  for (const table of ['service_closure', 'service_report']) {
    await sql`
      create trigger ${sql.raw(`${table}_bump_version`)} before update on ${sql.table(table)}
      for each row execute function bump_version()`.execute(db);
    await sql`
      create trigger ${sql.raw(`${table}_record_change`)} after insert or update or delete on ${sql.table(table)}
      for each row execute function record_change()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['service_closure', 'service_report']) {
    await sql`drop trigger if exists ${sql.raw(`${table}_record_change`)} on ${sql.table(table)}`.execute(db);
    await sql`drop trigger if exists ${sql.raw(`${table}_bump_version`)} on ${sql.table(table)}`.execute(db);
  }
  await recordChangeFunction(db, false);
  await sql`alter table change_log drop column author_label`.execute(db);
  await sql`drop table mail_bounce, freshness_digest, self_service_proposal, self_service_link, service_report,
    service_closure`.execute(db);
  await sql`drop index outbox_waiting`.execute(db);
  await sql`alter table outbox drop column attempts, drop column next_attempt_at, drop column failed_at,
    drop column last_error`.execute(db);
  await sql`alter table service drop column update_cycle_months, drop column verified_at, drop column verified_by,
    drop column verified_via`.execute(db);
  await sql`alter table alliance drop column update_cycle_months, drop column self_service_approval`.execute(db);
}

/**
 * The change log trigger, as migration 2026-11-23-04 wrote it and the service closures and reports added to it;
 * `withLabel` records `passerelle.author_label`, an author that is not an account.
 */
async function recordChangeFunction(db: Kysely<any>, withLabel: boolean): Promise<void> {
  await sql`
    create or replace function record_change() returns trigger language plpgsql as $$
    declare
      row_values jsonb;
      row_alliance uuid;
      actor uuid := nullif(current_setting('passerelle.account_id', true), '')::uuid;
      actor_label text := ${sql.raw(withLabel ? "nullif(current_setting('passerelle.author_label', true), '')" : 'null')};
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
      insert into change_log (entity_type, entity_id, alliance_id, account_id, ${sql.raw(withLabel ? 'author_label, ' : '')}action, old_values, new_values)
      values (
        tg_table_name,
        (row_values ->> 'id')::uuid,
        row_alliance,
        actor,
        ${sql.raw(withLabel ? 'actor_label,' : '')}
        change_action,
        case when tg_op = 'INSERT' then null else to_jsonb(old) end,
        case when tg_op = 'DELETE' then null else to_jsonb(new) end
      );
      return null;
    end $$`.execute(db);
}
