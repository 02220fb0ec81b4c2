import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { e2eAccounts } from '../support/e2eServer.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAIT_MS, baseUrl, missingPrerequisite, screenshotDir, skipLoudly, type PageWatch } from './browserSession.js';
import { mapIdle } from './pageChecks.js';
import { openSignedInPage } from './signIn.js';

const TEST_MS = 90_000;

const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'SERVICE TILES BROWSER TESTS');

/**
 * The map of a large alliance draws its services from vector tiles. Bordeaux's demo alliance is small, so the page
 * is opened with `?tilesAbove=5`: above five services in the scope, tiles. A service of its own at Arcachon, far from
 * the demo's (which share town points in and around Bordeaux), is the one the map zooms to and opens; inactive, so
 * that the suites counting Bordeaux's active services are not disturbed, and deleted at the end.
 */
const ORGANIZATION_NAME = `Zz Tiles test ${Date.now()}`;
const SERVICE_NAME = `Zz Tiles test service ${Date.now()}`;
describe.skipIf(skip)('the map of a large alliance, from tiles', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let seen: PageWatch;
  let csrfToken = '';
  let organizationId = '';
  let serviceId = '';
  const requested: string[] = [];

  beforeAll(async () => {
    ({ browser, context, page, seen, csrfToken } = await openSignedInPage(missing, e2eAccounts.editor));
    const headers = { 'x-csrf-token': csrfToken };
    const created = await context.request.post(`${baseUrl}/api/organizations`, {
      headers,
      data: {
        alliance: 'bordeaux',
        name: ORGANIZATION_NAME,
        location: { lat: 44.6586, lon: -1.1689, town: 'Arcachon', postalCode: '33120', precision: 'exact' },
      },
    });
    expect(created.status()).toBe(201);
    organizationId = ((await created.json()) as { id: string }).id;
    const service = await context.request.post(`${baseUrl}/api/services`, {
      headers,
      data: { organizationId, name: SERVICE_NAME, category: 'social_action', status: 'inactive' },
    });
    expect(service.status()).toBe(201);
    serviceId = ((await service.json()) as { id: string }).id;
    page.on('request', (request) => requested.push(request.url()));
  }, TEST_MS);

  afterAll(async () => {
    if (organizationId) {
      const removed = await context.request.delete(`${baseUrl}/api/organizations/${organizationId}`, {
        headers: { 'x-csrf-token': csrfToken },
      });
      expect(removed.status()).toBe(204);
    }
    await browser?.close();
  }, TEST_MS);

  it(
    'draws counts from tiles, asks to zoom in to list, and opens a service clicked on the map',
    async () => {
      await page.goto(`${baseUrl}/map?tilesAbove=5#/`, { waitUntil: 'domcontentloaded' });
      await page.locator('[data-testid="alliance-picker"] option[value="bordeaux"]').waitFor({
        state: 'attached',
        timeout: WAIT_MS,
      });
      await page.selectOption('[data-testid="alliance-picker"]', 'bordeaux');
      await page.locator('[data-testid="service-cluster"]').first().waitFor({ timeout: WAIT_MS });
      await page.locator('[data-testid="service-list-zoom-in"]').waitFor({ timeout: WAIT_MS });

      const tileRequests = requested.filter((url) => url.includes('/api/tiles/services/'));
      expect(tileRequests.length).toBeGreaterThan(0);
      expect(tileRequests.some((url) => new URL(url).searchParams.get('alliance') === 'bordeaux')).toBe(true);
      expect(requested.some((url) => url.includes('/api/services.geojson?alliance=bordeaux'))).toBe(false);

      // Zoom in through the smallest cell (Arcachon's one service) until the tiles hold single services (zoom 12).
      const marker = page.locator('[data-testid="service-marker"]').first();
      for (let step = 0; step < 10 && !(await marker.isVisible()); step += 1) {
        // The smallest count, the westernmost of those: Arcachon's.
        const clusters = await page.locator('[data-testid="service-cluster"]').evaluateAll((elements) =>
          elements.map((element) => ({
            count: Number((element as HTMLElement).dataset.count),
            left: element.getBoundingClientRect().left,
          })),
        );
        if (clusters.length === 0) break;
        const order = clusters.map((_, index) => index);
        order.sort((a, b) => clusters[a]!.count - clusters[b]!.count || clusters[a]!.left - clusters[b]!.left);
        const smallest = order[0]!;
        await page.locator('[data-testid="service-cluster"]').nth(smallest).click();
        await mapIdle(page, 'map');
      }
      await marker.waitFor({ timeout: WAIT_MS });

      // The marker keeps its category's colour and its age ring.
      const drawn = await marker.evaluate((element) => ({
        id: (element as HTMLElement).dataset.serviceId,
        category: (element as HTMLElement).dataset.category,
        age: (element as HTMLElement).dataset.age,
        colour: (element as HTMLElement).style.getPropertyValue('--marker-color'),
      }));
      expect(drawn.id).toBe(serviceId);
      expect(drawn.category).toBeTruthy();
      expect(drawn.age).toMatch(/^(fresh|due-soon|overdue|never)$/);
      expect(drawn.colour).toMatch(/^#/);
      // Zoomed in, the list lists what the tiles in view hold, this service among them.
      await page
        .locator(`[data-testid="service-list-item"][data-service-id="${drawn.id}"]`)
        .waitFor({ timeout: WAIT_MS });

      await marker.click();
      const detail = page.locator('[data-testid="service-detail"]');
      await detail.locator('h2').waitFor({ timeout: WAIT_MS });
      const answer = await page.evaluate(
        async (id) => (await (await fetch(`/api/services/${id}`)).json()).name,
        drawn.id,
      );
      expect(await detail.locator('h2').textContent()).toContain(answer);

      await page.screenshot({ path: path.join(screenshotDir, 'desktop-service-tiles.png') });
      expect(seen.pageErrors).toEqual([]);
      expect(seen.foreignRequests).toEqual([]);
    },
    TEST_MS,
  );
});
