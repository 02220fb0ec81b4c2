import path from 'node:path';
import type { APIRequestContext, Browser, BrowserContext, Page } from 'playwright-core';
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
  watchPage,
  type PageWatch,
} from './browserSession.js';
import { seriousAccessibilityViolations, sidewaysOverflow } from './pageChecks.js';
import { openSignedInPage, signInThroughApi } from './signIn.js';

const TEST_MS = 60_000;

const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'ORGANISATION PLACES BROWSER TESTS');

/**
 * The workspace suite edits the register's first organisation by name: this one's name sorts last, it has no member
 * role (the sector balance counts members) and its service is inactive (the finder and gap analysis suites count
 * Bordeaux's active services). It is deleted at the end.
 */
const ORGANIZATION_NAME = `Zz Places test ${Date.now()}`;
const SERVICE_NAME = `Zz Places test advice ${Date.now()}`;

interface OrganizationAnswer {
  id: string;
  locations: { id: string; address: string | null }[];
}

describe.skipIf(skip)('an organisation’s places in the register', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let seen: PageWatch;
  let csrfToken = '';
  let organizationId = '';
  let firstPlaceId = '';
  let secondPlaceId = '';

  async function organizationNow(request: APIRequestContext): Promise<OrganizationAnswer> {
    const answer = await request.get(`${baseUrl}/api/organizations/${organizationId}`);
    expect(answer.status()).toBe(200);
    return (await answer.json()) as OrganizationAnswer;
  }

  beforeAll(async () => {
    ({ browser, context, page, seen, csrfToken } = await openSignedInPage(missing, e2eAccounts.editor));
    const headers = { 'x-csrf-token': csrfToken };

    const created = await context.request.post(`${baseUrl}/api/organizations`, {
      headers,
      data: {
        alliance: 'bordeaux',
        name: ORGANIZATION_NAME,
        location: {
          lat: 44.8378,
          lon: -0.5792,
          address: '1 place Pey Berland',
          postalCode: '33000',
          town: 'Bordeaux',
          precision: 'exact',
        },
      },
    });
    expect(created.status()).toBe(201);
    const organization = (await created.json()) as OrganizationAnswer;
    organizationId = organization.id;
    firstPlaceId = organization.locations[0]!.id;

    const second = await context.request.post(`${baseUrl}/api/organizations/${organizationId}/locations`, {
      headers,
      data: {
        lat: 44.8412,
        lon: -0.5701,
        address: '40 quai des Chartrons',
        postalCode: '33300',
        town: 'Bordeaux',
        precision: 'street',
        hideAddress: true,
      },
    });
    expect(second.status()).toBe(201);
    secondPlaceId = ((await second.json()) as { id: string }).id;

    const service = await context.request.post(`${baseUrl}/api/services`, {
      headers,
      data: {
        organizationId,
        name: SERVICE_NAME,
        category: 'social_action',
        status: 'inactive',
        locationIds: [firstPlaceId],
      },
    });
    expect(service.status()).toBe(201);
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
    'lists both places, refuses to delete the only place of a service, and deletes the other one',
    async () => {
      await page.goto(`${baseUrl}/map#/alliance/bordeaux/register`, { waitUntil: 'domcontentloaded' });
      await page.getByRole('button', { name: `Edit ${ORGANIZATION_NAME}` }).click();
      const places = page.locator('[data-testid="organization-places"]');
      const items = places.locator('[data-testid="organization-place"]');
      await expect.poll(() => items.count(), { timeout: WAIT_MS }).toBe(2);

      const first = places.locator(`[data-place-id="${firstPlaceId}"]`);
      const second = places.locator(`[data-place-id="${secondPlaceId}"]`);
      expect(await first.textContent()).toContain('1 place Pey Berland, 33000 Bordeaux');
      expect(await first.textContent()).toContain('Precision: exact');
      expect(await first.locator('[data-testid="place-service-count"]').textContent()).toBe('1 service offered here');
      expect(await second.textContent()).toContain('40 quai des Chartrons, 33300 Bordeaux');
      expect(await second.textContent()).toContain('address hidden');
      expect(await second.locator('[data-testid="place-service-count"]').textContent()).toBe('No service offered here');

      await first.getByRole('button', { name: 'Delete this place' }).click();
      expect(await first.textContent()).toContain('The place is removed from the map; History can bring it back.');
      // The confirmation takes the focus, so that the keyboard goes on from there.
      await page.keyboard.press('Enter');
      const refusal = first.getByRole('alert');
      await expect.poll(() => refusal.textContent(), { timeout: WAIT_MS }).toContain(SERVICE_NAME);
      expect(await items.count()).toBe(2);
      await page.screenshot({ path: path.join(screenshotDir, 'places-refused-desktop.png'), fullPage: true });

      await second.getByRole('button', { name: 'Delete this place' }).click();
      await second.getByRole('button', { name: 'Yes, delete the place' }).click();
      await expect
        .poll(() => places.getByRole('status').textContent(), { timeout: WAIT_MS })
        .toBe('Place deleted. History can bring it back.');
      expect(await items.count()).toBe(1);
      expect(await second.count()).toBe(0);
      expect((await organizationNow(context.request)).locations.map((place) => place.id)).toEqual([firstPlaceId]);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await page.screenshot({ path: path.join(screenshotDir, 'places-deleted-desktop.png'), fullPage: true });

      await page.setViewportSize(PHONE);
      await first.getByRole('button', { name: 'Delete this place' }).click();
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      const button = await first.getByRole('button', { name: 'Yes, delete the place' }).boundingBox();
      expect(button?.height).toBeGreaterThanOrEqual(44);
      await places.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(screenshotDir, 'places-phone.png') });
      await first.getByRole('button', { name: 'Keep it' }).click();
      await page.setViewportSize(DESKTOP);
    },
    TEST_MS,
  );

  it(
    'shows a member the places without a way to delete them',
    async () => {
      const memberContext = await browser.newContext({ viewport: PHONE });
      try {
        await signInThroughApi(memberContext, e2eAccounts.member);
        const memberPage = await memberContext.newPage();
        const memberSeen = watchPage(memberPage, new URL(baseUrl ?? '').origin);
        await memberPage.goto(`${baseUrl}/map#/alliance/bordeaux/register`, { waitUntil: 'domcontentloaded' });
        await memberPage.getByRole('button', { name: `Places of ${ORGANIZATION_NAME}` }).click();
        const places = memberPage.locator('[data-testid="organization-places"]');
        await expect
          .poll(() => places.locator('[data-testid="organization-place"]').count(), { timeout: WAIT_MS })
          .toBe(1);
        expect(await places.textContent()).toContain('1 service offered here');
        expect(await places.getByRole('button').count()).toBe(0);
        expect(await sidewaysOverflow(memberPage)).toBeLessThanOrEqual(0);
        await memberPage.screenshot({ path: path.join(screenshotDir, 'places-member-phone.png') });

        await memberPage.getByRole('button', { name: 'Back to the register' }).click();
        await expect
          .poll(() => memberPage.evaluate(() => document.activeElement?.getAttribute('aria-label')))
          .toBe(`Places of ${ORGANIZATION_NAME}`);
        expect(memberSeen).toEqual({ pageErrors: [], consoleErrors: [], foreignRequests: [] });
      } finally {
        await memberContext.close();
      }
    },
    TEST_MS,
  );

  it('raised no page error, no console error but the refused deletion’s, and requested nothing elsewhere', () => {
    expect(seen.pageErrors).toEqual([]);
    // The refused deletion is answered 409, which Chromium reports on the console.
    expect(seen.consoleErrors.filter((text) => !/status of 409/.test(text))).toEqual([]);
    expect(seen.foreignRequests).toEqual([]);
  });
});
