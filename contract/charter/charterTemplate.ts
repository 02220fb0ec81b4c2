import { ar } from './templates/ar.js';
import { de } from './templates/de.js';
import { en } from './templates/en.js';
import { es } from './templates/es.js';
import { fr } from './templates/fr.js';
import { nl } from './templates/nl.js';
import { sv } from './templates/sv.js';
import type { CharterTemplate } from './templates/template.js';
import { uk } from './templates/uk.js';

export type { CharterTemplate } from './templates/template.js';

/**
 * The guide's sample charter of commitment, which an alliance can start from and then adapt, in each workspace
 * language (one file per language in `templates/`). Each signatory's name, date, organisation and preferred contact
 * are recorded as a signature, not in this text.
 */
export const charterTemplates: Readonly<Record<string, CharterTemplate>> = { ar, de, en, es, fr, nl, sv, uk };

/** The sample charter in a language (`fr`, `fr-BE`), English for a language it has not been written in. */
export function charterTemplateIn(language: string): CharterTemplate {
  const primary = language.toLowerCase().split('-')[0] ?? '';
  return charterTemplates[primary] ?? en;
}

/** Where the alliance's own vision goes in the English template. */
export const charterVisionPlaceholder = en.placeholder;

/** The English template, which the server's charter route serves. */
export const charterTemplate = en.text;
