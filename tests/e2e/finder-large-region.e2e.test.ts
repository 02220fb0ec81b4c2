import type { Browser, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CompactIndex,
  compactFormat,
  cellDegrees,
  encodePart,
  servicesByCell,
} from '../../contract/directory/compactDirectory.js';
import type { DirectoryService } from '../../web/src/find/api/directory.js';
import { distanceMeters } from '../../web/src/find/search/geo.js';
import { PHONE, WAIT_MS, baseUrl, launchBrowser, missingPrerequisite, skipLoudly } from './browserSession.js';

const TEST_MS = 120_000;
const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'FINDER LARGE REGION BROWSER TEST');

/** A region of 20,000 services served from memory: the finder must list them without drawing 20,000 rows. */
const SIZE = 20_000;
const SLUG = 'large-test-region';
const PLACE = { lat: 44.831, lon: -0.572 };
const box = { west: -1.3, south: 44.2, east: 0.3, north: 45.6 };

function largeRegion(): DirectoryService[] {
  // mulberry32: repeatable, and without the short cycles that would put two services on one spot.
  let state = 20_261_203;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: SIZE }, (_, index) => ({
    id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    serviceId: `00000000-0000-4000-9000-${String(index).padStart(12, '0')}`,
    name: `Large region service ${index}`,
    organizationName: `Organisation ${index % 300}`,
    description: 'Advice and orientation for newcomers.',
    textLanguage: 'en',
    translations: {},
    category: 'social_action',
    topics: ['information_counselling'],
    audiences: [],
    languages: ['fr', 'en'],
    free: true,
    feesDescription: null,
    eligibilityDescription: null,
    applicationProcess: null,
    openingHoursNote: null,
    phone: null,
    email: null,
    url: null,
    address: `${index} rue de la Paix`,
    city: 'Bordeaux',
    postalCode: '33000',
    lat: Math.round((box.south + next() * (box.north - box.south)) * 1e6) / 1e6,
    lon: Math.round((box.west + next() * (box.east - box.west)) * 1e6) / 1e6,
    precision: 'exact',
    addressHidden: false,
    openingHours: null,
    openIntervals: null,
    closure: null,
    verifiedAt: null,
    checkedMonth: null,
  }));
}

const collator = new Intl.Collator('en');

describe.skipIf(skip)('the finder in a region of 20,000 services', () => {
  let browser: Browser;
  const services = largeRegion();
  const nearest = services
    .map((service) => ({ id: service.id, name: service.name, distance: distanceMeters(PLACE, service) }))
    // As the finder ranks: nearest first, then by name.
    .sort((a, b) => a.distance - b.distance || collator.compare(a.name, b.name) || a.id.localeCompare(b.id));
  const openFrom = new Date(Date.now() - 86_400_000).toISOString();
  const parts = new Map(
    [...servicesByCell(services)].map(([cell, list]) => [cell, encodePart(cell, openFrom, list)] as const),
  );
  const index: CompactIndex = {
    format: compactFormat,
    alliance: {
      slug: SLUG,
      name: 'Large test region',
      country: 'FR',
      languages: ['fr'],
      timezone: 'Europe/Paris',
      bbox: [box.west, box.south, box.east, box.north],
      demo: false,
    },
    generatedAt: new Date().toISOString(),
    openFrom,
    openUntil: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    cellDegrees,
    places: [],
    parts: [...parts.values()].map((part) => ({ id: part.id, services: part.services.length, etag: `"${part.id}"` })),
  };

  beforeAll(async () => {
    browser = await launchBrowser(missing);
  }, TEST_MS);

  afterAll(async () => {
    await browser?.close();
  });

  it(
    'lists the nearest 30 of them, then 30 more on request, and fetches every part whatever the place',
    async () => {
      const context = await browser.newContext({ viewport: PHONE, serviceWorkers: 'block' });
      try {
        const requests: Request[] = [];
        context.on('request', (request) => requests.push(request));
        // The region list gains the large region; its directory comes from memory. The worker's requests reach the
        // context's routes too.
        await context.route('**/api/alliances', async (route) => {
          const response = await route.fetch();
          const body = (await response.json()) as { items: unknown[] };
          const large = {
            id: '00000000-0000-4000-8000-999999999999',
            ...index.alliance,
            organizationCount: 300,
            serviceCount: SIZE,
          };
          await route.fulfill({ response, json: { ...body, items: [...body.items, large] } });
        });
        await context.route(`**/api/alliances/${SLUG}/directory/parts**`, async (route) => {
          const path = new URL(route.request().url()).pathname;
          const cell = /\/parts\/([^/]+)$/.exec(path)?.[1];
          const body = cell === undefined ? index : parts.get(decodeURIComponent(cell));
          if (!body) return route.fulfill({ status: 404, json: { statusCode: 404 } });
          return route.fulfill({ json: body, headers: { etag: `"${cell ?? 'index'}"` } });
        });

        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        await page.goto(`${baseUrl}/find?region=${SLUG}&at=${PLACE.lat},${PLACE.lon}&lang=en`);
        const rows = page.locator('[data-testid="results"] [data-service-id]');
        await rows.first().waitFor({ timeout: WAIT_MS });

        await expect.poll(() => page.locator('[data-testid="result-count"]').textContent()).toContain('20,000');
        const firstPage = await rows.evaluateAll((items) =>
          items.map((item) => (item as HTMLElement).dataset.serviceId),
        );
        expect(firstPage).toEqual(nearest.slice(0, 30).map((entry) => entry.id));
        const items = page.locator('[data-testid="results"] > li');
        expect(await items.first().getAttribute('aria-setsize')).toBe(String(SIZE));
        expect(await items.nth(29).getAttribute('aria-posinset')).toBe('30');
        expect(await page.locator('[data-testid="results-shown"]').textContent()).toContain('30 of 20,000');

        await page.locator('[data-testid="results-more"]').click();
        await expect.poll(() => rows.count()).toBe(60);
        const secondPage = await rows.evaluateAll((list) =>
          list.map((item) => (item as HTMLElement).dataset.serviceId),
        );
        expect(secondPage).toEqual(nearest.slice(0, 60).map((entry) => entry.id));
        // Focus goes to the first result added, so that a keyboard or screen reader carries on from there.
        await expect
          .poll(() => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.serviceId))
          .toBe(nearest[30]!.id);

        await rows.first().click();
        await expect
          .poll(() => page.locator('h2').first().textContent())
          .toContain(services.find((s) => s.id === nearest[0]!.id)!.name);

        // Every part, each once, whatever the place; no request carries the place.
        const partPaths = requests
          .map((request) => new URL(request.url()).pathname)
          .filter((path) => path.startsWith(`/api/alliances/${SLUG}/directory/parts/`));
        expect(new Set(partPaths).size).toBe(parts.size);
        expect(partPaths.length).toBe(parts.size);
        const placed = requests.filter((request) => /44\.83|0\.57/.test(request.url().replace(/[?&]at=[^&]*/, '')));
        expect(placed.map((request) => request.url())).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    },
    TEST_MS,
  );
});
