import { topics } from '#contract/taxonomy/categories.js';
import { pageLanguage } from '../i18n/pageLanguage.svelte';
import type { Wording } from './wording';

/**
 * The finer topics a run can measure: the server's own taxonomy, which validates them. The server module imports
 * nothing but a type, so the bundle gains only this list.
 */
export const topicIds = topics;

/**
 * A category's or topic's name, as a heading or button shows it ("Language courses"). The server gives the names in
 * English; they are translated by id, and an id no message names is shown as the server's label, else as words.
 */
export function subjectName(id: string, words: Wording = pageLanguage, serverLabel?: string): string {
  const name = words.t(`gap-analysis.subject.${id}`);
  if (name !== `gap-analysis.subject.${id}`) return name;
  const label = serverLabel ?? id.replaceAll('_', ' ');
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/** The same name inside a sentence ("No area is flagged for language courses"). */
export function subjectInText(id: string, words: Wording = pageLanguage, serverLabel?: string): string {
  const name = words.t(`gap-analysis.subjectInText.${id}`);
  if (name !== `gap-analysis.subjectInText.${id}`) return name;
  return (serverLabel ?? id.replaceAll('_', ' ')).toLowerCase();
}
