import { beforeAll, describe, expect, it } from 'vitest';
import { pageLanguage } from '../i18n/pageLanguage.svelte';
import type { ServiceDetail } from '../api/types';
import {
  changedPlaceFields,
  changedServiceFields,
  parseLanguages,
  placeDraftOf,
  rebaseServiceDraft,
  roundCoordinate,
  serviceDraftOf,
  unreadableCapacity,
  unreadableLanguage,
} from './serviceEdits';

const service = {
  name: 'Legal advice',
  description: null,
  category: 'social_action',
  topics: ['legal_aid', 'housing'],
  audiences: [],
  languages: ['fr', 'en'],
  free: null,
  feesDescription: null,
  eligibilityDescription: null,
  phone: null,
  capacity: null,
  capacityUnit: null,
  openingHours: 'Tu 14:00-17:00',
  status: 'active',
} as unknown as ServiceDetail;

beforeAll(() => pageLanguage.use('en'));

describe('changedServiceFields', () => {
  it('sends a capacity typed with a decimal comma as a number, and an emptied one as null', () => {
    const base = serviceDraftOf({ ...service, capacity: 3, capacityUnit: 'places' });
    expect(base).toMatchObject({ capacity: '3', capacityUnit: 'places' });
    expect(changedServiceFields(base, { ...base, capacity: '7,5' })).toEqual({ capacity: 7.5 });
    expect(changedServiceFields(base, { ...base, capacity: ' ', capacityUnit: '' })).toEqual({
      capacity: null,
      capacityUnit: null,
    });
    expect(['12', '0.5', ''].map(unreadableCapacity)).toEqual([false, false, false]);
    expect(['0', '-2', 'twelve'].map(unreadableCapacity)).toEqual([true, true, true]);
  });

  it('sends only what changed, empty text as null and the cost as the API’s boolean', () => {
    const base = serviceDraftOf(service);
    const draft = {
      ...serviceDraftOf(service),
      name: ' Legal advice on Tuesdays ',
      openingHours: '',
      cost: 'free' as const,
    };
    expect(changedServiceFields(base, draft)).toEqual({
      name: 'Legal advice on Tuesdays',
      openingHours: null,
      free: true,
    });
  });

  it('takes ticking order and language spacing as no change', () => {
    const draft = { ...serviceDraftOf(service), topics: ['housing', 'legal_aid'], languages: 'fr,en' };
    expect(changedServiceFields(serviceDraftOf(service), draft)).toEqual({});
  });
});

describe('rebaseServiceDraft', () => {
  it('keeps the fields this person changed and takes the others from the latest version', () => {
    const base = serviceDraftOf(service);
    const mine = { ...base, eligibilityDescription: 'Anyone over 16.', name: 'Mine' };
    const latest = { ...base, name: 'Theirs', phone: '05 56 00 00 00' };
    const { draft, clashes } = rebaseServiceDraft(base, mine, latest);
    expect(draft).toMatchObject({ eligibilityDescription: 'Anyone over 16.', name: 'Mine', phone: '05 56 00 00 00' });
    expect(clashes).toEqual([{ field: 'name', theirs: 'Theirs' }]);
  });
});

describe('languages', () => {
  it('reads codes separated by commas, semicolons or spaces, once each', () => {
    expect(parseLanguages('FR, en ;ar fr')).toEqual(['fr', 'en', 'ar']);
  });

  it('names the first typed language that is not a code', () => {
    expect(unreadableLanguage('fr, French')).toBe('french');
    expect(unreadableLanguage('fr, pt-BR')).toBeNull();
  });
});

describe('changedPlaceFields', () => {
  it('rounds a new point to six decimals and makes it exact', () => {
    const base = placeDraftOf(null);
    expect(changedPlaceFields(base, base, { lat: 44.123456789, lon: -0.5000004 })).toEqual({
      lat: 44.123457,
      lon: -0.5,
      precision: 'exact',
    });
  });

  it('sends the town as the API’s city and the hidden address flag', () => {
    const base = placeDraftOf(null);
    const draft = { ...base, town: 'Bègles', hideAddress: true };
    expect(changedPlaceFields(base, draft, null)).toEqual({ city: 'Bègles', hideAddress: true });
  });

  it('rounds coordinates', () => {
    expect(roundCoordinate(1.23456749)).toBe(1.234567);
  });
});
