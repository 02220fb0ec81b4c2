import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
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
import { seriousAccessibilityViolations, sidewaysOverflow } from './pageChecks.js';
import { openSignedInPage } from './signIn.js';

const TEST_MS = 60_000;

const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'KEEPING THE MAP TRUE BROWSER TESTS');

/**
 * A service of its own, never checked, so that it is overdue: inactive, as the finder and gap analysis suites count
 * Bordeaux's active services. Its organisation is deleted at the end.
 */
const ORGANIZATION_NAME = `Zz Freshness test ${Date.now()}`;
const SERVICE_NAME = `Zz Freshness test advice ${Date.now()}`;

describe.skipIf(skip)('the services to check', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let seen: PageWatch;
  let csrfToken = '';
  let organizationId = '';
  let serviceId = '';

  beforeAll(async () => {
    ({ browser, context, page, seen, csrfToken } = await openSignedInPage(missing, e2eAccounts.editor));
    const headers = { 'x-csrf-token': csrfToken };
    const created = await context.request.post(`${baseUrl}/api/organizations`, {
      headers,
      data: {
        alliance: 'bordeaux',
        name: ORGANIZATION_NAME,
        location: { lat: 44.8378, lon: -0.5792, town: 'Bordeaux', precision: 'town' },
      },
    });
    expect(created.status()).toBe(201);
    organizationId = ((await created.json()) as { id: string }).id;
    const service = await context.request.post(`${baseUrl}/api/services`, {
      headers,
      data: { organizationId, name: SERVICE_NAME, category: 'social_action', status: 'inactive' },
    });
    expect(service.status()).toBe(201);
    serviceId = ((await service.json()) as { id: string }).id;
  }, TEST_MS);

  afterAll(async () => {
    if (organizationId) {
      const removed = await context.request.delete(`${baseUrl}/api/organizations/${organizationId}`, {
        headers: { 'x-csrf-token': csrfToken },
      });
      expect(removed.status()).toBe(204);
    }
    await browser?.close();
  }, TEST_MS);

  it(
    'shows an editor an overdue service, which leaves the list once they say it is still true',
    async () => {
      await page.goto(`${baseUrl}/map#/alliance/bordeaux/to-check`, { waitUntil: 'domcontentloaded' });
      const list = page.locator('[data-testid="services-to-check"]');
      const item = list.locator(`[data-testid="service-to-check"][data-service-id="${serviceId}"]`);
      await expect.poll(() => item.count(), { timeout: WAIT_MS }).toBe(1);
      expect(await item.textContent()).toContain('Never checked');

      // The organisation filter leaves its services only.
      await list.getByLabel('Organisation').selectOption({ label: ORGANIZATION_NAME });
      await expect.poll(() => list.locator('[data-testid="service-to-check"]').count(), { timeout: WAIT_MS }).toBe(1);
      expect(await list.getByRole('heading', { level: 3 }).allTextContents()).toEqual([ORGANIZATION_NAME]);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await page.screenshot({ path: path.join(screenshotDir, 'to-check-desktop.png'), fullPage: true });

      await item.getByRole('button', { name: 'Still true' }).click();
      await expect
        .poll(() => list.locator('[data-testid="to-check-notice"]').textContent(), { timeout: WAIT_MS })
        .toBe(`“${SERVICE_NAME}” is checked and leaves the list.`);
      expect(await item.count()).toBe(0);

      await page.reload({ waitUntil: 'domcontentloaded' });
      await expect
        .poll(() => page.locator('[data-testid="services-to-check"] [data-testid="service-to-check"]').count(), {
          timeout: WAIT_MS,
        })
        .toBeGreaterThan(0);
      expect(await page.locator(`[data-service-id="${serviceId}"]`).count()).toBe(0);
    },
    TEST_MS,
  );

  it(
    'says in the service’s detail that it was checked today, by the editor',
    async () => {
      const answer = await context.request.get(`${baseUrl}/api/services/${serviceId}`);
      const service = (await answer.json()) as { checkedOn: string; verifiedVia: string };
      expect(service.verifiedVia).toBe('editor');
      const today = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' }).format(
        new Date(`${service.checkedOn}T12:00:00Z`),
      );
      expect(service.checkedOn).toBe(new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date()));

      await page.goto(`${baseUrl}/map#/service/${serviceId}`, { waitUntil: 'domcontentloaded' });
      const checked = page.locator('[data-testid="service-checked"]');
      await expect.poll(() => checked.textContent(), { timeout: WAIT_MS }).toBe(`Checked on ${today} by Eli Editor`);
      expect(await page.locator('[data-testid="service-check"] [data-testid="service-age"]').textContent()).toContain(
        'Up to date',
      );

      await page.setViewportSize(PHONE);
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(screenshotDir, 'service-checked-phone.png') });
    },
    TEST_MS,
  );

  it('raised no page error, no console error, and requested nothing elsewhere', () => {
    expect(seen).toEqual({ pageErrors: [], consoleErrors: [], foreignRequests: [] });
  });
});
