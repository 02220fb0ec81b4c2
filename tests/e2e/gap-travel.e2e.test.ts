import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../server/src/domain/demo-data/loadDemoData.js';
import { readDemoData } from '../../server/src/domain/demo-data/demoDataFiles.js';
import { addAllianceMember } from '../support/accounts.js';
import { writeBordeauxCentreRoad } from '../support/handRoadNetwork.js';
import { type OwnApp, startOwnApp } from '../support/e2eServer.js';
import {
  PHONE,
  WAIT_MS,
  launchBrowser,
  missingPrerequisite,
  skipLoudly,
  watchPage,
  type PageWatch,
} from './browserSession.js';
import { hashQuery, sidewaysOverflow } from './pageChecks.js';

const TEST_MS = 120_000;
const SETUP_MS = 120_000;

const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'GAP ANALYSIS IN MINUTES BROWSER TESTS');

const editor = { email: 'editor@travel-gaps.example', password: 'travel gaps editor 1', name: 'Ed Traveller' };

/**
 * The gap analysis in minutes, on an application of its own (a road network is written into its database): the
 * form explains why it measures straight lines without a network and offers walking, cycling and driving with one;
 * a driving run's table speaks in minutes; a what-if on it shows its before and after.
 */
describe.skipIf(skip)('gap analyses in minutes', () => {
  let own: OwnApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let seen: PageWatch;

  beforeAll(async () => {
    own = await startOwnApp(
      {},
      {
        prepare: async (db, config) => {
          await loadDemoData(db, await readDemoData(config.dataDir));
          await addAllianceMember(db, 'bordeaux', editor, 'editor');
        },
      },
    );
    browser = await launchBrowser(missing);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const login = await context.request.post(`${own.origin}/api/auth/login`, {
      data: { email: editor.email, password: editor.password },
    });
    expect(login.status()).toBe(200);
    page = await context.newPage();
    seen = watchPage(page, own.origin);
  }, SETUP_MS);

  afterAll(async () => {
    await browser?.close();
    await own?.stop();
  }, SETUP_MS);

  it(
    'says that straight lines are used until a road network is imported',
    async () => {
      await page.goto(`${own.origin}/map#/gap-analysis/bordeaux`, { waitUntil: 'domcontentloaded' });
      const travel = page.getByTestId('gap-travel');
      await travel.waitFor({ timeout: WAIT_MS });
      expect(await travel.isDisabled()).toBe(true);
      expect(await page.getByTestId('gap-travel-help').textContent()).toMatch(
        /Uses straight lines until a road network is imported\.\s*Import a road network/,
      );
      // The link leads to the road-network section of this same page, which takes the focus.
      await page.getByTestId('gap-travel-help').getByRole('link').click();
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.id ?? ''), { timeout: WAIT_MS })
        .toBe('road-network');
      expect(seen.pageErrors).toEqual([]);
    },
    TEST_MS,
  );

  it(
    'offers the modes with a network, runs a driving analysis in minutes, and compares a what-if',
    async () => {
      const { db } = own.database;
      const bordeaux = await db
        .selectFrom('alliance')
        .select('id')
        .where('slug', '=', 'bordeaux')
        .executeTakeFirstOrThrow();
      // A short road in the middle of Bordeaux: most areas are far from it, off the network.
      await writeBordeauxCentreRoad(db, bordeaux.id);

      await page.reload({ waitUntil: 'domcontentloaded' });
      const travel = page.getByTestId('gap-travel');
      await expect.poll(() => travel.isDisabled(), { timeout: WAIT_MS }).toBe(false);
      expect(await page.getByTestId('gap-travel-help').textContent()).toContain('bordeaux-centre.osm.pbf');
      await page.getByLabel('Areas', { exact: true }).selectOption('h3:5');
      await travel.selectOption('drive');
      await page.getByTestId('gap-threshold-minutes').fill('20');
      const runInUrl = () => hashQuery(page).get('run') ?? '';
      await page.getByTestId('run-analysis').click();
      await expect.poll(() => /^[0-9a-f-]{36}$/.test(runInUrl()), { timeout: WAIT_MS }).toBe(true);
      await page
        .locator('[data-testid="ranked-area"]')
        .first()
        .waitFor({ timeout: TEST_MS / 2 });

      // The table speaks in minutes, and its reasons say "by car".
      expect(await page.locator('[data-testid="ranked-areas"] thead').textContent()).toContain('Nearest (min)');
      const nearest = await page.getByTestId('ranked-nearest').allTextContents();
      expect(nearest.every((text) => /min/.test(text))).toBe(true);
      const reasons = await page.locator('[data-testid="ranked-area"] td.reason').allTextContents();
      expect(reasons.some((reason) => /within 20 minutes by car|No road by car near the area/.test(reason))).toBe(true);
      expect(await page.getByTestId('travel-note').textContent()).toMatch(
        /by car on the road network “bordeaux-centre\.osm\.pbf”/,
      );

      // A what-if: a planned service in the first area of the table.
      await page.locator('[data-testid="ranked-area"] th button').first().click();
      const scenarios = page.getByTestId('gap-scenarios');
      await scenarios.getByTestId('scenario-add').click();
      await scenarios.getByTestId('scenario-compare').click();
      const outcome = scenarios.getByTestId('gap-scenario').first();
      await outcome.waitFor({ timeout: WAIT_MS });
      expect(await outcome.textContent()).toMatch(/Before.*After/);
      expect(await outcome.getByTestId('scenario-newly-within').count()).toBeGreaterThan(0);

      await page.setViewportSize(PHONE);
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      expect(seen.pageErrors).toEqual([]);
    },
    TEST_MS * 2,
  );
});
