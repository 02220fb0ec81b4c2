import { subjectInText } from '../gap-analysis/topics';
import { pageLanguage, t } from '../i18n/pageLanguage.svelte';
import type { ActionEffect } from './actionPlan';

/** What an action's expected effect says in one sentence, from the scenario that includes it. */
export interface EffectSummary {
  /** The planned service's category: the subject whose before and after are told. */
  category: string;
  /** People whose nearest service of the category comes within the run's largest catchment limit. */
  people: number;
  /** That limit, in seconds (a run in minutes) or metres (straight lines), as `unit` says. */
  limit: number;
  unit: 'm' | 's';
  /** Areas flagged before for the category and not after. */
  areas: number;
  /** Whether the planned place stands too far from any road of the run's mode (then it reaches nobody). */
  offNetwork: boolean;
}

/** The summary of `effect` for the action `actionId`; null when the scenario does not measure its category. */
export function effectSummary(effect: ActionEffect, actionId: string): EffectSummary | null {
  const { added, outcome } = effect.scenario;
  const index = added.findIndex((service) => service.planActionId === actionId);
  if (index < 0) return null;
  const category = added[index]!.category;
  const subject = outcome.subjects.find((item) => item.kind === 'category' && item.subject === category);
  if (!subject || subject.limits.length === 0) return null;
  const widest = subject.limits.reduce((best, zone) => (zone.limit > best.limit ? zone : best));
  return {
    category,
    people: widest.populationNewlyWithin,
    limit: widest.limit,
    unit: outcome.unit as 'm' | 's',
    areas: subject.areasNoLongerFlagged.length,
    offNetwork: outcome.addedOffNetwork.includes(index),
  };
}

/** "Would bring 4,000 more people within 30 minutes of a service in social action. Areas no longer flagged: 1." */
export function effectSentence(summary: EffectSummary): string {
  if (summary.offNetwork) return t('plan.effect.offNetwork');
  const limit =
    summary.unit === 's'
      ? t('gap-analysis.measure.minutes', { minutes: pageLanguage.format.number(summary.limit / 60) })
      : t('gap-analysis.measure.km', {
          km: pageLanguage.format.number(summary.limit / 1000, { maximumFractionDigits: 1 }),
        });
  return t('plan.effect.sentence', {
    people: pageLanguage.format.number(summary.people, { maximumFractionDigits: 0 }),
    limit,
    category: subjectInText(summary.category),
    areas: pageLanguage.format.number(summary.areas),
  });
}
