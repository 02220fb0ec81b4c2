import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eAccounts } from '../support/e2eServer.js';
import {
  WAIT_MS,
  baseUrl,
  missingPrerequisite,
  openBrowserPage,
  screenshotDir,
  skipLoudly,
  watchPage,
  type PageWatch,
} from './browserSession.js';
import { hashOf, hashQuery, sidewaysOverflow } from './pageChecks.js';
import { signInThroughPage } from './signIn.js';

/** Running an analysis needs an editor (or the secretariat, or the coordinator) of the alliance. */
const editor = e2eAccounts.editor;

/** A run over the Bordeaux region at resolution 6 takes a few seconds, more while a benchmark shares the cores. */
const RUN_MS = 55_000;
const TEST_MS = 60_000;
const CATEGORIES = ['social_action', 'socio_cultural_sports', 'professional_integration'];

const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'GAP ANALYSIS BROWSER TESTS');

/** Waits until every choropleth has drawn its areas, so screenshots and the print snapshot show them. */
async function choroplethsDrawn(page: Page): Promise<void> {
  const maps = page.locator('[data-testid="choropleth"]');
  await maps.first().waitFor({ timeout: WAIT_MS });
  await expect
    .poll(
      () =>
        maps.evaluateAll((elements) =>
          elements.every(
            (element) =>
              Number((element as HTMLElement).dataset.featureCount) > 0 &&
              (element as HTMLElement).dataset.idle === 'true',
          ),
        ),
      { timeout: WAIT_MS },
    )
    .toBe(true);
}

/** Where a choropleth looks, as its `data-centre` and `data-zoom` say each time it stops moving. */
interface MapView {
  lng: number;
  lat: number;
  zoom: number;
}

async function viewOf(map: Locator): Promise<MapView> {
  return map.evaluate((element) => {
    const [lng = NaN, lat = NaN] = (element.dataset.centre ?? '').split(',').map(Number);
    return { lng, lat, zoom: Number(element.dataset.zoom) };
  });
}

/** Both views, once they agree to within rounding: null while they still differ. */
async function sharedView(first: Locator, second: Locator): Promise<MapView | null> {
  const [a, b] = await Promise.all([viewOf(first), viewOf(second)]);
  const same = Math.abs(a.lng - b.lng) < 1e-4 && Math.abs(a.lat - b.lat) < 1e-4 && Math.abs(a.zoom - b.zoom) < 1e-3;
  return same ? a : null;
}

/** Waits until both maps show the same view and `moved` says it is the view a person just asked for. */
async function followedTo(first: Locator, second: Locator, moved: (view: MapView) => boolean): Promise<MapView> {
  const seen: { view: MapView | null } = { view: null };
  await expect
    .poll(
      async () => {
        seen.view = await sharedView(first, second);
        return seen.view !== null && moved(seen.view);
      },
      { timeout: WAIT_MS, message: 'the map that was not touched should show the view the other one was moved to' },
    )
    .toBe(true);
  return seen.view!;
}

/** Whether the selected area is drawn whole inside the map, and whether its centre is near the map's. */
interface Framing {
  whole: boolean;
  centred: boolean;
}

/**
 * How a choropleth frames its selected area once it has stopped moving (`data-selected-box`, in the map's pixels,
 * against the size the map has on the page); null while it moves or has no area selected.
 */
async function framingOf(map: Locator): Promise<Framing | null> {
  return map.evaluate((element) => {
    const { idle, selectedBox } = (element as HTMLElement).dataset;
    if (idle !== 'true' || !selectedBox) return null;
    const [left = NaN, top = NaN, right = NaN, bottom = NaN] = selectedBox.split(',').map(Number);
    const { clientWidth: width, clientHeight: height } = element;
    return {
      whole: left >= 0 && top >= 0 && right <= width && bottom <= height,
      // Roughly: within a tenth of the map's size of its middle.
      centred:
        Math.abs((left + right) / 2 - width / 2) <= width / 10 &&
        Math.abs((top + bottom) / 2 - height / 2) <= height / 10,
    };
  });
}

describe.skipIf(skip)('the gap analysis view', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let seen: PageWatch;
  let origin: string;
  let runId = '';
  /** The area opened from the table, whose link the later tests send to another page. */
  let openedUnitId = '';

  beforeAll(async () => {
    origin = new URL(baseUrl ?? '').origin;
    ({ browser, context, page, seen } = await openBrowserPage(missing, { acceptDownloads: true }));
  }, TEST_MS);

  afterAll(async () => {
    await browser?.close();
  });

  it(
    'asks a signed-out visitor to sign in as an editor to run an analysis, and comes back once signed in',
    async () => {
      await page.goto(`${baseUrl}/map#/gap-analysis/bordeaux`, { waitUntil: 'domcontentloaded' });
      const note = page.locator('[data-testid="gap-run-sign-in"]');
      await expect
        .poll(() => note.textContent(), { timeout: WAIT_MS })
        .toMatch(/Sign in as an editor of this alliance to run a new analysis/);
      expect(await page.locator('[data-testid="gap-analysis-form"]').count()).toBe(0);

      await note.getByRole('link', { name: 'Sign in' }).click();
      await signInThroughPage(page, editor);
      // Back on Bordeaux's gap analysis; it may open the newest run, which another suite may have made.
      await expect.poll(() => hashOf(page), { timeout: WAIT_MS }).toMatch(/^#\/gap-analysis\/bordeaux(\?|$)/);
      await page.locator('[data-testid="gap-analysis-form"]').waitFor({ timeout: WAIT_MS });
    },
    TEST_MS,
  );

  it(
    'runs an analysis of "bordeaux" as the signed-in editor and follows its progress to the end',
    async () => {
      await page.locator('#gap-alliance option[value="bordeaux"]').waitFor({ state: 'attached', timeout: WAIT_MS });
      await page.getByLabel('Areas', { exact: true }).selectOption('h3:6');
      await page.getByLabel('Distance threshold (km)').fill('10');
      // The months of the freshness option are asked only once the option is ticked; this run counts every service.
      const months = page.locator('#gap-freshness-months');
      expect(await months.isDisabled()).toBe(true);
      await page.getByTestId('leave-out-unchecked').check();
      await months.fill('12');
      await page.getByTestId('leave-out-unchecked').uncheck();
      expect(await months.isDisabled()).toBe(true);

      // An app already used (E2E_BASE_URL) opens its latest run by itself: the new run must be another one.
      const runInUrl = () => hashQuery(page).get('run') ?? '';
      const previousRun = runInUrl();

      await page.locator('[data-testid="run-analysis"]').click();

      await expect
        .poll(() => runInUrl() !== previousRun && /^[0-9a-f-]{36}$/.test(runInUrl()), { timeout: WAIT_MS })
        .toBe(true);
      runId = runInUrl();
      await page.locator('[data-testid="ranked-area"]').first().waitFor({ timeout: RUN_MS });
      await expect.poll(() => page.locator('[data-testid="run-failed"]').count()).toBe(0);
      await expect
        .poll(() => page.getByTestId('freshness-note').textContent())
        .toMatch(/past (its|their) update cycle|No service was past/);
      expect(await page.getByTestId('freshness-note').textContent()).toMatch(/Every active service counted/);
    },
    TEST_MS,
  );

  it(
    'draws the choropleth with a classed legend and ranks the worst-served areas with their reasons',
    async () => {
      await choroplethsDrawn(page);
      const featureCount = await page.locator('[data-testid="choropleth"]').first().getAttribute('data-feature-count');
      expect(Number(featureCount)).toBeGreaterThan(10);
      expect(await page.locator('[data-testid="classed-legend"] li').count()).toBeGreaterThan(1);
      expect(await page.locator('[data-testid="choropleth-error"]').count()).toBe(0);

      const rows = page.locator('[data-testid="ranked-area"]');
      expect(await rows.count()).toBeGreaterThan(0);
      const reasons = await rows.locator('td.reason').allTextContents();
      expect(reasons.every((reason) => /within 10 km|of the regional mean/.test(reason))).toBe(true);

      await expect.poll(() => page.locator('[data-testid="population-note"]').textContent()).toMatch(/approximate/i);
      await page.locator('[data-testid="missing-actors"]').waitFor({ timeout: WAIT_MS });
      await page.locator('[data-testid="duplication-panel"]').waitFor({ timeout: WAIT_MS });
    },
    TEST_MS,
  );

  it(
    'opens an area’s detail with its nearest services when its row is clicked',
    async () => {
      const row = page.locator('[data-testid="ranked-area"]').first();
      const unitId = await row.getAttribute('data-unit-id');
      await row.getByRole('button').click();

      const detail = page.locator('[data-testid="area-detail"]');
      await detail.waitFor({ timeout: WAIT_MS });
      await detail.locator('[data-testid="nearest-services"] li').first().waitFor({ timeout: WAIT_MS });
      expect(await detail.locator('[data-testid="nearest-services"] li').first().textContent()).toMatch(/\d km/);
      expect(await row.getAttribute('class')).toContain('selected');
      expect(unitId).toBeTruthy();
      openedUnitId = unitId ?? '';
    },
    TEST_MS,
  );

  it(
    'shows the area chosen in the table whole and centred in the map narrowed by its detail',
    async () => {
      const map = page.locator('[data-testid="choropleth"]').first();
      await expect
        .poll(() => framingOf(map), {
          timeout: WAIT_MS,
          message: 'the chosen area should be drawn whole, near the middle of the map beside its detail',
        })
        .toEqual({ whole: true, centred: true });

      // The click scrolled the table into view; the screenshot shows the map beside the area's detail.
      await map.scrollIntoViewIfNeeded();
      await choroplethsDrawn(page);
      await page.screenshot({ path: path.join(screenshotDir, 'gap-desktop.png') });
    },
    TEST_MS,
  );

  it(
    'names the open area in the page’s link, replacing the link rather than adding a step to Back',
    async () => {
      expect(hashQuery(page).get('area')).toBe(openedUnitId);
      const steps = await page.evaluate(() => history.length);
      const rows = page.locator('[data-testid="ranked-area"]');
      const other = rows.nth(1);
      const otherId = await other.getAttribute('data-unit-id');
      await other.getByRole('button').click();
      await expect.poll(() => hashQuery(page).get('area'), { timeout: WAIT_MS }).toBe(otherId);

      await rows.first().getByRole('button').click();
      await expect.poll(() => hashQuery(page).get('area'), { timeout: WAIT_MS }).toBe(openedUnitId);
      expect(await page.evaluate(() => history.length)).toBe(steps);
    },
    TEST_MS,
  );

  it(
    'copies the link to the open area, and says so',
    async () => {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
      const detail = page.locator('[data-testid="area-detail"]');
      await detail.getByRole('button', { name: 'Copy link to this area' }).click();
      await expect
        .poll(() => detail.locator('[data-testid="copy-link-status"]').textContent(), { timeout: WAIT_MS })
        .toMatch(/^\s*Link copied\s*$/);
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(page.url());
      await detail.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(screenshotDir, 'gap-desktop-link-copied.png') });
    },
    TEST_MS,
  );

  it(
    'opens the link to an area in a new page, signed out, with that area’s detail open and framed on the map',
    async () => {
      const link = page.url();
      const heading = await page.locator('#area-detail-heading').textContent();
      const other = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const otherSeen = watchPage(other, origin);
      try {
        await other.goto(link, { waitUntil: 'domcontentloaded' });
        const detail = other.locator('[data-testid="area-detail"]');
        await detail.waitFor({ timeout: WAIT_MS });
        await expect
          .poll(() => other.locator('#area-detail-heading').textContent(), { timeout: WAIT_MS })
          .toBe(heading);
        await expect
          .poll(() => other.locator('[data-testid="ranked-area"].selected').getAttribute('data-unit-id'), {
            timeout: WAIT_MS,
          })
          .toBe(openedUnitId);

        const map = other.locator('[data-testid="choropleth"]');
        await expect
          .poll(() => framingOf(map), {
            timeout: WAIT_MS,
            message: 'the area named in the link should be drawn whole, near the middle of the map beside its detail',
          })
          .toEqual({ whole: true, centred: true });
        await choroplethsDrawn(other);
        await other.screenshot({ path: path.join(screenshotDir, 'gap-desktop-area-link.png') });
        expect(otherSeen).toEqual({ pageErrors: [], consoleErrors: [], foreignRequests: [] });
      } finally {
        await other.close();
      }
    },
    TEST_MS,
  );

  it(
    'selects the link in a field for the reader to copy when the browser cannot, on a 360 px phone',
    async () => {
      const link = page.url();
      const phone = await browser.newPage({ viewport: { width: 360, height: 740 } });
      const phoneSeen = watchPage(phone, origin);
      // As on a page served over plain http, where browsers give no clipboard.
      await phone.addInitScript(() =>
        Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true }),
      );
      try {
        await phone.goto(link, { waitUntil: 'domcontentloaded' });
        const detail = phone.locator('[data-testid="area-detail"]');
        await detail.getByRole('button', { name: 'Copy link to this area' }).click({ timeout: WAIT_MS });
        const field = detail.locator('[data-testid="area-link"]');
        await field.waitFor({ timeout: WAIT_MS });
        expect(await field.inputValue()).toBe(link);
        expect(
          await field.evaluate(
            (input: HTMLInputElement) =>
              document.activeElement === input &&
              input.selectionStart === 0 &&
              input.selectionEnd === input.value.length,
          ),
        ).toBe(true);
        expect(await detail.locator('[data-testid="copy-link-status"]').textContent()).toMatch(/selected below/);
        expect(await sidewaysOverflow(phone)).toBeLessThanOrEqual(0);
        await detail.scrollIntoViewIfNeeded();
        await phone.screenshot({ path: path.join(screenshotDir, 'gap-phone-area-link.png') });
        expect(phoneSeen).toEqual({ pageErrors: [], consoleErrors: [], foreignRequests: [] });
      } finally {
        await phone.close();
      }
    },
    TEST_MS,
  );

  it(
    'opens the analysis of a link whose area is not in it, and says so',
    async () => {
      const other = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const otherSeen = watchPage(other, origin);
      try {
        const missingArea = '00000000-0000-4000-8000-000000000000';
        await other.goto(`${baseUrl}/map#/gap-analysis/bordeaux?run=${runId}&area=${missingArea}`, {
          waitUntil: 'domcontentloaded',
        });
        await other.locator('[data-testid="ranked-area"]').first().waitFor({ timeout: WAIT_MS });
        const notice = other.locator('[data-testid="linked-area-missing"]');
        await notice.waitFor({ timeout: WAIT_MS });
        expect(await notice.getAttribute('role')).toBe('status');
        expect(await notice.textContent()).toMatch(/area in this link is not in this analysis/);
        expect(await other.locator('[data-testid="area-detail"]').count()).toBe(0);
        await choroplethsDrawn(other);
        expect(otherSeen).toEqual({ pageErrors: [], consoleErrors: [], foreignRequests: [] });
      } finally {
        await other.close();
      }
    },
    TEST_MS,
  );

  it(
    'gives the map the room of the area’s detail back when the detail is closed',
    async () => {
      const map = page.locator('[data-testid="choropleth"]').first();
      const narrowWidth = await map.evaluate((element) => element.clientWidth);
      await page.locator('[data-testid="area-detail"]').getByRole('button', { name: 'Close' }).click();
      await expect.poll(() => page.locator('[data-testid="area-detail"]').count()).toBe(0);
      expect(hashQuery(page).get('area')).toBeNull();

      // The canvas is drawn at the size MapLibre last measured: it must follow the wider frame.
      const widths = () =>
        map.evaluate((element) => ({
          frame: element.clientWidth,
          canvas: element.querySelector('canvas')?.clientWidth ?? 0,
        }));
      await expect.poll(async () => (await widths()).frame, { timeout: WAIT_MS }).toBeGreaterThan(narrowWidth);
      await expect.poll(async () => (await widths()).canvas, { timeout: WAIT_MS }).toBe((await widths()).frame);
    },
    TEST_MS,
  );

  it(
    'shows an area chosen on the map whole and centred in the map narrowed by its detail',
    async () => {
      const map = page.locator('[data-testid="choropleth"]').first();
      await map.scrollIntoViewIfNeeded();
      await choroplethsDrawn(page);
      // Far to the right, where the detail about to open takes the map's room; the areas cover the whole region.
      const box = (await map.boundingBox())!;
      await page.mouse.click(box.x + box.width * 0.85, box.y + box.height * 0.5);
      await page.locator('[data-testid="area-detail"]').waitFor({ timeout: WAIT_MS });

      await expect
        .poll(() => framingOf(map), {
          timeout: WAIT_MS,
          message: 'the area clicked should be drawn whole, near the middle of the map beside its detail',
        })
        .toEqual({ whole: true, centred: true });
    },
    TEST_MS,
  );

  it(
    'exports the results as CSV with a row per area for each of the three categories',
    async () => {
      const link = page.locator('[data-testid="export-csv"]');
      expect(await link.getAttribute('download')).not.toBeNull();
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: WAIT_MS }), link.click()]);
      expect(download.suggestedFilename()).toBe(`gap-analysis-${runId}.csv`);
      const file = await download.path();
      const csv = fs.readFileSync(file, 'utf8');
      const [header, ...lines] = csv.trimEnd().split('\r\n');
      expect(header).toBe(
        'unit_id,unit_code,unit_name,centroid_lat,centroid_lon,subject_kind,subject,population,nearest_distance_m,nearest_minutes,' +
          'count_within,supply_count,supply_per_10k,score_2sfca_per_10k,score_e2sfca_per_10k,flags,reason',
      );
      const subjects = new Set(lines.map((line) => line.split(',')[6]));
      for (const category of CATEGORIES) expect(subjects).toContain(category);
      expect(lines.some((line) => line.includes('No ') && line.includes('within 10 km'))).toBe(true);
    },
    TEST_MS,
  );

  it(
    'compares two categories side by side',
    async () => {
      await page.getByLabel('Compare with').selectOption('socio_cultural_sports');
      await expect.poll(() => page.locator('[data-testid="choropleth"]').count(), { timeout: WAIT_MS }).toBe(2);
      await choroplethsDrawn(page);
      expect(await page.locator('[data-testid="choropleth-error"]').count()).toBe(0);
      // The area opened on the map stays open, and in view on both maps: comparing does not reload the analysis.
      expect(await page.locator('[data-testid="area-detail"]').count()).toBe(1);
      const maps = page.locator('[data-testid="choropleth"]');
      for (const map of [maps.nth(0), maps.nth(1)]) {
        await expect.poll(() => framingOf(map), { timeout: WAIT_MS }).toEqual({ whole: true, centred: true });
      }
      await page.screenshot({ path: path.join(screenshotDir, 'gap-desktop-compare.png') });
    },
    TEST_MS,
  );

  it(
    'moves the two compared maps together, whichever one is zoomed or panned, by pointer or keyboard',
    async () => {
      const maps = page.locator('[data-testid="choropleth"]');
      const [first, second] = [maps.nth(0), maps.nth(1)];
      await first.scrollIntoViewIfNeeded();
      await choroplethsDrawn(page);
      const start = await viewOf(first);

      // The wheel, then a drag, over the first map.
      const box = (await first.boundingBox())!;
      const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
      await page.mouse.move(x, y);
      await page.mouse.wheel(0, -500);
      const zoomed = await followedTo(first, second, (view) => view.zoom > start.zoom + 0.5);
      await page.mouse.down();
      await page.mouse.move(x - 120, y + 60, { steps: 8 });
      await page.mouse.up();
      const dragged = await followedTo(first, second, (view) => view.lng > zoomed.lng && view.lat > zoomed.lat);

      // The keyboard, on the second map: zoom in, then pan west.
      await second.locator('canvas').focus();
      await page.keyboard.press('Equal');
      const zoomedIn = await followedTo(second, first, (view) => view.zoom > dragged.zoom + 0.5);
      await page.keyboard.press('ArrowLeft');
      await followedTo(second, first, (view) => view.lng < zoomedIn.lng);

      await choroplethsDrawn(page);
      await page.screenshot({ path: path.join(screenshotDir, 'gap-desktop-compare-synced.png') });
    },
    TEST_MS,
  );

  it(
    'prints a report with the map, the table, the method and the population caveat',
    async () => {
      await page.emulateMedia({ media: 'print' });
      try {
        await page.locator('img.map-snapshot').first().waitFor({ timeout: WAIT_MS });
        expect(await page.locator('[data-testid="gap-analysis-form"]').isVisible()).toBe(false);
        expect(await page.locator('[data-testid="ranked-areas"]').isVisible()).toBe(true);
        const report = page.locator('[data-testid="gap-report"]');
        expect(await report.textContent()).toMatch(/Luo & Wang 2003/);
        expect(await report.locator('[data-testid="population-source"]').textContent()).toMatch(/approximate/i);
        await page.screenshot({ path: path.join(screenshotDir, 'gap-print.png'), fullPage: true });
      } finally {
        await page.emulateMedia({ media: 'screen' });
      }
    },
    TEST_MS,
  );

  it(
    'opens the same analysis from its link on a 360 px phone, signed out, without sideways scrolling',
    async () => {
      const phone = await browser.newPage({ viewport: { width: 360, height: 740 } });
      const phoneSeen = watchPage(phone, origin);
      try {
        await phone.goto(`${baseUrl}/map#/gap-analysis/bordeaux?run=${runId}`, { waitUntil: 'domcontentloaded' });
        await phone.locator('[data-testid="ranked-area"]').first().waitFor({ timeout: WAIT_MS });
        await phone.locator('[data-testid="gap-run-sign-in"]').waitFor({ timeout: WAIT_MS });
        await choroplethsDrawn(phone);
        expect(await sidewaysOverflow(phone)).toBeLessThanOrEqual(0);
        await phone.screenshot({ path: path.join(screenshotDir, 'gap-phone.png') });
        expect(phoneSeen).toEqual({ pageErrors: [], consoleErrors: [], foreignRequests: [] });
      } finally {
        await phone.close();
      }
    },
    TEST_MS,
  );

  it(
    'stacks the two compared maps on a 360 px phone, without sideways scrolling',
    async () => {
      const phone = await browser.newPage({ viewport: { width: 360, height: 740 } });
      const phoneSeen = watchPage(phone, origin);
      try {
        await phone.goto(`${baseUrl}/map#/gap-analysis/bordeaux?run=${runId}&compare=socio_cultural_sports`, {
          waitUntil: 'domcontentloaded',
        });
        const maps = phone.locator('[data-testid="choropleth"]');
        await expect.poll(() => maps.count(), { timeout: WAIT_MS }).toBe(2);
        await choroplethsDrawn(phone);
        const [first, second] = await Promise.all([maps.nth(0).boundingBox(), maps.nth(1).boundingBox()]);
        expect(second!.y).toBeGreaterThanOrEqual(first!.y + first!.height);
        expect(await sidewaysOverflow(phone)).toBeLessThanOrEqual(0);
        await maps.nth(0).scrollIntoViewIfNeeded();
        await phone.screenshot({ path: path.join(screenshotDir, 'gap-phone-compare.png') });
        expect(phoneSeen).toEqual({ pageErrors: [], consoleErrors: [], foreignRequests: [] });
      } finally {
        await phone.close();
      }
    },
    TEST_MS,
  );

  it(
    'imports areas from a GeoJSON file, lists the problems of a broken one, and offers the new set',
    async () => {
      const square = (west: number, south: number) => [
        [
          [west, south],
          [west + 0.1, south],
          [west + 0.1, south + 0.1],
          [west, south + 0.1],
          [west, south],
        ],
      ];
      const collection = (population: unknown) => ({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { name: 'North', population: 1200 },
            geometry: { type: 'Polygon', coordinates: square(-0.6, 44.85) },
          },
          {
            type: 'Feature',
            properties: { name: 'South', population },
            geometry: { type: 'Polygon', coordinates: square(-0.6, 44.7) },
          },
        ],
      });
      // The editor's session, signed in by the first test, is the context's.
      const importPage = await context.newPage();
      const importSeen = watchPage(importPage, origin);
      try {
        await importPage.goto(`${baseUrl}/map#/gap-analysis/bordeaux`, { waitUntil: 'domcontentloaded' });
        const form = importPage.locator('[data-testid="import-areas-form"]');
        const upload = (body: unknown) =>
          form.getByLabel('GeoJSON file').setInputFiles({
            name: 'districts.geojson',
            mimeType: 'application/geo+json',
            buffer: Buffer.from(JSON.stringify(body)),
          });

        await upload(collection(-5));
        await form.getByRole('button', { name: 'Import the areas' }).click();
        await expect
          .poll(() => form.getByRole('alert').textContent(), { timeout: WAIT_MS })
          .toMatch(/Area 2: .*population/i);

        await upload(collection(800));
        await form.getByRole('button', { name: 'Import the areas' }).click();
        await expect
          .poll(() => form.getByRole('status').textContent(), { timeout: WAIT_MS })
          .toMatch(/Imported “districts”: 2 areas, 2,000 inhabitants/);
        await expect
          .poll(() =>
            importPage
              .getByLabel('Areas', { exact: true })
              .locator('option', { hasText: 'districts (2 areas)' })
              .count(),
          )
          .toBe(1);
        // The refused import answered 400, which Chromium reports on the console; nothing else may.
        expect(importSeen.consoleErrors.filter((text) => !/status of 400/.test(text))).toEqual([]);
        expect(importSeen.pageErrors).toEqual([]);
      } finally {
        await importPage.close();
      }
    },
    TEST_MS,
  );

  it('raised no page or console error and requested nothing from another origin', () => {
    expect(seen.pageErrors).toEqual([]);
    expect(seen.consoleErrors).toEqual([]);
    expect(seen.foreignRequests).toEqual([]);
  });
});
