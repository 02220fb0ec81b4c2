import type { Static } from 'typebox';
import type { locationSchemas } from '#contract/api.js';
import { apiRequest } from '../api/request';

/** A place of the alliance that needs a precise place, as `GET …/places-to-place` gives it to members. */
export type PlaceToPlace = Static<typeof locationSchemas.PlacesToPlace>['items'][number];

/** The alliance's places not placed yet, at town level, or not found by an import: not placed yet first. */
export async function fetchPlacesToPlace(allianceSlug: string, signal?: AbortSignal): Promise<PlaceToPlace[]> {
  const body = await apiRequest<{ items: PlaceToPlace[] }>(
    `/api/alliances/${encodeURIComponent(allianceSlug)}/places-to-place`,
    { signal },
  );
  return body.items;
}
