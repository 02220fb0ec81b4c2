import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import english from '../../web/src/find/i18n/messages/en.json' with { type: 'json' };
import german from '../../web/src/find/i18n/staff/de.json' with { type: 'json' };
import greek from '../../web/src/find/i18n/staff/el.json' with { type: 'json' };
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
import { sidewaysOverflow } from './pageChecks.js';

const TEST_MS = 90_000;

const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'STAFF CARD BROWSER TESTS');

describe.skipIf(skip)('the card a newcomer shows to the staff, in the language of the alliance’s country', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser(missing);
  }, TEST_MS);

  afterAll(async () => {
    await browser?.close();
  });

  /**
   * Opens the first "work" service of the Bordeaux demo region, its directory answered as if the alliance were in
   * `country` and worked in `languages` (the shared server's alliances stay as they are), and shows its staff card.
   */
  async function staffCardIn(country: string, languages: string[], screenshot: string) {
    const context = await browser.newContext({ viewport: PHONE, locale: 'en-GB', serviceWorkers: 'block' });
    const page = await context.newPage();
    const seen = watchPage(page, new URL(baseUrl ?? '').origin);
    await page.route('**/api/alliances/bordeaux/directory**', async (route) => {
      const response = await route.fetch();
      const directory = await response.json();
      await route.fulfill({
        response,
        json: { ...directory, alliance: { ...directory.alliance, country, languages } },
      });
    });
    await page.goto(`${baseUrl}/find?region=bordeaux&need=work`, { waitUntil: 'domcontentloaded' });
    const first = page.locator('[data-testid="results"] [data-service-id]').first();
    await first.waitFor({ timeout: WAIT_MS });
    await first.click();
    await page.locator('[data-testid="show-staff"]').click();
    const staff = page.locator('[data-testid="staff-card"]');
    await staff.waitFor({ timeout: WAIT_MS });
    const local = staff.locator('[data-testid="staff-local"]');
    await local.waitFor({ timeout: WAIT_MS });
    await page.screenshot({ path: path.join(screenshotDir, screenshot) });
    const result = {
      lang: await local.getAttribute('lang'),
      dir: await local.getAttribute('dir'),
      local: (await local.textContent()) ?? '',
      own: (await staff.locator('[data-testid="staff-own"]').textContent()) ?? '',
      overflow: await sidewaysOverflow(page),
      seen,
    };
    await context.close();
    return result;
  }

  it(
    'writes it in German for an alliance in Germany that lists only English',
    async () => {
      const card = await staffCardIn('DE', ['en'], 'staff-card-de-phone.png');
      expect(card.lang).toBe('de');
      expect(card.dir).toBe('ltr');
      expect(card.local).toContain(german.staff.request.replace('{need}', german.need.work));
      expect(card.own).toContain(english.need.work);
      expect(card.overflow).toBeLessThanOrEqual(0);
      expect(card.seen.pageErrors).toEqual([]);
      expect(card.seen.consoleErrors).toEqual([]);
    },
    TEST_MS,
  );

  it(
    'writes it in Greek for an alliance in Cyprus that works in Greek',
    async () => {
      const card = await staffCardIn('CY', ['el', 'tr', 'en'], 'staff-card-el-phone.png');
      expect(card.lang).toBe('el');
      expect(card.local).toContain(greek.staff.request.replace('{need}', greek.need.work));
      expect(card.overflow).toBeLessThanOrEqual(0);
      expect(card.seen.pageErrors).toEqual([]);
      expect(card.seen.consoleErrors).toEqual([]);
    },
    TEST_MS,
  );
});
