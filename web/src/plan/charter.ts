import type { Static } from 'typebox';
import type { charterSchemas } from '#contract/api.js';
import { apiRequest } from '../api/request';
import type { AllianceSettings } from '../alliance/allianceSetup';
import type { Profile } from '../profile/profile';

/** Someone who signed the charter. `contact` is personal: the server gives it to members only. */
export type Signature = Static<typeof charterSchemas.Signature>;

/** The vision and charter texts with the alliance's version, which a change must send back. */
export type Charter = Static<typeof charterSchemas.Charter>;

/** What PATCH /api/alliances/:slug answers that the charter page needs. */
export type AllianceChanged = Pick<AllianceSettings, 'version' | 'vision' | 'charter' | 'profilePublished'>;

const alliancePath = (slug: string) => `/api/alliances/${encodeURIComponent(slug)}`;

export function fetchCharter(slug: string, signal?: AbortSignal): Promise<Charter> {
  return apiRequest<Charter>(`${alliancePath(slug)}/charter`, { signal });
}

/** Changes the alliance's texts or settings at `version`; someone else's change since answers 409. */
export function updateAlliance(
  slug: string,
  version: number,
  changes: { vision?: string | null; charter?: string | null; profilePublished?: boolean },
): Promise<AllianceChanged> {
  return apiRequest<AllianceChanged>(alliancePath(slug), { method: 'PATCH', body: { version, ...changes } });
}

export function addSignature(
  slug: string,
  signature: { signerName: string; organizationId?: string; contact?: string; signedOn?: string },
): Promise<Signature> {
  return apiRequest<Signature>(`${alliancePath(slug)}/charter/signatures`, { method: 'POST', body: signature });
}

export function deleteSignature(id: string): Promise<void> {
  return apiRequest<void>(`/api/charter-signatures/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** Whether the alliance's profile is published, and which gap analyses it shows (members always get an answer). */
export function fetchPublication(slug: string, signal?: AbortSignal): Promise<Pick<Profile, 'published' | 'research'>> {
  return apiRequest(`${alliancePath(slug)}/profile`, { signal });
}

/** Shows a finished gap analysis on the profile as research, or takes it off. */
export function setRunPublished(runId: string, published: boolean): Promise<void> {
  return apiRequest<void>(`/api/gap-analyses/${encodeURIComponent(runId)}`, {
    method: 'PATCH',
    body: { published },
  });
}

/** The sample charter with the alliance's vision where the guide leaves room for it. */
export function charterFromTemplate(template: string, vision: string | null, placeholder: string): string {
  return vision?.trim() ? template.replace(placeholder, vision.trim()) : template;
}

/** Today as YYYY-MM-DD in the browser's own time zone, the day a person signing now would write. */
export function today(): string {
  const now = new Date();
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
