import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eAccounts } from '../support/e2eServer.js';
import { wgs84PopulationGeoTiff } from '../support/geoTiffWriter.js';
import { WAIT_MS, baseUrl, missingPrerequisite, screenshotDir, skipLoudly, type PageWatch } from './browserSession.js';
import { sidewaysOverflow } from './pageChecks.js';
import { openSignedInPage } from './signIn.js';

const TEST_MS = 60_000;
const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'POPULATION SURFACE BROWSER TESTS');

/** An alliance of its own (0.4–0.6° E, 44.95–45.05° N), so that the other suites' runs over Bordeaux are untouched. */
const slug = `population-${Date.now().toString(36)}`;

/**
 * A WorldPop-like GeoTIFF with 0.05° cells centred on 0.425 … 0.575° E and 45.025, 44.975° N: 250 + 150 people
 * inside, nodata and zeros elsewhere.
 */
function raster(): Buffer {
  return wgs84PopulationGeoTiff({
    west: 0.4,
    north: 45.05,
    cellDeg: 0.05,
    rows: [
      [250, 0, -99999, 0],
      [0, 0, 150, 0],
    ],
  });
}

describe.skipIf(skip)('importing a population grid in the gap analysis view', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let seen: PageWatch;

  beforeAll(async () => {
    let csrfToken: string;
    ({ browser, context, page, seen, csrfToken } = await openSignedInPage(missing, e2eAccounts.founder, {
      viewport: { width: 1280, height: 900 },
    }));
    const created = await context.request.post(`${baseUrl}/api/alliances`, {
      headers: { 'x-csrf-token': csrfToken },
      data: {
        slug,
        name: 'Population test alliance',
        country: 'FR',
        timezone: 'Europe/Paris',
        languages: ['fr'],
        boundary: {
          type: 'Polygon',
          coordinates: [
            [
              [0.4, 44.95],
              [0.6, 44.95],
              [0.6, 45.05],
              [0.4, 45.05],
              [0.4, 44.95],
            ],
          ],
        },
      },
    });
    expect(created.status(), await created.text()).toBe(201);
  }, TEST_MS);

  afterAll(async () => {
    await browser?.close();
  });

  it(
    'uploads a GeoTIFF, previews it, follows the import, and the next run counts its people',
    async () => {
      await page.goto(`${baseUrl}/map#/gap-analysis/${slug}`, { waitUntil: 'domcontentloaded' });
      const form = page.locator('[data-testid="population-form"]');
      await form.waitFor({ timeout: WAIT_MS });
      await form.getByLabel('Population file').setInputFiles({
        name: 'worldpop.tif',
        mimeType: 'image/tiff',
        buffer: raster(),
      });
      const preview = form.locator('[data-testid="population-preview"]');
      await expect.poll(() => preview.textContent(), { timeout: WAIT_MS }).toMatch(/GeoTIFF grid.*EPSG:4326/);
      expect(await preview.textContent()).toMatch(/Cells with people\s*2\s*Population\s*400/);
      await form.screenshot({ path: path.join(screenshotDir, 'population-preview-1280.png') });

      await form.getByRole('button', { name: 'Import this population' }).click();
      const active = form.locator('[data-testid="population-active"]');
      await expect
        .poll(() => active.textContent(), { timeout: WAIT_MS })
        .toMatch(/Runs count the people of “worldpop\.tif” \(GeoTIFF grid, EPSG:4326\): 400 inhabitants in 2\s+cells/);

      await page.getByLabel('Areas', { exact: true }).selectOption('h3:7');
      await page.locator('[data-testid="run-analysis"]').click();
      const note = page.locator('[data-testid="population-note"]');
      await expect
        .poll(() => note.textContent(), { timeout: TEST_MS - 10_000 })
        .toMatch(/Population surface “worldpop\.tif” [\s\S]*~400 inhabitants counted, in 2 of \d+ areas/);
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(screenshotDir, 'population-run-1280.png'), fullPage: true });
    },
    TEST_MS,
  );

  it(
    'fits a phone width, left to right and right to left',
    async () => {
      await page.setViewportSize({ width: 360, height: 800 });
      await page.locator('[data-testid="population-form"]').scrollIntoViewIfNeeded();
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(screenshotDir, 'population-form-360.png'), fullPage: true });
      // The workspace is in English only for now; laid right to left, the form must still fit.
      await page.evaluate(() => (document.documentElement.dir = 'rtl'));
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(screenshotDir, 'population-form-360-rtl.png'), fullPage: true });
    },
    TEST_MS,
  );

  it('raised no page or console error and requested nothing from another origin', () => {
    expect(seen.pageErrors).toEqual([]);
    expect(seen.consoleErrors).toEqual([]);
    expect(seen.foreignRequests).toEqual([]);
  });
});
