import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eAccounts } from '../support/e2eServer.js';
import {
  PHONE,
  WAIT_MS,
  baseUrl,
  missingPrerequisite,
  screenshotDir,
  skipLoudly,
  type PageWatch,
} from './browserSession.js';
import { openNewPlaceForm } from './mapPage.js';
import { seriousAccessibilityViolations, sidewaysOverflow } from './pageChecks.js';
import { openSignedInPage, signInThroughApi } from './signIn.js';

const TEST_MS = 90_000;

const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'PLACING BROWSER TESTS');

/** Around Göttingen: a region outside the demo, as a coordinator starting from scratch has it. */
const goettingen = {
  type: 'Polygon',
  coordinates: [
    [
      [9.8, 51.45],
      [10.1, 51.45],
      [10.1, 51.62],
      [9.8, 51.62],
      [9.8, 51.45],
    ],
  ],
};

/**
 * A coordinator of a new alliance adds a service at a new place without an address: the place is not placed yet,
 * the workspace lists it under "Needs a place" with a badge, and placing it by a click on the map empties the list.
 */
describe.skipIf(skip)('placing a service honestly', () => {
  let browser: Browser;
  let page: Page;
  let seen: PageWatch;
  let csrfToken = '';
  const slug = `goettingen-${Date.now()}`;
  const serviceName = `Sozialberatung ${Date.now()}`;
  let organizationId = '';

  const post = async (url: string, data: object) => {
    const answer = await page.request.post(`${baseUrl}${url}`, { data, headers: { 'x-csrf-token': csrfToken } });
    expect(answer.status(), await answer.text()).toBe(201);
    return answer.json();
  };

  beforeAll(async () => {
    ({ browser, page, seen, csrfToken } = await openSignedInPage(missing, e2eAccounts.founder));
    await post('/api/alliances', {
      slug,
      name: 'Bündnis Göttingen',
      country: 'DE',
      timezone: 'Europe/Berlin',
      languages: ['de'],
      boundary: goettingen,
    });
    organizationId = (await post('/api/organizations', { alliance: slug, name: 'Diakonie Göttingen' })).id;
  }, TEST_MS);

  afterAll(async () => {
    await browser?.close();
  });

  const placesTab = async (target: Page) => {
    await target.goto(`${baseUrl}/map#/alliance/${slug}/places`, { waitUntil: 'domcontentloaded' });
    await target.locator('[data-testid="places-to-place"]').waitFor({ timeout: WAIT_MS });
    await target
      .locator('[data-testid="place-to-place"], [data-testid="places-to-place-empty"]')
      .first()
      .waitFor({ timeout: WAIT_MS });
  };

  it(
    'adds the service at a new place that says "Not placed yet" rather than standing at the centre of the area',
    async () => {
      const form = await openNewPlaceForm(page, organizationId, slug);
      await form.getByLabel('Town', { exact: true }).fill('Göttingen');
      await form.getByLabel('Name', { exact: true }).fill(serviceName);
      await form.getByText(/The new place is not placed yet/).waitFor({ timeout: WAIT_MS });
      await form.getByRole('button', { name: 'Add, then place its pin' }).click();

      const placeForm = page.locator('[data-testid="place-form"]');
      await placeForm.waitFor({ timeout: WAIT_MS });
      expect(await placeForm.locator('[data-testid="not-placed"]').textContent()).toContain('Not placed yet.');
      expect(await placeForm.locator('[data-testid="pin-status"]').textContent()).toContain('Not placed yet.');
      await page.screenshot({ path: path.join(screenshotDir, 'placing-not-placed-desktop.png') });
      await placeForm.getByRole('button', { name: 'Cancel' }).click();

      const nearby = await page.request.get(`${baseUrl}/api/services/nearby?lat=51.5413&lon=9.9158&radius_m=50000`);
      const names = ((await nearby.json()) as { items: { name: string }[] }).items.map((item) => item.name);
      expect(names).not.toContain(serviceName);
    },
    TEST_MS,
  );

  it(
    'lists the place under "Needs a place" with a badge, and places it by a click on the map',
    async () => {
      await placesTab(page);
      const item = page.locator('[data-testid="place-to-place"]');
      expect(await item.count()).toBe(1);
      expect(await item.textContent()).toContain('Not placed yet');
      expect(await item.textContent()).toContain(serviceName);
      expect(await item.textContent()).toContain('Added in the workspace');
      expect(await page.locator('[data-testid="places-badge"]').textContent()).toBe('1');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await page.screenshot({ path: path.join(screenshotDir, 'placing-list-desktop.png') });

      const phone = await browser.newContext({ viewport: PHONE });
      await signInThroughApi(phone, e2eAccounts.founder);
      const phonePage = await phone.newPage();
      await placesTab(phonePage);
      await phonePage.locator('[data-testid="place-to-place"]').waitFor({ timeout: WAIT_MS });
      expect(await sidewaysOverflow(phonePage)).toBeLessThanOrEqual(0);
      await phonePage.screenshot({ path: path.join(screenshotDir, 'placing-list-phone.png'), fullPage: true });
      await phone.close();

      await item.locator('[data-testid="place-it"]').click();
      const placeForm = page.locator('[data-testid="place-form"]');
      await placeForm.waitFor({ timeout: WAIT_MS });
      expect(await placeForm.locator('[data-testid="not-placed"]').textContent()).toContain('Not placed yet.');
      await page.locator('[data-testid="placing-hint"]').waitFor({ timeout: WAIT_MS });
      const map = page.locator('[data-testid="map"]');
      const box = (await map.boundingBox())!;
      await map.click({ position: { x: Math.round(box.width * 0.5), y: Math.round(box.height * 0.5) } });
      await page.locator('[data-testid="pin-draft"]').waitFor({ timeout: WAIT_MS });
      await page.screenshot({ path: path.join(screenshotDir, 'placing-pin-desktop.png') });
      await placeForm.getByRole('button', { name: 'Save the place' }).click();
      await page.locator('[data-testid="service-edit-notice"]').waitFor({ timeout: WAIT_MS });

      await placesTab(page);
      await page.locator('[data-testid="places-to-place-empty"]').waitFor({ timeout: WAIT_MS });
      expect(await page.locator('[data-testid="place-to-place"]').count()).toBe(0);
      expect(await page.locator('[data-testid="places-badge"]').count()).toBe(0);
      await page.screenshot({ path: path.join(screenshotDir, 'placing-list-empty-desktop.png') });
    },
    TEST_MS,
  );

  it('met no page errors, console errors or requests to another origin', () => {
    expect(seen.pageErrors).toEqual([]);
    expect(seen.consoleErrors).toEqual([]);
    expect(seen.foreignRequests).toEqual([]);
  });
});
