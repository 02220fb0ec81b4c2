import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
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
const DESKTOP = { width: 1280, height: 900 };

const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'SWOT BROWSER TESTS');

/** Unique per run: the suites share one server, and the action-plan suite writes Bordeaux's strengths and threats. */
const run = Date.now().toString(36);
const texts = [`Regional fund ${run}`, `Library partnership ${run}`, `Volunteer network ${run}`] as const;
const [first, second, third] = texts;

interface ApiItem {
  id: string;
  quadrant: string;
  text: string;
  position: number;
  version: number;
}

describe.skipIf(skip)('reordering the SWOT analysis', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let seen: PageWatch;
  let csrfToken = '';

  const opportunities = () => page.locator('[data-testid="swot-quadrant"][data-quadrant="opportunities"]');

  /** The texts of this run's opportunities, in the order the page shows them. */
  async function shownOrder(): Promise<string[]> {
    const shown = await opportunities().locator('[data-testid="swot-item"] .text').allTextContents();
    return shown.filter((text) => text.endsWith(run));
  }

  async function apiItems(): Promise<ApiItem[]> {
    const response = await context.request.get(`${baseUrl}/api/alliances/bordeaux/swot`);
    expect(response.status()).toBe(200);
    const { items } = (await response.json()) as { items: ApiItem[] };
    return items.filter((item) => item.quadrant === 'opportunities' && item.text.endsWith(run));
  }

  /** The text after "Move up" is visually hidden; browsers may put a space before its colon. */
  const moveButton = (direction: 'up' | 'down', text: string): Locator =>
    opportunities().getByRole('button', { name: new RegExp(`^Move ${direction} ?: ${text}$`) });

  async function focusedName(): Promise<string | null> {
    return page.evaluate(() => document.activeElement?.textContent?.replace(/\s+/g, ' ').trim() ?? null);
  }

  async function screenshots(name: string): Promise<void> {
    await opportunities().scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshotDir, `${name}-desktop.png`) });
    await page.setViewportSize(PHONE);
    try {
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await opportunities().scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(screenshotDir, `${name}-phone.png`) });
    } finally {
      await page.setViewportSize(DESKTOP);
    }
  }

  beforeAll(async () => {
    ({ browser, context, page, seen, csrfToken } = await openSignedInPage(missing, e2eAccounts.editor, {
      viewport: DESKTOP,
    }));
  }, TEST_MS);

  afterAll(async () => {
    await browser?.close();
  });

  it(
    'offers "Move up" and "Move down" for each point, named after it, except past either end',
    async () => {
      await page.goto(`${baseUrl}/map#/alliance/bordeaux/swot`, { waitUntil: 'domcontentloaded' });
      await opportunities().waitFor({ timeout: WAIT_MS });
      for (const text of texts) {
        await opportunities().getByLabel('Add an opportunity').fill(text);
        await opportunities().locator('[data-testid="swot-add"]').click();
        await opportunities().locator('[data-testid="swot-item"]', { hasText: text }).waitFor({ timeout: WAIT_MS });
      }
      expect(await shownOrder()).toEqual([first, second, third]);
      expect(await moveButton('up', third).isEnabled()).toBe(true);
      expect(await moveButton('down', third).isDisabled()).toBe(true);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
    },
    TEST_MS,
  );

  it(
    'moves a point with the mouse, then with the keyboard, keeping the focus on the point moved',
    async () => {
      await moveButton('up', third).click();
      await expect.poll(shownOrder, { timeout: WAIT_MS }).toEqual([first, third, second]);
      await expect.poll(focusedName).toBe(`↑ Move up: ${third}`);

      await page.keyboard.press('Enter');
      await expect.poll(shownOrder, { timeout: WAIT_MS }).toEqual([third, first, second]);
      // At the top "Move up" is off, so the focus goes to "Move down" of the same point.
      expect(await moveButton('up', third).isDisabled()).toBe(true);
      await expect.poll(focusedName).toBe(`↓ Move down: ${third}`);
      await page.keyboard.press('Enter');
      await expect.poll(shownOrder, { timeout: WAIT_MS }).toEqual([first, third, second]);

      const stored = await apiItems();
      expect(stored.map((item) => item.text)).toEqual([first, third, second]);
      const positions = stored.map((item) => item.position);
      expect(new Set(positions).size).toBe(3);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      await screenshots('swot-reorder');
    },
    TEST_MS,
  );

  it(
    'says who changed a point first when the page was out of date, and moves it once reloaded',
    async () => {
      const target = (await apiItems()).find((item) => item.text === second)!;
      const renamed = `Library partnership, renewed ${run}`;
      const other = await context.request.patch(`${baseUrl}/api/swot/${target.id}`, {
        headers: { 'x-csrf-token': csrfToken },
        data: { version: target.version, text: renamed },
      });
      expect(other.status()).toBe(200);

      await moveButton('up', second).click();
      const alert = opportunities().getByRole('alert');
      await expect
        .poll(() => alert.textContent(), { timeout: WAIT_MS })
        .toMatch(/Eli Editor changed this SWOT item at \d{2}:\d{2}/);
      await alert.getByRole('button', { name: 'Reload' }).click();
      await expect.poll(shownOrder, { timeout: WAIT_MS }).toEqual([first, third, renamed]);
      expect(await opportunities().getByRole('alert').count()).toBe(0);

      await moveButton('up', renamed).click();
      await expect.poll(shownOrder, { timeout: WAIT_MS }).toEqual([first, renamed, third]);
      expect((await apiItems()).map((item) => item.text)).toEqual([first, renamed, third]);
    },
    TEST_MS,
  );

  it('leaves no page error, no console error but the refused move, and no request to another site', () => {
    expect(seen.pageErrors).toEqual([]);
    expect(seen.consoleErrors.filter((text) => !/status of 409/.test(text))).toEqual([]);
    expect(seen.foreignRequests).toEqual([]);
  });
});
