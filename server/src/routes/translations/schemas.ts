import { Type } from 'typebox';
import { translatableFieldNames } from '../../domain/translations/translatableFields.js';
import { LanguageCode, Nullable, Uuid } from '../commonSchemas.js';

const Field = Type.Enum(translatableFieldNames, {
  description:
    'A translatable field: name and description for organisations and services; feesDescription, ' +
    'eligibilityDescription, applicationProcess and openingHoursNote (the note of its opening hours) for services.',
});

export const TranslationParams = Type.Object({ id: Uuid, language: LanguageCode, field: Field });
export const LanguageParams = Type.Object({ id: Uuid, language: LanguageCode });

/** A translation's text: not blank, at most as long as a record's long texts (LongText). */
const TranslationText = (description: string) =>
  Type.String({ minLength: 1, maxLength: 10000, pattern: '\\S', description });

const Version = Type.Integer({ minimum: 1, description: 'The version of the translation the editor read.' });

export const HumanTranslationBody = Type.Object({
  text: TranslationText('The translation, as a person wrote it.'),
  version: Type.Optional(
    Type.Integer({ minimum: 1, description: 'The version read; leave it out for a translation that did not exist.' }),
  ),
});

export const ReviewBody = Type.Object({
  version: Version,
  text: Type.Optional(
    TranslationText('The text as the reviewer corrected it; a changed text becomes theirs (origin human).'),
  ),
});

export const DeleteQuery = Type.Object({ version: Version });

const FieldTranslation = Type.Object({
  language: Type.String(),
  text: Type.String(),
  origin: Type.Enum(['human', 'machine']),
  reviewState: Type.Enum(['machine-draft', 'reviewed'], {
    description: "A person's own text is reviewed by definition; a machine's is a draft until a person reviews it.",
  }),
  reviewedBy: Nullable(Type.String()),
  reviewedAt: Nullable(Type.String({ format: 'date-time' })),
  updatedAt: Type.String({ format: 'date-time' }),
  outdated: Type.Boolean({ description: 'The original changed since the translation was written or reviewed.' }),
  version: Type.Integer(),
});

const sheetProperties = {
  entityType: Type.Enum(['organization', 'service']),
  entityId: Type.String(),
  textLanguage: Type.String({ description: 'The language the originals are written in.' }),
  machineTranslation: Type.Boolean({
    description: 'Whether this server can draft translations with a machine-translation service (TRANSLATOR_URL).',
  }),
  fields: Type.Array(
    Type.Object({
      field: Field,
      original: Nullable(Type.String()),
      translations: Type.Array(FieldTranslation),
    }),
  ),
};

export const TranslationSheet = Type.Object(sheetProperties);

export const MachineDraftAnswer = Type.Object({
  ...sheetProperties,
  drafted: Type.Integer({ description: 'How many fields the machine drafted.' }),
});
