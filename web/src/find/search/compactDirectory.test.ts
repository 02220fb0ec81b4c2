import { describe, expect, it } from 'vitest';
import {
  cellOf,
  decodeSearchPack,
  type DetailsPack,
  encodePacks,
  parseSearchId,
  type SearchPack,
  searchId,
  servicesByCell,
  withDetails,
} from '#contract/directory/compactDirectory.js';
import { needs } from '#contract/taxonomy/needs.js';
import type { DirectoryService } from '../api/directory';
import { closureNotice } from './closureNotice';
import { DirectoryStore } from './directoryStore';
import { distanceMeters, distanceToBox } from './geo';
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

/** Every cell's two packs, each as it travels (JSON). */
function packsOf(services: DirectoryService[]) {
  return [...servicesByCell(services)].map(([cell, list]) => {
    const { search, details } = encodePacks(cell, period.openFrom, list);
    return {
      cell,
      search: JSON.parse(JSON.stringify(search)) as SearchPack,
      details: JSON.parse(JSON.stringify(details)) as DetailsPack,
    };
  });
}

/** The services as the search packs alone give them, each with the original it stands for. */
function searchOnly(services: DirectoryService[]): Array<{ light: DirectoryService; original: DirectoryService }> {
  return packsOf(services).flatMap(({ search, details }) =>
    decodeSearchPack(search).map((light, position) => ({
      light,
      original: services.find((service) => service.id === details.services[position]![0])!,
    })),
  );
}

function roundTrip(services: DirectoryService[]): DirectoryService[] {
  return packsOf(services).flatMap(({ search, details }) =>
    decodeSearchPack(search).map((light, position) => withDetails(light, details, position)),
  );
}

const byId = (list: DirectoryService[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));

describe('the compact directory', () => {
  const services = syntheticServices(600, 14);

  it('gives back every service exactly, field by field, from a search pack and its details pack', () => {
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

  it('gives, from the search pack alone, the same open status, closure notices, month checked, names and place', () => {
    for (const { light, original } of searchOnly(services)) {
      for (const offset of [-2, 10, 34.5, 80, 200]) {
        const now = start + offset * hour;
        expect(openingStatus(light, period, now)).toEqual(openingStatus(original, period, now));
      }
      for (const day of ['2026-11-23', '2026-11-25', '2026-11-27']) {
        expect(closureNotice(light.closure, day)).toEqual(closureNotice(original.closure, day));
      }
      expect(light.checkedMonth).toBe(original.checkedMonth);
      for (const language of ['fr', 'en', 'ar', 'uk']) {
        expect(localizeService(light, language).name).toEqual(localizeService(original, language).name);
      }
      const { name, organizationName, category, topics, audiences, languages, free, city, lat, lon } = original;
      expect(light).toMatchObject({ name, organizationName, category, topics, audiences, languages, free, city });
      expect([light.lat, light.lon]).toEqual([lat, lon]);
      expect([light.precision, light.addressHidden]).toEqual([original.precision, original.addressHidden]);
    }
  });

  it('and the same matches, in the same order, as matchServices over the whole directory', () => {
    const pairs = searchOnly(services);
    const originalOf = new Map(pairs.map(({ light, original }) => [light.id, original]));
    const lights = pairs.map((pair) => pair.light);
    const none: SearchCriteria = { need: null, openNow: false, free: false, speaks: null, audience: null };
    const searches: Partial<SearchCriteria>[] = [
      {},
      { need: 'work' },
      { openNow: true },
      { free: true, speaks: 'ar' },
      { audience: 'women', openNow: true },
    ];
    for (const criteria of searches) {
      for (const origin of [null, { lat: 44.84, lon: -0.58 }]) {
        for (const offset of [10, 34.5, 200]) {
          const now = start + offset * hour;
          const collator = new Intl.Collator('fr');
          const expected = matchServices(services, { ...none, ...criteria }, period, origin, now, collator);
          const found = matchServices(lights, { ...none, ...criteria }, period, origin, now, collator);
          // The same services, each with the same distance and status; services of one name at one distance are
          // a tie that only ids break, and the search pack's ids are not the directory's.
          const key = (match: (typeof expected)[number], service: DirectoryService) =>
            `${match.distance}|${service.name}|${service.id}|${JSON.stringify(match.status)}`;
          expect(found.map((match) => key(match, originalOf.get(match.service.id)!)).sort()).toEqual(
            expected.map((match) => key(match, match.service)).sort(),
          );
          expect(found.map((match) => [match.distance, match.service.name])).toEqual(
            expected.map((match) => [match.distance, match.service.name]),
          );
        }
      }
    }
  });

  it('keeps ids and long texts out of the search pack, and takes far fewer bytes', () => {
    const packs = packsOf(services);
    const searchText = JSON.stringify(packs.map((pack) => pack.search));
    for (const service of services) {
      expect(searchText).not.toContain(service.id);
      expect(searchText).not.toContain(service.serviceId);
      if (service.description) expect(searchText).not.toContain(`"${service.description}"`);
    }
    for (const { search } of packs) expect(search.intervals.length).toBeLessThanOrEqual(timetables.length * 2);
    expect(searchText.length).toBeLessThan(JSON.stringify(services).length * 0.25);
  });

  it('names results by their place in their cell until the details give their own id', () => {
    expect(searchId('89_-2', 41)).toBe('89_-2.41');
    expect(parseSearchId('89_-2.41')).toEqual({ cell: '89_-2', position: 41 });
    expect(parseSearchId('-68_302.0')).toEqual({ cell: '-68_302', position: 0 });
    expect(parseSearchId('sal-12')).toBeNull();
    expect(parseSearchId('0b6f3f5e-8c1a-4a7e-9a43-5e0f2d1c9b77')).toBeNull();
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
  const cells = [...servicesByCell(services)].reverse();
  for (const [cell, list] of cells) store.addCell(cell, list);

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
          })!;
          expect(answer.complete).toBe(true);
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
    })!;
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

describe('results shown before every part is in', () => {
  const none: SearchCriteria = { need: null, openNow: false, free: false, speaks: null, audience: null };
  const now = start + 10 * hour;
  const query = (origin: { lat: number; lon: number } | null, limit = 30) => ({
    criteria: none,
    origin,
    now,
    language: 'fr',
    limit,
    only: null,
    points: false,
  });
  /** A service of the synthetic kind at a point. */
  const at = (template: DirectoryService, id: string, lat: number, lon: number): DirectoryService => ({
    ...template,
    id,
    name: id,
    lat,
    lon,
  });

  it('never misses a service just across the edge of the cells in', () => {
    const [template] = syntheticServices(1, 3);
    // The place is 300 m south of the edge between cells 89_-2 (south) and 90_-2 (north), at latitude 45.
    const origin = { lat: 44.9973, lon: -0.75 };
    const south = Array.from({ length: 40 }, (_, index) => at(template!, `s${index}`, 44.99 - index * 0.001, -0.75));
    const across = at(template!, 'across', 45.0002, -0.75);
    const store = new DirectoryStore(period, ['89_-2', '90_-2']);
    store.addCell('89_-2', south);
    // The 30th nearest in the southern cell is farther than the edge: the answer could still change.
    expect(store.search(query(origin))).toBeNull();
    store.addCell('90_-2', [across]);
    const answer = store.search(query(origin))!;
    expect(answer.complete).toBe(true);
    expect(answer.matches[0]!.service.id).toBe('across');
    expect(answer.total).toBe(41);
  });

  it('answers as soon as the results asked for are nearer than any cell still to come, and they are final', () => {
    const services = syntheticServices(3000, 21);
    const cells = [...servicesByCell(services)];
    const origin = { lat: 44.75, lon: -0.75 };
    const whole = new DirectoryStore(period);
    for (const [cell, list] of cells) whole.addCell(cell, list);
    const final = whole.search(query(origin))!;

    const partial = new DirectoryStore(
      period,
      cells.map(([cell]) => cell),
    );
    // Nothing is final before the place's own cell is in, nor without a place (the order by name needs them all).
    expect(partial.search(query(origin))).toBeNull();
    partial.addCell(cellOf(origin.lat, origin.lon), servicesByCell(services).get(cellOf(origin.lat, origin.lon))!);
    expect(partial.search(query(null))).toBeNull();
    const early = partial.search(query(origin));
    expect(early).not.toBeNull();
    expect(early!.complete).toBe(false);
    expect(early!.matches).toEqual(final.matches);
    // Asked for more than the cell in can prove, it waits.
    expect(partial.search(query(origin, 2000))).toBeNull();
  });

  it('bounds the distance to a cell from below, exactly on its sides', () => {
    const next = random(5);
    for (let trial = 0; trial < 300; trial += 1) {
      const point = { lat: -60 + next() * 120, lon: -170 + next() * 340 };
      const south = Math.floor((point.lat + (next() - 0.5) * 4) * 2) / 2;
      const west = Math.floor((point.lon + (next() - 0.5) * 4) * 2) / 2;
      const bound = distanceToBox(point, south, west, south + 0.5, west + 0.5);
      let nearest = Infinity;
      for (let i = 0; i <= 200; i += 1) {
        const step = (i / 200) * 0.5;
        for (const corner of [
          { lat: south + step, lon: west },
          { lat: south + step, lon: west + 0.5 },
          { lat: south, lon: west + step },
          { lat: south + 0.5, lon: west + step },
        ]) {
          nearest = Math.min(nearest, distanceMeters(point, corner));
        }
      }
      const inside = point.lat >= south && point.lat <= south + 0.5 && point.lon >= west && point.lon <= west + 0.5;
      if (inside) expect(bound).toBe(0);
      else {
        expect(bound).toBeLessThanOrEqual(nearest + 1e-6);
        // Sampled every 1/400 of a degree: the sampled nearest is within a few hundred metres of the true one.
        expect(nearest - bound).toBeLessThan(300);
      }
    }
  });
});
