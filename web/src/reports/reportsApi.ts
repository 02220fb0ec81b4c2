import type { Static } from 'typebox';
import type { reportSchemas } from '#contract/api.js';
import { apiRequest } from '../api/request';

/** A report of what is wrong with a service, as the alliance's editors read it (docs/workspace-api.md, Reports). */
export type ServiceReport = Static<typeof reportSchemas.Report>;
export type ReportList = Static<typeof reportSchemas.ReportList>;
export type ReportState = 'open' | 'resolved';

const alliancePath = (slug: string) => `/api/alliances/${encodeURIComponent(slug)}/reports`;

/** The alliance's open reports (oldest first) or its resolved ones (latest first), with how many are open. */
export function fetchReports(allianceSlug: string, state: ReportState, signal?: AbortSignal): Promise<ReportList> {
  return apiRequest<ReportList>(`${alliancePath(allianceSlug)}?state=${state}`, { signal });
}

/** How many reports wait for an editor: the tab's badge. */
export async function fetchOpenReportCount(allianceSlug: string, signal?: AbortSignal): Promise<number> {
  return (await apiRequest<{ open: number }>(`${alliancePath(allianceSlug)}/count`, { signal })).open;
}

/** Marks a report read at `version` corrected or dismissed; answers it as resolved. */
export function resolveReport(
  report: Pick<ServiceReport, 'id' | 'version'>,
  resolution: 'corrected' | 'dismissed',
): Promise<ServiceReport> {
  return apiRequest<ServiceReport>(`/api/reports/${encodeURIComponent(report.id)}/resolve`, {
    method: 'POST',
    body: { version: report.version, resolution },
  });
}
