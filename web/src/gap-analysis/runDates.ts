import { pageLanguage } from '../i18n/pageLanguage.svelte';
import type { Wording } from './wording';

/** "23 Nov 2026, 17:29" in the reader's language and time zone: when the run started. */
export function formatRunDate(iso: string, words: Wording = pageLanguage): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : words.format.dateTime(date);
}
