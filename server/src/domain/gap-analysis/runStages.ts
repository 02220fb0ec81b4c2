import { fillTemplate, type MessageParams } from '../messages/userError.js';

/**
 * The stages a gap analysis run and a population import go through, by code, in English: a page says each code in
 * its reader's language (`gap-analysis.stage.<code>`), a script reads the English `stage` beside it.
 */
export const stageTexts = {
  waiting: 'Waiting to start',
  'h3-grid': 'Building the H3 grid (resolution {resolution})',
  'h3-grid-areas': 'Building the H3 grid (resolution {resolution}): {done} of {total} areas',
  measuring: 'Measuring {subjectLabel}',
  'measuring-areas': 'Measuring {subjectLabel}: {done} of {total} areas',
  'outer-demand': 'Counting the people beyond the boundary in reach of its services',
  'travel-times': 'Computing travel times ({travel})',
  'duplication-and-missing': 'Looking for possible duplication and missing actors',
  saving: 'Saving the results',
  done: 'Done',
  'reading-file': 'Reading the file: {read} cells read, {kept} kept',
} as const;

export type StageCode = keyof typeof stageTexts;

/** A stage with its parameters (numbers raw, a subject by its id and, for scripts, its English label). */
export interface Stage {
  code: StageCode;
  params: MessageParams;
}

export const stage = (code: StageCode, params: MessageParams = {}): Stage => ({ code, params });

/** A stage's English words, numbers written with thousands separators. */
export function stageText(item: Stage): string {
  const params = Object.fromEntries(
    Object.entries(item.params).map(([name, value]) => [
      name,
      typeof value === 'number' ? value.toLocaleString('en') : value,
    ]),
  );
  return fillTemplate(stageTexts[item.code], params);
}

/** The columns a stage is stored in: the English words, the code and the parameters. */
export function stageColumns(item: Stage | null) {
  return item
    ? { stage: stageText(item), stage_code: item.code, stage_params: JSON.stringify(item.params) }
    : { stage: null, stage_code: null, stage_params: null };
}
