import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Static } from 'typebox';
import type { Directory as DirectorySchema } from '../../server/src/routes/directory/schemas.js';
import arabic from '../../web/src/find/i18n/messages/ar.json' with { type: 'json' };
import english from '../../web/src/find/i18n/messages/en.json' with { type: 'json' };
import french from '../../web/src/find/i18n/messages/fr.json' with { type: 'json' };
import { interfaceLanguages } from '../../web/src/find/i18n/languages.js';
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
import { mapIdle, seriousAccessibilityViolations, sidewaysOverflow } from './pageChecks.js';

type Directory = Static<typeof DirectorySchema>;

const TEST_MS = 90_000;

const DAY_MS = 86_400_000;

/**
 * The phones' clocks: a Monday morning some weeks back (09:00 UTC, 10:00 or 11:00 in Bordeaux), an ordinary one
 * (not a public holiday), and the Sunday night after it (02:00 UTC, 03:00 or 04:00 in Bordeaux). Weeks back, so
 * that the phone's date is not the server's, as it may not be; never fixed dates, which the server would refuse a
 * year on. Chosen in `beforeAll`.
 */
let mondayMorning = new Date(0);
let sundayNight = new Date(0);

/** Monday 09:00 UTC, `weeks` weeks before this week's. */
function mondayWeeksAgo(weeks: number): Date {
  const now = new Date();
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const sinceMonday = (now.getUTCDay() + 6) % 7;
  return new Date(midnight - (sinceMonday + 7 * weeks) * DAY_MS + 9 * 3_600_000);
}

/** The calendar day of a morning or night instant, the same in UTC as in Bordeaux. */
function dayOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** The first Monday from two weeks back on which Bordeaux's services keep their usual Monday hours. */
async function ordinaryMonday(): Promise<Date> {
  let monday = mondayWeeksAgo(2);
  for (let weeks = 2; weeks <= 6; weeks += 1) {
    monday = mondayWeeksAgo(weeks);
    const response = await fetch(`${baseUrl}/api/alliances/bordeaux/directory?from=${dayOf(monday)}`);
    if (openAt((await response.json()) as Directory, monday).size >= 5) return monday;
  }
  return monday;
}
/** Near the Place de la Victoire in Bordeaux, more precisely than the page may ever keep or send. */
const NEWCOMER_POSITION = { latitude: 44.83081, longitude: -0.57234 };

const messagesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../web/src/find/i18n/messages');

const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'FINDER BROWSER TESTS');

interface Visit {
  context: BrowserContext;
  page: Page;
  seen: PageWatch;
  requests: Request[];
}

async function visit(browser: Browser, options: BrowserContextOptions & { clock?: Date } = {}): Promise<Visit> {
  const { clock, ...contextOptions } = options;
  const context = await browser.newContext({ viewport: PHONE, serviceWorkers: 'allow', ...contextOptions });
  const page = await context.newPage();
  if (clock) await page.clock.setFixedTime(clock);
  const requests: Request[] = [];
  // Requests made by the service worker reach the context, not the page: record both.
  context.on('request', (request) => requests.push(request));
  const seen = watchPage(page, new URL(baseUrl ?? '').origin);
  return { context, page, seen, requests };
}

async function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element === document.activeElement);
}

async function resultIds(page: Page): Promise<string[]> {
  return page
    .locator('[data-testid="results"] [data-service-id]')
    .evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.serviceId ?? ''));
}

async function resultsShown(page: Page): Promise<void> {
  await page.locator('[data-testid="results"], [data-testid="no-results"]').first().waitFor({ timeout: WAIT_MS });
}

/** The interactive elements smaller than 44 × 44 px that a finger would have to hit. */
async function smallTapTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selector = 'button, a[href], select, label.toggle, summary';
    return [...document.querySelectorAll<HTMLElement>(selector)]
      .filter((element) => {
        if (element.closest('.maplibregl-ctrl-attrib, .skip')) return false;
        const box = element.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) return false;
        return box.height < 43.5 || box.width < 43.5;
      })
      .map((element) => `${element.tagName.toLowerCase()} "${element.textContent?.trim().slice(0, 30)}"`);
  });
}

/** The directory the server gives for Bordeaux on the day of `clock`, to work out what the page should list. */
async function bordeauxDirectory(page: Page, day: string): Promise<Directory> {
  return page.evaluate(async (from) => {
    const response = await fetch(`/api/alliances/bordeaux/directory?from=${from}`);
    return (await response.json()) as Directory;
  }, day);
}

/** The services' own ids by the ids the results carry (their place in their part), from the details packs. */
async function ownIds(page: Page, day: string): Promise<Map<string, string>> {
  const pairs = await page.evaluate(async (from) => {
    const base = '/api/alliances/bordeaux/directory/parts';
    const index = (await (await fetch(`${base}?from=${from}`)).json()) as { parts: { id: string }[] };
    const packs = await Promise.all(
      index.parts.map(async ({ id }) => {
        const details = (await (await fetch(`${base}/${id}/details?from=${from}`)).json()) as {
          services: unknown[][];
        };
        return details.services.map((row, position) => [`${id}.${position}`, row[0] as string]);
      }),
    );
    return packs.flat();
  }, day);
  return new Map(pairs as [string, string][]);
}

/** Holds the region list back until the page has the region's directory (asked for the server's day). */
async function holdRegionListUntilDirectory({ context, page }: Visit): Promise<void> {
  const directoryIn = page.waitForResponse((response) =>
    /\/api\/alliances\/[^/]+\/directory\/parts\/[^/]+$/.test(new URL(response.url()).pathname),
  );
  await context.route('**/api/alliances', async (route) => {
    await directoryIn.catch(() => undefined);
    await route.continue();
  });
}

function openAt(directory: Directory, instant: Date): Set<string> {
  const now = instant.getTime();
  return new Set(
    directory.services
      .filter((service) =>
        (service.openIntervals ?? []).some(([start, end]) => Date.parse(start) <= now && now < Date.parse(end)),
      )
      .map((service) => service.id),
  );
}

describe.skipIf(skip)('the newcomers’ finder', () => {
  let browser: Browser;
  const open: Visit[] = [];

  beforeAll(async () => {
    browser = await launchBrowser(missing);
    mondayMorning = await ordinaryMonday();
    sundayNight = new Date(mondayMorning.getTime() + 6 * DAY_MS - 7 * 3_600_000);
  }, TEST_MS);

  afterAll(async () => {
    for (const { context } of open) await context.close();
    await browser?.close();
  });

  it(
    'takes a newcomer from the public landing page to a service, in English on a phone',
    async () => {
      const session = await visit(browser, {
        locale: 'en-GB',
        geolocation: NEWCOMER_POSITION,
        permissions: ['geolocation'],
        clock: mondayMorning,
      });
      open.push(session);
      const { page, context, seen, requests } = session;

      await page.goto(baseUrl ?? '', { waitUntil: 'domcontentloaded' });
      expect(new URL(page.url()).pathname).toBe('/find');
      await expect.poll(() => page.locator('h1').textContent()).toBe(english.app.tagline);

      await page.locator('[data-testid="region-select"]').selectOption('bordeaux');
      await resultsShown(page);
      await page.locator('[data-testid="use-location"]').click();
      await expect
        .poll(() => page.locator('[data-testid="place-summary"]').textContent())
        .toBe(english.place.nearLocation);

      await page.locator('[data-need="work"]').click();
      await expect(page.locator('[data-need="work"]').getAttribute('aria-pressed')).resolves.toBe('true');
      await resultsShown(page);
      const distances = await page
        .locator('[data-testid="results"] [data-service-id]')
        .evaluateAll((items) => items.map((item) => Number((item as HTMLElement).dataset.distance)));
      expect(distances.length).toBeGreaterThan(0);
      expect(distances).toEqual([...distances].sort((a, b) => a - b));
      expect(distances.every((distance) => Number.isFinite(distance))).toBe(true);

      // The link now carries the need and the wish to use the position, never the position itself.
      const link = new URL(page.url());
      expect(link.searchParams.get('need')).toBe('work');
      expect(link.searchParams.get('near')).toBe('me');
      expect(page.url()).not.toMatch(/44\.8|0\.57/);

      await page.screenshot({ path: path.join(screenshotDir, 'finder-en-phone-results.png'), fullPage: true });
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      expect(await smallTapTargets(page)).toEqual([]);

      const first = page.locator('[data-testid="results"] [data-service-id]').first();
      const firstId = await first.getAttribute('data-service-id');
      await first.click();
      const card = page.locator('[data-testid="service-card"]');
      await card.waitFor({ timeout: WAIT_MS });
      // A result is named by its place in its part; once the card's details are in, the link names the service by
      // its own id, which lasts.
      expect(firstId).toMatch(/^-?\d+_-?\d+\.\d+$/);
      await expect
        .poll(() => new URL(page.url()).searchParams.get('service'))
        .toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      await expect.poll(() => isFocused(card.locator('h2'))).toBe(true);
      expect(await card.locator('[data-testid="geo-link"]').getAttribute('href')).toMatch(
        /^geo:-?\d+\.\d+,-?\d+\.\d+$/,
      );
      expect(await card.textContent()).toContain(english.service.hours);

      await card.locator('[data-testid="show-staff"]').click();
      const staff = page.locator('[data-testid="staff-card"]');
      await staff.waitFor({ timeout: WAIT_MS });
      // The staff in Bordeaux read French; the newcomer reads English.
      await expect
        .poll(() => staff.locator('[data-testid="staff-local"]').getAttribute('lang'), { timeout: WAIT_MS })
        .toBe('fr');
      const local = await staff.locator('[data-testid="staff-local"]').textContent();
      expect(local).toContain(french.need.work);
      expect(await staff.locator('[data-testid="staff-own"]').textContent()).toContain(english.need.work);
      await page.screenshot({ path: path.join(screenshotDir, 'finder-en-phone-staff-card.png') });
      await page.keyboard.press('Escape');
      await staff.waitFor({ state: 'detached', timeout: WAIT_MS });

      await page.locator('[data-testid="back-to-results"]').click();
      await resultsShown(page);
      await expect.poll(() => isFocused(page.locator(`[data-service-id="${firstId}"]`))).toBe(true);

      // Privacy: nothing left the origin, no request carried the position, no cookie was set.
      expect(seen.foreignRequests).toEqual([]);
      expect(requests.map((request) => request.url()).filter((url) => /44\.8|0\.57/.test(url))).toEqual([]);
      expect(await context.cookies()).toEqual([]);
      expect(await page.evaluate(() => document.cookie)).toBe('');
      expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).not.toMatch(/44\.8|0\.57/);
      expect(seen.pageErrors).toEqual([]);
      expect(seen.consoleErrors).toEqual([]);
    },
    TEST_MS,
  );

  it(
    'speaks Arabic right to left when the phone does, down to the map’s buttons',
    async () => {
      const session = await visit(browser, { locale: 'ar', clock: mondayMorning });
      open.push(session);
      const { page, seen } = session;

      await page.goto(`${baseUrl}/find?region=bordeaux`, { waitUntil: 'domcontentloaded' });
      await expect.poll(() => page.locator('html').getAttribute('dir'), { timeout: WAIT_MS }).toBe('rtl');
      expect(await page.locator('html').getAttribute('lang')).toBe('ar');
      await expect.poll(() => page.locator('h1').textContent()).toBe(arabic.app.tagline);

      const town = page.locator('[data-testid="town-select"]');
      await expect.poll(() => town.locator('option').count(), { timeout: WAIT_MS }).toBeGreaterThan(1);
      const bordeaux = await town.locator('option', { hasText: 'Bordeaux' }).first().getAttribute('value');
      await town.selectOption(bordeaux ?? '');
      await page.locator('[data-need="people"]').click();
      await resultsShown(page);
      expect(await page.locator('[data-need="people"]').textContent()).toContain(arabic.need.people);

      // Distances are written the Arabic way, by the browser's own number formatting.
      const distance = await page.locator('[data-testid="distance"]').first().textContent();
      const arabicDigits = await page.evaluate(() => new Intl.NumberFormat('ar').format(1234567890));
      expect([...(distance ?? '')].some((character) => arabicDigits.includes(character))).toBe(true);

      // Mirrored layout: the need buttons start from the right edge.
      const firstNeed = await page.locator('[data-need]').first().boundingBox();
      const lastInRow = await page.locator('[data-need]').nth(1).boundingBox();
      expect(firstNeed!.x).toBeGreaterThan(lastInRow!.x);

      await page.screenshot({ path: path.join(screenshotDir, 'finder-ar-phone-results.png'), fullPage: true });
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      await page.locator('[data-testid="view-map"]').click();
      await page.locator('canvas.maplibregl-canvas').waitFor({ timeout: WAIT_MS });
      await page.locator('.maplibregl-ctrl-top-left .maplibregl-ctrl-zoom-in').waitFor({ timeout: WAIT_MS });
      expect(await page.locator('.maplibregl-ctrl-top-right .maplibregl-ctrl-zoom-in').count()).toBe(0);
      // MapLibre's own buttons speak Arabic too, to the eye and to a screen reader.
      const zoomIn = page.locator('.maplibregl-ctrl-zoom-in');
      expect(await zoomIn.getAttribute('aria-label')).toBe(arabic.map.controls.zoomIn);
      expect(await zoomIn.getAttribute('title')).toBe(arabic.map.controls.zoomIn);
      expect(await page.locator('.maplibregl-ctrl-zoom-out').getAttribute('aria-label')).toBe(
        arabic.map.controls.zoomOut,
      );
      expect(await page.locator('canvas.maplibregl-canvas').getAttribute('aria-label')).toBe(arabic.map.controls.map);
      await mapIdle(page, 'finder-map');
      await page.screenshot({ path: path.join(screenshotDir, 'finder-ar-phone-map.png') });

      await page.locator('[data-testid="view-list"]').click();
      await page.locator('[data-testid="results"] [data-service-id]').first().click();
      await page.locator('[data-testid="service-card"]').waitFor({ timeout: WAIT_MS });
      await page.screenshot({ path: path.join(screenshotDir, 'finder-ar-phone-card.png'), fullPage: true });
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      expect(seen.foreignRequests).toEqual([]);
      expect(seen.pageErrors).toEqual([]);
      expect(seen.consoleErrors).toEqual([]);
    },
    TEST_MS,
  );

  it.each(interfaceLanguages.map((language) => [language.code, language.dir] as const))(
    'is whole in %s (%s): every text from its message file, none missing',
    async (code, dir) => {
      const session = await visit(browser, { locale: code, clock: mondayMorning });
      open.push(session);
      const { page, seen } = session;
      const messages = JSON.parse(fs.readFileSync(path.join(messagesDir, `${code}.json`), 'utf8')) as typeof english;
      await page.goto(`${baseUrl}/find?region=bordeaux&place=town-bordeaux&need=advice`, {
        waitUntil: 'domcontentloaded',
      });
      await expect.poll(() => page.locator('html').getAttribute('lang'), { timeout: WAIT_MS }).toBe(code);
      expect(await page.locator('html').getAttribute('dir')).toBe(dir);
      await resultsShown(page);
      expect(await page.locator('h1').textContent()).toBe(messages.app.tagline);
      expect(await page.locator('[data-need="advice"]').textContent()).toContain(messages.need.advice);
      // A message missing from every file would show its key, such as "service.openNow".
      const text = (await page.locator('body').innerText()).split('\n');
      expect(text.filter((line) => /^[a-z]+\.[a-zA-Z.]+$/.test(line.trim()))).toEqual([]);
      // The demo descriptions are written in English and translated into the region's language and Arabic only:
      // in Spanish the card shows the English text, and says so.
      if (code === 'es' || code === 'ar') {
        await page.locator('[data-testid="results"] [data-service-id]').first().click();
        await page.locator('[data-testid="service-card"]').waitFor({ timeout: WAIT_MS });
        // The description comes with the details, after the card has opened.
        await page.locator('[data-testid="details-loading"]').waitFor({ state: 'detached', timeout: WAIT_MS });
        expect(await page.locator('[data-testid="untranslated-note"]').count()).toBe(code === 'es' ? 1 : 0);
        await page.locator('[data-testid="back-to-results"]').click();
        await resultsShown(page);
      }
      // Let a downloaded font (Ge'ez for Tigrinya) arrive before the picture is taken.
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      await page.screenshot({ path: path.join(screenshotDir, `finder-${code}-phone.png`) });
      expect(seen.pageErrors).toEqual([]);
    },
    TEST_MS,
  );

  it(
    'lets a newcomer tap the map to say where they are, or pick a town when location is refused',
    async () => {
      const session = await visit(browser, { locale: 'en', clock: mondayMorning });
      open.push(session);
      const { page, requests } = session;
      await page.goto(`${baseUrl}/find?region=bordeaux`, { waitUntil: 'domcontentloaded' });
      await resultsShown(page);

      // No permission was given: the page says so and points to the town list.
      await page.locator('[data-testid="use-location"]').click();
      await expect
        .poll(() => page.locator('[role="alert"]').first().textContent(), { timeout: WAIT_MS })
        .toBe(english.place.denied);
      expect(await page.locator('[data-testid="place-summary"]').textContent()).toBe(english.place.none);

      await page.locator('[data-testid="tap-map"]').click();
      const map = page.locator('[data-testid="finder-map"]');
      await mapIdle(page, 'finder-map');
      const box = await map.boundingBox();
      // Off-centre, clear of the markers that sit on Bordeaux in the middle of the region.
      await page.mouse.click(box!.x + box!.width * 0.2, box!.y + box!.height * 0.35);
      await expect
        .poll(() => page.locator('[data-testid="place-summary"]').textContent())
        .toBe(english.place.nearPoint);
      const at = new URL(page.url()).searchParams.get('at') ?? '';
      // Three decimals at most: about 100 m.
      expect(at).toMatch(/^-?\d+(\.\d{1,3})?,-?\d+(\.\d{1,3})?$/);
      const distances = await page
        .locator('[data-testid="results"] [data-service-id]')
        .evaluateAll((items) => items.map((item) => Number((item as HTMLElement).dataset.distance)));
      expect(distances.length).toBeGreaterThan(0);
      expect(distances).toEqual([...distances].sort((a, b) => a - b));
      await page.locator('[data-testid="view-map"]').click();
      await page.locator('[data-testid="origin-marker"]').waitFor({ timeout: WAIT_MS });
      // The point stays on the phone: no request carried it.
      expect(requests.map((request) => request.url()).filter((url) => url.includes(at.split(',')[0]!))).toEqual([]);
    },
    TEST_MS,
  );

  it(
    'lists only what is open at the time, in Bordeaux’s time zone',
    async () => {
      const monday = await visit(browser, { locale: 'en', clock: mondayMorning, timezoneId: 'Asia/Tokyo' });
      open.push(monday);
      // The phone's day is not the server's (the test's Monday is in the past): the region's directory, asked for
      // the server's day before the region list says the time zone, comes first here, and the page must still show
      // the phone's day.
      await holdRegionListUntilDirectory(monday);
      await monday.page.goto(`${baseUrl}/find?region=bordeaux&open=1`, { waitUntil: 'domcontentloaded' });
      await resultsShown(monday.page);
      const directory = await bordeauxDirectory(monday.page, dayOf(mondayMorning));
      const expectedMonday = openAt(directory, mondayMorning);
      expect(expectedMonday.size).toBeGreaterThan(0);
      const mondayIds = await ownIds(monday.page, dayOf(mondayMorning));
      await expect
        .poll(() => resultIds(monday.page).then((ids) => new Set(ids.map((id) => mondayIds.get(id)))))
        .toEqual(expectedMonday);
      const statuses = await monday.page
        .locator('[data-testid="results"] [data-service-id]')
        .evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.status));
      expect(new Set(statuses)).toEqual(new Set(['open']));

      const sunday = await visit(browser, { locale: 'en', clock: sundayNight });
      open.push(sunday);
      await sunday.page.goto(`${baseUrl}/find?region=bordeaux&open=1`, { waitUntil: 'domcontentloaded' });
      await resultsShown(sunday.page);
      const sundayDirectory = await bordeauxDirectory(sunday.page, dayOf(sundayNight));
      const expectedSunday = openAt(sundayDirectory, sundayNight);
      expect(expectedSunday.size).toBeLessThan(expectedMonday.size);
      const sundayIds = await ownIds(sunday.page, dayOf(sundayNight));
      await expect
        .poll(() => resultIds(sunday.page).then((ids) => new Set(ids.map((id) => sundayIds.get(id)))))
        .toEqual(expectedSunday);

      // Without the filter, Sunday night lists every service again, closed ones saying when they open.
      await sunday.page.locator('[data-testid="filter-open"]').uncheck();
      await expect.poll(() => resultIds(sunday.page).then((ids) => ids.length)).toBe(sundayDirectory.services.length);
      // The rows are drawn a few per frame: their statuses are polled like their ids.
      await expect.poll(() => sunday.page.locator('[data-status="closed"]').count()).toBeGreaterThan(0);
    },
    TEST_MS,
  );

  it(
    'counts the server’s day, at the phone’s time of day, when the phone’s date is more than a year off',
    async () => {
      const longAgo = await visit(browser, { locale: 'en', clock: new Date('2024-06-03T09:00:00Z') });
      open.push(longAgo);
      // The region list comes first here: the page asks for the phone's day, which the server would refuse.
      await longAgo.context.route('**/api/alliances/bordeaux/directory/parts', async (route) => {
        await longAgo.page.waitForResponse((response) => new URL(response.url()).pathname === '/api/alliances');
        await route.continue();
      });
      await longAgo.page.goto(`${baseUrl}/find?region=bordeaux`, { waitUntil: 'domcontentloaded' });
      await resultsShown(longAgo.page);
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
      const directory = await bordeauxDirectory(longAgo.page, today);
      await expect.poll(() => resultIds(longAgo.page).then((ids) => ids.length)).toBe(directory.services.length);
      expect(await longAgo.page.locator('[role="alert"]').count()).toBe(0);
      const packDays = longAgo.requests
        .map((request) => new URL(request.url()))
        .filter((url) => /\/directory\/parts\/[^/]+$/.test(url.pathname))
        .map((url) => url.searchParams.get('from'));
      expect(new Set(packDays)).toEqual(new Set([today]));
      // Statuses are worked out on the server's day: services with opening times that day are open or closed,
      // never "not known" as they would be for a day outside the hours the page has.
      const statuses = await longAgo.page
        .locator('[data-testid="results"] [data-service-id]')
        .evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.status));
      const withHours = directory.services.filter((service) => (service.openIntervals ?? []).length > 0).length;
      expect(statuses.filter((status) => status === 'open' || status === 'closed').length).toBe(withHours);
    },
    TEST_MS,
  );

  it(
    'opens a shared link with the same results',
    async () => {
      const session = await visit(browser, { locale: 'en', clock: mondayMorning });
      open.push(session);
      const { page } = session;
      const query = '?region=bordeaux&need=people&free=1&place=town-bordeaux';
      await page.goto(`${baseUrl}/find${query}`, { waitUntil: 'domcontentloaded' });
      await resultsShown(page);
      expect(await page.locator('[data-need="people"]').getAttribute('aria-pressed')).toBe('true');
      expect(await page.locator('[data-testid="filter-free"]').isChecked()).toBe(true);
      expect(await page.locator('[data-testid="place-summary"]').textContent()).toContain('Bordeaux');
      const first = await resultIds(page);

      const again = await session.context.newPage();
      await again.goto(page.url(), { waitUntil: 'domcontentloaded' });
      await resultsShown(again);
      expect(await resultIds(again)).toEqual(first);
    },
    TEST_MS,
  );

  it(
    'works offline after one visit, and says it shows saved data',
    async () => {
      const session = await visit(browser, { locale: 'en', clock: mondayMorning });
      open.push(session);
      const { page, context, seen } = session;
      await page.goto(`${baseUrl}/find?region=bordeaux&need=work`, { waitUntil: 'domcontentloaded' });
      await page.locator('[data-testid="saved-offline"]').waitFor({ timeout: WAIT_MS });
      // Chromium's own verdict on the manifest and service worker: the app can be installed.
      const cdp = await context.newCDPSession(page);
      const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
        installabilityErrors: { errorId: string }[];
      };
      // Only the test browser's private profile stands in the way; nothing about the app does.
      expect(installabilityErrors.map((error) => error.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);
      const online = await resultIds(page);
      expect(online.length).toBeGreaterThan(0);

      await context.setOffline(true);
      await page.reload({ waitUntil: 'domcontentloaded' });
      await page.locator('[data-testid="offline-notice"]').waitFor({ timeout: WAIT_MS });
      expect(await page.locator('[data-testid="offline-notice"]').textContent()).toContain(
        english.offline.savedData.split('{date}')[0]!.trim(),
      );
      await resultsShown(page);
      expect(await resultIds(page)).toEqual(online);
      await page.screenshot({ path: path.join(screenshotDir, 'finder-en-phone-offline.png'), fullPage: true });
      await context.setOffline(false);
      expect(seen.pageErrors).toEqual([]);
    },
    TEST_MS,
  );

  it(
    'can be used with the keyboard alone, and with text at 200 %',
    async () => {
      const session = await visit(browser, { locale: 'en', viewport: { width: 1280, height: 800 } });
      open.push(session);
      const { page } = session;
      await page.goto(`${baseUrl}/find?region=bordeaux`, { waitUntil: 'domcontentloaded' });
      await resultsShown(page);

      await page.keyboard.press('Tab');
      await expect.poll(() => isFocused(page.locator('.skip'))).toBe(true);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('results');

      await page.locator('[data-need="housing"]').focus();
      await page.keyboard.press('Tab');
      await expect.poll(() => isFocused(page.locator('[data-need="papers"]'))).toBe(true);
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
      expect(outline).not.toBe('none');
      await page.keyboard.press('Enter');
      expect(await page.locator('[data-need="papers"]').getAttribute('aria-pressed')).toBe('true');

      await page.setViewportSize({ width: 640, height: 800 });
      await page.evaluate(() => (document.documentElement.style.fontSize = '200%'));
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(screenshotDir, 'finder-text-200.png') });
    },
    TEST_MS,
  );
});
