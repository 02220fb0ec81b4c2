import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type CodedMessage, said, UserError } from '../messages/userError.js';

/** Someone who signed the alliance's charter of commitment. `contact` is personal: members only. */
export interface Signature {
  id: string;
  signerName: string;
  organizationId: string | null;
  organizationName: string | null;
  contact: string | null;
  signedOn: string;
  version: number;
  createdAt: string;
}

/** The alliance's vision and charter texts, with the version a PATCH of the alliance must send back. */
export interface CharterTexts {
  vision: string | null;
  charter: string | null;
  version: number;
}

export async function findCharterTexts(db: Kysely<Database>, allianceId: string): Promise<CharterTexts | undefined> {
  return db
    .selectFrom('alliance')
    .select(['vision', 'charter', 'version'])
    .where('id', '=', allianceId)
    .executeTakeFirst();
}

function signatureRows(db: Kysely<Database>) {
  return db
    .selectFrom('charter_signature as s')
    .leftJoin('organization as o', 'o.id', 's.organization_id')
    .select([
      's.id',
      's.alliance_id',
      's.signer_name',
      's.organization_id',
      'o.name as organization_name',
      's.contact',
      sql<string>`s.signed_on::text`.as('signed_on'),
      's.version',
      's.created_at',
    ]);
}

type SignatureRow = Awaited<ReturnType<ReturnType<typeof signatureRows>['execute']>>[number];

function toSignature(row: SignatureRow): Signature {
  return {
    id: row.id,
    signerName: row.signer_name,
    organizationId: row.organization_id,
    organizationName: row.organization_name,
    contact: row.contact,
    signedOn: row.signed_on,
    version: row.version,
    createdAt: row.created_at.toISOString(),
  };
}

/** The signatures of an alliance in the order they were given. */
export async function listSignatures(db: Kysely<Database>, allianceId: string): Promise<Signature[]> {
  const rows = await signatureRows(db)
    .where('s.alliance_id', '=', allianceId)
    .orderBy('s.signed_on')
    .orderBy('s.created_at')
    .orderBy('s.id')
    .execute();
  return rows.map(toSignature);
}

export async function findSignature(db: Kysely<Database>, id: string): Promise<Signature | undefined> {
  const row = await signatureRows(db).where('s.id', '=', id).executeTakeFirst();
  return row ? toSignature(row) : undefined;
}

export async function allianceOfSignature(db: Kysely<Database>, id: string): Promise<string | undefined> {
  const row = await db.selectFrom('charter_signature').select('alliance_id').where('id', '=', id).executeTakeFirst();
  return row?.alliance_id;
}

/** A signature the alliance's data does not allow; its message is shown as is. */
export class SignatureInputError extends UserError {
  constructor(message: CodedMessage) {
    super(400, message);
  }
}

/** Records a signature; it is dated today unless `signedOn` says when it was given on paper. */
export async function createSignature(
  trx: Transaction<Database>,
  allianceId: string,
  signature: { signerName: string; organizationId?: string | null; contact?: string | null; signedOn?: string },
): Promise<string> {
  if (signature.organizationId) {
    const organization = await trx
      .selectFrom('organization')
      .select(['alliance_id', 'name'])
      .where('id', '=', signature.organizationId)
      .executeTakeFirst();
    if (!organization)
      throw new SignatureInputError(said('input.organization-of-other-alliance', { id: signature.organizationId }));
    if (organization.alliance_id !== allianceId) {
      throw new SignatureInputError(said('action.organization-of-other-alliance', { name: organization.name }));
    }
  }
  const { id } = await trx
    .insertInto('charter_signature')
    .values({
      alliance_id: allianceId,
      signer_name: signature.signerName,
      organization_id: signature.organizationId ?? null,
      contact: signature.contact ?? null,
      signed_on: signature.signedOn,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function deleteSignature(trx: Transaction<Database>, id: string): Promise<boolean> {
  const result = await trx.deleteFrom('charter_signature').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
