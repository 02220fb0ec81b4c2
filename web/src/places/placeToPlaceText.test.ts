import { beforeAll, describe, expect, it } from 'vitest';
import { pageLanguage } from '../i18n/pageLanguage.svelte';
import { placeOriginLabel, placeStateLabel, placeToPlaceAddress } from './placeToPlaceText';

describe('the words of the list of places to place', () => {
  beforeAll(() => pageLanguage.use('en'));

  it('says a place without a pin is not placed yet, and a town-level one where it stands', () => {
    expect(placeStateLabel({ state: 'unplaced', town: 'Göttingen' })).toBe('Not placed yet');
    expect(placeStateLabel({ state: 'town', town: 'Göttingen' })).toBe('At the centre of Göttingen only');
    expect(placeStateLabel({ state: 'town', town: null })).toBe('At town level only');
  });

  it('says how the place got there', () => {
    expect(placeOriginLabel({ origin: 'import' })).toBe('Imported without a precise place');
    expect(placeOriginLabel({ origin: 'typed' })).toBe('Added in the workspace');
  });

  it('writes the address as far as it is known', () => {
    const place = { address: '3 Weender Str.', postalCode: '37073', town: 'Göttingen', name: null };
    expect(placeToPlaceAddress(place)).toBe('3 Weender Str., 37073 Göttingen');
    expect(placeToPlaceAddress({ ...place, address: null, postalCode: null })).toBe('Göttingen');
    expect(placeToPlaceAddress({ address: null, postalCode: null, town: null, name: 'Annexe' })).toBe('Annexe');
  });
});
