import { pageLanguage, t } from '../i18n/pageLanguage.svelte';

/** A service's age at a glance, as the server classes it (domain/freshness/serviceFreshness.ts). */
export type ServiceAge = 'fresh' | 'due-soon' | 'overdue' | 'never';
export const serviceAges: readonly ServiceAge[] = ['fresh', 'due-soon', 'overdue', 'never'];

/** The update cycles a service or an alliance may follow, in months. */
export const updateCycles = [1, 3, 6, 12] as const;
export type UpdateCycle = (typeof updateCycles)[number];

/** The choices of the "not checked for" filter, in months. */
export const notCheckedForChoices = [1, 3, 6, 12] as const;

/** Each age's colour: the text beside it says the same, for those who do not see colours. */
export const ageColors: Record<ServiceAge, string> = {
  fresh: '#15803d',
  'due-soon': '#ca8a04',
  overdue: '#b91c1c',
  never: '#64748b',
};

export const ageLabel = (age: ServiceAge): string => t(`freshness.age.${age}`);

export const cycleLabel = (months: number): string => t('freshness.cycle.months', { count: months });

/** A calendar date (YYYY-MM-DD) as the reader's language writes a day; noon keeps it the same day everywhere. */
export const dayText = (date: string): string => pageLanguage.format.date(`${date}T12:00:00Z`, 'long');
