import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/src/config.js';
import { e2eAccounts } from '../support/e2eServer.js';
import { WAIT_MS, baseUrl, missingPrerequisite, screenshotDir, skipLoudly, type PageWatch } from './browserSession.js';
import { sidewaysOverflow } from './pageChecks.js';
import { openSignedInPage } from './signIn.js';

const TEST_MS = 60_000;
const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'ROAD NETWORK BROWSER TESTS');

/** An alliance of its own around the tiny town of tests/fixtures/osm. */
const slug = `roads-${Date.now().toString(36)}`;

describe.skipIf(skip)('importing a road network in the gap analysis view', () => {
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
        name: 'Road network test alliance',
        country: 'IE',
        timezone: 'Europe/Dublin',
        languages: ['en'],
        boundary: {
          type: 'Polygon',
          coordinates: [
            [
              [-8.25, 53.6],
              [-8.1, 53.6],
              [-8.1, 53.66],
              [-8.25, 53.66],
              [-8.25, 53.6],
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
    'uploads an extract, follows the import to the active network, and changes a speed',
    async () => {
      await page.goto(`${baseUrl}/map#/gap-analysis/${slug}`, { waitUntil: 'domcontentloaded' });
      const section = page.locator('[data-testid="road-network"]');
      await section.waitFor({ timeout: WAIT_MS });
      await expect.poll(() => section.textContent(), { timeout: WAIT_MS }).toContain('No road network yet');
      await section.getByLabel('OpenStreetMap extract').setInputFiles({
        name: 'tiny-town.osm.pbf',
        mimeType: 'application/octet-stream',
        buffer: readFileSync(path.join(projectRoot, 'tests/fixtures/osm/tiny-town.osm.pbf')),
      });
      await section.getByRole('button', { name: 'Import', exact: true }).click();
      const active = section.locator('[data-testid="road-network-active"]');
      await expect
        .poll(() => active.textContent(), { timeout: WAIT_MS })
        .toMatch(/tiny-town\.osm\.pbf, imported on .*: 9 junctions and 9 road sections within the region and 30 km/);
      // The analysis form beside it now offers travel times over this network, without a reload.
      const travel = page.getByTestId('gap-travel');
      await expect.poll(() => travel.isDisabled(), { timeout: WAIT_MS }).toBe(false);
      expect(await page.getByTestId('gap-travel-help').textContent()).toContain('tiny-town.osm.pbf');

      await section.getByText('Speeds (km/h)').click();
      const motorway = section.getByLabel('Driving, Motorway', { exact: true });
      expect(await motorway.inputValue()).toBe('110');
      await motorway.fill('100');
      await section.getByRole('button', { name: 'Save the speeds' }).click();
      await expect.poll(() => section.textContent(), { timeout: WAIT_MS }).toContain('Speeds saved');
      const listed = await context.request.get(`${baseUrl}/api/alliances/${slug}/road-networks`);
      expect((await listed.json()).networks[0].speeds.drive.motorway).toBe(100);
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      await section.screenshot({ path: path.join(screenshotDir, 'road-network-1280.png') });
    },
    TEST_MS,
  );

  it(
    'says why a file that is not an extract is refused',
    async () => {
      const section = page.locator('[data-testid="road-network"]');
      await section.getByLabel('OpenStreetMap extract').setInputFiles({
        name: 'notes.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('not a map\n'),
      });
      await section.getByRole('button', { name: 'Import', exact: true }).click();
      await expect
        .poll(() => section.locator('[role="alert"]').textContent(), { timeout: WAIT_MS })
        .toContain('notes.txt is not an OpenStreetMap extract');
    },
    TEST_MS,
  );

  it(
    'fits a phone width, left to right and right to left',
    async () => {
      await page.setViewportSize({ width: 360, height: 800 });
      await page.locator('[data-testid="road-network"]').scrollIntoViewIfNeeded();
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(screenshotDir, 'road-network-360.png'), fullPage: true });
      await page.evaluate(() => (document.documentElement.dir = 'rtl'));
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(screenshotDir, 'road-network-360-rtl.png'), fullPage: true });
    },
    TEST_MS,
  );

  it('raised no page or console error and requested nothing from another origin', () => {
    expect(seen.pageErrors).toEqual([]);
    // The refused upload's 400 is the one error the browser logs.
    expect(seen.consoleErrors.filter((message) => !message.includes('status of 400'))).toEqual([]);
    expect(seen.foreignRequests).toEqual([]);
  });
});
