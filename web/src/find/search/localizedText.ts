import type { DirectoryService } from '../api/directory';

export interface LocalizedService {
  name: string;
  description: string | null;
  /** Set when the description is not in the reader's language: the language it is shown in. */
  untranslatedFrom: string | null;
}

const primary = (code: string) => code.toLowerCase().split('-')[0]!;

/** A service's name and description in the reader's language where a translation exists, else as written. */
export function localizeService(service: DirectoryService, language: string): LocalizedService {
  const wanted = primary(language);
  if (primary(service.textLanguage) === wanted) {
    return { name: service.name, description: service.description, untranslatedFrom: null };
  }
  const translation = Object.entries(service.translations).find(([code]) => primary(code) === wanted)?.[1];
  const description = translation?.description ?? service.description;
  return {
    name: translation?.name ?? service.name,
    description,
    untranslatedFrom: translation?.description || !description ? null : service.textLanguage,
  };
}
