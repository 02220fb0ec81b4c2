import type { MessageParams, Translate } from '../i18n/translate';

/** A note of a run's summary (`gap.note.<name>` with its parameters), said with `translate`: `gap-analysis.note.<name>`. */
export function noteText(translate: Translate, note: { code: string; params: MessageParams }): string {
  return translate(`gap-analysis.note.${note.code.replace(/^gap\.note\./, '')}`, note.params);
}
