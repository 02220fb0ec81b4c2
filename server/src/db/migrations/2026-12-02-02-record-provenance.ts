import { type Kysely, sql } from 'kysely';

/**
 * Where imported records come from (issue 10, data exchange).
 *
 * - `import_source`: a source an alliance imports from again and again (a data·inclusion extract, an HSDS feed, a
 *   spreadsheet kept by a partner), with the column and vocabulary mappings its last import used, so that the next
 *   file of the same source is read the same way.
 * - On `organization`, `service` and `location`: the source and the record's id there (unique per source), the
 *   source's own last-update date (data·inclusion `date_maj`, HSDS `last_modified`/`assured_date`), when it was last
 *   imported, and the values that import wrote (`imported_values`), so that a re-import can tell a field an editor
 *   changed since (kept unless the editor agrees) from one only the source changed.
 * - `organization.identifiers`: HSDS `organization_identifiers` (a SIRET in France), as
 *   `[{ "scheme": "FR-SIRET", "type": "siret", "identifier": "…" }]`, to find an organisation that is already there.
 * - `location.needs_place`: the place was not known (no coordinates and no geocoder answer): it stands at its town,
 *   or at the region, until an editor places it.
 *
 * Frozen in time: it imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table import_source (
      id uuid primary key default gen_random_uuid(),
      alliance_id uuid not null references alliance (id) on delete cascade,
      name text not null check (length(name) between 1 and 200),
      format text not null,
      column_mapping jsonb not null default '{}',
      vocabulary_mapping jsonb not null default '{}',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (alliance_id, name)
    )`.execute(db);

  for (const table of ['organization', 'service', 'location']) {
    await sql`
      alter table ${sql.table(table)}
        add column import_source_id uuid references import_source (id) on delete set null,
        add column source_record_id text check (length(source_record_id) <= 500),
        add column source_updated_at timestamptz,
        add column imported_at timestamptz,
        add column imported_values jsonb`.execute(db);
    await sql`
      create unique index ${sql.raw(`${table}_source_record_idx`)}
        on ${sql.table(table)} (import_source_id, source_record_id)
        where import_source_id is not null and source_record_id is not null`.execute(db);
  }
  await sql`alter table organization add column identifiers jsonb not null default '[]'
    check (jsonb_typeof(identifiers) = 'array')`.execute(db);
  await sql`create index organization_identifiers_idx on organization using gin (identifiers jsonb_path_ops)`.execute(
    db,
  );
  await sql`alter table location add column needs_place boolean not null default false`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table location drop column if exists needs_place`.execute(db);
  await sql`alter table organization drop column if exists identifiers`.execute(db);
  for (const table of ['organization', 'service', 'location']) {
    await sql`
      alter table ${sql.table(table)}
        drop column if exists import_source_id,
        drop column if exists source_record_id,
        drop column if exists source_updated_at,
        drop column if exists imported_at,
        drop column if exists imported_values`.execute(db);
  }
  await sql`drop table if exists import_source`.execute(db);
}
