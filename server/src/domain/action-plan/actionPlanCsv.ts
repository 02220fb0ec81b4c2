import type { PlanActionStatus } from '../../db/schema.js';
import { csvField } from '../exports/csvField.js';
import type { Action } from './actionRepository.js';

/** The guide's action table, in its order, followed by the SMART fields Passerelle adds. */
export const actionPlanCsvColumns = [
  'Number',
  'Action',
  'Local problem',
  'Description',
  'Estimated budget',
  'Currency',
  'Resources/funding',
  'Responsible partner',
  'Partners',
  'Indicator',
  'Start',
  'Due',
  'Status',
  'Published',
] as const;

export const actionStatusLabels: Record<PlanActionStatus, string> = {
  proposed: 'Proposed',
  planned: 'Planned',
  in_progress: 'In progress',
  done: 'Done',
  dropped: 'Dropped',
};

/** One row per action with a header line; CRLF line ends and quoting as RFC 4180 says. */
export function actionPlanCsv(actions: Action[]): string {
  const lines = [actionPlanCsvColumns.join(',')];
  for (const action of actions) {
    lines.push(
      [
        action.number,
        action.title,
        action.problem,
        action.description,
        action.estimatedBudget === null ? null : action.estimatedBudget.toFixed(2),
        action.currency,
        action.resources,
        action.responsibleOrganization?.name ?? null,
        action.partnerOrganizations.map((organization) => organization.name).join('; '),
        action.indicator,
        action.startsOn,
        action.dueOn,
        actionStatusLabels[action.status],
        action.published ? 'yes' : 'no',
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
