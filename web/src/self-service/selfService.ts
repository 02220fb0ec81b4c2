import type { SelfServiceEdit, SelfServiceService } from './selfServiceApi';

/** What an organisation may correct through its link, in the form's order. */
export const editableFields = ['description', 'openingHours', 'phone', 'email', 'url', 'feesDescription'] as const;
export type EditableField = (typeof editableFields)[number];

/** The fields the form changed, trimmed; an emptied field is sent as null (removed). */
export function changedFields(
  service: Pick<SelfServiceService, EditableField>,
  draft: Record<EditableField, string>,
): SelfServiceEdit {
  const changes: SelfServiceEdit = {};
  for (const field of editableFields) {
    const value = draft[field].trim();
    const next = value === '' ? null : value;
    if (next !== (service[field] ?? null)) changes[field] = next;
  }
  return changes;
}

/** Today as YYYY-MM-DD on the reader's device: the first day a closure can start. */
export function localToday(now: Date = new Date()): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
