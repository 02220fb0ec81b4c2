import type { MessageParams } from '../i18n/translate';
import { pageLanguage, t } from '../i18n/pageLanguage.svelte';
import { subjectName } from './topics';

/** What a run or a population import is doing, as the server sends it: English words beside a code. */
export interface StageOf {
  stage: string | null;
  stageCode: string | null;
  stageParams: MessageParams | null;
}

/**
 * The stage in the reader's language (`gap-analysis.stage.<code>`), its subject named by id and its counts in the
 * reader's way; the server's English words for a stage stored before stages had codes; null before any.
 */
export function stageText({ stage, stageCode, stageParams }: StageOf): string | null {
  if (!stageCode || !pageLanguage.has(`gap-analysis.stage.${stageCode}`)) return stage;
  const params: MessageParams = { ...stageParams };
  if (typeof params.subject === 'string') {
    const label = typeof params.subjectLabel === 'string' ? params.subjectLabel : undefined;
    params.subjectLabel = subjectName(params.subject, pageLanguage, label);
  }
  return t(`gap-analysis.stage.${stageCode}`, params);
}
