import type { Category } from '../api/types';
import { pageLanguage, t } from '../i18n/pageLanguage.svelte';

/**
 * Categories, topics and audiences come from the API and the contract in English; the pages name them by id in
 * the reader's language (`map/messages/`), and fall back to the API's label or a readable id for one not known here.
 */
export function categoryLabel(category: Pick<Category, 'id' | 'label'>): string {
  const key = `map.category.${category.id}`;
  return pageLanguage.has(key) ? t(`map.category.${category.id}`) : category.label;
}

/** The categories with their labels in the reader's language (for the markers and the selects). */
export function translatedCategories(categories: readonly Category[]): Category[] {
  return categories.map((category) => ({ ...category, label: categoryLabel(category) }));
}

const readableId = (id: string) => {
  const words = id.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

export function topicLabel(topic: string): string {
  return pageLanguage.has(`map.topic.${topic}`) ? t(`map.topic.${topic}`) : readableId(topic);
}

export function audienceLabel(audience: string): string {
  return pageLanguage.has(`map.audience.${audience}`) ? t(`map.audience.${audience}`) : readableId(audience);
}

/** "fr" → "French" in the reader's language; an unknown code is shown as it is rather than hidden. */
export function languageLabel(code: string): string {
  try {
    return new Intl.DisplayNames([pageLanguage.code], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}
