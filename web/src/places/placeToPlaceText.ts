import { t } from '../i18n/pageLanguage.svelte';
import type { PlaceToPlace } from './placesToPlaceApi';

/** "Not placed yet" or "At the centre of Göttingen only": why the place is in the list. */
export function placeStateLabel(place: Pick<PlaceToPlace, 'state' | 'town'>): string {
  if (place.state === 'unplaced') return t('places.state.unplaced');
  return place.town ? t('places.state.townCentre', { town: place.town }) : t('places.state.town');
}

/** How the place got into the alliance: typed in the workspace, or brought by an import that could not find it. */
export function placeOriginLabel(place: Pick<PlaceToPlace, 'origin'>): string {
  return place.origin === 'import' ? t('places.origin.import') : t('places.origin.typed');
}

/** "12 rue X, 37073 Göttingen", else the town, else the place's name. */
export function placeToPlaceAddress(place: Pick<PlaceToPlace, 'address' | 'postalCode' | 'town' | 'name'>): string {
  const town = [place.postalCode, place.town].filter(Boolean).join(' ');
  return [place.address, town].filter(Boolean).join(', ') || place.name || t('places.noAddress');
}
