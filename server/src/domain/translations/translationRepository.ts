import { type Kysely, sql, type Transaction, type Updateable } from 'kysely';
import type { Database, TranslationTable } from '../../db/schema.js';
import { openingHoursNote } from '../schedules/scheduleNotes.js';
import {
  fieldsOf,
  originalHash,
  storedFieldOf,
  type TranslatableEntity,
  type TranslatableField,
} from './translatableFields.js';

/** One translation of one field: its text, who wrote it (a person or a machine), whether a person checked it. */
export interface FieldTranslation {
  language: string;
  text: string;
  origin: 'human' | 'machine';
  reviewState: 'machine-draft' | 'reviewed';
  /** The name of the account that reviewed it; null for a draft, or when the account was deleted. */
  reviewedBy: string | null;
  reviewedAt: string | null;
  updatedAt: string;
  /** The original changed since the translation was written or reviewed. */
  outdated: boolean;
  version: number;
}

export interface TranslatableText {
  field: TranslatableField;
  original: string | null;
  translations: FieldTranslation[];
}

/** A record's translatable fields, each with its original text and every translation of it. */
export interface TranslationSheet {
  entityType: TranslatableEntity;
  entityId: string;
  /** The language the originals are written in. */
  textLanguage: string;
  fields: TranslatableText[];
}

/** Which translation: of which record, field and language. */
export interface TranslationKey {
  entityType: TranslatableEntity;
  entityId: string;
  field: TranslatableField;
  language: string;
}

/** What a compare-and-update of a translation did. */
export type TranslationOutcome = 'written' | 'missing' | 'stale';

interface Originals {
  textLanguage: string;
  texts: Partial<Record<TranslatableField, string | null>>;
}

/** The original texts of a record's translatable fields, or undefined when there is no such record. */
export async function originalTexts(
  db: Kysely<Database>,
  entityType: TranslatableEntity,
  id: string,
): Promise<Originals | undefined> {
  if (entityType === 'organization') {
    const row = await db
      .selectFrom('organization')
      .select(['name', 'description', 'text_language'])
      .where('id', '=', id)
      .executeTakeFirst();
    return row && { textLanguage: row.text_language, texts: { name: row.name, description: row.description } };
  }
  const row = await db
    .selectFrom('service as s')
    .select([
      's.name',
      's.description',
      's.fees_description',
      's.eligibility_description',
      's.application_process',
      's.text_language',
      openingHoursNote(sql.ref('s.id')).as('opening_hours_note'),
    ])
    .where('s.id', '=', id)
    .executeTakeFirst();
  return (
    row && {
      textLanguage: row.text_language,
      texts: {
        name: row.name,
        description: row.description,
        feesDescription: row.fees_description,
        eligibilityDescription: row.eligibility_description,
        applicationProcess: row.application_process,
        openingHoursNote: row.opening_hours_note,
      },
    }
  );
}

function storedField(key: Pick<TranslationKey, 'entityType' | 'field'>): string {
  const stored = storedFieldOf(key.entityType, key.field);
  if (!stored) throw new Error(`A ${key.entityType} has no translatable field ${key.field}.`);
  return stored;
}

/** Every translatable field of a record with its original and translations, or undefined when there is no record. */
export async function translationSheet(
  db: Kysely<Database>,
  entityType: TranslatableEntity,
  entityId: string,
): Promise<TranslationSheet | undefined> {
  const originals = await originalTexts(db, entityType, entityId);
  if (!originals) return undefined;
  const rows = await db
    .selectFrom('translation as t')
    .leftJoin('account as a', 'a.id', 't.reviewed_by')
    .select([
      't.field',
      't.language',
      't.text',
      't.origin',
      't.review_state',
      'a.display_name as reviewer',
      't.reviewed_at',
      't.updated_at',
      't.source_hash',
      't.version',
    ])
    .where('t.entity_type', '=', entityType)
    .where('t.entity_id', '=', entityId)
    .orderBy('t.language')
    .execute();
  const fields = fieldsOf(entityType).map((field): TranslatableText => {
    const original = originals.texts[field] ?? null;
    const stored = storedField({ entityType, field });
    const hash = original === null ? null : originalHash(original);
    return {
      field,
      original,
      translations: rows
        .filter((row) => row.field === stored)
        .map((row) => ({
          language: row.language,
          text: row.text,
          origin: row.origin,
          reviewState: row.review_state,
          reviewedBy: row.reviewer,
          reviewedAt: row.reviewed_at?.toISOString() ?? null,
          updatedAt: row.updated_at.toISOString(),
          // A translation from before the hashes were kept is taken as current; one of a text erased since is not.
          outdated: row.source_hash !== null && row.source_hash !== hash,
          version: row.version,
        })),
    };
  });
  return { entityType, entityId, textLanguage: originals.textLanguage, fields };
}

async function currentHash(trx: Transaction<Database>, key: TranslationKey): Promise<string | null> {
  const original = (await originalTexts(trx, key.entityType, key.entityId))?.texts[key.field];
  return original ? originalHash(original) : null;
}

/** The columns that name a translation row, for `where((eb) => eb.and(keyColumns(key)))`. */
function keyColumns(key: TranslationKey) {
  return {
    entity_type: key.entityType,
    entity_id: key.entityId,
    field: storedField(key),
    language: key.language,
  };
}

/**
 * Writes a person's translation: origin human, reviewed by them. `version` is the one the editor read, or null
 * for a translation that did not exist when they opened the record (then an existing one is a conflict).
 */
export async function writeHumanTranslation(
  trx: Transaction<Database>,
  key: TranslationKey,
  change: { text: string; version: number | null; accountId: string | null },
): Promise<TranslationOutcome> {
  const values = {
    text: change.text,
    origin: 'human' as const,
    review_state: 'reviewed' as const,
    reviewed_by: change.accountId,
    reviewed_at: new Date(),
    source_hash: await currentHash(trx, key),
  };
  if (change.version === null) {
    const inserted = await trx
      .insertInto('translation')
      .values({ ...values, ...keyColumns(key) })
      .onConflict((conflict) => conflict.columns(['entity_type', 'entity_id', 'field', 'language']).doNothing())
      .executeTakeFirst();
    return (inserted.numInsertedOrUpdatedRows ?? 0n) > 0n ? 'written' : 'stale';
  }
  return updateTranslation(trx, key, change.version, values);
}

/**
 * Marks a translation reviewed against today's original. A reviewer who changes the text makes it theirs
 * (origin human); one who keeps a machine's text as it is confirms it, and it stays a machine translation.
 */
export async function reviewTranslation(
  trx: Transaction<Database>,
  key: TranslationKey,
  change: { version: number; text?: string; accountId: string | null },
): Promise<TranslationOutcome> {
  const current = await findTranslation(trx, key);
  if (!current) return 'missing';
  const edited = change.text !== undefined && change.text !== current.text;
  return updateTranslation(trx, key, change.version, {
    ...(edited ? { text: change.text, origin: 'human' as const } : {}),
    review_state: 'reviewed',
    reviewed_by: change.accountId,
    reviewed_at: new Date(),
    source_hash: await currentHash(trx, key),
  });
}

/** Deletes a translation read at `version`. */
export async function deleteTranslation(
  trx: Transaction<Database>,
  key: TranslationKey,
  version: number,
): Promise<TranslationOutcome> {
  const deleted = await trx
    .deleteFrom('translation')
    .where((eb) => eb.and(keyColumns(key)))
    .where('version', '=', version)
    .executeTakeFirst();
  if (deleted.numDeletedRows > 0n) return 'written';
  return (await findTranslation(trx, key)) ? 'stale' : 'missing';
}

async function updateTranslation(
  trx: Transaction<Database>,
  key: TranslationKey,
  version: number,
  values: Updateable<TranslationTable>,
): Promise<TranslationOutcome> {
  const updated = await trx
    .updateTable('translation')
    .set(values)
    .where((eb) => eb.and(keyColumns(key)))
    .where('version', '=', version)
    .executeTakeFirst();
  if (updated.numUpdatedRows > 0n) return 'written';
  return (await findTranslation(trx, key)) ? 'stale' : 'missing';
}

/** The stored translation of a key (its row id names it in the change log), or undefined. */
export async function findTranslation(db: Kysely<Database>, key: TranslationKey) {
  return db
    .selectFrom('translation')
    .select(['id', 'text', 'origin', 'review_state', 'version'])
    .where((eb) => eb.and(keyColumns(key)))
    .executeTakeFirst();
}

/**
 * The fields a machine may draft into `language`: those with an original and no translation yet, or only a
 * machine draft written from an older original. A person's text or a reviewed one is never replaced.
 */
export function fieldsToDraft(
  sheet: TranslationSheet,
  language: string,
): { field: TranslatableField; original: string }[] {
  return sheet.fields.flatMap(({ field, original, translations }) => {
    if (!original || original.trim() === '') return [];
    const existing = translations.find((translation) => translation.language === language);
    if (existing && (existing.reviewState === 'reviewed' || !existing.outdated)) return [];
    return [{ field, original }];
  });
}

/**
 * Stores machine drafts: each replaces nothing but an unreviewed machine draft, even if a person wrote or
 * reviewed the field between the sheet being read and the drafts arriving. Returns how many were stored.
 */
export async function storeMachineDrafts(
  trx: Transaction<Database>,
  target: { entityType: TranslatableEntity; entityId: string; language: string },
  drafts: { field: TranslatableField; original: string; text: string }[],
): Promise<number> {
  let stored = 0;
  for (const draft of drafts) {
    const values = {
      text: draft.text,
      origin: 'machine' as const,
      review_state: 'machine-draft' as const,
      reviewed_by: null,
      reviewed_at: null,
      source_hash: originalHash(draft.original),
    };
    const result = await trx
      .insertInto('translation')
      .values({ ...values, ...keyColumns({ ...target, field: draft.field }) })
      .onConflict((conflict) =>
        conflict
          .columns(['entity_type', 'entity_id', 'field', 'language'])
          .doUpdateSet(values)
          .where('translation.origin', '=', 'machine')
          .where('translation.review_state', '=', 'machine-draft'),
      )
      .executeTakeFirst();
    if ((result.numInsertedOrUpdatedRows ?? 0n) > 0n) stored += 1;
  }
  return stored;
}
