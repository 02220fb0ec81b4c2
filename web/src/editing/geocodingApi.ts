import type { Static } from 'typebox';
import type { geocodingSchemas } from '#contract/api.js';
import { apiRequest } from '../api/request';

export type GeocodedPlace = Static<typeof geocodingSchemas.GeocodedPlace>;

let configured: Promise<boolean> | null = null;

/**
 * Whether the server can find a place from its address. Asked once per page: the server's configuration does not
 * change while it runs. A failed answer counts as "no": the pin can still be placed on the map.
 */
export function geocoderConfigured(): Promise<boolean> {
  configured ??= apiRequest<Static<typeof geocodingSchemas.GeocoderStatus>>('/api/geocoder').then(
    (status) => status.configured,
    () => {
      configured = null;
      return false;
    },
  );
  return configured;
}

/** The places matching `query` in the alliance's area, at most five, best first. */
export async function findPlaces(allianceSlug: string, query: string, signal?: AbortSignal): Promise<GeocodedPlace[]> {
  const parameters = new URLSearchParams({ q: query });
  const answer = await apiRequest<Static<typeof geocodingSchemas.GeocodeAnswer>>(
    `/api/alliances/${encodeURIComponent(allianceSlug)}/geocode?${parameters}`,
    { signal },
  );
  return answer.items;
}
