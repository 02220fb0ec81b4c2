import { createHash } from 'node:crypto';
import { type TextEntity, type TextField, textFieldNames, textFields } from '#contract/textFields.js';

/**
 * The fields of organisations and services that can be translated, by the name the API gives them, with the
 * name a translation row stores (`translation.field`: the column it translates, as HSDS exports and imports
 * read it). The one table is `#contract/textFields.js`, which the pages read too.
 */
export const translatableFields = textFields;

export type TranslatableEntity = TextEntity;
export type TranslatableField = TextField;
export const translatableFieldNames = textFieldNames;

/** The API names of the fields an entity type has, in the order an editor reads them. */
export function fieldsOf(entityType: TranslatableEntity): TranslatableField[] {
  return Object.keys(translatableFields[entityType]) as TranslatableField[];
}

/** The stored field name of a field of this entity type, or undefined when that type has no such field. */
export function storedFieldOf(entityType: TranslatableEntity, field: TranslatableField): string | undefined {
  return (translatableFields[entityType] as Partial<Record<TranslatableField, string>>)[field];
}

/** md5 of an original text, the same as PostgreSQL's `md5(text)`: what `translation.source_hash` compares with. */
export function originalHash(original: string): string {
  return createHash('md5').update(original, 'utf8').digest('hex');
}
