import { finderAudiences, needIds } from '#contract/taxonomy/needs.js';
import { findInterfaceLanguage } from '../i18n/languages';
import { isValidPosition, roundPosition } from '../search/geo';

/**
 * Where the results are measured from. A town or a point on the map can travel in a link; "my location"
 * travels only as the wish (`near=me`): the recipient's phone asks for its own position, and no coordinates
 * ever enter the address bar or the browser's history.
 */
export type PlaceChoice =
  { kind: 'town'; id: string } | { kind: 'point'; lat: number; lon: number } | { kind: 'myLocation' } | null;

/** Everything a shared link carries, so that a mediator can send a link that opens the same results. */
export interface FinderLink {
  region: string | null;
  lang: string | null;
  need: string | null;
  openNow: boolean;
  free: boolean;
  speaks: string | null;
  audience: string | null;
  place: PlaceChoice;
  view: 'list' | 'map';
  service: string | null;
}

export const emptyLink: FinderLink = {
  region: null,
  lang: null,
  need: null,
  openNow: false,
  free: false,
  speaks: null,
  audience: null,
  place: null,
  view: 'list',
  service: null,
};

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const LANGUAGE = /^[a-z]{2,3}$/;
const ID = /^[A-Za-z0-9._-]{1,100}$/;

function parsePlace(params: URLSearchParams): PlaceChoice {
  if (params.get('near') === 'me') return { kind: 'myLocation' };
  const town = params.get('place');
  if (town && ID.test(town)) return { kind: 'town', id: town };
  const at = params.get('at')?.split(',').map(Number);
  if (at?.length === 2) {
    const [lat, lon] = at as [number, number];
    if (isValidPosition({ lat, lon })) return { kind: 'point', ...roundPosition({ lat, lon }) };
  }
  return null;
}

/** Reads a link; anything unknown or malformed is ignored rather than breaking the page. */
export function parseFinderLink(search: string): FinderLink {
  const params = new URLSearchParams(search);
  const pick = (name: string, valid: (value: string) => boolean) => {
    const value = params.get(name);
    return value !== null && valid(value) ? value : null;
  };
  return {
    region: pick('region', (value) => SLUG.test(value)),
    lang: pick('lang', (value) => findInterfaceLanguage(value) !== undefined),
    need: pick('need', (value) => (needIds as readonly string[]).includes(value)),
    openNow: params.get('open') === '1',
    free: params.get('free') === '1',
    speaks: pick('speaks', (value) => LANGUAGE.test(value)),
    audience: pick('for', (value) => (finderAudiences as readonly string[]).includes(value)),
    place: parsePlace(params),
    view: params.get('view') === 'map' ? 'map' : 'list',
    service: pick('service', (value) => ID.test(value)),
  };
}

/** Writes a link's query string, leaving out what is at its default so that links stay short. */
export function formatFinderLink(link: FinderLink): string {
  const params = new URLSearchParams();
  if (link.lang) params.set('lang', link.lang);
  if (link.region) params.set('region', link.region);
  if (link.need) params.set('need', link.need);
  if (link.openNow) params.set('open', '1');
  if (link.free) params.set('free', '1');
  if (link.speaks) params.set('speaks', link.speaks);
  if (link.audience) params.set('for', link.audience);
  const place = link.place;
  if (place?.kind === 'myLocation') params.set('near', 'me');
  else if (place?.kind === 'town') params.set('place', place.id);
  else if (place?.kind === 'point') {
    const rounded = roundPosition(place);
    params.set('at', `${rounded.lat},${rounded.lon}`);
  }
  if (link.view === 'map') params.set('view', 'map');
  if (link.service) params.set('service', link.service);
  const query = params.toString().replaceAll('%2C', ',');
  return query ? `?${query}` : '';
}
