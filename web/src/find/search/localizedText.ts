import type { DirectoryService } from '../api/directory';

/** One text of a service as the finder shows it. */
export interface LocalizedText {
  text: string;
  /** The language the text is written in: the reader's when translated, else the original's. */
  lang: string;
  /** A machine's translation no person has checked yet: the finder says so beside it. */
  machine: boolean;
}

export interface LocalizedService {
  name: LocalizedText;
  description: LocalizedText | null;
  feesDescription: LocalizedText | null;
  eligibilityDescription: LocalizedText | null;
  applicationProcess: LocalizedText | null;
  openingHoursNote: LocalizedText | null;
  /** Set when the description is not in the reader's language: the language it is shown in. */
  untranslatedFrom: string | null;
}

type Translations = DirectoryService['translations'][string];
type Field = keyof Translations;

const primary = (code: string) => code.toLowerCase().split('-')[0]!;

/**
 * A service's texts in the reader's language where a translation exists, else as written; each says whether it
 * is a machine translation nobody has reviewed yet.
 */
export function localizeService(service: DirectoryService, language: string): LocalizedService {
  const wanted = primary(language);
  const own = primary(service.textLanguage) === wanted;
  const translation: Translations | undefined = own
    ? undefined
    : Object.entries(service.translations).find(([code]) => primary(code) === wanted)?.[1];
  // A field's translations are keyed by the name the service gives its original.
  const localized = (field: Field): LocalizedText | null => {
    const translated = translation?.[field];
    if (translated) {
      return { text: translated.text, lang: language, machine: translated.reviewState === 'machine-draft' };
    }
    const original = service[field];
    return original ? { text: original, lang: service.textLanguage, machine: false } : null;
  };
  const description = localized('description');
  return {
    name: localized('name')!,
    description,
    feesDescription: localized('feesDescription'),
    eligibilityDescription: localized('eligibilityDescription'),
    applicationProcess: localized('applicationProcess'),
    openingHoursNote: localized('openingHoursNote'),
    untranslatedFrom: own || !description || translation?.description ? null : service.textLanguage,
  };
}
