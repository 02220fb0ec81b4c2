import { insideBoundingBox, placesInGeocoderAnswer, type GeocodedPlace } from './geocoderAnswer.js';
import { geocoderSearchUrl, type BoundingBox } from './geocoderUrl.js';

/** How the operator's geocoder is reached. */
export interface GeocoderSettings {
  /** The URL template of `GEOCODER_URL`. */
  urlTemplate: string;
  userAgent: string;
  /** How long to wait for an answer, in milliseconds. */
  timeoutMs?: number;
  /** The shortest time between two requests, in milliseconds (public Nominatim: 1000). */
  minIntervalMs: number;
}

/** At most this many places are offered to choose from: more would only be scrolled past. */
export const MAX_PLACES = 5;
/** Asked for more than shown, since the ones outside the alliance's area are left out afterwards. */
const ASKED_PLACES = 10;
/** A geocoder's answer for ten places is a few kilobytes; anything far larger is not one. */
const MAX_ANSWER_BYTES = 2_000_000;

/** Why the geocoder gave no places: it did not answer in time, or its answer was an error or unreadable. */
export class GeocoderFailure extends Error {
  constructor(
    readonly reason: 'timeout' | 'error',
    detail: string,
  ) {
    super(detail);
    this.name = 'GeocoderFailure';
  }
}

/**
 * The places the geocoder finds for `query`, at most {@link MAX_PLACES}: those inside `bbox` when there is one
 * (the geocoder is asked to prefer it where its template says how, and whatever it answers outside is dropped).
 * Throws a {@link GeocoderFailure} when it cannot say; the detail never holds the query, which may name a
 * person's address.
 */
export async function geocode(
  settings: GeocoderSettings,
  query: string,
  bbox: BoundingBox | null,
): Promise<GeocodedPlace[]> {
  const url = geocoderSearchUrl(settings.urlTemplate, { query, limit: ASKED_PLACES, bbox });
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json, application/geo+json', 'user-agent': settings.userAgent },
      signal: AbortSignal.timeout(settings.timeoutMs ?? 5000),
    });
  } catch (error) {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      throw new GeocoderFailure('timeout', 'no answer in time');
    }
    throw new GeocoderFailure('error', `unreachable (${error instanceof Error ? error.message : 'unknown'})`);
  }
  let body: string;
  try {
    body = await response.text();
  } catch (error) {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      throw new GeocoderFailure('timeout', 'answer not finished in time');
    }
    throw new GeocoderFailure('error', 'answer cut off');
  }
  if (!response.ok) throw new GeocoderFailure('error', `HTTP ${response.status}`);
  if (body.length > MAX_ANSWER_BYTES) throw new GeocoderFailure('error', 'answer too large');
  let answer: unknown;
  try {
    answer = JSON.parse(body);
  } catch {
    throw new GeocoderFailure('error', 'answer is not JSON');
  }
  const places = placesInGeocoderAnswer(answer);
  if (!places) throw new GeocoderFailure('error', 'answer is neither a Nominatim list nor a GeoJSON FeatureCollection');
  return places.filter((place) => !bbox || insideBoundingBox(place, bbox)).slice(0, MAX_PLACES);
}

/**
 * The geocoder of the configuration, or undefined when none is set. Without a User-Agent of their own,
 * requests name Passerelle and, when known, the address it is reached at, as Nominatim's usage policy asks.
 */
export function geocoderSettingsOf(config: {
  geocoderUrl?: string;
  geocoderUserAgent?: string;
  geocoderMinIntervalMs?: number;
  publicUrl?: string;
}): GeocoderSettings | undefined {
  if (!config.geocoderUrl) return undefined;
  const userAgent = config.geocoderUserAgent ?? (config.publicUrl ? `Passerelle (+${config.publicUrl})` : 'Passerelle');
  return { urlTemplate: config.geocoderUrl, userAgent, minIntervalMs: config.geocoderMinIntervalMs ?? 1000 };
}
