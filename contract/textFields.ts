/**
 * The texts of organisations and services a person reads, translates and imports, each under one name in our API
 * and pages (camelCase of HSDS 3's field, which is also the database column), and the column a translation row
 * stores it under (`translation.field`). The exchange formats keep their own names (contract/README.md).
 */
export const textFields = {
  organization: { name: 'name', description: 'description' },
  service: {
    name: 'name',
    description: 'description',
    feesDescription: 'fees_description',
    eligibilityDescription: 'eligibility_description',
    applicationProcess: 'application_process',
    /** The description of the service's opening hours (HSDS `schedule.description`), not a service column. */
    openingHoursNote: 'opening_hours_note',
  },
} as const;

/** A kind of record with translatable texts. */
export type TextEntity = keyof typeof textFields;

/** A translatable text's name in the API: a service has every one, an organisation its name and description. */
export type TextField = keyof (typeof textFields)['service'];

/** Every text field's API name, in the order an editor reads them. */
export const textFieldNames = Object.keys(textFields.service) as TextField[];
