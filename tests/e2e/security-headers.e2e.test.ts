import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OwnApp, startOwnApp } from '../support/e2eServer.js';
import {
  WAIT_MS,
  baseUrl,
  launchBrowser,
  missingPrerequisite,
  screenshotDir,
  skipLoudly,
  watchPage,
  type PageWatch,
} from './browserSession.js';

const TEST_MS = 60_000;

const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'SECURITY HEADERS BROWSER TESTS');

/** A grey 1 × 1 PNG: a raster tile of the stand-in online base map. */
const TILE_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGM4AQAAygDJmcpdfgAAAABJRU5ErkJggg==',
  'base64',
);

/** A page whose Content-Security-Policy violations are recorded as the browser reports them. */
async function watchedPage(browser: Browser, origin: string): Promise<{ page: Page; seen: PageWatch }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // An init script runs through the devtools protocol, which the page's policy does not apply to.
  await page.addInitScript(() => {
    const record = window as unknown as { cspViolations: string[] };
    record.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      record.cspViolations.push(`${event.violatedDirective} refused ${event.blockedURI || '(inline)'}`);
    });
  });
  return { page, seen: watchPage(page, origin) };
}

const violations = (page: Page) =>
  page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

/** Waits until every MapLibre map of the page says it has drawn what it asked for. */
async function mapsIdle(page: Page): Promise<void> {
  await page.locator('canvas.maplibregl-canvas').first().waitFor({ timeout: WAIT_MS });
  await page.locator('[data-idle="true"]').first().waitFor({ timeout: WAIT_MS });
}

describe.skipIf(skip)('the pages under their Content-Security-Policy', () => {
  let browser: Browser;
  const origin = new URL(baseUrl ?? 'http://localhost').origin;

  beforeAll(async () => {
    browser = await launchBrowser(missing);
  }, TEST_MS);

  afterAll(async () => {
    await browser?.close();
  });

  /** Each page, what says it is drawn, and the console errors it writes anyway (none, but for one). */
  const pages: [string, string, (page: Page) => Promise<void>, RegExp | null][] = [
    ['the finder, with its map', '/find?region=bordeaux&view=map', mapsIdle, null],
    ['the workspace map', '/map', mapsIdle, null],
    [
      'an alliance’s public profile',
      '/alliances/bordeaux',
      (page) =>
        page
          .locator('[data-testid="profile-unpublished"], [data-testid="profile-map"][data-idle="true"]')
          .first()
          .waitFor({ timeout: WAIT_MS }),
      // Until the profile is published, the API answers 404 and the browser logs it.
      /status of 404/,
    ],
    [
      'the OpenAPI documentation',
      '/docs',
      (page) => page.locator('.swagger-ui .opblock').first().waitFor({ timeout: WAIT_MS }),
      null,
    ],
  ];

  it.each(pages)(
    'lets %s work with nothing refused',
    async (_name, url, ready, expectedConsole) => {
      const { page, seen } = await watchedPage(browser, origin);
      try {
        const response = await page.goto(`${baseUrl}${url}`, { waitUntil: 'domcontentloaded' });
        expect(response?.headers()['content-security-policy']).toMatch(/frame-ancestors 'none'/);
        await ready(page);
        expect(await violations(page)).toEqual([]);
        expect(seen.pageErrors).toEqual([]);
        expect(seen.consoleErrors.filter((text) => !expectedConsole?.test(text))).toEqual([]);
        expect(seen.foreignRequests).toEqual([]);
      } finally {
        await page.close();
      }
    },
    TEST_MS,
  );

  it(
    'refuses a script the page did not bring, as an injected one would be',
    async () => {
      const { page } = await watchedPage(browser, origin);
      try {
        await page.goto(`${baseUrl}/find`, { waitUntil: 'domcontentloaded' });
        const ran = await page.evaluate(() => {
          const script = document.createElement('script');
          script.textContent = 'window.injectedRan = true';
          document.head.append(script);
          return (window as unknown as { injectedRan?: boolean }).injectedRan === true;
        });
        expect(ran).toBe(false);
        expect(await violations(page)).toEqual(['script-src-elem refused inline']);
      } finally {
        await page.close();
      }
    },
    TEST_MS,
  );
});

/**
 * With `MAP_STYLE_URL` set, the maps load an online style from another site: the policy lets that site in. A
 * stand-in "tile server" on another port (another origin) serves the style and its tiles.
 */
describe.skipIf(skip)('an online base map under the Content-Security-Policy', () => {
  let browser: Browser;
  let tileServer: http.Server;
  let tileOrigin = '';
  const tileRequests: string[] = [];
  let ownApp: OwnApp | undefined;
  let appOrigin = '';

  beforeAll(async () => {
    tileServer = http.createServer((request, response) => {
      tileRequests.push(request.url ?? '');
      response.setHeader('access-control-allow-origin', '*');
      if (request.url === '/style.json') {
        response.setHeader('content-type', 'application/json');
        response.end(
          JSON.stringify({
            version: 8,
            sources: {
              streets: { type: 'raster', tiles: [`${tileOrigin}/tiles/{z}/{x}/{y}.png`], tileSize: 256 },
            },
            layers: [
              { id: 'paper', type: 'background', paint: { 'background-color': '#eef' } },
              { id: 'streets', type: 'raster', source: 'streets' },
            ],
          }),
        );
        return;
      }
      response.setHeader('content-type', 'image/png');
      response.end(TILE_PNG);
    });
    await new Promise<void>((resolve) => tileServer.listen(0, '127.0.0.1', resolve));
    tileOrigin = `http://127.0.0.1:${(tileServer.address() as AddressInfo).port}`;

    ownApp = await startOwnApp({ MAP_STYLE_URL: `${tileOrigin}/style.json` });
    appOrigin = ownApp.origin;
    browser = await launchBrowser(missing);
  }, 2 * TEST_MS);

  afterAll(async () => {
    await browser?.close();
    await ownApp?.stop();
    await new Promise((resolve) => tileServer?.close(resolve));
  });

  it(
    'draws the workspace map from the style’s site, which the policy names',
    async () => {
      const { page, seen } = await watchedPage(browser, appOrigin);
      try {
        const response = await page.goto(`${appOrigin}/map`, { waitUntil: 'domcontentloaded' });
        expect(response?.headers()['content-security-policy']).toContain(`connect-src 'self' ${tileOrigin}`);
        await mapsIdle(page);
        await page.screenshot({ path: path.join(screenshotDir, 'online-base-map.png') });
        expect(tileRequests).toContain('/style.json');
        expect(tileRequests.some((url) => url.startsWith('/tiles/'))).toBe(true);
        expect(await violations(page)).toEqual([]);
        expect(seen.pageErrors).toEqual([]);
        expect(seen.consoleErrors).toEqual([]);
        expect(seen.foreignRequests.every((url) => url.startsWith(`${tileOrigin}/`))).toBe(true);
      } finally {
        await page.close();
      }
    },
    TEST_MS,
  );
});
