import { type Kysely, sql } from 'kysely';

/**
 * Imports in progress (issue 10, data exchange).
 *
 * - `import_job`: one import of files into an alliance: its source, who started it, its format and files, its status
 *   (reading → preview → committing → committed, or failed, expired, undone, discarded), the choices made in the
 *   preview (`options`), what the preview found (`counts`, `columns`, `vocabulary`, `geocoding`), the report of its
 *   commit and the change set the commit wrote in the history. A preview is kept 24 hours (`expires_at`).
 * - Only one import per alliance writes at a time: a unique index on the alliance over the jobs `committing`.
 * - `import_row`: the records read from the files, one row each, staged until the commit: what the reader gave
 *   (`record`), the columns they would write (`incoming`), problems, the outcome of the comparison with the
 *   alliance's records (new, updated, unchanged, error, skipped, gone), duplicate candidates and the person's
 *   decision, the changes field by field, the place found for a location, and the record it writes
 *   (`record_id`: an existing one, a merge target, or `new_id`) under which organisation (`parent_id`).
 * - `import_name_key(text)`: a name reduced to lower-case letters and digits without accents, to compare names.
 *
 * Frozen in time: it imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table import_job (
      id uuid primary key default gen_random_uuid(),
      alliance_id uuid not null references alliance (id) on delete cascade,
      import_source_id uuid references import_source (id) on delete set null,
      source_name text not null check (length(source_name) between 1 and 200),
      account_id uuid references account (id) on delete set null,
      format text,
      file_names text[] not null default '{}',
      status text not null default 'reading' check (status in
        ('reading', 'preview', 'committing', 'committed', 'failed', 'expired', 'undone', 'discarded')),
      progress jsonb,
      options jsonb not null default '{}',
      columns jsonb,
      available_fields jsonb,
      vocabulary jsonb not null default '[]',
      counts jsonb,
      geocoding jsonb,
      report jsonb,
      error text,
      change_set bigint,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null default now() + interval '24 hours',
      committed_at timestamptz
    )`.execute(db);
  await sql`create index import_job_alliance_idx on import_job (alliance_id, created_at desc)`.execute(db);
  await sql`create unique index import_job_one_commit_idx on import_job (alliance_id)
    where status = 'committing'`.execute(db);

  await sql`
    create table import_row (
      job_id uuid not null references import_job (id) on delete cascade,
      key integer not null,
      file text,
      row integer,
      kind text check (kind in ('organization', 'location', 'service')),
      source_id text,
      name text,
      record jsonb,
      incoming jsonb,
      problems jsonb not null default '[]',
      outcome text check (outcome in ('new', 'updated', 'unchanged', 'error', 'skipped', 'gone')),
      existing_id uuid,
      candidates jsonb,
      decision text check (decision in ('merge', 'skip', 'create')),
      target_id uuid,
      changes jsonb,
      overwrite text[] not null default '{}',
      new_id uuid not null default gen_random_uuid(),
      record_id uuid,
      parent_id uuid,
      lat float8,
      lon float8,
      precision text,
      needs_place boolean not null default false,
      primary key (job_id, key)
    )`.execute(db);
  await sql`create index import_row_source_idx on import_row (job_id, kind, source_id)`.execute(db);
  await sql`create index import_row_organization_idx on import_row (job_id, (record ->> 'organizationSourceId'))
    where kind in ('location', 'service')`.execute(db);

  await sql`
    create function import_name_key(name text) returns text language sql immutable parallel safe as $$
      select trim(regexp_replace(lower(translate(coalesce(name, ''),
        'ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝýÿŒœÆæ',
        'AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOOooooooUUUUuuuuYyyOoAa')),
        '[^a-z0-9]+', ' ', 'g'))
    $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists import_name_key(text)`.execute(db);
  await sql`drop table if exists import_row`.execute(db);
  await sql`drop table if exists import_job`.execute(db);
}
