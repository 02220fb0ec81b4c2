import { createHash } from 'node:crypto';

/**
 * The fields of organisations and services that can be translated, by the name the API gives them, with the
 * name a translation row stores (`translation.field`: the column it translates, as HSDS exports and imports
 * read it). The opening-hours note is the description of the service's schedules (HSDS `schedule.description`).
 */
export const translatableFields = {
  organization: { name: 'name', description: 'description' },
  service: {
    name: 'name',
    description: 'description',
    fees: 'fees_description',
    eligibility: 'eligibility_description',
    applicationProcess: 'application_process',
    openingHoursNote: 'opening_hours_note',
  },
} as const;

export type TranslatableEntity = keyof typeof translatableFields;
export type TranslatableField = keyof (typeof translatableFields)['service'];
export const translatableFieldNames = Object.keys(translatableFields.service) as TranslatableField[];

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
