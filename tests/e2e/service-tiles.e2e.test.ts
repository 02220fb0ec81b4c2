import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DESKTOP,
  WAIT_MS,
  baseUrl,
  launchBrowser,
  missingPrerequisite,
  screenshotDir,
  skipLoudly,
  watchPage,
  type PageWatch,
} from './browserSession.js';
import { mapIdle } from './pageChecks.js';

const TEST_MS = 90_000;

const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'SERVICE TILES BROWSER TESTS');

/**
 * The map of a large alliance draws its services from vector tiles. Bordeaux's demo alliance is small, so the page
 * is opened with `?tilesAbove=5`: above five services in the scope, tiles.
 */
describe.skipIf(skip)('the map of a large alliance, from tiles', () => {
  let browser: Browser;
  let page: Page;
  let seen: PageWatch;
  const requested: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser(missing);
    page = await browser.newPage({ viewport: DESKTOP });
    seen = watchPage(page, new URL(baseUrl ?? '').origin);
    page.on('request', (request) => requested.push(request.url()));
  }, TEST_MS);

  afterAll(async () => {
    await browser?.close();
  });

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

      const tileRequests = requested.filter((url) => url.includes('/api/services/tiles/'));
      expect(tileRequests.length).toBeGreaterThan(0);
      expect(tileRequests.every((url) => new URL(url).searchParams.get('alliance') === 'bordeaux')).toBe(true);
      expect(requested.some((url) => url.includes('/api/services.geojson?alliance=bordeaux'))).toBe(false);

      // Zoom in through the smallest cells until the tiles hold single services (zoom 12 and closer).
      const marker = page.locator('[data-testid="service-marker"]').first();
      for (let step = 0; step < 10 && !(await marker.isVisible()); step += 1) {
        const counts = await page
          .locator('[data-testid="service-cluster"]')
          .evaluateAll((clusters) => clusters.map((cluster) => Number((cluster as HTMLElement).dataset.count)));
        if (counts.length === 0) break;
        const smallest = counts.indexOf(Math.min(...counts));
        // The map starts moving within the click (data-idle turns false), and is idle again once the tiles are drawn.
        console.log('DEBUG step', step, counts);
        await page.locator('[data-testid="service-cluster"]').nth(smallest).click();
        await mapIdle(page, 'map');
      }
      await page.screenshot({ path: '/tmp/tiles-debug.png' });
      console.log('DEBUG', await page.locator('[data-testid="service-cluster"]').evaluateAll((c) => c.map((e) => (e as HTMLElement).dataset.count)), await page.locator('[data-testid="service-marker"]').count());
      await marker.waitFor({ timeout: WAIT_MS });

      // The marker keeps its category's colour and its age ring.
      const drawn = await marker.evaluate((element) => ({
        id: (element as HTMLElement).dataset.serviceId,
        category: (element as HTMLElement).dataset.category,
        age: (element as HTMLElement).dataset.age,
        colour: (element as HTMLElement).style.getPropertyValue('--marker-color'),
      }));
      expect(drawn.id).toBeTruthy();
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
