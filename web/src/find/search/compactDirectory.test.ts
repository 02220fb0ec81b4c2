import { describe, expect, it } from 'vitest';
import { cellOf, decodePart, encodePart, servicesByCell } from '#contract/directory/compactDirectory.js';
import { needs } from '#contract/taxonomy/needs.js';
import type { DirectoryService } from '../api/directory';
import { closureNotice } from './closureNotice';
import { DirectoryStore } from './directoryStore';
import { localizeService } from './localizedText';
import { matchServices, spokenLanguages, type SearchCriteria } from './matchServices';
import { openingStatus } from './openingStatus';

/** Midnight in Paris on Monday 23 November 2026, and the 8 days listed from it. */
const period = { openFrom: '2026-11-22T23:00:00.000Z', openUntil: '2026-11-30T23:00:00.000Z' };
const start = Date.parse(period.openFrom);
const hour = 3_600_000;

/** A small, repeatable random generator (mulberry32), so that a failure can be run again. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const timetables: (readonly [number, number][])[] = [
  // Mon–Fri 9–12 and 14–17, Tue 9–12 only, every day 8–20, closed all week.
  [0, 1, 2, 3, 4].flatMap((day) => [
    [day * 24 + 9, day * 24 + 12],
    [day * 24 + 14, day * 24 + 17],
  ]) as [number, number][],
  [[33, 36]],
  Array.from({ length: 8 }, (_, day) => [day * 24 + 8, day * 24 + 20] as [number, number]),
  [],
];

/** Services of every kind the directory holds: hours known or not, closures, translations, hidden addresses. */
function syntheticServices(count: number, seed: number): DirectoryService[] {
  const next = random(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!;
  const maybe = <T>(value: T): T | null => (next() < 0.5 ? value : null);
  const topics = ['language_courses', 'employment', 'health', 'housing', 'legal_aid', 'culture', 'food_essentials'];
  return Array.from({ length: count }, (_, index): DirectoryService => {
    const hidden = next() < 0.1;
    const timetable = next() < 0.15 ? null : pick(timetables);
    // Daylight saving is not in play here: a shift of an hour for some services stands for a zone change.
    const shift = next() < 0.2 ? 1 : 0;
    const name = `${pick(['Accueil', 'Atelier', 'Café', 'Épicerie', 'Équipe', 'Zèbre', 'atelier'])} ${index % 97}`;
    return {
      id: `sal-${index}`,
      serviceId: `s-${Math.floor(index / 2)}`,
      name,
      organizationName: `Organisation ${index % 13}`,
      description: maybe(`Description ${index}`),
      textLanguage: pick(['fr', 'fr', 'en', 'nl']),
      translations:
        next() < 0.4
          ? {
              en: {
                name: { text: `${name} (en)`, origin: 'machine', reviewState: 'machine-draft' },
                ...(next() < 0.5
                  ? {
                      description: {
                        text: `About ${index}`,
                        origin: 'human' as const,
                        reviewState: 'reviewed' as const,
                      },
                    }
                  : {}),
              },
              ar: { name: { text: `خدمة ${index}`, origin: 'machine', reviewState: 'reviewed' } },
            }
          : {},
      category: pick(['social_action', 'professional_integration', 'socio_cultural_sports'] as const),
      topics: next() < 0.3 ? [] : [pick(topics), ...(next() < 0.3 ? [pick(topics)] : [])],
      audiences: next() < 0.7 ? [] : [pick(['women', 'youth', 'families', 'undocumented'])],
      languages: next() < 0.1 ? [] : ['fr', ...(next() < 0.4 ? [pick(['ar', 'en', 'uk', 'ti', 'ar-SY'])] : [])],
      free: pick([true, false, null]),
      feesDescription: maybe('5 € a month'),
      eligibilityDescription: maybe('Over 16'),
      applicationProcess: maybe('Come in'),
      openingHoursNote: maybe('Closed in August'),
      phone: maybe('+33 5 56 00 00 00'),
      email: maybe('contact@example.org'),
      url: maybe('https://example.org/'),
      address: hidden ? null : maybe(`${index} rue de la Paix`),
      city: maybe(pick(['Bordeaux', 'Mérignac', 'Pessac'])),
      postalCode: hidden ? null : maybe('33000'),
      lat: Math.round((44 + next() * 2) * 1e6) / 1e6,
      lon: Math.round((-1.5 + next() * 2) * 1e6) / 1e6,
      precision: hidden ? 'town' : pick(['exact', 'street'] as const),
      addressHidden: hidden,
      openingHours: timetable === null ? maybe('Mo-Fr 09:00-12:00') : 'Mo-Fr 09:00-12:00,14:00-17:00',
      openIntervals:
        timetable === null
          ? null
          : timetable.map(
              ([opens, closes]) =>
                [
                  new Date(start + (opens + shift) * hour).toISOString(),
                  new Date(start + (closes + shift) * hour).toISOString(),
                ] as [string, string],
            ),
      closure:
        next() < 0.15
          ? {
              startsOn: '2026-11-24',
              endsOn: '2026-11-26',
              reopensOn: '2026-11-27',
              openingHours: maybe('10:00-12:00'),
              note: maybe('Works'),
            }
          : null,
      verifiedAt: next() < 0.6 ? '2026-03-14T10:11:12.000Z' : null,
      checkedMonth: next() < 0.6 ? '2026-03' : null,
    };
  });
}

function roundTrip(services: DirectoryService[]): DirectoryService[] {
  const parts = [...servicesByCell(services)].map(([cell, list]) => encodePart(cell, period.openFrom, list));
  // Each part travels as JSON.
  return parts.flatMap((part) => decodePart(JSON.parse(JSON.stringify(part))));
}

const byId = (list: DirectoryService[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));

describe('the compact directory', () => {
  const services = syntheticServices(600, 14);

  it('gives back every service exactly, field by field', () => {
    expect(byId(roundTrip(services))).toEqual(byId(services));
  });

  it('writes points to 6 decimals, and nothing else changes', () => {
    const precise = services.slice(0, 50).map((service) => ({
      ...service,
      lat: service.lat + 1.234e-8,
      lon: service.lon - 4.321e-8,
    }));
    const decoded = byId(roundTrip(precise));
    byId(precise).forEach((original, index) => {
      const copy = decoded[index]!;
      expect(copy.lat).toBeCloseTo(original.lat, 6);
      expect(copy.lon).toBeCloseTo(original.lon, 6);
      expect({ ...copy, lat: 0, lon: 0 }).toEqual({ ...original, lat: 0, lon: 0 });
    });
  });

  it('gives the same answers: open or not, closures, month checked, texts in each language', () => {
    const decoded = new Map(roundTrip(services).map((service) => [service.id, service]));
    for (const original of services) {
      const copy = decoded.get(original.id)!;
      for (const offset of [-2, 10, 34.5, 80, 200]) {
        const now = start + offset * hour;
        expect(openingStatus(copy, period, now)).toEqual(openingStatus(original, period, now));
      }
      expect(closureNotice(copy.closure, '2026-11-25')).toEqual(closureNotice(original.closure, '2026-11-25'));
      expect(copy.checkedMonth).toBe(original.checkedMonth);
      for (const language of ['fr', 'en', 'ar', 'uk']) {
        expect(localizeService(copy, language)).toEqual(localizeService(original, language));
      }
    }
  });

  it('writes organisation names and timetables once per part, and takes far fewer bytes', () => {
    const parts = [...servicesByCell(services)].map(([cell, list]) => encodePart(cell, period.openFrom, list));
    for (const part of parts) {
      expect(part.organizations.length).toBeLessThanOrEqual(13);
      expect(part.intervals.length).toBeLessThanOrEqual(timetables.length * 2);
    }
    const compact = parts.reduce((sum, part) => sum + JSON.stringify(part).length, 0);
    expect(compact).toBeLessThan(JSON.stringify(services).length * 0.6);
  });

  it('cuts the region into half-degree cells named by row and column', () => {
    expect(cellOf(44.84, -0.58)).toBe('89_-2');
    expect(cellOf(44.5, 0)).toBe('89_0');
    expect(cellOf(-33.9, 151.2)).toBe('-68_302');
    const cells = servicesByCell(services);
    for (const [cell, list] of cells) for (const service of list) expect(cellOf(service.lat, service.lon)).toBe(cell);
    expect([...cells.keys()]).toEqual([...cells.keys()].sort());
  });
});

describe("the worker's search", () => {
  const services = syntheticServices(800, 7);
  const store = new DirectoryStore(period);
  // Parts arrive in any order: the answers must not depend on it.
  const cells = [...servicesByCell(services).values()].reverse();
  for (const list of cells) store.add(list);

  const none: SearchCriteria = { need: null, openNow: false, free: false, speaks: null, audience: null };
  const searches: Array<[string, Partial<SearchCriteria>]> = [
    ['everything', {}],
    ...needs.map((need): [string, Partial<SearchCriteria>] => [`need ${need.id}`, { need: need.id }]),
    ['open now', { openNow: true }],
    ['free, speaking Arabic', { free: true, speaks: 'ar' }],
    ['for women', { audience: 'women' }],
    ['work, open now, free', { need: 'work', openNow: true, free: true }],
  ];
  const origins = [null, { lat: 44.84, lon: -0.58 }, { lat: 45.9, lon: 0.4 }];
  const moments = [start + 10 * hour, start + 13 * hour, start + 200 * hour];

  it.each(searches)('finds the same services in the same order as matchServices: %s', (_name, criteria) => {
    for (const origin of origins) {
      for (const now of moments) {
        for (const language of ['fr', 'en']) {
          const expected = matchServices(
            services,
            { ...none, ...criteria },
            period,
            origin,
            now,
            new Intl.Collator(language),
          );
          const answer = store.search({
            criteria: { ...none, ...criteria },
            origin,
            now,
            language,
            limit: 30,
            only: null,
            points: true,
          });
          expect(answer.total).toBe(expected.length);
          expect(answer.matches).toEqual(expected.slice(0, 30));
          expect(answer.points!.map((point) => point.id)).toEqual(expected.map((match) => match.service.id));
        }
      }
    }
  });

  it('looks only among the services of a spot when asked, and gives one service whatever the filters', () => {
    const only = [services[5]!.id, services[17]!.id, 'gone'];
    const answer = store.search({
      criteria: none,
      origin: null,
      now: moments[0]!,
      language: 'fr',
      limit: 10,
      only,
      points: false,
    });
    expect(answer.matches.map((match) => match.service.id).sort()).toEqual(only.slice(0, 2).sort());
    expect(answer.points).toBeNull();
    const one = store.service(services[3]!.id, origins[1]!, moments[0]!);
    expect(one).toEqual(
      matchServices([services[3]!], none, period, origins[1]!, moments[0]!, new Intl.Collator('fr'))[0],
    );
    expect(store.service('gone', null, moments[0]!)).toBeNull();
  });

  it('lists the languages spoken as the filter offers them', () => {
    expect(store.languagesSpoken()).toEqual(spokenLanguages(services));
    expect(store.size).toBe(services.length);
  });
});
