import { workspaceRequest } from '../../../workspace/session.svelte';
import type { Action } from '../plan/actionPlan';

/** A gap analysis the alliance chose to publish: the guide's "publish your research". */
export interface PublishedResearch {
  runId: string;
  createdAt: string;
  /** What was measured, e.g. "Social action, language courses". */
  subject: string;
  /** The result in one sentence. */
  summary: string;
}

/** What the alliance shows the world: organisations only, never a person's contact (docs/workspace-api.md). */
export interface Profile {
  alliance: {
    slug: string;
    name: string;
    country: string;
    description: string | null;
    vision: string | null;
    charter: string | null;
  };
  published: boolean;
  members: { id: string; name: string; sector: string | null; website: string | null }[];
  signatories: { signerName: string; organizationName: string | null; signedOn: string }[];
  actions: Action[];
  research: PublishedResearch[];
  bbox: [number, number, number, number] | null;
}

export function fetchProfile(slug: string, signal?: AbortSignal): Promise<Profile> {
  return workspaceRequest<Profile>(`/api/alliances/${encodeURIComponent(slug)}/profile`, { signal });
}

/** Only a web address is made a link: anything else in the field is shown as text. */
export function websiteHref(website: string | null): string | null {
  if (!website) return null;
  const candidate = /^[a-z][a-z0-9+.-]*:/i.test(website) ? website : `https://${website}`;
  try {
    const url = new URL(candidate);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}
