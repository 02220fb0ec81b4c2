import type { Static } from 'typebox';
import type { profileSchemas } from '#contract/api.js';
import { apiRequest } from '../api/request';
import type { BBox } from '../api/types';

/** What the alliance shows the world: organisations only, never a person's contact (docs/workspace-api.md). */
export type Profile = Omit<Static<typeof profileSchemas.Profile>, 'bbox'> & {
  /** The schema holds exactly four numbers, which TypeBox cannot type as a tuple. */
  bbox: BBox | null;
};

/** A gap analysis the alliance chose to publish: the guide's "publish your research". */
export type PublishedResearch = Profile['research'][number];

export function fetchProfile(slug: string, signal?: AbortSignal): Promise<Profile> {
  return apiRequest<Profile>(`/api/alliances/${encodeURIComponent(slug)}/profile`, { signal });
}
