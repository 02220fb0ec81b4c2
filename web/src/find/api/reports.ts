/** What a newcomer can say is wrong with a service (server/src/routes/reports/). */
export type ReportKind = 'closed' | 'moved' | 'wrong_hours' | 'other';
export const reportKinds: readonly ReportKind[] = ['closed', 'moved', 'wrong_hours', 'other'];

/** How sending went: received, too many from this network, the service gone from the finder, no connection, other. */
export type ReportOutcome = 'sent' | 'tooMany' | 'gone' | 'offline' | 'failed';

export const reportPath = (serviceId: string) => `/api/services/${encodeURIComponent(serviceId)}/reports`;

/**
 * Sends a report. It carries no cookie (`credentials: 'omit'`): a member of staff signed in to the workspace
 * reports as anyone else does, and nothing ties the report to a person.
 */
export async function sendReport(
  serviceId: string,
  report: { kind: ReportKind; comment: string; language: string },
): Promise<ReportOutcome> {
  const comment = report.comment.trim();
  let response: Response;
  try {
    response = await fetch(reportPath(serviceId), {
      method: 'POST',
      credentials: 'omit',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ kind: report.kind, language: report.language, ...(comment ? { comment } : {}) }),
    });
  } catch {
    return 'offline';
  }
  if (response.status === 201) return 'sent';
  if (response.status === 429) return 'tooMany';
  if (response.status === 404) return 'gone';
  return 'failed';
}
