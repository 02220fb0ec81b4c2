import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  WAIT_MS,
  baseUrl,
  launchBrowser,
  missingPrerequisite,
  screenshotDir,
  skipLoudly,
  watchPage,
  type PageWatch,
} from './browserSession.js';
import { mapIdle, sidewaysOverflow } from './pageChecks.js';

const TEST_MS = 60_000;

const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'BROWSER TESTS');

async function listedServiceIds(page: Page): Promise<string[]> {
  return page
    .locator('[data-testid="service-list-item"]')
    .evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.serviceId ?? ''));
}

async function listCount(page: Page): Promise<number> {
  return Number(await page.locator('[data-testid="service-list"]').getAttribute('data-count'));
}

async function openPage(browser: Browser, viewport: { width: number; height: number }) {
  const page = await browser.newPage({ viewport });
  const seen = watchPage(page, new URL(baseUrl ?? '').origin);
  await page.goto(`${baseUrl}/map`, { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid="service-list-item"]').first().waitFor({ timeout: WAIT_MS });
  return { page, seen };
}

describe.skipIf(skip)('the newcomer map page', () => {
  let browser: Browser;
  let page: Page;
  let seen: PageWatch;

  beforeAll(async () => {
    browser = await launchBrowser(missing);
    ({ page, seen } = await openPage(browser, { width: 1280, height: 800 }));
  }, TEST_MS);

  afterAll(async () => {
    await browser?.close();
  });

  it(
    'draws the map with clustered services and lists them',
    async () => {
      const canvas = page.locator('canvas.maplibregl-canvas');
      await canvas.waitFor({ timeout: WAIT_MS });
      const size = await canvas.boundingBox();
      expect(size?.width).toBeGreaterThan(300);
      expect(size?.height).toBeGreaterThan(300);

      const markers = page.locator('[data-testid="service-cluster"], [data-testid="service-marker"]');
      await markers.first().waitFor({ timeout: WAIT_MS });
      expect(await markers.count()).toBeGreaterThan(0);
      expect(await listCount(page)).toBeGreaterThan(0);
      await expect.poll(() => page.getByText('Natural Earth · GeoNames (CC BY 4.0)').count()).toBe(1);

      await mapIdle(page, 'map');

      await page.screenshot({ path: path.join(screenshotDir, 'desktop-all-alliances.png') });
    },
    TEST_MS,
  );

  it(
    'shows only the chosen alliance’s services after picking "bordeaux"',
    async () => {
      const bordeauxIds = await page.evaluate(async () => {
        const response = await fetch('/api/services.geojson?alliance=bordeaux');
        const body = (await response.json()) as { features: { properties: { id: string } }[] };
        return body.features.map((feature) => feature.properties.id);
      });
      expect(bordeauxIds.length).toBeGreaterThan(0);
      // The map opens on one alliance (the first listed, for someone signed out): "All alliances" is a choice.
      const first = await listCount(page);
      await page.selectOption('[data-testid="alliance-picker"]', '');
      await expect.poll(() => listCount(page), { timeout: WAIT_MS }).not.toBe(first);
      const before = await listCount(page);

      await page.selectOption('[data-testid="alliance-picker"]', 'bordeaux');

      await expect
        .poll(
          async () => {
            const ids = await listedServiceIds(page);
            return ids.length > 0 && ids.length !== before && ids.every((id) => bordeauxIds.includes(id));
          },
          { timeout: WAIT_MS },
        )
        .toBe(true);
    },
    TEST_MS,
  );

  it(
    'removes a category’s services from the list when its box is unticked',
    async () => {
      const items = page.locator('[data-testid="service-list-item"]');
      const category = await items.first().getAttribute('data-category');
      expect(category).toBeTruthy();
      const before = await listCount(page);
      const ofCategory = await page.locator(`[data-testid="service-list-item"][data-category="${category}"]`).count();

      await page.locator(`[data-testid="category-filter"][data-category="${category}"]`).uncheck();

      await expect
        .poll(() => page.locator(`[data-testid="service-list-item"][data-category="${category}"]`).count(), {
          timeout: WAIT_MS,
        })
        .toBe(0);
      if (before > ofCategory) {
        await expect.poll(() => listCount(page), { timeout: WAIT_MS }).toBe(before - ofCategory);
      }
    },
    TEST_MS,
  );

  it(
    'opens a service’s details, with its organisation and an honest approximate location',
    async () => {
      const item = page.locator('[data-testid="service-list-item"]').first();
      const id = await item.getAttribute('data-service-id');
      const organizationName = await page.evaluate(async (serviceId) => {
        const response = await fetch(`/api/services/${serviceId}`);
        return ((await response.json()) as { organization: { name: string } }).organization.name;
      }, id);

      await item.click();

      const detail = page.locator('[data-testid="service-detail"]');
      await detail.getByText('Approximate location', { exact: false }).first().waitFor({ timeout: WAIT_MS });
      await expect.poll(() => detail.getByText(organizationName, { exact: false }).count()).toBeGreaterThan(0);
      await mapIdle(page, 'map');
      await page.screenshot({ path: path.join(screenshotDir, 'desktop-detail.png') });

      await page.locator('[data-testid="service-detail-back"]').click();
      await page.locator('[data-testid="service-list"]').waitFor({ timeout: WAIT_MS });
    },
    TEST_MS,
  );

  it(
    'lists services sharing one town point when their cluster is clicked at any zoom',
    async () => {
      for (const box of await page.locator('[data-testid="category-filter"]:not(:checked)').all()) await box.check();
      const heading = page.locator('#service-list-heading');
      // Each click either zooms into a cluster or, once only one town is left in it, lists that town.
      for (let attempt = 0; attempt < 8; attempt++) {
        if ((await heading.textContent())?.includes(' at ')) break;
        const mapBox = await page.locator('[data-testid="map"]').boundingBox();
        const clusters = await page.locator('[data-testid="service-cluster"]').all();
        let clicked = false;
        for (const cluster of clusters) {
          const box = await cluster.boundingBox();
          if (!box || !mapBox) continue;
          const x = box.x + box.width / 2;
          const y = box.y + box.height / 2;
          if (
            x < mapBox.x + 40 ||
            x > mapBox.x + mapBox.width - 60 ||
            y < mapBox.y + 40 ||
            y > mapBox.y + mapBox.height - 40
          )
            continue;
          await cluster.click();
          clicked = true;
          break;
        }
        if (!clicked) break;
        await page.waitForTimeout(1_500);
      }
      await expect.poll(() => heading.textContent(), { timeout: WAIT_MS }).toMatch(/services? at /);
      expect(await listCount(page)).toBeGreaterThan(1);
      await mapIdle(page, 'map');
      await page.screenshot({ path: path.join(screenshotDir, 'desktop-town-cluster.png') });
    },
    TEST_MS,
  );

  it(
    'fits a 360 px phone screen without sideways scrolling',
    async () => {
      const phone = await openPage(browser, { width: 360, height: 740 });
      try {
        expect(await sidewaysOverflow(phone.page)).toBeLessThanOrEqual(0);
        await mapIdle(phone.page, 'map');
        await phone.page.screenshot({ path: path.join(screenshotDir, 'phone-list.png') });

        await phone.page.locator('[data-testid="service-list-item"]').first().click();
        await phone.page.getByText('Approximate location', { exact: false }).first().waitFor({ timeout: WAIT_MS });
        expect(await sidewaysOverflow(phone.page)).toBeLessThanOrEqual(0);
        await mapIdle(phone.page, 'map');
        await phone.page.screenshot({ path: path.join(screenshotDir, 'phone-detail.png') });

        expect(phone.seen).toEqual({ pageErrors: [], consoleErrors: [], foreignRequests: [] });
      } finally {
        await phone.page.close();
      }
    },
    TEST_MS,
  );

  it(
    'follows a service of another alliance opened by a link: the picker and the list move to its alliance',
    async () => {
      const picker = page.locator('[data-testid="alliance-picker"]');
      await page.selectOption('[data-testid="alliance-picker"]', 'bordeaux');
      const other = await page.evaluate(async () => {
        const alliances = (await (await fetch('/api/alliances')).json()) as { items: { slug: string }[] };
        const slug = alliances.items.map((item) => item.slug).find((item) => item !== 'bordeaux') ?? '';
        const points = (await (await fetch(`/api/services.geojson?alliance=${slug}`)).json()) as {
          features: { properties: { id: string } }[];
        };
        return { slug, ids: points.features.map((feature) => feature.properties.id) };
      });
      expect(other.ids.length).toBeGreaterThan(0);
      const detail = page.locator('[data-testid="service-detail"]');

      // Within the page: a link followed from the workspace's lists.
      await page.evaluate((id) => (window.location.hash = `#/service/${id}`), other.ids[0]);
      await expect.poll(() => picker.inputValue(), { timeout: WAIT_MS }).toBe(other.slug);
      await detail.waitFor({ timeout: WAIT_MS });
      expect(await detail.getAttribute('data-detail-of')).toBe(other.ids[0]);
      await page.locator('[data-testid="service-detail-back"]').click();
      await expect
        .poll(async () => {
          const ids = await listedServiceIds(page);
          return ids.length > 0 && ids.every((id) => other.ids.includes(id));
        })
        .toBe(true);

      // A fresh visit by the link, on a device that remembers Bordeaux.
      await page.selectOption('[data-testid="alliance-picker"]', 'bordeaux');
      await page.evaluate((id) => (window.location.hash = `#/service/${id}`), other.ids[1] ?? other.ids[0]);
      await page.reload({ waitUntil: 'domcontentloaded' });
      await expect.poll(() => picker.inputValue(), { timeout: WAIT_MS }).toBe(other.slug);
      await detail.waitFor({ timeout: WAIT_MS });
      expect(await detail.getAttribute('data-detail-of')).toBe(other.ids[1] ?? other.ids[0]);
    },
    TEST_MS,
  );

  it('raised no page or console error and requested nothing from another origin', () => {
    expect(seen.pageErrors).toEqual([]);
    expect(seen.consoleErrors).toEqual([]);
    expect(seen.foreignRequests).toEqual([]);
  });
});
