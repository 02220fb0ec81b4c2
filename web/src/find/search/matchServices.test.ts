import { describe, expect, it } from 'vitest';
import type { DirectoryService } from '../api/directory';
import { matchServices, spokenLanguages, type SearchCriteria } from './matchServices';

const period = { openFrom: '2026-11-23T00:00:00.000Z', openUntil: '2026-12-01T00:00:00.000Z' };
/** Monday 23 November 2026, 10:00 in Paris. */
const MONDAY_10H = Date.parse('2026-11-23T09:00:00Z');

function service(overrides: Partial<DirectoryService> & { id: string }): DirectoryService {
  return {
    serviceId: overrides.id,
    name: overrides.id,
    organizationName: 'Org',
    description: null,
    textLanguage: 'fr',
    translations: {},
    category: 'social_action',
    topics: [],
    audiences: [],
    languages: ['fr'],
    free: null,
    feesDescription: null,
    eligibilityDescription: null,
    applicationProcess: null,
    openingHoursNote: null,
    phone: null,
    email: null,
    url: null,
    address: null,
    city: 'Bordeaux',
    postalCode: null,
    lat: 44.84,
    lon: -0.58,
    precision: 'exact',
    addressHidden: false,
    openingHours: null,
    openIntervals: null,
    closure: null,
    verifiedAt: null,
    checkedMonth: null,
    ...overrides,
  };
}

const services = [
  service({
    id: 'french-course',
    category: 'socio_cultural_sports',
    topics: ['language_courses'],
    free: true,
    languages: ['fr', 'ar'],
    lat: 44.9,
    openIntervals: [['2026-11-23T08:00:00Z', '2026-11-23T11:00:00Z']],
  }),
  service({
    id: 'job-club',
    category: 'professional_integration',
    free: false,
    audiences: ['youth'],
    lat: 44.85,
    openIntervals: [['2026-11-23T13:00:00Z', '2026-11-23T16:00:00Z']],
  }),
  service({ id: 'women-shelter', audiences: ['women', 'undocumented'], free: true, lat: 45.2 }),
];

const none: SearchCriteria = { need: null, openNow: false, free: false, speaks: null, audience: null };
const collator = new Intl.Collator('en');
const ids = (criteria: Partial<SearchCriteria>, origin = { lat: 44.84, lon: -0.58 }) =>
  matchServices(services, { ...none, ...criteria }, period, origin, MONDAY_10H, collator).map((m) => m.service.id);

describe('matchServices', () => {
  it('ranks nearest first', () => {
    expect(ids({})).toEqual(['job-club', 'french-course', 'women-shelter']);
  });

  it('ranks by name when no place is chosen', () => {
    const names = matchServices(services, none, period, null, MONDAY_10H, collator);
    expect(names.map((m) => m.service.id)).toEqual(['french-course', 'job-club', 'women-shelter']);
    expect(names.every((m) => m.distance === null)).toBe(true);
  });

  it('meets a need by topic or by category, as the shared mapping says', () => {
    expect(ids({ need: 'language' })).toEqual(['french-course']);
    expect(ids({ need: 'work' })).toEqual(['job-club']);
    expect(ids({ need: 'advice' })).toEqual(['women-shelter']);
    expect(ids({ need: 'health' })).toEqual([]);
  });

  it('filters on open now, leaving out services whose hours are unknown', () => {
    expect(ids({ openNow: true })).toEqual(['french-course']);
  });

  it('filters on free, language spoken and audience', () => {
    expect(ids({ free: true })).toEqual(['french-course', 'women-shelter']);
    expect(ids({ speaks: 'ar' })).toEqual(['french-course']);
    expect(ids({ audience: 'undocumented' })).toEqual(['women-shelter']);
    expect(ids({ audience: 'youth', free: true })).toEqual([]);
  });

  it('measures distances in metres', () => {
    const [nearest] = matchServices(services, none, period, { lat: 44.84, lon: -0.58 }, MONDAY_10H, collator);
    // 0.01° of latitude is 1,112 m.
    expect(nearest!.distance).toBeCloseTo(1112, -1);
  });

  it('lists the languages spoken, once each', () => {
    expect(spokenLanguages([...services, service({ id: 'x', languages: ['ar-SY', 'en'] })])).toEqual([
      'ar',
      'en',
      'fr',
    ]);
  });
});
