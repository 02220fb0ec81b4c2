import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eAccounts } from '../support/e2eServer.js';
import { WAIT_MS, baseUrl, missingPrerequisite, skipLoudly } from './browserSession.js';
import { mapIdle } from './pageChecks.js';
import { openSignedInPage } from './signIn.js';

const TEST_MS = 90_000;

const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'BROWSER TESTS');

/** The built file that holds MapLibre, from Vite's manifest: the page must fetch it only after its first paint. */
function mapLibreChunk(): string {
  const manifest = JSON.parse(fs.readFileSync(path.resolve('web/dist/.vite/manifest.json'), 'utf8')) as Record<
    string,
    { file: string; src?: string }
  >;
  const chunk = Object.values(manifest).find((entry) => entry.file.endsWith('.js') && sizeOf(entry.file) > 500_000);
  if (!chunk) throw new Error('No chunk of the build is big enough to be MapLibre');
  return path.basename(chunk.file);
}
const sizeOf = (file: string) => fs.statSync(path.resolve('web/dist', file)).size;

/** The alliance each request for the map's services asked for ('' for every alliance). */
function watchServiceRequests(page: Page): string[] {
  const asked: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname === '/api/services.geojson') asked.push(url.searchParams.get('alliance') ?? '');
  });
  return asked;
}

/** Share of the map's pixels in the land's colour (#f5f2ea), read from a screenshot of the map. */
async function landShare(page: Page): Promise<number> {
  const png = await page.locator('[data-testid="map"]').screenshot();
  return page.evaluate(
    async (dataUrl) => {
      const image = new Image();
      image.src = dataUrl;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext('2d');
      if (!context) return 0;
      context.drawImage(image, 0, 0);
      const { data } = context.getImageData(0, 0, image.width, image.height);
      let land = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs(data[i]! - 0xf5) < 6 && Math.abs(data[i + 1]! - 0xf2) < 6 && Math.abs(data[i + 2]! - 0xea) < 6) {
          land++;
        }
      }
      return land / (data.length / 4);
    },
    `data:image/png;base64,${png.toString('base64')}`,
  );
}

describe.skipIf(skip)('the workspace map’s first view', () => {
  let browser: Browser;
  let page: Page;
  const countryResponses: { path: string; bytes: number }[] = [];
  let asked: string[];

  beforeAll(async () => {
    ({ browser, page } = await openSignedInPage(missing, e2eAccounts.member));
    asked = watchServiceRequests(page);
    page.on('response', (response: Response) => {
      const { pathname } = new URL(response.url());
      if (!pathname.startsWith('/api/basemap/countries')) return;
      void response
        .request()
        .sizes()
        .then(
          (sizes) => countryResponses.push({ path: pathname, bytes: sizes.responseBodySize }),
          () => countryResponses.push({ path: pathname, bytes: -1 }),
        );
    });
  }, TEST_MS);

  afterAll(async () => {
    await browser?.close();
  });

  it(
    'opens on the person’s own alliance, never asking for every alliance’s services, and paints before MapLibre comes',
    async () => {
      await page.goto(`${baseUrl}/map#/`, { waitUntil: 'domcontentloaded' });
      await page.locator('[data-testid="service-list-item"]').first().waitFor({ timeout: WAIT_MS });
      expect(await page.locator('[data-testid="alliance-picker"]').inputValue()).toBe('bordeaux');
      expect(asked.length).toBeGreaterThan(0);
      expect(
        asked.every((alliance) => alliance === 'bordeaux'),
        asked.join(', '),
      ).toBe(true);

      await page.locator('canvas.maplibregl-canvas').waitFor({ timeout: WAIT_MS });
      const chunk = mapLibreChunk();
      const timing = await page.evaluate((file) => {
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        const script = performance
          .getEntriesByType('resource')
          .find((entry) => new URL(entry.name).pathname.endsWith(`/${file}`));
        return { paint: paint?.startTime ?? null, script: script?.startTime ?? null };
      }, chunk);
      expect(timing.paint, 'first contentful paint').not.toBeNull();
      expect(timing.script, `the request for ${chunk}`).not.toBeNull();
      expect(timing.script!).toBeGreaterThanOrEqual(timing.paint!);
    },
    TEST_MS,
  );

  it(
    'draws land from the low-zoom countries first, then the detailed ones at the alliance’s zoom',
    async () => {
      await mapIdle(page, 'map');
      await expect
        .poll(() => countryResponses.map((response) => response.path), { timeout: WAIT_MS })
        .toEqual(['/api/basemap/countries-low.geojson', '/api/basemap/countries.geojson']);
      const [low, detailed] = countryResponses;
      expect(low!.bytes).toBeGreaterThan(0);
      expect(low!.bytes).toBeLessThan(80_000);
      expect(detailed!.bytes).toBeGreaterThan(low!.bytes * 4);
      // Bordeaux and its surroundings are on land: most of the map is drawn in the land's colour.
      expect(await landShare(page)).toBeGreaterThan(0.3);
    },
    TEST_MS,
  );

  it(
    'opens next time on the alliance chosen last on this device',
    async () => {
      await page.selectOption('[data-testid="alliance-picker"]', 'roscommon');
      await expect.poll(() => asked.at(-1), { timeout: WAIT_MS }).toBe('roscommon');
      asked.length = 0;
      await page.reload({ waitUntil: 'domcontentloaded' });
      await page.locator('[data-testid="service-list-item"]').first().waitFor({ timeout: WAIT_MS });
      expect(await page.locator('[data-testid="alliance-picker"]').inputValue()).toBe('roscommon');
      expect(asked).toEqual(['roscommon']);
    },
    TEST_MS,
  );
});
