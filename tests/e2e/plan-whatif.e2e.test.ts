import path from 'node:path';
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
  screenshotDir,
  launchBrowser,
  missingPrerequisite,
  skipLoudly,
  watchPage,
  type PageWatch,
} from './browserSession.js';
import { sidewaysOverflow } from './pageChecks.js';

const TEST_MS = 120_000;
const SETUP_MS = 120_000;

const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'ACTION PLAN WHAT-IF BROWSER TESTS');

const editor = { email: 'editor@plan-whatif.example', password: 'plan what-if editor 1', name: 'Ed Planner' };
const title = 'A social desk by the river';

/**
 * The action plan in what-if scenarios, on an application of its own (a road network is written into its
 * database): an action with a planned place is added to a what-if from the plan, an existing service is taken away
 * and the before/after shown; a planned service is placed by clicking the map (Escape cancels); the action's detail
 * then shows its expected effect, and measures it alone on request.
 */
describe.skipIf(skip)('what-if scenarios from the action plan', () => {
  let own: OwnApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let seen: PageWatch;
  let runId = '';
  let actionId = '';

  beforeAll(async () => {
    own = await startOwnApp(
      {},
      {
        prepare: async (db, config) => {
          await loadDemoData(db, await readDemoData(config.dataDir));
          const { allianceId } = await addAllianceMember(db, 'bordeaux', editor, 'editor');
          // A short road in the middle of Bordeaux, driven in a minute.
          await writeBordeauxCentreRoad(db, allianceId);
        },
      },
    );
    browser = await launchBrowser(missing);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const login = await context.request.post(`${own.origin}/api/auth/login`, {
      data: { email: editor.email, password: editor.password },
    });
    expect(login.status()).toBe(200);
    const headers = { 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken };
    page = await context.newPage();
    seen = watchPage(page, own.origin);

    // The run and the action through the API (the forms have their own tests).
    const started = await context.request.post(`${own.origin}/api/alliances/bordeaux/gap-analyses`, {
      headers,
      data: {
        units: { kind: 'h3', resolution: 5 },
        categories: ['social_action'],
        travel: 'drive',
        thresholdMinutes: 20,
        method: '2sfca',
        decay: 'none',
      },
    });
    expect(started.status(), await started.text()).toBe(202);
    runId = (await started.json()).id;
    let status = 'running';
    for (let attempt = 0; attempt < 1200 && status === 'running'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await (await context.request.get(`${own.origin}/api/gap-analyses/${runId}`)).json()).status;
    }
    expect(status).toBe('done');
    const created = await context.request.post(`${own.origin}/api/alliances/bordeaux/actions`, {
      headers,
      data: { title, plannedPlace: { lon: -0.575, lat: 44.84 }, plannedCategory: 'social_action' },
    });
    expect(created.status(), await created.text()).toBe(201);
    actionId = (await created.json()).id;
  }, SETUP_MS * 2);

  afterAll(async () => {
    await browser?.close();
    await own?.stop();
  }, SETUP_MS);

  it(
    'adds the action from the plan, takes a service away, and shows the before and after',
    async () => {
      await page.goto(`${own.origin}/map#/gap-analysis/bordeaux?run=${runId}`, { waitUntil: 'domcontentloaded' });
      const scenarios = page.getByTestId('gap-scenarios');
      const fromPlan = scenarios.getByTestId('scenario-add-action');
      await fromPlan.waitFor({ timeout: WAIT_MS });
      expect(await scenarios.getByTestId('scenario-from-plan').textContent()).toContain(title);
      await fromPlan.click();
      expect(await fromPlan.isDisabled()).toBe(true);
      expect(await scenarios.getByTestId('scenario-changes').textContent()).toContain(title);

      // Open an area: the services of the analysis near it can be taken away.
      await page.locator('[data-testid="ranked-area"] th button').first().click();
      await scenarios.getByTestId('scenario-remove').locator('summary').click();
      const takeAway = scenarios.getByTestId('scenario-remove-service').first();
      await takeAway.waitFor({ timeout: WAIT_MS });
      await takeAway.click();
      await expect.poll(() => scenarios.getByTestId('scenario-removed').count()).toBe(1);

      await scenarios.getByTestId('scenario-compare').click();
      const outcome = scenarios.getByTestId('gap-scenario').last();
      await expect.poll(() => outcome.textContent(), { timeout: WAIT_MS }).toContain(title);
      expect(await outcome.textContent()).toMatch(/Before.*After/);
      expect(await outcome.getByTestId('scenario-newly-within').count()).toBeGreaterThan(0);
      expect(await scenarios.getByTestId('scenario-changes').count()).toBe(0);
      await scenarios.screenshot({ path: path.join(screenshotDir, 'plan-whatif-panel.png') });
      const saved = await (await context.request.get(`${own.origin}/api/gap-analyses/${runId}/scenarios`)).json();
      const last = saved.items.at(-1);
      expect(last.added).toEqual([expect.objectContaining({ planActionId: actionId, category: 'social_action' })]);
      expect(last.removed).toHaveLength(1);
      expect(seen.pageErrors).toEqual([]);
    },
    TEST_MS,
  );

  it(
    'places a planned service by clicking the map, and Escape cancels the click mode',
    async () => {
      const scenarios = page.getByTestId('gap-scenarios');
      const map = page.getByTestId('choropleth').first();
      await scenarios.getByTestId('scenario-pick').click();
      await expect.poll(() => map.getAttribute('data-picking')).toBe('true');
      expect(await scenarios.getByTestId('scenario-picking').isVisible()).toBe(true);
      await page.keyboard.press('Escape');
      await expect.poll(() => map.getAttribute('data-picking')).toBe('false');
      expect(await scenarios.getByTestId('scenario-changes').count()).toBe(0);

      await scenarios.getByTestId('scenario-pick').click();
      await expect.poll(() => map.getAttribute('data-picking')).toBe('true');
      await map.scrollIntoViewIfNeeded();
      const box = (await map.boundingBox())!;
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await expect.poll(() => map.getAttribute('data-picking')).toBe('false');
      const changes = scenarios.getByTestId('scenario-changes');
      await changes.waitFor({ timeout: WAIT_MS });
      // The point clicked is the map's centre, which the map reports.
      const [lon, lat] = (await map.getAttribute('data-centre'))!.split(',').map(Number);
      expect(await changes.textContent()).toContain(`${lat!.toFixed(2)}`);
      expect(await changes.textContent()).toContain(`${lon!.toFixed(2)}`);
      // The map draws the planned service where it was placed, in view.
      await expect.poll(() => map.getAttribute('data-scenario-drawn'), { timeout: WAIT_MS }).toMatch(/^1 planned, /);
      expect(seen.pageErrors).toEqual([]);
    },
    TEST_MS,
  );

  it(
    'draws the what-if on the map, and a click on a service near the open area takes it away',
    async () => {
      const scenarios = page.getByTestId('gap-scenarios');
      const map = page.getByTestId('choropleth').first();
      // Another area opened: the services of the analysis near it are drawn, with the service placed by the last test.
      const located = page.waitForResponse((response) => response.url().includes('/scenario-locations'));
      await page.locator('[data-testid="ranked-area"] th button').nth(1).click();
      const near = ((await (await located).json()) as { items: { serviceName: string; lon: number; lat: number }[] })
        .items;
      expect(near.length).toBeGreaterThan(0);
      expect(await map.getAttribute('data-scenario-marks')).toBe('1 planned, 0 removed');
      await expect
        .poll(() => map.getAttribute('data-scenario-drawn'), { timeout: WAIT_MS })
        .toMatch(/^\d planned, 0 removed, [1-9]\d* near$/);
      // Once the map has stopped moving to the area.
      let lastView = '';
      await expect
        .poll(
          async () => {
            const view = `${await map.getAttribute('data-centre')} ${await map.getAttribute('data-zoom')}`;
            const still = view === lastView;
            lastView = view;
            return still;
          },
          { interval: 400, timeout: WAIT_MS },
        )
        .toBe(true);
      const areaUrl = page.url();
      await map.scrollIntoViewIfNeeded();
      const box = (await map.boundingBox())!;
      const [lon, lat] = (await map.getAttribute('data-centre'))!.split(',').map(Number);
      const zoom = Number(await map.getAttribute('data-zoom'));
      // Where MapLibre draws a point (Web Mercator, 512-pixel world at zoom 0, no rotation).
      const pixel = (pointLon: number, pointLat: number) => {
        const world = 512 * 2 ** zoom;
        const x = (value: number) => ((value + 180) / 360) * world;
        const y = (value: number) => {
          const sin = Math.sin((value * Math.PI) / 180);
          return (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * world;
        };
        return { x: box.x + box.width / 2 + x(pointLon) - x(lon!), y: box.y + box.height / 2 + y(pointLat) - y(lat!) };
      };
      const margin = 30;
      const inView = near
        .map((location) => ({ location, at: pixel(location.lon, location.lat) }))
        .find(
          ({ at }) =>
            at.x > box.x + margin &&
            at.x < box.x + box.width - margin &&
            at.y > box.y + margin &&
            at.y < box.y + box.height - margin,
        );
      expect(inView, 'a service near the open area is in view').toBeDefined();
      await page.mouse.click(inView!.at.x, inView!.at.y);
      const removed = scenarios.getByTestId('scenario-removed');
      await expect.poll(() => removed.count()).toBe(1);
      expect(await removed.textContent()).toContain(inView!.location.serviceName);
      expect(await map.getAttribute('data-scenario-marks')).toBe('1 planned, 1 removed');
      await expect.poll(() => map.getAttribute('data-scenario-drawn')).toMatch(/^\d planned, 1 removed, /);
      // The click took a service away without choosing another area.
      expect(page.url()).toBe(areaUrl);
      await map.screenshot({ path: path.join(screenshotDir, 'plan-whatif-map-marks.png') });
      // A second click keeps it again.
      await page.mouse.click(inView!.at.x, inView!.at.y);
      await expect.poll(() => removed.count()).toBe(0);
      await expect.poll(() => map.getAttribute('data-scenario-drawn')).toMatch(/^\d planned, 0 removed, /);
      expect(seen.pageErrors).toEqual([]);
    },
    TEST_MS,
  );

  it(
    "shows the action's expected effect on its detail, and measures it alone on request",
    async () => {
      await page.goto(`${own.origin}/map#/alliance/bordeaux/actions`, { waitUntil: 'domcontentloaded' });
      await page.locator(`button.open[data-action-id="${actionId}"]`).click();
      const effect = page.getByTestId('action-effect');
      await effect.waitFor({ timeout: WAIT_MS });
      expect(await effect.getByTestId('action-planned-place').textContent()).toMatch(/44\.84000, -0\.57500/);
      const sentence = effect.getByTestId('action-effect-sentence');
      await sentence.waitFor({ timeout: WAIT_MS });
      expect(await sentence.textContent()).toMatch(
        /Would bring [\d,]+ more people within 20 min(utes)? of a service in social action\. Areas no longer flagged: \d+\./,
      );
      expect(await effect.getByTestId('action-effect-run').getAttribute('href')).toContain(`run=${runId}`);
      const before = (await (await context.request.get(`${own.origin}/api/actions/${actionId}/effect`)).json()).effect
        .scenario.id;
      await effect.getByTestId('compute-effect').click();
      await expect
        .poll(
          async () =>
            (await (await context.request.get(`${own.origin}/api/actions/${actionId}/effect`)).json()).effect.scenario
              .id,
          { timeout: WAIT_MS },
        )
        .not.toBe(before);
      const alone = (await (await context.request.get(`${own.origin}/api/actions/${actionId}/effect`)).json()).effect;
      expect(alone.scenario.removed).toEqual([]);
      expect(alone.scenario.added).toHaveLength(1);
      await expect.poll(() => effect.getByTestId('compute-effect').isDisabled()).toBe(false);
      expect(await sentence.textContent()).toMatch(/Would bring [\d,]+ more people/);

      await effect.screenshot({ path: path.join(screenshotDir, 'plan-whatif-effect.png') });

      await page.setViewportSize(PHONE);
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(screenshotDir, 'plan-whatif-effect-phone.png') });
      expect(seen.pageErrors).toEqual([]);
    },
    TEST_MS,
  );

  it(
    'moves the planned place by clicking the small map of the action form',
    async () => {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.getByTestId('edit-action').click();
      const form = page.getByTestId('action-form');
      await form.waitFor({ timeout: WAIT_MS });
      expect(await form.getByLabel('Latitude').inputValue()).toBe('44.84');
      expect(await form.getByLabel('Longitude').inputValue()).toBe('-0.575');
      expect(await form.getByLabel('Planned category').inputValue()).toBe('social_action');

      // A swapped pair is refused by the page before it is sent.
      await form.getByLabel('Latitude').fill('444');
      await page.getByTestId('save-action').click();
      await expect.poll(() => form.getByLabel('Latitude').getAttribute('aria-invalid')).toBe('true');

      await form.getByTestId('planned-map-toggle').click();
      const map = form.getByTestId('planned-place-map');
      await map.waitFor({ timeout: WAIT_MS });
      // Opened on nothing valid, the map fits the region; a click there sets the place.
      await expect.poll(() => map.getAttribute('data-idle'), { timeout: WAIT_MS }).toBe('true');
      await map.scrollIntoViewIfNeeded();
      const box = (await map.boundingBox())!;
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await expect.poll(() => map.getAttribute('data-place')).not.toBeNull();
      const [lon, lat] = (await map.getAttribute('data-place'))!.split(',').map(Number);
      expect(Number(await form.getByLabel('Latitude').inputValue())).toBeCloseTo(lat!, 4);
      expect(Number(await form.getByLabel('Longitude').inputValue())).toBeCloseTo(lon!, 4);
      await form.screenshot({ path: path.join(screenshotDir, 'plan-whatif-form.png') });
      await page.getByTestId('save-action').click();
      await page.getByTestId('action-detail').waitFor({ timeout: WAIT_MS });
      const action = await (await context.request.get(`${own.origin}/api/actions/${actionId}`)).json();
      expect(action.plannedPlace.lat).toBeCloseTo(lat!, 4);
      expect(action.plannedPlace.lon).toBeCloseTo(lon!, 4);
      expect(seen.pageErrors).toEqual([]);
    },
    TEST_MS,
  );
});
