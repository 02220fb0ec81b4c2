import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import arabic from '../../web/src/find/i18n/messages/ar.json' with { type: 'json' };
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
} from './browserSession.js';
import { seriousAccessibilityViolations, sidewaysOverflow } from './pageChecks.js';
import { signInThroughApi } from './signIn.js';

const TEST_MS = 120_000;

const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'REPORTS BROWSER TESTS');

/** A comment no other report has, to find this one in the moderation list. */
const COMMENT = `Le panneau dit fermé le lundi ${Date.now()}`;

describe.skipIf(skip)('a newcomer’s report, from the finder to the editors’ list and resolved', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser(missing);
  }, TEST_MS);

  afterAll(async () => {
    await browser?.close();
  });

  it(
    'is sent by keyboard from a phone in Arabic, right to left, then corrected by an editor and kept in the history',
    async () => {
      const origin = new URL(baseUrl ?? '').origin;

      // The newcomer: a phone, the finder in Arabic, no account.
      const phoneContext = await browser.newContext({ viewport: PHONE, locale: 'ar', serviceWorkers: 'block' });
      const phone = await phoneContext.newPage();
      const phoneSeen = watchPage(phone, origin);
      const sent: { url: string; body: string | null; cookie: string | undefined }[] = [];
      phone.on('request', (request) => {
        if (request.method() === 'POST' && request.url().includes('/reports')) {
          sent.push({ url: request.url(), body: request.postData(), cookie: request.headers().cookie });
        }
      });
      await phone.goto(`${baseUrl}/find?region=bordeaux&need=work&lang=ar`, { waitUntil: 'domcontentloaded' });
      const first = phone.locator('[data-testid="results"] [data-service-id]').first();
      await first.waitFor({ timeout: WAIT_MS });
      await first.click();
      await phone.locator('#service-name').waitFor({ timeout: WAIT_MS });

      const open = phone.locator('[data-testid="report-open"]');
      await open.focus();
      await phone.keyboard.press('Enter');
      const dialog = phone.locator('[data-testid="report-dialog"]');
      await dialog.waitFor({ timeout: WAIT_MS });
      expect(await dialog.getAttribute('open')).not.toBeNull();
      expect(await phone.evaluate(() => document.documentElement.dir)).toBe('rtl');
      expect(await dialog.locator('legend').textContent()).toBe(arabic.report.whatIsWrong);

      // Sending without choosing says what is missing, and sends nothing.
      await phone.locator('[data-testid="report-send"]').focus();
      await phone.keyboard.press('Enter');
      expect(await phone.locator('[data-testid="report-problem-message"]').textContent()).toBe(
        arabic.report.chooseKind,
      );
      expect(sent).toEqual([]);

      // The keyboard alone: the first choice, then the next one with the arrow key.
      await phone.locator('[data-testid="report-kind-closed"]').focus();
      await phone.keyboard.press('Space');
      await phone.keyboard.press('ArrowDown');
      expect(await phone.locator('[data-testid="report-kind-moved"]').isChecked()).toBe(true);
      expect(await phone.locator('[data-testid="report-problem-message"]').count()).toBe(0);
      await phone.locator('[data-testid="report-comment"]').fill(COMMENT);
      expect(await sidewaysOverflow(phone)).toBeLessThanOrEqual(0);
      expect(await seriousAccessibilityViolations(phone)).toEqual([]);
      await phone.screenshot({ path: path.join(screenshotDir, 'report-dialog-ar-phone.png') });
      await phone.locator('[data-testid="report-send"]').focus();
      await phone.keyboard.press('Enter');
      const thanks = phone.locator('[data-testid="report-thanks"]');
      await thanks.waitFor({ timeout: WAIT_MS });
      expect(await thanks.textContent()).toBe(arabic.report.thanks);
      expect(sent).toHaveLength(1);
      expect(JSON.parse(sent[0]!.body ?? '{}')).toEqual({ kind: 'moved', comment: COMMENT, language: 'ar' });
      expect(sent[0]!.cookie).toBeUndefined();

      // Escape closes the dialog and hands focus back to the button that opened it.
      await phone.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached', timeout: WAIT_MS });
      expect(await open.evaluate((button) => button === document.activeElement)).toBe(true);
      expect(phoneSeen.pageErrors).toEqual([]);
      expect(phoneSeen.consoleErrors).toEqual([]);
      expect(phoneSeen.foreignRequests).toEqual([]);
      await phoneContext.close();

      // The editor: the Reports tab, its badge, the report with its service (by its own name), one click.
      const desk = await browser.newContext({ viewport: DESKTOP });
      await signInThroughApi(desk, e2eAccounts.editor);
      const serviceId = /\/api\/services\/([^/]+)\/reports/.exec(sent[0]!.url)?.[1] ?? '';
      const service = await desk.request.get(`${baseUrl}/api/services/${serviceId}`);
      expect(service.status()).toBe(200);
      const serviceName = ((await service.json()) as { name: string }).name;
      const page = await desk.newPage();
      const seen = watchPage(page, origin);
      await page.goto(`${baseUrl}/map#/alliance/bordeaux/reports`, { waitUntil: 'domcontentloaded' });
      await page.locator('[data-testid="reports-badge"]').waitFor({ timeout: WAIT_MS });
      const row = page.locator('[data-testid="report"]', { hasText: COMMENT });
      await row.waitFor({ timeout: WAIT_MS });
      expect(await row.getAttribute('data-kind')).toBe('moved');
      expect(await row.textContent()).toContain(serviceName);
      expect(await row.textContent()).toContain('written in Arabic');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await page.screenshot({ path: path.join(screenshotDir, 'reports-tab.png') });
      await row.locator('[data-testid="report-corrected"]').click();
      await row.waitFor({ state: 'detached', timeout: WAIT_MS });

      await page.locator('[data-testid="reports-show-resolved"]').click();
      const resolved = page.locator('[data-testid="report"]', { hasText: COMMENT });
      await resolved.waitFor({ timeout: WAIT_MS });
      expect(await resolved.locator('[data-testid="report-resolution"]').textContent()).toContain(
        `Corrected by ${e2eAccounts.editor.name}`,
      );
      expect(await resolved.locator('[data-testid="report-corrected"]').count()).toBe(0);

      // The report's link opens its service on the map, where the editor corrects it.
      await resolved.getByRole('link', { name: serviceName }).click();
      const detail = page.locator('[data-testid="service-detail"] h2', { hasText: serviceName });
      await detail.waitFor({ timeout: WAIT_MS });

      // The history says who resolved which service's report.
      await page.goto(`${baseUrl}/map#/alliance/bordeaux/history`, { waitUntil: 'domcontentloaded' });
      await page
        .getByText(`${e2eAccounts.editor.name} changed the report about “${serviceName}”`)
        .first()
        .waitFor({ timeout: WAIT_MS });
      expect(seen.pageErrors).toEqual([]);
      expect(seen.consoleErrors).toEqual([]);
      await desk.close();
    },
    TEST_MS,
  );
});
