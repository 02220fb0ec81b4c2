import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eAccounts } from '../support/e2eServer.js';
import { polygonShapefile, prjFiles, zipLayer } from '../support/shapefileWriter.js';
import {
  DESKTOP,
  PHONE,
  WAIT_MS,
  baseUrl,
  missingPrerequisite,
  openBrowserPage,
  screenshotDir,
  skipLoudly,
  type PageWatch,
} from './browserSession.js';
import { hashOf, mapIdle, seriousAccessibilityViolations, sidewaysOverflow } from './pageChecks.js';
import { signInThroughPage } from './signIn.js';

const TEST_MS = 60_000;
const person = e2eAccounts.founder;
/** Unique per run: reruns and the other suites share the test server. */
const slug = `testregion-${Date.now().toString(36)}`;

const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'ALLIANCE SETUP BROWSER TESTS');

interface Boundary {
  type: string;
  coordinates: number[][][][];
}

/** The alliance as the API answers it to the signed-in person. */
interface AllianceAnswer {
  boundary: Boundary | null;
  version: number;
  name: string;
  updateCycleMonths: number;
  selfServiceApproval: boolean;
}

async function allianceFromApi(page: Page): Promise<AllianceAnswer> {
  const response = await page.request.get(`${baseUrl}/api/alliances/${slug}`);
  expect(response.status()).toBe(200);
  return (await response.json()) as AllianceAnswer;
}

/**
 * Checks the page at desktop width and at 360 px: no serious axe finding, nothing sideways, a screenshot each of
 * `shown` (the boundary editor unless told).
 */
async function checkBothWidths(page: Page, name: string, shown?: Locator): Promise<void> {
  const editor = shown ?? page.locator('[data-testid="boundary-editor"]');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await editor.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(screenshotDir, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  try {
    await mapIdle(page, 'boundary-map');
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await editor.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshotDir, `${name}-phone.png`), fullPage: true });
  } finally {
    await page.setViewportSize(DESKTOP);
  }
}

describe.skipIf(skip)('setting up an alliance', () => {
  let browser: Browser;
  let page: Page;
  let seen: PageWatch;

  beforeAll(async () => {
    ({ browser, page, seen } = await openBrowserPage(missing));
  }, TEST_MS);

  afterAll(async () => {
    await browser?.close();
  });

  it(
    'opens “Create an alliance” from the account menu of a signed-in person',
    async () => {
      await page.goto(`${baseUrl}/map#/sign-in`, { waitUntil: 'domcontentloaded' });
      await signInThroughPage(page, person);
      await page.locator('[data-testid="account-menu-button"]').waitFor({ timeout: WAIT_MS });

      await page.locator('[data-testid="account-menu-button"]').click();
      await page.getByRole('link', { name: 'Create an alliance' }).click();
      await expect.poll(() => hashOf(page), { timeout: WAIT_MS }).toBe('#/new-alliance');
      await page.getByRole('heading', { name: 'Create an alliance' }).waitFor({ timeout: WAIT_MS });
    },
    TEST_MS,
  );

  it(
    'suggests the address from the name and the time zone and languages from the country',
    async () => {
      await page.getByLabel('Name', { exact: true }).fill('Testregion');
      expect(await page.getByLabel('Address name').inputValue()).toBe('testregion');
      await page.getByLabel('Address name').fill('Test Region!');
      await page.getByRole('button', { name: 'Create the alliance' }).click();
      await expect
        .poll(() => page.locator('#new-alliance-slug-problem').textContent(), { timeout: WAIT_MS })
        .toMatch(/lower-case letters/);
      await page.getByLabel('Address name').fill(slug);

      expect(await page.getByLabel('Time zone').inputValue()).toBe('Europe/Paris');
      await page.getByLabel('Country', { exact: true }).selectOption('SE');
      expect(await page.getByLabel('Time zone').inputValue()).toBe('Europe/Stockholm');
      expect(await page.getByLabel('Languages').inputValue()).toBe('sv');
      await page.getByLabel('Country', { exact: true }).selectOption('FR');
      expect(await page.getByLabel('Time zone').inputValue()).toBe('Europe/Paris');
      await page.getByLabel('Languages').fill('fr, en, ar');
      await page.getByLabel('Description').fill('A test alliance set up by the browser test.');
    },
    TEST_MS,
  );

  it(
    'draws the region by clicking 4 points on the map, and creates the alliance',
    async () => {
      await mapIdle(page, 'boundary-map');
      await page.locator('[data-testid="draw-boundary"]').click();
      const map = page.locator('[data-testid="boundary-map"]');
      await map.scrollIntoViewIfNeeded();
      const box = await map.boundingBox();
      if (!box) throw new Error('The boundary map has no size.');
      const corners: [number, number][] = [
        [0.3, 0.3],
        [0.7, 0.3],
        [0.7, 0.7],
        [0.3, 0.7],
      ];
      for (const [x, y] of corners) {
        await page.mouse.click(box.x + box.width * x, box.y + box.height * y);
        // Slower than a double-click, which would close the shape early.
        await page.waitForTimeout(350);
      }
      expect(await page.locator('[data-testid="point-count"]').textContent()).toBe('4 points');
      await page.locator('[data-testid="undo-point"]').click();
      const [lastX, lastY] = corners[3]!;
      await page.mouse.click(box.x + box.width * lastX, box.y + box.height * lastY);
      await page.locator('[data-testid="finish-drawing"]').click();
      await expect
        .poll(() => page.locator('[data-testid="boundary-status"]').textContent(), { timeout: WAIT_MS })
        .toContain('1 polygon, 5 points');
      await mapIdle(page, 'boundary-map');

      await checkBothWidths(page, 'alliance-new');

      await page.getByRole('button', { name: 'Create the alliance' }).click();
      await expect.poll(() => hashOf(page), { timeout: WAIT_MS }).toBe(`#/alliance/${slug}/members`);
    },
    TEST_MS,
  );

  it(
    'makes the creator the coordinator, with the drawn boundary stored',
    async () => {
      const me = page.locator(`[data-testid="member"][data-email="${person.email}"]`);
      await expect.poll(() => me.textContent(), { timeout: WAIT_MS }).toContain('Coordinator');
      expect(await page.locator('#workspace-title').textContent()).toBe('Testregion');
      expect(await page.locator('[data-testid="your-role"]').textContent()).toMatch(/Coordinator/);

      const alliance = await allianceFromApi(page);
      expect(alliance.boundary?.type).toBe('MultiPolygon');
      const rings = alliance.boundary?.coordinates ?? [];
      expect(rings).toHaveLength(1);
      const outer = rings[0]?.[0] ?? [];
      expect(outer).toHaveLength(5);
      // Four corners of a rectangle on screen: two longitudes and two latitudes, in Europe.
      const lons = new Set(outer.map(([lon]) => lon!.toFixed(4)));
      const lats = new Set(outer.map(([, lat]) => lat!.toFixed(4)));
      expect(lons.size).toBe(2);
      expect(lats.size).toBe(2);
      for (const [lon, lat] of outer) {
        expect(Math.abs(lon!)).toBeLessThan(45);
        expect(lat).toBeGreaterThan(30);
        expect(lat).toBeLessThan(65);
      }
    },
    TEST_MS,
  );

  it(
    'refuses a broken file in Settings with a readable message',
    async () => {
      await page.locator('[data-testid="tab-settings"]').click();
      await expect.poll(() => hashOf(page), { timeout: WAIT_MS }).toBe(`#/alliance/${slug}/settings`);
      const file = page.locator('[data-testid="boundary-file"]');
      await file.waitFor({ timeout: WAIT_MS });
      await file.setInputFiles({
        name: 'broken.geojson',
        mimeType: 'application/geo+json',
        buffer: Buffer.from('{"type": "FeatureCollection", "features": [', 'utf8'),
      });
      await expect
        .poll(() => page.locator('[data-testid="boundary-error"]').textContent(), { timeout: WAIT_MS })
        .toContain('This file is not JSON');
      await file.setInputFiles({
        name: 'points.geojson',
        mimeType: 'application/geo+json',
        buffer: Buffer.from(JSON.stringify({ type: 'Point', coordinates: [4.9, 52.4] }), 'utf8'),
      });
      await expect
        .poll(() => page.locator('[data-testid="boundary-error"]').textContent(), { timeout: WAIT_MS })
        .toContain('holds no polygon');
    },
    TEST_MS,
  );

  it(
    'replaces the boundary with an imported GeoJSON file',
    async () => {
      const square = [
        [
          [4.8, 52.3],
          [5.0, 52.3],
          [5.0, 52.45],
          [4.8, 52.45],
          [4.8, 52.3],
        ],
      ];
      const collection = {
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: { name: 'Testregion' }, geometry: { type: 'Polygon', coordinates: square } },
        ],
      };
      await page.locator('[data-testid="boundary-file"]').setInputFiles({
        name: 'testregion.geojson',
        mimeType: 'application/geo+json',
        buffer: Buffer.from(JSON.stringify(collection), 'utf8'),
      });
      await expect
        .poll(() => page.locator('[data-testid="boundary-status"]').textContent(), { timeout: WAIT_MS })
        .toContain('“testregion.geojson” is read');
      expect(await page.locator('[data-testid="boundary-error"]').count()).toBe(0);
      await mapIdle(page, 'boundary-map');
      await checkBothWidths(page, 'alliance-settings');

      const before = await allianceFromApi(page);
      expect([before.updateCycleMonths, before.selfServiceApproval]).toEqual([6, false]);
      // With the boundary: services checked every three months, and organisations' changes approved first.
      await page.locator('#settings-update-cycle').selectOption('3');
      await page.getByTestId('self-service-approval').check();
      await page.getByRole('button', { name: 'Save the settings' }).click();
      await expect
        .poll(() => page.locator('[data-testid="settings-saved"]').textContent(), { timeout: WAIT_MS })
        .toContain('saved');

      const after = await allianceFromApi(page);
      expect(after.version).toBeGreaterThan(before.version);
      expect([after.updateCycleMonths, after.selfServiceApproval]).toEqual([3, true]);
      expect(after.boundary?.type).toBe('MultiPolygon');
      const outer = after.boundary?.coordinates[0]?.[0] ?? [];
      const lons = outer.map(([lon]) => lon ?? Number.NaN);
      const lats = outer.map(([, lat]) => lat ?? Number.NaN);
      expect(Math.min(...lons)).toBeCloseTo(4.8, 6);
      expect(Math.max(...lons)).toBeCloseTo(5.0, 6);
      expect(Math.min(...lats)).toBeCloseTo(52.3, 6);
      expect(Math.max(...lats)).toBeCloseTo(52.45, 6);
    },
    TEST_MS,
  );

  it(
    'reads an official Shapefile in RD New on the server, and saves it as the boundary in WGS84',
    async () => {
      const files = polygonShapefile(
        [{ name: 'NAAM', type: 'C', length: 20 }],
        [
          {
            rings: [
              [
                [130000, 450000],
                [130000, 460000],
                [140000, 460000],
                [140000, 450000],
                [130000, 450000],
              ],
            ],
            attributes: { NAAM: 'Utrecht' },
          },
        ],
      );
      await page.locator('[data-testid="boundary-file"]').setInputFiles({
        name: 'provincie.zip',
        mimeType: 'application/zip',
        buffer: zipLayer('provincie', { ...files, prj: prjFiles.rdNew }),
      });
      await expect
        .poll(() => page.locator('[data-testid="boundary-status"]').textContent(), { timeout: WAIT_MS })
        .toContain('“provincie.zip” is read');
      expect(await page.locator('[data-testid="boundary-error"]').count()).toBe(0);
      await page.getByRole('button', { name: 'Save the settings' }).click();
      await expect
        .poll(() => page.locator('[data-testid="settings-saved"]').textContent(), { timeout: WAIT_MS })
        .toContain('saved');
      const [first] = (await allianceFromApi(page)).boundary?.coordinates[0]?.[0] ?? [];
      // PROJ 9: cs2cs EPSG:28992 EPSG:4326 gives 52.037764874 N, 5.022845678 E for (130000, 450000).
      expect(first?.[0]).toBeCloseTo(5.022846, 6);
      expect(first?.[1]).toBeCloseTo(52.037765, 6);
    },
    TEST_MS,
  );

  it(
    'keeps the typed settings when someone saved first, and takes their change in on reload',
    async () => {
      const description = page.getByLabel('Description');
      await description.fill('Typed before the other change.');

      const me = (await (await page.request.get(`${baseUrl}/api/auth/me`)).json()) as { csrfToken: string };
      const { version } = await allianceFromApi(page);
      const other = await page.request.patch(`${baseUrl}/api/alliances/${slug}`, {
        headers: { 'x-csrf-token': me.csrfToken },
        data: { version, name: 'Testregion Nord' },
      });
      expect(other.status()).toBe(200);

      await page.getByRole('button', { name: 'Save the settings' }).click();
      const conflict = page.locator('[data-testid="settings-conflict"]');
      await expect.poll(() => conflict.textContent(), { timeout: WAIT_MS }).toMatch(/changed/);
      expect(await description.inputValue()).toBe('Typed before the other change.');

      await conflict.getByRole('button', { name: 'Reload their version' }).click();
      await expect.poll(() => page.getByLabel('Name', { exact: true }).inputValue()).toBe('Testregion Nord');
      expect(await description.inputValue()).toBe('Typed before the other change.');
      await page.getByRole('button', { name: 'Save the settings' }).click();
      await expect
        .poll(() => page.locator('[data-testid="settings-saved"]').textContent(), { timeout: WAIT_MS })
        .toContain('saved');
      const saved = (await allianceFromApi(page)) as { name: string; description?: string };
      expect(saved.name).toBe('Testregion Nord');
      expect(saved.description).toBe('Typed before the other change.');
    },
    TEST_MS,
  );

  it(
    'removes the boundary after a confirmation saying what the map and the gap analysis do without it',
    async () => {
      const before = await allianceFromApi(page);
      expect(before.boundary).not.toBeNull();
      const ask = page.getByRole('button', { name: 'Remove the boundary…' });
      await ask.click();
      const confirm = page.getByRole('group', { name: 'Remove the region boundary?' });
      await confirm.waitFor({ timeout: WAIT_MS });
      expect(await confirm.evaluate((box) => box === document.activeElement)).toBe(true);
      expect(await confirm.textContent()).toMatch(/without an outline of its region/);
      expect(await confirm.textContent()).toMatch(/it can only measure\s+areas imported from a file/);
      await checkBothWidths(page, 'alliance-boundary-remove', confirm);

      await confirm.getByRole('button', { name: 'Keep it' }).click();
      expect(await confirm.count()).toBe(0);
      await expect.poll(() => ask.evaluate((button) => button === document.activeElement)).toBe(true);
      expect((await allianceFromApi(page)).boundary).not.toBeNull();

      // Keyboard only, from the focused button: Enter asks, Tab to the red button, Enter removes.
      await page.keyboard.press('Enter');
      await confirm.waitFor({ timeout: WAIT_MS });
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Remove the boundary');
      await page.keyboard.press('Enter');
      await expect
        .poll(() => page.getByRole('status').filter({ hasText: 'The region boundary is removed' }).count(), {
          timeout: WAIT_MS,
        })
        .toBe(1);
      expect(await page.locator('[data-testid="no-boundary"]').textContent()).toMatch(/cannot lay its grid/);
      await mapIdle(page, 'boundary-map');
      await checkBothWidths(page, 'alliance-boundary-removed', page.locator('[data-testid="no-boundary"]'));

      const after = await allianceFromApi(page);
      expect(after.boundary).toBeNull();
      expect(after.version).toBe(before.version + 1);
      const me = (await (await page.request.get(`${baseUrl}/api/auth/me`)).json()) as { csrfToken: string };
      const refused = await page.request.post(`${baseUrl}/api/alliances/${slug}/gap-analyses`, {
        headers: { 'x-csrf-token': me.csrfToken },
        data: { units: { kind: 'h3', resolution: 6 } },
      });
      expect(refused.status()).toBe(400);
      expect(((await refused.json()) as { message: string }).message).toMatch(/no region boundary/);

      // The settings form still saves: the removal moved the version it sends on.
      await page.getByLabel('Description').fill('Without a boundary for now.');
      await page.getByRole('button', { name: 'Save the settings' }).click();
      await expect
        .poll(() => page.locator('[data-testid="settings-saved"]').textContent(), { timeout: WAIT_MS })
        .toContain('saved');
    },
    TEST_MS,
  );

  it(
    'shows the public map with the alliance, now without boundary, among the others',
    async () => {
      await page.goto(`${baseUrl}/map`, { waitUntil: 'domcontentloaded' });
      await mapIdle(page, 'map');
      await page.selectOption('[data-testid="alliance-picker"]', slug);
      await mapIdle(page, 'map');
      await page.selectOption('[data-testid="alliance-picker"]', 'bordeaux');
      await mapIdle(page, 'map');
      expect(seen.pageErrors).toEqual([]);
    },
    TEST_MS,
  );

  it('leaves no page error, no console error and no request to another site', () => {
    expect(seen.pageErrors).toEqual([]);
    expect(seen.consoleErrors.filter((text) => !/status of 409/.test(text))).toEqual([]);
    expect(seen.foreignRequests).toEqual([]);
  });
});
