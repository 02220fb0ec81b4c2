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
import { seriousAccessibilityViolations, sidewaysOverflow } from './pageChecks.js';
import { openServiceDetail, serviceListItem } from './mapPage.js';
import { signInThroughApi, type E2eAccount } from './signIn.js';

const TEST_MS = 60_000;
/** A Bordeaux service no other browser suite touches: the suites share one test server. */
const SERVICE_NAME = 'Ovale Citoyen';

const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'MAP EDITING BROWSER TESTS');

interface ServiceAnswer {
  id: string;
  name: string;
  openingHours: string | null;
  version: number;
  locations: { id: string; lat: number; lon: number; precision: string; version: number }[];
}

/** A browser context signed in as `account`: the login answer's cookie stays in the context. */
async function signedInContext(
  browser: Browser,
  account: E2eAccount,
  viewport: { width: number; height: number },
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport });
  await signInThroughApi(context, account);
  return context;
}

async function serviceById(page: Page, id: string): Promise<ServiceAnswer> {
  const answer = await page.request.get(`${baseUrl}/api/services/${id}`);
  expect(answer.status()).toBe(200);
  return (await answer.json()) as ServiceAnswer;
}

describe.skipIf(skip)('editing services on the map', () => {
  let browser: Browser;
  let editor: BrowserContext;
  let page: Page;
  let seen: PageWatch;
  let serviceId = '';
  let before: ServiceAnswer;
  const newName = `${SERVICE_NAME} — edited ${Date.now()}`;
  const newHours = 'Mo-Fr 09:00-12:00,14:00-17:00';

  beforeAll(async () => {
    browser = await launchBrowser(missing);
    editor = await signedInContext(browser, e2eAccounts.editor, DESKTOP);
    page = await editor.newPage();
    seen = watchPage(page, new URL(baseUrl ?? '').origin);
    const list = await page.request.get(`${baseUrl}/api/services?alliance=bordeaux&limit=500`);
    const items = ((await list.json()) as { items: { id: string; name: string }[] }).items;
    // A run before may have renamed it: its name starts the same.
    const service = items.find((item) => item.name.startsWith(SERVICE_NAME));
    if (!service) throw new Error(`No Bordeaux service named ${SERVICE_NAME}`);
    serviceId = service.id;
    before = await serviceById(page, serviceId);
  }, TEST_MS);

  afterAll(async () => {
    await browser?.close();
  });

  it(
    'lets the editor change the name and opening hours, showing the server’s words for hours it cannot read',
    async () => {
      await openServiceDetail(page, serviceId);
      await page.getByRole('button', { name: 'Edit', exact: true }).click();
      const form = page.locator('[data-testid="service-edit-form"]');
      await form.waitFor({ timeout: WAIT_MS });

      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await page.screenshot({ path: path.join(screenshotDir, 'map-editing-form-desktop.png') });

      await form.getByLabel('Name', { exact: true }).fill(newName);
      await form.getByLabel('Opening hours').fill('Mo-Fr 25:00-26:00');
      await form.getByRole('button', { name: 'Save the changes' }).click();
      const hoursError = form.locator('[data-testid="hours-error"]');
      await hoursError.waitFor({ timeout: WAIT_MS });
      expect(await hoursError.textContent()).toMatch(/opening hours are not valid/i);

      await form.getByLabel('Opening hours').fill(newHours);
      await form.getByRole('button', { name: 'Save the changes' }).click();
      await page.locator('[data-testid="service-edit-notice"]').waitFor({ timeout: WAIT_MS });
      expect(await page.locator('[data-testid="service-detail"] h2').textContent()).toBe(newName);
      expect(await page.locator('[data-testid="service-opening-hours"]').textContent()).toBe(newHours);
      // The list and the map load the services again and carry the new name.
      await page.getByRole('button', { name: 'Back to the list' }).click();
      await expect
        .poll(() => page.locator(serviceListItem(serviceId)).textContent(), { timeout: WAIT_MS })
        .toContain(newName);
    },
    TEST_MS,
  );

  it(
    'moves the pin where the editor clicks on the map and saves it as an exact place',
    async () => {
      await page.locator(serviceListItem(serviceId)).click();
      await page.locator('[data-testid="move-pin"]').click();
      const form = page.locator('[data-testid="place-form"]');
      await form.waitFor({ timeout: WAIT_MS });
      // The test server has a geocoder (geocoding.e2e.test.ts uses it); the pin is placed by hand here.
      await form.locator('[data-testid="address-search"]').waitFor({ timeout: WAIT_MS });
      await page.locator('[data-testid="placing-hint"]').waitFor({ timeout: WAIT_MS });
      await page.screenshot({ path: path.join(screenshotDir, 'map-editing-placing-desktop.png') });

      // Escape stops waiting for the click; the button starts again.
      await page.keyboard.press('Escape');
      await page.locator('[data-testid="placing-hint"]').waitFor({ state: 'detached', timeout: WAIT_MS });
      await form.getByRole('button', { name: 'Click the map' }).click();
      await page.locator('[data-testid="placing-hint"]').waitFor({ timeout: WAIT_MS });

      const map = page.locator('[data-testid="map"]');
      const box = (await map.boundingBox())!;
      await map.click({ position: { x: Math.round(box.width * 0.3), y: Math.round(box.height * 0.7) } });
      await page.locator('[data-testid="pin-draft"]').waitFor({ timeout: WAIT_MS });
      const status = (await form.locator('[data-testid="pin-status"]').textContent()) ?? '';
      const [lat, lon] = (status.match(/-?\d+\.\d{6}/g) ?? []).map(Number);
      expect(lat).toBeTypeOf('number');
      expect(lon).toBeTypeOf('number');
      await page.screenshot({ path: path.join(screenshotDir, 'map-editing-pin-desktop.png') });

      await form.getByRole('button', { name: 'Save the place' }).click();
      await page.locator('[data-testid="service-edit-notice"]').waitFor({ timeout: WAIT_MS });

      const after = await serviceById(page, serviceId);
      expect(after.name).toBe(newName);
      expect(after.openingHours).toBe(newHours);
      expect(after.version).toBe(before.version + 1);
      expect(after.locations[0]?.lat).toBeCloseTo(lat!, 6);
      expect(after.locations[0]?.lon).toBeCloseTo(lon!, 6);
      expect(after.locations[0]?.precision).toBe('exact');
      expect(after.locations[0]?.version).toBe((before.locations[0]?.version ?? 0) + 1);
    },
    TEST_MS,
  );

  it(
    'tells a second session still on the old version that someone changed it, and keeps its text on reload',
    async () => {
      const other = await signedInContext(browser, e2eAccounts.editor, DESKTOP);
      const otherPage = await other.newPage();
      // The second session's form is opened on the version before the changes above, as if it was opened earlier.
      await otherPage.route(`**/api/services/${serviceId}`, async (route) => {
        if (route.request().method() !== 'GET') return route.continue();
        const response = await route.fetch();
        const current = (await response.json()) as ServiceAnswer;
        await route.fulfill({ response, json: { ...current, name: before.name, version: before.version } });
      });
      await openServiceDetail(otherPage, serviceId);
      await otherPage.getByRole('button', { name: 'Edit', exact: true }).click();
      const form = otherPage.locator('[data-testid="service-edit-form"]');
      await form.getByLabel('Who can use it').fill('Anyone over 16.');
      await form.getByRole('button', { name: 'Save the changes' }).click();

      const conflict = form.locator('[data-testid="service-conflict"]');
      await conflict.waitFor({ timeout: WAIT_MS });
      expect(await conflict.textContent()).toMatch(/Eli Editor changed this service at .*Reload it/);
      await otherPage.unroute(`**/api/services/${serviceId}`);
      await conflict.getByRole('button', { name: 'Reload their version' }).click();
      await form.locator('[data-testid="service-reloaded"]').waitFor({ timeout: WAIT_MS });
      expect(await form.getByLabel('Who can use it').inputValue()).toBe('Anyone over 16.');
      expect(await form.getByLabel('Name', { exact: true }).inputValue()).toBe(newName);
      await other.close();
    },
    TEST_MS,
  );

  it(
    'shows a member no edit controls',
    async () => {
      const member = await signedInContext(browser, e2eAccounts.member, DESKTOP);
      const memberPage = await member.newPage();
      await openServiceDetail(memberPage, serviceId);
      expect(await memberPage.locator('[data-testid="service-detail"] h2').textContent()).toBe(newName);
      expect(await memberPage.locator('[data-testid="service-edit-actions"]').count()).toBe(0);
      await memberPage.getByRole('button', { name: 'Back to the list' }).click();
      await memberPage.locator(serviceListItem(serviceId)).waitFor({ timeout: WAIT_MS });
      expect(await memberPage.locator('[data-testid="add-service"]').count()).toBe(0);
      await member.close();
    },
    TEST_MS,
  );

  it(
    'fits the edit form on a phone, without serious accessibility problems',
    async () => {
      const phone = await signedInContext(browser, e2eAccounts.editor, PHONE);
      const phonePage = await phone.newPage();
      await openServiceDetail(phonePage, serviceId);
      await phonePage.getByRole('button', { name: 'Edit', exact: true }).click();
      await phonePage.locator('[data-testid="service-edit-form"]').waitFor({ timeout: WAIT_MS });
      expect(await seriousAccessibilityViolations(phonePage)).toEqual([]);
      expect(await sidewaysOverflow(phonePage)).toBeLessThanOrEqual(0);
      await phonePage.screenshot({ path: path.join(screenshotDir, 'map-editing-form-phone.png') });
      await phone.close();
    },
    TEST_MS,
  );

  it('met no page errors, console errors or requests to another origin', () => {
    expect(seen.pageErrors).toEqual([]);
    // The browser logs the 400 the hours test asks for; anything else is a failure.
    expect(seen.consoleErrors.filter((message) => !message.includes('status of 400'))).toEqual([]);
    expect(seen.foreignRequests).toEqual([]);
  });
});
