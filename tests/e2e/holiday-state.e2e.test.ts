import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eAccounts } from '../support/e2eServer.js';
import {
  PHONE,
  WAIT_MS,
  baseUrl,
  launchBrowser,
  missingPrerequisite,
  screenshotDir,
  skipLoudly,
  watchPage,
} from './browserSession.js';
import { seriousAccessibilityViolations, sidewaysOverflow } from './pageChecks.js';
import { signInThroughApi } from './signIn.js';

const TEST_MS = 90_000;
/** Unique per run: reruns and the other suites share the test server. */
const slug = `feiertage-${Date.now().toString(36)}`;

const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'HOLIDAY STATE BROWSER TESTS');

describe.skipIf(skip)('choosing the Land whose public holidays an alliance in Germany follows', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser(missing);
  }, TEST_MS);

  afterAll(async () => {
    await browser?.close();
  });

  it(
    'offers the Länder in Settings and saves the one chosen',
    async () => {
      const context = await browser.newContext({ viewport: PHONE });
      const csrfToken = await signInThroughApi(context, e2eAccounts.founder);
      const created = await context.request.post(`${baseUrl}/api/alliances`, {
        headers: { 'x-csrf-token': csrfToken },
        data: { slug, name: 'Feiertage Testregion', country: 'DE', timezone: 'Europe/Berlin', languages: ['de'] },
      });
      expect(created.status(), await created.text()).toBe(201);
      expect((await created.json()).holidayState).toBeNull();

      const page = await context.newPage();
      const seen = watchPage(page, new URL(baseUrl ?? '').origin);
      await page.goto(`${baseUrl}/map#/alliance/${slug}/settings`, { waitUntil: 'domcontentloaded' });
      const select = page.locator('[data-testid="settings-holiday-state"]');
      await select.waitFor({ timeout: WAIT_MS });
      const options = await select.locator('option').allTextContents();
      expect(options).toContain('Bayern');
      expect(options).toHaveLength(17);
      await select.selectOption('Bayern');
      await select.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(screenshotDir, 'alliance-settings-holiday-state-phone.png') });
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      await page.getByRole('button', { name: 'Save the settings' }).click();
      await expect
        .poll(() => page.locator('[data-testid="settings-saved"]').textContent(), { timeout: WAIT_MS })
        .toContain('saved');
      const saved = await (await context.request.get(`${baseUrl}/api/alliances/${slug}`)).json();
      expect(saved.holidayState).toBe('Bayern');
      expect(seen.pageErrors).toEqual([]);
      expect(seen.consoleErrors).toEqual([]);
      expect(seen.foreignRequests).toEqual([]);
      await context.close();
    },
    TEST_MS,
  );
});
