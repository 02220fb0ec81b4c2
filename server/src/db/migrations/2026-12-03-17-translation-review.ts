import { type Kysely, sql } from 'kysely';

/**
 * Translations of organisations and services become something an editor writes and reviews: each carries a review
 * state (a machine draft until a person reviews it; a person's own text is reviewed by definition, which the check
 * keeps true), who reviewed it and when, the md5 of the original text it was written from (the translation is
 * "outdated" once the original's md5 differs), and a version for compare-and-update edits. Translations join the
 * change log like the records they belong to.
 *
 * Existing rows: human ones are reviewed, machine ones (demo data) are drafts, and all are taken as written from
 * today's originals (`source_hash` of the current text), since nothing says otherwise.
 *
 * Frozen in time: it imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table translation
      add column review_state text not null default 'machine-draft'
        check (review_state in ('machine-draft', 'reviewed')),
      add column reviewed_by uuid references account (id) on delete set null,
      add column reviewed_at timestamptz,
      add column source_hash text,
      add column version integer not null default 1`.execute(db);
  await sql`update translation set review_state = 'reviewed', reviewed_at = updated_at where origin = 'human'`.execute(
    db,
  );
  await sql`
    alter table translation add constraint translation_human_reviewed
      check (origin = 'machine' or review_state = 'reviewed')`.execute(db);

  await sql`
    update translation t set source_hash = md5(o.original)
    from (
      select 'service' as entity_type, s.id, f.field, f.original
      from service s
      cross join lateral (values
        ('name', s.name), ('description', s.description), ('fees_description', s.fees_description),
        ('eligibility_description', s.eligibility_description), ('application_process', s.application_process)
      ) as f(field, original)
      union all
      select 'organization', o.id, f.field, f.original
      from organization o
      cross join lateral (values ('name', o.name), ('description', o.description)) as f(field, original)
    ) as o
    where t.entity_type = o.entity_type and t.entity_id = o.id and t.field = o.field and o.original is not null`.execute(
    db,
  );

  await sql`
    create trigger translation_bump_version before update on translation
    for each row when (old.* is distinct from new.*) execute function bump_version()`.execute(db);
  await sql`
    create trigger translation_record_change after insert or update or delete on translation
    for each row execute function record_change()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists translation_record_change on translation`.execute(db);
  await sql`drop trigger if exists translation_bump_version on translation`.execute(db);
  await sql`
    alter table translation
      drop constraint translation_human_reviewed,
      drop column review_state, drop column reviewed_by, drop column reviewed_at,
      drop column source_hash, drop column version`.execute(db);
}
