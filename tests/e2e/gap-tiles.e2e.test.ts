import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eAccounts } from '../support/e2eServer.js';
import {
  WAIT_MS,
  baseUrl,
  missingPrerequisite,
  openBrowserPage,
  screenshotDir,
  skipLoudly,
  type PageWatch,
} from './browserSession.js';
import { GAP_ANALYSIS_RUN_MS, finishedGapAnalysis } from './gapAnalysisRun.js';
import { hashQuery, sidewaysOverflow } from './pageChecks.js';
import { openSignedInPage } from './signIn.js';

const TEST_MS = 90_000;

const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'GAP ANALYSIS TILES BROWSER TESTS');

/**
 * The map of a large run is drawn from the run's vector tiles. Bordeaux's demo run at H3 resolution 6 has a few
 * hundred areas, under the 3,000 above which tiles are used, so the page is opened with `?tilesAbove=5` (the
 * services map's setting, documented in web/src/gap-analysis/README.md): above five areas, tiles.
 */
describe.skipIf(skip)('the gap analysis map of a large run, from tiles', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let seen: PageWatch;
  let runId = '';
  const requested: string[] = [];

  beforeAll(async () => {
    let csrfToken: string;
    ({ browser, context, page, seen, csrfToken } = await openSignedInPage(missing, e2eAccounts.editor));
    runId = await finishedGapAnalysis(context, csrfToken, {
      categories: ['social_action', 'professional_integration'],
    });
    page.on('request', (request) => requested.push(request.url()));
  }, GAP_ANALYSIS_RUN_MS + TEST_MS);

  afterAll(async () => {
    await browser?.close();
  });

  const map = () => page.locator('[data-testid="choropleth"]').first();

  /** Waits until the map has drawn areas from its tiles and has nothing more to load. */
  async function drawnFromTiles(): Promise<number> {
    await map().waitFor({ timeout: WAIT_MS });
    await expect
      .poll(
        () =>
          map().evaluate((element) =>
            (element as HTMLElement).dataset.idle === 'true'
              ? Number((element as HTMLElement).dataset.featureCount)
              : 0,
          ),
        { timeout: WAIT_MS, message: 'the map should draw the areas of its tiles' },
      )
      .toBeGreaterThan(10);
    return Number(await map().getAttribute('data-feature-count'));
  }

  it(
    'draws the choropleth from the tiles of the chosen subject, without the GeoJSON, with its classed legend',
    async () => {
      await page.goto(`${baseUrl}/map?tilesAbove=5#/gap-analysis/bordeaux?run=${runId}&subject=social_action`, {
        waitUntil: 'domcontentloaded',
      });
      await drawnFromTiles();
      expect(await map().getAttribute('data-source')).toBe('tiles');
      const tiles = requested.filter((url) => url.includes(`/api/tiles/gap-analyses/${runId}/`));
      expect(tiles.length).toBeGreaterThan(0);
      expect(tiles.every((url) => new URL(url).searchParams.get('subject') === 'social_action')).toBe(true);
      expect(requested.some((url) => url.includes('/results.geojson'))).toBe(false);
      expect(requested.some((url) => url.includes(`/api/gap-analyses/${runId}/measures?subject=social_action`))).toBe(
        true,
      );
      // The legend's classes come from every area's measure, as from the GeoJSON.
      expect(await page.locator('[data-testid="classed-legend"] li').count()).toBeGreaterThan(1);
      expect(await page.locator('[data-testid="choropleth-error"]').count()).toBe(0);
    },
    TEST_MS,
  );

  it(
    'opens the detail of the area clicked on the map, with what the run measured there',
    async () => {
      const box = (await map().boundingBox())!;
      // The map is fitted to the areas, which tile the region: its middle is inside one of them.
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await expect.poll(() => hashQuery(page).get('area'), { timeout: WAIT_MS }).toMatch(/^[0-9a-f-]{36}$/);
      const unitId = hashQuery(page).get('area')!;
      const detail = page.locator('[data-testid="area-detail"]');
      await detail.waitFor({ timeout: WAIT_MS });
      const area = (await (
        await context.request.get(`${baseUrl}/api/gap-analyses/${runId}/units/${unitId}`)
      ).json()) as {
        properties: { code: string };
      };
      await expect.poll(() => detail.textContent(), { timeout: WAIT_MS }).toContain(area.properties.code);
      // Both subjects' rows: the detail reads the area's own answer, not the one subject's tile.
      expect(await detail.locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
      await page.screenshot({ path: path.join(screenshotDir, 'gap-tiles-desktop.png') });
    },
    TEST_MS,
  );

  it(
    "switches the map to the other subject's tiles",
    async () => {
      requested.length = 0;
      await page.locator('button[data-subject="professional_integration"]').click();
      await drawnFromTiles();
      const tiles = requested.filter((url) => url.includes(`/api/tiles/gap-analyses/${runId}/`));
      expect(tiles.length).toBeGreaterThan(0);
      expect(tiles.every((url) => new URL(url).searchParams.get('subject') === 'professional_integration')).toBe(true);
      expect(seen.pageErrors).toEqual([]);
      expect(seen.foreignRequests).toEqual([]);
    },
    TEST_MS,
  );

  it(
    'draws from tiles on a phone in Arabic, right to left, without sideways scrolling',
    async () => {
      const phone = await openBrowserPage(missing, { viewport: { width: 360, height: 780 } });
      try {
        page = phone.page;
        await page.goto(`${baseUrl}/map?tilesAbove=5&lang=ar#/gap-analysis/bordeaux?run=${runId}`, {
          waitUntil: 'domcontentloaded',
        });
        await drawnFromTiles();
        expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
        expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
        await map().scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(screenshotDir, 'gap-tiles-phone-ar.png') });
        expect(phone.seen.pageErrors).toEqual([]);
      } finally {
        await phone.browser.close();
      }
    },
    TEST_MS,
  );
});
