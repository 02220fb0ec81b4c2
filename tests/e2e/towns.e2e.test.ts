import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eAccounts } from '../support/e2eServer.js';
import {
  DESKTOP,
  PHONE,
  WAIT_MS,
  baseUrl,
  launchBrowser,
  missingPrerequisite,
  screenshotDir,
  skipLoudly,
  watchPage,
  type PageWatch,
} from './browserSession.js';
import { openNewPlaceForm, openServiceDetail } from './mapPage.js';
import { seriousAccessibilityViolations, sidewaysOverflow } from './pageChecks.js';
import { signInThroughApi } from './signIn.js';

const TEST_MS = 90_000;
/** Unique per run: reruns and the other suites share the test server. */
const slug = `goettingen-${Date.now().toString(36)}`;
/** A region around Göttingen (51.534° N, 9.932° E), which no demo file knows. */
const [WEST, SOUTH, EAST, NORTH] = [9.6, 51.4, 10.3, 51.7];

const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'WORLDWIDE TOWNS BROWSER TESTS');

/** The names of the town labels the map shows now. */
function townLabels(page: Page): Promise<string[]> {
  return page.locator('.town-label').allTextContents();
}

describe.skipIf(skip)('towns of a region outside the demo', () => {
  let browser: Browser;
  let founder: BrowserContext;
  let serviceId: string;
  let organizationId: string;

  beforeAll(async () => {
    browser = await launchBrowser(missing);
    founder = await browser.newContext({ viewport: DESKTOP });
    const csrfToken = await signInThroughApi(founder, e2eAccounts.founder);
    const headers = { 'x-csrf-token': csrfToken };
    const ring = [
      [WEST, SOUTH],
      [EAST, SOUTH],
      [EAST, NORTH],
      [WEST, NORTH],
      [WEST, SOUTH],
    ];
    const created = await founder.request.post(`${baseUrl}/api/alliances`, {
      headers,
      data: {
        slug,
        name: 'Region Göttingen',
        country: 'DE',
        timezone: 'Europe/Berlin',
        languages: ['de'],
        boundary: { type: 'Polygon', coordinates: [ring] },
      },
    });
    expect(created.status(), await created.text()).toBe(201);
    // A service left where a careless import put it: in the region's south-west corner, far from any town.
    const organization = await founder.request.post(`${baseUrl}/api/organizations`, {
      headers,
      data: {
        alliance: slug,
        name: 'Beratung Südniedersachsen',
        location: { lat: 51.42, lon: 9.62, town: 'Göttingen' },
      },
    });
    expect(organization.status(), await organization.text()).toBe(201);
    organizationId = (await organization.json()).id;
    const service = await founder.request.post(`${baseUrl}/api/services`, {
      headers,
      data: { organizationId, name: 'Migrationsberatung', category: 'social_action' },
    });
    expect(service.status(), await service.text()).toBe(201);
    serviceId = (await service.json()).id;
  }, TEST_MS);

  afterAll(async () => {
    await browser?.close();
  });

  async function openPinForm(page: Page): Promise<void> {
    await openServiceDetail(page, serviceId, slug);
    await page.locator('[data-testid="move-pin"]').click();
    await page.locator('[data-testid="town-search"]').waitFor({ timeout: WAIT_MS });
  }

  it(
    'labels the towns of the new region on the workspace map',
    async () => {
      const page = await founder.newPage();
      const seen: PageWatch = watchPage(page, new URL(baseUrl ?? '').origin);
      await openServiceDetail(page, serviceId, slug);
      await expect.poll(() => townLabels(page), { timeout: WAIT_MS }).toContain('Göttingen');
      await page.screenshot({ path: path.join(screenshotDir, 'towns-new-region-desktop.png') });
      expect(seen.pageErrors).toEqual([]);
      expect(seen.consoleErrors).toEqual([]);
      expect(seen.foreignRequests).toEqual([]);
      await page.close();
    },
    TEST_MS,
  );

  it(
    'finds Göttingen by "gött" in the pin form and takes the map there, the pin waiting for a click',
    async () => {
      const page = await founder.newPage();
      const seen = watchPage(page, new URL(baseUrl ?? '').origin);
      await openPinForm(page);
      const search = page.locator('[data-testid="town-search"]');
      await search.getByLabel('Town name').fill('gött');
      await search.getByRole('button', { name: 'Find' }).click();
      const candidates = search.locator('[data-testid="town-candidate"]');
      await candidates.first().waitFor({ timeout: WAIT_MS });
      expect(await candidates.first().textContent()).toMatch(/^Göttingen DE · 122,149 inhabitants/);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await candidates.first().click();
      await expect
        .poll(() => search.locator('[data-testid="town-search-status"]').textContent(), { timeout: WAIT_MS })
        .toBe('The map shows Göttingen: click where the service is.');

      // The map's centre is where "Put it at the map's centre" puts the pin: Göttingen's, once the map has moved.
      const form = page.locator('[data-testid="place-form"]');
      await expect
        .poll(
          async () => {
            await form.getByRole('button', { name: "Put it at the map's centre" }).click();
            return form.locator('[data-testid="pin-status"]').textContent();
          },
          { timeout: WAIT_MS },
        )
        .toMatch(/New place: 51\.53\d+, 9\.93\d+\./);
      await expect.poll(() => townLabels(page), { timeout: WAIT_MS }).toContain('Göttingen');
      await page.screenshot({ path: path.join(screenshotDir, 'towns-search-moved-desktop.png') });
      await form.getByRole('button', { name: 'Cancel' }).click();
      expect(seen.pageErrors).toEqual([]);
      expect(seen.consoleErrors).toEqual([]);
      expect(seen.foreignRequests).toEqual([]);
      await page.close();
    },
    TEST_MS,
  );

  it(
    'starts a new place at the town chosen in "Add a service", at town level',
    async () => {
      const page = await founder.newPage();
      const seen = watchPage(page, new URL(baseUrl ?? '').origin);
      const form = await openNewPlaceForm(page, organizationId, slug);
      const search = form.locator('[data-testid="town-search"]');
      await search.getByLabel('Town name').fill('gött');
      await search.getByRole('button', { name: 'Find' }).click();
      const candidates = search.locator('[data-testid="town-candidate"]');
      await candidates.first().waitFor({ timeout: WAIT_MS });
      await candidates.first().click();
      expect(await search.locator('[data-testid="town-search-status"]').textContent()).toBe(
        'The new place starts at Göttingen; the next step lets you put its pin where the service is.',
      );
      expect(await form.getByLabel('Town', { exact: true }).inputValue()).toBe('Göttingen');
      await form.getByText(/The new place starts at the town of Göttingen/).waitFor({ timeout: WAIT_MS });
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await page.screenshot({ path: path.join(screenshotDir, 'towns-new-place-desktop.png') });

      await form.getByLabel('Name', { exact: true }).fill('Sprachcafé');
      await form.getByRole('button', { name: 'Add, then place its pin' }).click();
      await page.locator('[data-testid="place-form"]').waitFor({ timeout: WAIT_MS });
      const answer = await page.request.get(`${baseUrl}/api/organizations/${organizationId}`);
      const places = (await answer.json()).locations as { lat: number; lon: number; precision: string }[];
      const started = places.find((place) => place.precision === 'town' && Math.abs(place.lat - 51.534) < 0.01);
      expect(started, JSON.stringify(places)).toMatchObject({ lon: expect.closeTo(9.932, 2) });
      expect(seen.pageErrors).toEqual([]);
      expect(seen.consoleErrors).toEqual([]);
      await page.close();

      const phone = await browser.newContext({ viewport: PHONE });
      await signInThroughApi(phone, e2eAccounts.founder);
      const phonePage = await phone.newPage();
      const phoneForm = await openNewPlaceForm(phonePage, organizationId, slug);
      const phoneSearch = phoneForm.locator('[data-testid="town-search"]');
      await phoneSearch.getByLabel('Town name').fill('Dud');
      await phoneSearch.getByRole('button', { name: 'Find' }).click();
      await phoneSearch.locator('[data-testid="town-candidate"]').first().waitFor({ timeout: WAIT_MS });
      await phoneSearch.scrollIntoViewIfNeeded();
      expect(await sidewaysOverflow(phonePage)).toBeLessThanOrEqual(0);
      await phonePage.screenshot({ path: path.join(screenshotDir, 'towns-new-place-phone.png') });
      await phone.close();
    },
    TEST_MS,
  );

  it(
    'fits the towns found on a phone, each a large enough tap target',
    async () => {
      const phone = await browser.newContext({ viewport: PHONE });
      await signInThroughApi(phone, e2eAccounts.founder);
      const page = await phone.newPage();
      await openPinForm(page);
      const search = page.locator('[data-testid="town-search"]');
      await search.getByLabel('Town name').fill('Gott');
      await search.getByRole('button', { name: 'Find' }).click();
      const candidates = search.locator('[data-testid="town-candidate"]');
      await candidates.first().waitFor({ timeout: WAIT_MS });
      await candidates.first().scrollIntoViewIfNeeded();
      for (const candidate of await candidates.all()) {
        expect((await candidate.boundingBox())!.height).toBeGreaterThanOrEqual(44);
      }
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(screenshotDir, 'towns-search-phone.png') });
      await phone.close();
    },
    TEST_MS,
  );
});
