import type { Static } from 'typebox';
import type * as profileSchemas from '../../../../../../server/src/routes/profile/schemas';
import type { BBox } from '../../../api/types';
import { workspaceRequest } from '../../../workspace/session.svelte';

/** What the alliance shows the world: organisations only, never a person's contact (docs/workspace-api.md). */
export type Profile = Omit<Static<typeof profileSchemas.Profile>, 'bbox'> & {
  /** The schema holds exactly four numbers, which TypeBox cannot type as a tuple. */
  bbox: BBox | null;
};

/** A gap analysis the alliance chose to publish: the guide's "publish your research". */
export type PublishedResearch = Profile['research'][number];

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
