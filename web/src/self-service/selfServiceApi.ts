import type { selfServiceSchemas, Static } from '#contract/api.js';
import { apiRequest } from '../api/request';

/** What opening a link answers, and what a reload answers: the organisation and its services. */
export type SelfServicePage = Static<typeof selfServiceSchemas.SelfServicePage>;
export type SelfServiceService = SelfServicePage['services'][number];
export type SelfServiceEdit = Static<typeof selfServiceSchemas.SelfServiceEditBody>;
export type ChangeOutcome = Static<typeof selfServiceSchemas.ChangeOutcome>['outcome'];
export type SentLink = Static<typeof selfServiceSchemas.SentLink>;
export type Proposal = Static<typeof selfServiceSchemas.Proposal>;

const base = '/api/self-service';

/** Opens a mailed link, once: the session cookie it sets lasts two hours. */
export function openSelfServiceLink(token: string): Promise<SelfServicePage> {
  return apiRequest<SelfServicePage>(`${base}/open`, { method: 'POST', body: { token } });
}

/** The page again, with the session the link opened (after a reload of the page). */
export function fetchSelfServicePage(signal?: AbortSignal): Promise<SelfServicePage> {
  return apiRequest<SelfServicePage>(`${base}/services`, { signal });
}

/** Every change carries the page's token, which a page of another site cannot know. */
async function change(
  page: SelfServicePage,
  path: string,
  method: 'POST' | 'PATCH',
  body?: unknown,
): Promise<ChangeOutcome> {
  const answer = await apiRequest<{ outcome: ChangeOutcome }>(`${base}/services/${path}`, {
    method,
    body,
    headers: { 'x-self-service-token': page.csrfToken },
  });
  return answer.outcome;
}

export const confirmStillTrue = (page: SelfServicePage, serviceId: string) =>
  change(page, `${encodeURIComponent(serviceId)}/still-true`, 'POST');

export const closeUntil = (
  page: SelfServicePage,
  serviceId: string,
  closure: { startsOn: string; endsOn: string; note?: string | null },
) => change(page, `${encodeURIComponent(serviceId)}/closure`, 'POST', closure);

export const correctService = (page: SelfServicePage, serviceId: string, edit: SelfServiceEdit) =>
  change(page, encodeURIComponent(serviceId), 'PATCH', edit);

const organizationPath = (id: string) => `/api/organizations/${encodeURIComponent(id)}/self-service-links`;

/** Editors: mail an organisation its link (to `email`, or to its own address). */
export function sendSelfServiceLink(organizationId: string, email: string | null): Promise<SentLink> {
  return apiRequest<SentLink>(organizationPath(organizationId), {
    method: 'POST',
    body: email ? { email } : {},
  });
}

export async function fetchSentLinks(organizationId: string, signal?: AbortSignal): Promise<SentLink[]> {
  return (await apiRequest<{ items: SentLink[] }>(organizationPath(organizationId), { signal })).items;
}

export async function fetchProposals(allianceSlug: string, signal?: AbortSignal): Promise<Proposal[]> {
  const path = `/api/alliances/${encodeURIComponent(allianceSlug)}/self-service-proposals`;
  return (await apiRequest<{ items: Proposal[] }>(path, { signal })).items;
}

export function decideProposal(id: string, decision: 'approve' | 'reject'): Promise<void> {
  return apiRequest<void>(`/api/self-service-proposals/${encodeURIComponent(id)}/${decision}`, { method: 'POST' });
}
