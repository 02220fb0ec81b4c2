import type { Kysely, Transaction } from 'kysely';
import type { CommentTable, Database } from '../../db/schema.js';

export type CommentedEntity = CommentTable['entity_type'];

/** A member's remark on a record, with its author's name (null once the account is gone, or for a script). */
export interface Comment {
  id: string;
  entityType: CommentedEntity;
  entityId: string;
  body: string;
  author: { accountId: string; displayName: string } | null;
  createdAt: string;
}

function commentRows(db: Kysely<Database>) {
  return db
    .selectFrom('comment as c')
    .leftJoin('account as a', 'a.id', 'c.account_id')
    .select(['c.id', 'c.entity_type', 'c.entity_id', 'c.body', 'c.account_id', 'a.display_name', 'c.created_at']);
}

type CommentRow = Awaited<ReturnType<ReturnType<typeof commentRows>['execute']>>[number];

function toComment(row: CommentRow): Comment {
  return {
    id: row.id,
    entityType: row.entity_type,
    entityId: row.entity_id,
    body: row.body,
    author:
      row.account_id && row.display_name !== null ? { accountId: row.account_id, displayName: row.display_name } : null,
    createdAt: row.created_at.toISOString(),
  };
}

/** The comments on one record, oldest first, as a conversation reads. */
export async function listComments(
  db: Kysely<Database>,
  entityType: CommentedEntity,
  entityId: string,
): Promise<Comment[]> {
  const rows = await commentRows(db)
    .where('c.entity_type', '=', entityType)
    .where('c.entity_id', '=', entityId)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .execute();
  return rows.map(toComment);
}

export async function findComment(db: Kysely<Database>, id: string): Promise<Comment | undefined> {
  const row = await commentRows(db).where('c.id', '=', id).executeTakeFirst();
  return row ? toComment(row) : undefined;
}

export async function createComment(
  trx: Transaction<Database>,
  comment: {
    allianceId: string;
    entityType: CommentedEntity;
    entityId: string;
    accountId: string | null;
    body: string;
  },
): Promise<string> {
  const { id } = await trx
    .insertInto('comment')
    .values({
      alliance_id: comment.allianceId,
      entity_type: comment.entityType,
      entity_id: comment.entityId,
      account_id: comment.accountId,
      body: comment.body,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}
