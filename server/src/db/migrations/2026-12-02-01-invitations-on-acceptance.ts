import { type Kysely, sql } from 'kysely';

/**
 * An invitation grants nothing until it is accepted. Before, inviting an unknown e-mail created an account
 * without a password and made it a member with the role at once; whoever held any later invitation link for
 * that e-mail — from any alliance — chose the account's password and inherited every role it had been given.
 *
 * Now an invitation is a link that names an e-mail, an alliance, a role and an organisation; accepting it
 * creates the account (when the e-mail has none) or needs that account signed in, and only then adds the
 * membership. Pending memberships become pending invitations, and accounts without a password, which could
 * only have been made by invitations, go: every remaining account can sign in. Frozen in time: it imports
 * nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table account_link
      add column email text check (email is null or email = lower(email)),
      add column organization_id uuid references organization (id) on delete set null,
      add column public_id uuid not null unique default gen_random_uuid(),
      alter column account_id drop not null`.execute(db);

  await sql`
    update account_link l
       set email = a.email,
           organization_id = m.organization_id,
           account_id = null
      from account a
      left join alliance_member m on m.account_id = a.id
     where l.kind = 'invitation' and a.id = l.account_id
       and (m.alliance_id is null or m.alliance_id = l.alliance_id)`.execute(db);
  // An invitation whose account had another alliance's membership row only still needs its e-mail.
  await sql`
    update account_link l set email = a.email, account_id = null
      from account a where l.kind = 'invitation' and a.id = l.account_id`.execute(db);

  await sql`
    delete from alliance_member m using account a
     where a.id = m.account_id and a.password_hash is null`.execute(db);
  await sql`delete from account where password_hash is null and not is_platform_admin`.execute(db);
  await sql`alter table account alter column password_hash set not null`.execute(db);

  await sql`alter table account_link drop constraint if exists account_link_check`.execute(db);
  await sql`
    alter table account_link add constraint account_link_kind_fields check (
      (kind = 'password_reset' and account_id is not null)
      or (kind = 'invitation' and account_id is null and email is not null
          and alliance_id is not null and role is not null))`.execute(db);
  await sql`create index account_link_invitation_email on account_link (email) where kind = 'invitation'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists account_link_invitation_email`.execute(db);
  await sql`alter table account_link drop constraint if exists account_link_kind_fields`.execute(db);
  await sql`delete from account_link where kind = 'invitation'`.execute(db);
  await sql`alter table account alter column password_hash drop not null`.execute(db);
  await sql`
    alter table account_link
      drop column email,
      drop column organization_id,
      drop column public_id,
      alter column account_id set not null`.execute(db);
  await sql`
    alter table account_link add constraint account_link_check
      check (kind = 'password_reset' or (alliance_id is not null and role is not null))`.execute(db);
}
