import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OwnApp, startOwnApp } from '../support/e2eServer.js';
import { buildTownStreetTiles, streetToolsInstalled } from '../support/streetTiles.js';
import { WAIT_MS, launchBrowser, missingPrerequisite, screenshotDir, skipLoudly, watchPage } from './browserSession.js';
import { mapIdle } from './pageChecks.js';

const TEST_MS = 240_000;

const missing = missingPrerequisite(
  streetToolsInstalled ? null : 'osmium-tool and tilemaker are not installed (apt-get install osmium-tool tilemaker)',
);
const skip = skipLoudly(missing, 'STREET BASE MAP BROWSER TESTS');

/**
 * The finder's map over street tiles made from a small town by the project's own script, served by an app
 * started with BASEMAP_TILES: everything it draws comes from this site.
 */
describe.skipIf(skip)('the street base map in the finder', () => {
  let browser: Browser;
  let ownApp: OwnApp | undefined;
  let origin = '';
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'passerelle-street-e2e-'));

  beforeAll(async () => {
    browser = await launchBrowser(missing);
    const tiles = buildTownStreetTiles(workDir);
    ownApp = await startOwnApp({ BASEMAP_TILES: tiles });
    origin = ownApp.origin;
  }, TEST_MS);

  afterAll(async () => {
    await browser?.close();
    await ownApp?.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it.each([
    [1280, 800],
    [360, 740],
  ])(
    'draws streets from same-origin tiles and glyphs at %i px wide, asking no other site',
    async (width, height) => {
      const page = await browser.newPage({ viewport: { width, height } });
      const seen = watchPage(page, origin);
      const basemapRequests: string[] = [];
      page.on('requestfinished', (request) => {
        const url = new URL(request.url());
        if (url.pathname.startsWith('/api/basemap/')) basemapRequests.push(url.pathname);
      });
      try {
        await page.goto(`${origin}/find?region=bordeaux&view=map&at=44.84,-0.575&lang=fr`);
        await mapIdle(page, 'finder-map');
        await page.getByTestId('finder-map').scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(screenshotDir, `street-basemap-${width}.png`) });
        expect(basemapRequests).toContain('/api/basemap/tiles.json');
        expect(basemapRequests.some((p) => /^\/api\/basemap\/tiles\/\d+\/\d+\/\d+\.mvt$/.test(p))).toBe(true);
        expect(basemapRequests.some((p) => p.startsWith('/api/basemap/fonts/Noto%20Sans%20Regular/'))).toBe(true);
        // The offline style's countries are not fetched: the street style replaces it.
        expect(basemapRequests).not.toContain('/api/basemap/countries.geojson');
        expect(seen.pageErrors).toEqual([]);
        expect(seen.consoleErrors).toEqual([]);
        expect(seen.foreignRequests).toEqual([]);
      } finally {
        await page.close();
      }
    },
    TEST_MS,
  );

  it(
    'keeps the street tiles and glyphs a person saw, and draws them again offline',
    async () => {
      const context = await browser.newContext({ viewport: { width: 360, height: 740 }, serviceWorkers: 'allow' });
      const page = await context.newPage();
      const seen = watchPage(page, origin);
      try {
        const url = `${origin}/find?region=bordeaux&view=map&at=44.84,-0.575&lang=fr`;
        await page.goto(url);
        await page.getByTestId('saved-offline').waitFor({ timeout: WAIT_MS });
        // The service worker answers from the second load on.
        await page.reload();
        await mapIdle(page, 'finder-map');
        const saved = await page.evaluate(async () => {
          const cache = await caches.open('passerelle-basemap');
          return (await cache.keys()).map((request) => new URL(request.url).pathname);
        });
        expect(saved).toContain('/api/basemap/tiles.json');
        expect(saved.some((p) => p.startsWith('/api/basemap/tiles/'))).toBe(true);
        expect(saved.some((p) => p.startsWith('/api/basemap/fonts/'))).toBe(true);

        await context.setOffline(true);
        await page.reload();
        await mapIdle(page, 'finder-map');
        await page.getByTestId('finder-map').scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(screenshotDir, 'street-basemap-offline-360.png') });
        expect(seen.pageErrors).toEqual([]);
        expect(seen.foreignRequests).toEqual([]);
      } finally {
        await context.setOffline(false);
        await context.close();
      }
    },
    TEST_MS,
  );
});
