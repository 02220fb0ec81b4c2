import type { Browser, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CompactIndex,
  compactFormat,
  cellDegrees,
  cellOf,
  encodePacks,
  searchId,
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
  // A minute ago: the index's first day is today in the region, as the server's is, so the page loads it once.
  const openFrom = new Date(Date.now() - 60_000).toISOString();
  // Each cell's search pack (ETag "<cell>") and details pack, which names it.
  const parts = new Map(
    [...servicesByCell(services)].map(([cell, list]) => {
      const { search, details } = encodePacks(cell, openFrom, list);
      return [cell, { search, details: { ...details, searchEtag: `"${cell}"` } }] as const;
    }),
  );
  /** A result is named by its place in its cell's search pack. */
  const shortIds = new Map(
    [...parts].flatMap(([cell, { details }]) =>
      details.services.map((row, position) => [row[0] as string, searchId(cell, position)] as const),
    ),
  );
  const nearest = services
    .map((service) => ({ id: service.id, name: service.name, distance: distanceMeters(PLACE, service) }))
    // As the finder ranks: nearest first, then by name.
    .sort((a, b) => a.distance - b.distance || collator.compare(a.name, b.name) || a.id.localeCompare(b.id))
    .map((entry) => ({ ...entry, shortId: shortIds.get(entry.id)! }));
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
    parts: [...parts].map(([cell, { search }]) => ({
      id: cell,
      services: search.services.length,
      etag: `"${cell}"`,
      detailsEtag: `"${cell}-details"`,
    })),
  };

  beforeAll(async () => {
    browser = await launchBrowser(missing);
  }, TEST_MS);

  afterAll(async () => {
    await browser?.close();
  });

  it(
    'counts every service once the parts are in, when the region list came after the region’s index',
    async () => {
      const context = await browser.newContext({ viewport: PHONE, serviceWorkers: 'block' });
      try {
        // The order of a slow phone: the index first, then the region list, then the search packs. The count of the
        // whole region must follow the last pack, not the clock's next minute.
        let indexServed = () => {};
        const indexIn = new Promise<void>((resolve) => (indexServed = resolve));
        let regionListServed = () => {};
        const regionListIn = new Promise<void>((resolve) => (regionListServed = resolve));
        await context.route('**/api/alliances', async (route) => {
          await indexIn;
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          const response = await route.fetch();
          const body = (await response.json()) as { items: unknown[] };
          const large = { id: '00000000-0000-4000-8000-999999999999', ...index.alliance, serviceCount: SIZE };
          await route.fulfill({ response, json: { ...body, items: [...body.items, large] } });
          regionListServed();
        });
        await context.route(`**/api/alliances/${SLUG}/directory/parts**`, async (route) => {
          const path = new URL(route.request().url()).pathname;
          const [, cell, details] = /\/parts\/([^/]+)(\/details)?$/.exec(path) ?? [];
          if (cell === undefined) {
            await route.fulfill({ json: index, headers: { etag: '"index"' } });
            indexServed();
            return;
          }
          const packs = parts.get(decodeURIComponent(cell));
          if (!packs) return route.fulfill({ status: 404, json: { statusCode: 404 } });
          await regionListIn;
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          return details
            ? route.fulfill({ json: packs.details, headers: { etag: `"${cell}-details"` } })
            : route.fulfill({ json: packs.search, headers: { etag: `"${cell}"` } });
        });
        const page = await context.newPage();
        await page.goto(`${baseUrl}/find?region=${SLUG}&at=${PLACE.lat},${PLACE.lon}&lang=en`);
        await page.locator('[data-testid="results"] [data-service-id]').first().waitFor({ timeout: WAIT_MS });
        await expect.poll(() => page.locator('[data-testid="result-count"]').count(), { timeout: 20_000 }).toBe(1);
        expect(await page.locator('[data-testid="result-count"]').textContent()).toContain('20,000');
      } finally {
        await context.close();
      }
    },
    TEST_MS,
  );

  it(
    'lists the nearest 30 of them, then 30 more on request, and fetches every part whatever the place, nearest first',
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
        // The details packs are held until the test lets them go, to see a card before its details.
        let releaseDetails = () => {};
        const detailsHeld = new Promise<void>((resolve) => (releaseDetails = resolve));
        await context.route(`**/api/alliances/${SLUG}/directory/parts**`, async (route) => {
          const path = new URL(route.request().url()).pathname;
          const [, cell, details] = /\/parts\/([^/]+)(\/details)?$/.exec(path) ?? [];
          if (cell === undefined) return route.fulfill({ json: index, headers: { etag: '"index"' } });
          const packs = parts.get(decodeURIComponent(cell));
          if (!packs) return route.fulfill({ status: 404, json: { statusCode: 404 } });
          if (details) await detailsHeld;
          return details
            ? route.fulfill({ json: packs.details, headers: { etag: `"${cell}-details"` } })
            : route.fulfill({ json: packs.search, headers: { etag: `"${cell}"` } });
        });

        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        await page.goto(`${baseUrl}/find?region=${SLUG}&at=${PLACE.lat},${PLACE.lon}&lang=en`);
        const rows = page.locator('[data-testid="results"] [data-service-id]');
        await rows.first().waitFor({ timeout: WAIT_MS });

        await expect.poll(() => page.locator('[data-testid="result-count"]').textContent()).toContain('20,000');
        // The rows are drawn a few per frame.
        await expect.poll(() => rows.count()).toBe(30);
        const firstPage = await rows.evaluateAll((items) =>
          items.map((item) => (item as HTMLElement).dataset.serviceId),
        );
        expect(firstPage).toEqual(nearest.slice(0, 30).map((entry) => entry.shortId));
        const items = page.locator('[data-testid="results"] > li');
        expect(await items.first().getAttribute('aria-setsize')).toBe(String(SIZE));
        expect(await items.nth(29).getAttribute('aria-posinset')).toBe('30');
        expect(await page.locator('[data-testid="results-shown"]').textContent()).toContain('30 of 20,000');

        await page.locator('[data-testid="results-more"]').click();
        await expect.poll(() => rows.count()).toBe(60);
        const secondPage = await rows.evaluateAll((list) =>
          list.map((item) => (item as HTMLElement).dataset.serviceId),
        );
        expect(secondPage).toEqual(nearest.slice(0, 60).map((entry) => entry.shortId));
        // Focus goes to the first result added, so that a keyboard or screen reader carries on from there.
        await expect
          .poll(() => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.serviceId))
          .toBe(nearest[30]!.shortId);

        // The card shows at once what the result list knows, and says its details are coming.
        await rows.first().click();
        await expect
          .poll(() => page.locator('h2').first().textContent())
          .toContain(services.find((s) => s.id === nearest[0]!.id)!.name);
        expect(await page.locator('[data-testid="details-loading"]').count()).toBe(1);
        expect(await page.getByText('Advice and orientation for newcomers.').count()).toBe(0);
        releaseDetails();
        // The card's details came with its part's details pack; the link now names the service by its own id.
        await expect.poll(() => new URL(page.url()).searchParams.get('service')).toBe(nearest[0]!.id);
        await expect.poll(() => page.locator('[data-testid="details-loading"]').count()).toBe(0);
        await expect.poll(() => page.getByText('Advice and orientation for newcomers.').count()).toBe(1);

        // Every part's two packs, each once, whatever the place; the first asked is the place's large cell, and no
        // request carries the place.
        const packPaths = () =>
          requests
            .map((request) => new URL(request.url()).pathname)
            .filter((path) => path.startsWith(`/api/alliances/${SLUG}/directory/parts/`));
        await expect.poll(() => packPaths().length, { timeout: WAIT_MS }).toBe(parts.size * 2);
        const searchPaths = packPaths().filter((path) => !path.endsWith('/details'));
        expect(new Set(searchPaths).size).toBe(parts.size);
        expect(new Set(packPaths()).size).toBe(parts.size * 2);
        expect(searchPaths[0]).toBe(`/api/alliances/${SLUG}/directory/parts/${cellOf(PLACE.lat, PLACE.lon)}`);
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
