import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eAccounts } from '../support/e2eServer.js';
import {
  DESKTOP,
  PHONE,
  WAIT_MS,
  baseUrl,
  missingPrerequisite,
  screenshotDir,
  skipLoudly,
  type BrowserPage,
} from './browserSession.js';
import { openServiceDetail } from './mapPage.js';
import { openSignedInPage } from './signIn.js';

const TEST_MS = 90_000;

const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'CLOSURES BROWSER TESTS');

/** A calendar day (YYYY-MM-DD) plus `days`. */
function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/**
 * Whether the finder's "open now" list for Bordeaux shows the service named `name`. A row is found by its name: its
 * id there is its place in its part of the directory, not the service's own.
 */
async function inOpenNow(page: Page, name: string): Promise<boolean> {
  await page.goto(`${baseUrl}/find?region=bordeaux&open=1&lang=en`, { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid="results"], [data-testid="no-results"]').first().waitFor({ timeout: WAIT_MS });
  return (await page.locator('[data-testid="results"] [data-service-id]').filter({ hasText: name }).count()) > 0;
}

/**
 * The suite's own organisation and service, as in the places suite: a name that sorts last, no member role, a place
 * far from the finder suite's newcomer, and deleted at the end, so that no other suite's first row changes.
 */
const ORGANIZATION_NAME = `Zz Closures test ${Date.now()}`;
const SERVICE_NAME = `Zz Closures test shelter ${Date.now()}`;

describe.skipIf(skip)('a temporary closure, from the workspace to the finder', () => {
  let opened: BrowserPage & { csrfToken: string };
  let organizationId = '';
  let serviceId = '';
  /** The finder's entry for the service at its one place. */
  let entryId = '';

  beforeAll(async () => {
    opened = await openSignedInPage(missing, e2eAccounts.editor);
    const { page, csrfToken } = opened;
    const headers = { 'x-csrf-token': csrfToken };
    const organization = await page.request.post(`${baseUrl}/api/organizations`, {
      headers,
      data: {
        alliance: 'bordeaux',
        name: ORGANIZATION_NAME,
        location: { lat: 44.8867, lon: -0.5213, town: 'Lormont', address: '1 rue des Essais' },
      },
    });
    expect(organization.status()).toBe(201);
    organizationId = ((await organization.json()) as { id: string }).id;
    // Open at every hour: "open now" lists it whenever the test runs, until it closes.
    const service = await page.request.post(`${baseUrl}/api/services`, {
      headers,
      data: {
        organizationId,
        name: SERVICE_NAME,
        category: 'social_action',
        openingHours: '24/7',
      },
    });
    expect(service.status()).toBe(201);
    serviceId = ((await service.json()) as { id: string }).id;
    const directory = await page.request.get(`${baseUrl}/api/alliances/bordeaux/directory`);
    const entries = ((await directory.json()) as { services: { id: string; serviceId: string }[] }).services;
    entryId = entries.find((entry) => entry.serviceId === serviceId)!.id;
  }, TEST_MS);

  afterAll(async () => {
    if (organizationId) {
      await opened.context.request.delete(`${baseUrl}/api/organizations/${organizationId}`, {
        headers: { 'x-csrf-token': opened.csrfToken },
      });
    }
    await opened?.browser.close();
  });

  it(
    'lets an editor close a service until next week; the finder says so and leaves it out of "open now"',
    async () => {
      const { page, seen } = opened;
      expect(await inOpenNow(page, SERVICE_NAME)).toBe(true);

      await openServiceDetail(page, serviceId);
      const section = page.locator('[data-testid="closures"]');
      await section.waitFor({ timeout: WAIT_MS });
      await section.locator('[data-testid="add-closure"]').click();
      const form = section.locator('[data-testid="closure-form"]');
      const today = await form.getByLabel('First day').inputValue();
      const lastDay = addDays(today, 7);

      // A last day before the first is refused on the page, before anything is sent.
      await form.getByLabel('Last day').fill(addDays(today, -1));
      await form.locator('[data-testid="save-closure"]').click();
      expect(await form.locator('[data-testid="closure-problem"]').textContent()).toMatch(/before the first day/);

      await form.getByLabel('Last day').fill(lastDay);
      await form.getByLabel('Note (optional)').fill('Travaux');
      await form.locator('[data-testid="save-closure"]').click();
      await section.locator('[data-testid="closure"]').waitFor({ timeout: WAIT_MS });
      expect(await section.locator('[data-testid="closure"]').count()).toBe(1);
      await page.screenshot({ path: path.join(screenshotDir, 'closures-workspace-desktop.png') });

      const reopens = new Intl.DateTimeFormat('en', { day: 'numeric', month: 'long', timeZone: 'UTC' }).format(
        new Date(`${addDays(lastDay, 1)}T00:00:00Z`),
      );
      await page.goto(`${baseUrl}/find?region=bordeaux&service=${entryId}&lang=en`, { waitUntil: 'domcontentloaded' });
      const card = page.locator('[data-testid="service-card"]');
      await card.waitFor({ timeout: WAIT_MS });
      expect(await card.locator('[data-testid="open-status"]').textContent()).toBe(
        `Temporarily closed — reopens on ${reopens}`,
      );
      expect(await card.locator('[data-testid="checked"]').textContent()).toBe('Not checked yet');
      await page.setViewportSize(PHONE);
      await page.screenshot({ path: path.join(screenshotDir, 'closures-finder-card-phone.png') });
      await page.setViewportSize(DESKTOP);

      expect(await inOpenNow(page, SERVICE_NAME)).toBe(false);
      expect(seen.pageErrors).toEqual([]);
    },
    TEST_MS,
  );
});
