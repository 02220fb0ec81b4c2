import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
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
  type PageWatch,
} from './browserSession.js';
import { openAllianceMap } from './mapPage.js';
import { seriousAccessibilityViolations, sidewaysOverflow } from './pageChecks.js';
import { openSignedInPage, signInThroughApi } from './signIn.js';

const TEST_MS = 90_000;

/**
 * A partner's spreadsheet written by hand: six services of an organisation of the Gironde, named "… Estuaire" so
 * that no other suite's records look like them, one with a latitude of 100, and a phone column whose header
 * ("Joindre au") no guess recognises.
 */
const spreadsheet = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'fixtures',
  'imports',
  'ui-spreadsheet.csv',
);
const importedServices = [
  'Cours de français Estuaire',
  'Permanence juridique Estuaire',
  'Épicerie solidaire Estuaire',
  'Football pour tous Estuaire',
  'Atelier emploi Estuaire',
  'Accueil de jour Estuaire',
];
const importTab = `${baseUrl}/map#/alliance/bordeaux/import`;

const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'IMPORT SCREEN BROWSER TESTS');

/** The names the map's list shows for the alliance, once it has loaded. */
async function namesOnTheMap(page: Page): Promise<string[]> {
  await openAllianceMap(page, 'bordeaux');
  const items = page.locator('[data-testid="service-list-item"]');
  await items.first().waitFor({ timeout: WAIT_MS });
  return items.allTextContents();
}

/** Waits until the server has finished reading the file again: the preview is back and can be confirmed. */
async function previewSettled(page: Page): Promise<void> {
  await page.locator('[data-testid="import-preview"]').waitFor({ timeout: WAIT_MS });
  await expect.poll(() => page.locator('[data-testid="import-commit"]').isEnabled(), { timeout: WAIT_MS }).toBe(true);
}

/**
 * A screenshot of the whole tab for a person to look at: the workspace scrolls inside its own box, so the window is
 * made as tall as the page for the picture, then put back.
 */
async function screenshotWhole(page: Page, name: string): Promise<void> {
  const size = page.viewportSize() ?? DESKTOP;
  const height = await page.locator('[data-testid="import-tab"]').evaluate((tab) => tab.scrollHeight + 400);
  await page.setViewportSize({ width: size.width, height: Math.max(size.height, height) });
  await page.screenshot({ path: path.join(screenshotDir, name) });
  await page.setViewportSize(size);
}

function latitudeProblem(page: Page): Locator {
  return page.locator('[data-testid="import-problem"]', { hasText: /latitude/i });
}

describe.skipIf(skip)('the import screen', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let seen: PageWatch;
  let csrfToken = '';
  /** The import this suite committed, undone at the end even when a test fails half-way. */
  let importId: string | null = null;

  beforeAll(async () => {
    ({ browser, context, page, seen, csrfToken } = await openSignedInPage(missing, e2eAccounts.coordinator));
    page.on('response', async (response) => {
      if (response.request().method() === 'POST' && /\/api\/alliances\/bordeaux\/imports$/.test(response.url())) {
        importId = ((await response.json().catch(() => ({}))) as { id?: string }).id ?? importId;
      }
    });
  }, TEST_MS);

  afterAll(async () => {
    // Other suites read Bordeaux's services: what this one imported must not outlive it.
    if (importId) {
      const state = await context.request.get(`${baseUrl}/api/alliances/bordeaux/imports/${importId}`);
      const status = ((await state.json().catch(() => ({}))) as { status?: string }).status;
      if (status === 'committed') {
        await context.request.post(`${baseUrl}/api/alliances/bordeaux/imports/${importId}/undo`, {
          headers: { 'x-csrf-token': csrfToken },
        });
      } else if (status === 'preview') {
        await context.request.delete(`${baseUrl}/api/alliances/bordeaux/imports/${importId}`, {
          headers: { 'x-csrf-token': csrfToken },
        });
      }
    }
    await browser?.close();
  });

  it(
    'is not offered to a member',
    async () => {
      const memberContext = await browser.newContext({ viewport: DESKTOP });
      try {
        await signInThroughApi(memberContext, e2eAccounts.member);
        const memberPage = await memberContext.newPage();
        await memberPage.goto(`${baseUrl}/map#/alliance/bordeaux/register`, { waitUntil: 'domcontentloaded' });
        await memberPage.locator('[data-testid="tab-register"]').waitFor({ timeout: WAIT_MS });
        expect(await memberPage.locator('[data-testid="tab-import"]').count()).toBe(0);
      } finally {
        await memberContext.close();
      }
    },
    TEST_MS,
  );

  it(
    'states the size limit before a file is chosen',
    async () => {
      await page.goto(importTab, { waitUntil: 'domcontentloaded' });
      expect(await page.locator('[data-testid="tab-import"]').getAttribute('aria-current')).toBe('page');
      await expect
        .poll(() => page.locator('[data-testid="import-limit"]').textContent(), { timeout: WAIT_MS })
        .toMatch(/up to \d[\d.,]* [MkG]B/);
      await screenshotWhole(page, 'imports-upload-desktop.png');
    },
    TEST_MS,
  );

  it(
    'gives the data back as HSDS, data·inclusion and spreadsheets, each link a download that answers',
    async () => {
      const links = page.locator('[data-testid="import-exports"] a');
      const hrefs = await links.evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href') ?? ''));
      expect(hrefs).toEqual([
        '/api/alliances/bordeaux/exports/hsds.zip',
        '/api/alliances/bordeaux/exports/data-inclusion.json',
        '/api/alliances/bordeaux/exports/services.csv',
        '/api/alliances/bordeaux/exports/services.csv?separator=semicolon',
      ]);
      for (const href of hrefs) {
        const answer = await context.request.get(`${baseUrl}${href}`);
        expect(answer.status(), href).toBe(200);
      }
      expect(await links.last().textContent()).toMatch(/Excel in French/);
    },
    TEST_MS,
  );

  it(
    'refuses a file no reader takes before sending it, and shows the server’s words for a file it cannot read',
    async () => {
      const input = page.locator('[data-testid="import-file"]');
      await input.setInputFiles({ name: 'partners.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7') });
      await page.locator('[data-testid="import-start"]').click();
      await expect
        .poll(() => page.locator('[data-testid="import-file-problem"]').textContent(), { timeout: WAIT_MS })
        .toContain('“partners.pdf” is not a kind of file');

      await input.setInputFiles({ name: 'services.json', mimeType: 'application/json', buffer: Buffer.from('{ oops') });
      await page.locator('[data-testid="import-start"]').click();
      const refusal = page.locator('[data-testid="import-error"]');
      await refusal.waitFor({ timeout: WAIT_MS });
      // The server's sentence, not a status code or a generic failure of the page's own.
      expect((await refusal.textContent())?.trim()).toMatch(/^[A-Z“"].{20,}/);
      expect(await refusal.textContent()).not.toMatch(/could not be sent|Bad Request/);
      expect(await page.locator('[data-testid="import-preview"]').count()).toBe(0);
    },
    TEST_MS,
  );

  it(
    'reads a spreadsheet into a preview',
    async () => {
      await page.locator('[data-testid="import-file"]').setInputFiles(spreadsheet);
      await page.getByLabel('Source name (optional)').fill('Estuaire partner spreadsheet');
      await page.locator('[data-testid="import-start"]').click();
      await previewSettled(page);
      expect(importId).not.toBeNull();

      const counts = page.locator('[data-testid="import-counts"]');
      expect(Number(await counts.locator('[data-count="new"] dd').textContent())).toBeGreaterThanOrEqual(5);
      // The problem rows are a request of their own, made once the preview is there.
      await expect.poll(() => latitudeProblem(page).count(), { timeout: WAIT_MS }).toBeGreaterThan(0);
    },
    TEST_MS,
  );

  it(
    'maps the column no guess recognised, and takes a category for services the file gives none',
    async () => {
      const column = page.locator('[data-testid="import-column"][data-header="Joindre au"]');
      const select = column.getByRole('combobox');
      expect(await select.inputValue()).toBe('');
      await select.selectOption({ label: 'Phone' });
      await previewSettled(page);
      await expect.poll(() => select.inputValue(), { timeout: WAIT_MS }).toBe('service.phone');

      const defaultCategory = page.locator('[data-testid="import-default-category"]');
      if ((await defaultCategory.inputValue()) !== 'social_action') {
        await defaultCategory.selectOption('social_action');
        await previewSettled(page);
        await expect.poll(() => defaultCategory.inputValue(), { timeout: WAIT_MS }).toBe('social_action');
      }
    },
    TEST_MS,
  );

  it(
    'fixes the row with a latitude of 100 in the page',
    async () => {
      await latitudeProblem(page).first().locator('[data-testid="import-fix"]').click();
      const form = page.locator('[data-testid="import-fix-form"]');
      await form.getByLabel('Column').selectOption('Latitude');
      await form.getByLabel('New value').fill('44.8555');
      await screenshotWhole(page, 'imports-fix-desktop.png');
      await form.getByRole('button', { name: 'Save and read again' }).click();

      await expect.poll(() => latitudeProblem(page).count(), { timeout: WAIT_MS }).toBe(0);
      await previewSettled(page);
      expect(await page.locator('[data-testid="import-counts"] [data-count="errors"] dd').textContent()).toBe('0');
    },
    TEST_MS,
  );

  it(
    'lays the preview out for a phone and a desktop, with nothing an accessibility check calls serious',
    async () => {
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      await screenshotWhole(page, 'imports-preview-desktop.png');

      await page.setViewportSize(PHONE);
      try {
        await previewSettled(page);
        expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        await screenshotWhole(page, 'imports-preview-phone.png');
      } finally {
        await page.setViewportSize(DESKTOP);
      }
    },
    TEST_MS,
  );

  it(
    'confirms the import, and the services are on the map',
    async () => {
      await page.locator('[data-testid="import-commit"]').click();
      const report = page.locator('[data-testid="import-report"]');
      await report.waitFor({ timeout: WAIT_MS });
      expect(Number(await report.locator('[data-testid="import-report-created"]').textContent())).toBeGreaterThan(0);
      await screenshotWhole(page, 'imports-report-desktop.png');

      const map = await context.newPage();
      try {
        const names = (await namesOnTheMap(map)).join('\n');
        for (const name of importedServices) expect(names).toContain(name);
      } finally {
        await map.close();
      }
    },
    TEST_MS,
  );

  it(
    'undoes the import after asking, and the services leave the map',
    async () => {
      await page.locator('[data-testid="import-undo"]').click();
      const dialog = page.locator('[data-testid="import-undo-dialog"]');
      await dialog.waitFor({ timeout: WAIT_MS });
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await page.screenshot({ path: path.join(screenshotDir, 'imports-undo-dialog-desktop.png') });
      await dialog.getByRole('button', { name: 'Yes, undo it' }).click();
      await expect
        .poll(() => page.locator('[data-testid="import-notice"]').textContent(), { timeout: WAIT_MS })
        .toMatch(/undone/);
      await expect
        .poll(
          () =>
            page
              .locator(`[data-testid="import-past-row"][data-status="undone"]`, { hasText: 'ui-spreadsheet' })
              .count(),
          { timeout: WAIT_MS },
        )
        .toBeGreaterThan(0);

      const map = await context.newPage();
      try {
        const names = (await namesOnTheMap(map)).join('\n');
        // The list did load: the demo services are there, only the imported ones are gone.
        expect(names).toContain('Fondation COS Alexandre Glasberg');
        for (const name of importedServices) expect(names).not.toContain(name);
      } finally {
        await map.close();
      }
    },
    TEST_MS,
  );

  it('raised no page error, console error or request to another site', () => {
    expect(seen.pageErrors).toEqual([]);
    // The unreadable file is answered 400, which Chromium reports on the console.
    expect(seen.consoleErrors.filter((text) => !/status of 400/.test(text))).toEqual([]);
    expect(seen.foreignRequests).toEqual([]);
  });
});
