import { topics } from '#contract/taxonomy/categories.js';

/**
 * The finer topics a run can measure: the server's own taxonomy, which validates them. The server module imports
 * nothing but a type, so the bundle gains only this list.
 */
export const topicIds = topics;

/** "language_courses" → "Language courses". */
export function topicLabel(id: string): string {
  const words = id.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
