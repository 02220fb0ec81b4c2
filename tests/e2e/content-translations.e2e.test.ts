import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
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
  type PageWatch,
} from './browserSession.js';
import { serviceListItem } from './mapPage.js';
import { seriousAccessibilityViolations, sidewaysOverflow } from './pageChecks.js';
import { signInThroughApi } from './signIn.js';

const TEST_MS = 90_000;
const DESKTOP = { width: 1280, height: 900 };
/** Sentences the test server's LibreTranslate knows in French (tests/support/fakeLibreTranslate.ts). */
const ENGLISH = { description: 'Housing advice.', fees: '20 euros for the season.' };
const FRENCH_FEES = '20 euros la saison, payables en deux fois.';

const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'CONTENT TRANSLATION BROWSER TESTS');

describe.skipIf(skip)('translating a service and reading it in the finder', () => {
  let browser: Browser;
  let editor: BrowserContext;
  let page: Page;
  let seen: PageWatch;
  let serviceId = '';
  /** The finder's id of the service at its place. */
  let directoryId = '';
  const serviceName = `Housing desk for English speakers ${Date.now()}`;

  beforeAll(async () => {
    browser = await launchBrowser(missing);
    editor = await browser.newContext({ viewport: DESKTOP });
    const csrf = await signInThroughApi(editor, e2eAccounts.editor);
    const headers = { 'x-csrf-token': csrf };
    // A service written in English, so that French is a language to translate it into.
    const organization = await editor.request.post(`${baseUrl}/api/organizations`, {
      headers,
      data: {
        alliance: 'bordeaux',
        name: `English speakers' housing association ${Date.now()}`,
        textLanguage: 'en',
        location: {
          lat: 44.8412,
          lon: -0.5801,
          town: 'Bordeaux',
          address: '3 rue Sainte-Catherine',
          precision: 'exact',
        },
      },
    });
    expect(organization.status()).toBe(201);
    const service = await editor.request.post(`${baseUrl}/api/services`, {
      headers,
      data: {
        organizationId: ((await organization.json()) as { id: string }).id,
        name: serviceName,
        category: 'social_action',
        topics: ['housing'],
        languages: ['en', 'ti'],
        textLanguage: 'en',
        description: ENGLISH.description,
        feesDescription: ENGLISH.fees,
      },
    });
    expect(service.status()).toBe(201);
    serviceId = ((await service.json()) as { id: string }).id;
    const directory = (await (await editor.request.get(`${baseUrl}/api/alliances/bordeaux/directory`)).json()) as {
      services: { id: string; serviceId: string }[];
    };
    directoryId = directory.services.find((entry) => entry.serviceId === serviceId)!.id;
    page = await editor.newPage();
    seen = watchPage(page, new URL(baseUrl ?? '').origin);
  }, TEST_MS);

  afterAll(async () => {
    await browser?.close();
  });

  const row = (field: string) => page.locator(`[data-testid="translation-${field}"]`);

  /**
   * Opens the service's translations from its edit form on the map, with the workspace in `language` (named in
   * the address, which the map helpers' own address would not).
   */
  async function openTranslations(target: Page, language: string): Promise<void> {
    await target.goto(`${baseUrl}/map?lang=${language}#/`, { waitUntil: 'domcontentloaded' });
    await target.locator('[data-testid="alliance-picker"] option[value="bordeaux"]').waitFor({
      state: 'attached',
      timeout: WAIT_MS,
    });
    await target.selectOption('[data-testid="alliance-picker"]', 'bordeaux');
    await target.locator(serviceListItem(serviceId)).click();
    await target.locator('[data-testid="edit-service"]').click();
    await target.locator('[data-testid="open-translations"]').click();
  }

  it(
    'lets an editor write the French fees, draft the rest by machine and review a draft',
    async () => {
      await openTranslations(page, 'en');
      const editorPanel = page.locator('[data-testid="translation-editor"]');
      await editorPanel.locator('[data-testid="translation-language"]').selectOption('fr');

      await row('feesDescription').getByRole('textbox').fill(FRENCH_FEES);
      await row('feesDescription').locator('[data-testid="save-translation"]').click();
      await row('feesDescription').locator('[data-testid="origin"]').waitFor({ timeout: WAIT_MS });
      expect(await row('feesDescription').locator('[data-testid="origin"]').textContent()).toBe('Written by a person');
      expect(await row('feesDescription').locator('[data-testid="review-state"]').textContent()).toContain(
        'Reviewed by Eli Editor',
      );

      await page.locator('[data-testid="machine-draft"]').click();
      await row('description').locator('[data-testid="origin"]').waitFor({ timeout: WAIT_MS });
      expect(await row('description').getByRole('textbox').inputValue()).toBe('Conseils pour le logement.');
      expect(await row('description').locator('[data-testid="origin"]').textContent()).toBe('Machine translation');
      expect(await row('description').locator('[data-testid="review-state"]').textContent()).toBe('Not reviewed yet');
      // The person's fees stay as they wrote them.
      expect(await row('feesDescription').getByRole('textbox').inputValue()).toBe(FRENCH_FEES);

      await row('name').locator('[data-testid="review-translation"]').click();
      await expect
        .poll(() => row('name').locator('[data-testid="review-state"]').textContent(), { timeout: WAIT_MS })
        .toContain('Reviewed by Eli Editor');
      expect(await row('name').locator('[data-testid="origin"]').textContent()).toBe('Machine translation');

      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await editorPanel.screenshot({ path: path.join(screenshotDir, 'translations-editor-desktop.png') });
      expect(seen.pageErrors).toEqual([]);
      expect(seen.consoleErrors).toEqual([]);
    },
    TEST_MS,
  );

  it(
    'fits a phone, in Arabic right to left',
    async () => {
      const phone = await browser.newContext({ viewport: PHONE });
      try {
        await signInThroughApi(phone, e2eAccounts.editor);
        const phonePage = await phone.newPage();
        const phoneSeen = watchPage(phonePage, new URL(baseUrl ?? '').origin);
        await openTranslations(phonePage, 'ar');
        await phonePage.locator('[data-testid="translation-feesDescription"]').waitFor({ timeout: WAIT_MS });
        expect(await phonePage.evaluate(() => document.documentElement.dir)).toBe('rtl');
        expect(await sidewaysOverflow(phonePage)).toBe(0);
        await phonePage.locator('[data-testid="translation-editor"]').screenshot({
          path: path.join(screenshotDir, 'translations-editor-phone-ar.png'),
        });
        expect(phoneSeen.pageErrors).toEqual([]);
      } finally {
        await phone.close();
      }
    },
    TEST_MS,
  );

  it(
    'shows the French fees in the finder, and "Traduction automatique" only beside the unreviewed draft',
    async () => {
      const finder = await browser.newContext({ viewport: PHONE });
      try {
        const finderPage = await finder.newPage();
        const finderSeen = watchPage(finderPage, new URL(baseUrl ?? '').origin);
        await finderPage.goto(`${baseUrl}/find?region=bordeaux&lang=fr&service=${directoryId}`, {
          waitUntil: 'domcontentloaded',
        });
        const card = finderPage.locator('[data-testid="service-card"]');
        await card.waitFor({ timeout: WAIT_MS });
        expect(await card.locator('[data-testid="service-feesDescription"]').textContent()).toContain(FRENCH_FEES);
        const labels = card.locator('[data-testid="machine-translation"]');
        expect(await labels.allTextContents()).toEqual(['Traduction automatique']);
        // The one label stands with the description, the machine's draft nobody reviewed.
        expect(await labels.evaluate((label) => label.previousElementSibling?.textContent)).toBe(
          'Conseils pour le logement.',
        );
        // The languages spoken, each by its own name.
        expect(await card.textContent()).toContain('ትግርኛ');
        await finderPage.screenshot({ path: path.join(screenshotDir, 'translations-finder-fr.png'), fullPage: true });
        expect(finderSeen.pageErrors).toEqual([]);
      } finally {
        await finder.close();
      }
    },
    TEST_MS,
  );
});
