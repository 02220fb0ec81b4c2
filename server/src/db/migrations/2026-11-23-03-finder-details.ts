import { type Kysely, sql } from 'kysely';

/**
 * What the newcomers' finder shows beyond the guide's fields: whether a service
 * is free (null while nobody knows), its public phone number, and which
 * alliances hold demonstration data, so the finder can say that their details
 * are examples. Frozen in time: it imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table service add column free boolean`.execute(db);
  await sql`alter table service add column phone text check (length(phone) <= 50)`.execute(db);
  await sql`alter table alliance add column is_demo boolean not null default false`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table alliance drop column if exists is_demo`.execute(db);
  await sql`alter table service drop column if exists phone`.execute(db);
  await sql`alter table service drop column if exists free`.execute(db);
}
