import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

/** Debian's Chromium unless `CHROMIUM_PATH` names another one. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The running app under test; the global setup starts one and sets it when it is not given. */
export const baseUrl = process.env.E2E_BASE_URL;
/** Under `REQUIRE_ALL_TESTS=1` a browser test that cannot run fails instead of being skipped. */
export const requireAll = process.env.REQUIRE_ALL_TESTS === '1';
/** Where the tests leave their screenshots (gitignored), for a person to look at. */
export const screenshotDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');

/** How long a test waits for one thing to appear on the page: long enough for a slow shared machine. */
export const WAIT_MS = 20_000;

/** The window sizes the suites draw their pages at: a desktop, and a phone on which nothing may scroll sideways. */
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 360, height: 740 };

/** Headless Chromium with nothing running in the background that could reach another origin. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/**
 * Why the browser tests cannot run here, or null when they can: Chromium and `E2E_BASE_URL` are checked
 * first, then each of `moreReasons`, given as a reason when that need is not met and null when it is.
 */
export function missingPrerequisite(...moreReasons: (string | null)[]): string | null {
  if (!fs.existsSync(chromiumPath)) {
    return `Chromium is not installed at ${chromiumPath} (set CHROMIUM_PATH, or apt-get install chromium)`;
  }
  if (!baseUrl) {
    return 'E2E_BASE_URL is not set: start the app (npm start) and export E2E_BASE_URL=http://localhost:3000';
  }
  return moreReasons.find((reason) => reason !== null) ?? null;
}

/**
 * Whether a suite is to be skipped because of `missing`. A skip is announced on the console under `suiteName`,
 * so that it is never mistaken for a pass; under `REQUIRE_ALL_TESTS=1` nothing is skipped and
 * {@link launchBrowser} fails instead.
 */
export function skipLoudly(missing: string | null, suiteName: string): boolean {
  if (missing === null || requireAll) return false;
  console.warn(`\n⚠  ${suiteName} SKIPPED: ${missing}.\n`);
  return true;
}

/** Where the workspace keeps the language a person chose on this device (web/src/i18n/pageLanguage.svelte.ts). */
const WORKSPACE_LANGUAGE_KEY = 'passerelle.workspaceLanguage';

/**
 * Launches headless Chromium for a suite's `beforeAll`. A suite that runs although something is `missing`
 * does so under `REQUIRE_ALL_TESTS=1`, and fails here with the reason.
 *
 * The workspace speaks the alliance's language by default (Bordeaux's pages open in French). The suites read the
 * pages in English, so each context starts as if its person had chosen English on this device, unless the suite
 * asks for a `locale`: then the pages choose as they would for that reader. A language picked from the menu
 * during a test is kept.
 */
export async function launchBrowser(missing: string | null): Promise<Browser> {
  if (missing) throw new Error(`REQUIRE_ALL_TESTS=1 but the browser test cannot run: ${missing}.`);
  fs.mkdirSync(screenshotDir, { recursive: true });
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options = {}) => {
    const context = await newContext(options);
    if (!options.locale) {
      await context.addInitScript((key: string) => {
        try {
          if (!localStorage.getItem(key)) localStorage.setItem(key, 'en');
        } catch {
          // A page without storage (about:blank) has no language to keep.
        }
      }, WORKSPACE_LANGUAGE_KEY);
    }
    return context;
  };
  return browser;
}

/** What a browser saw on one page: anything here that is not empty at the end is a failure. */
export interface PageWatch {
  pageErrors: string[];
  consoleErrors: string[];
  foreignRequests: string[];
}

/** Starts recording the page's uncaught errors, console errors and requests to any origin but `origin`. */
export function watchPage(page: Page, origin: string): PageWatch {
  const seen: PageWatch = { pageErrors: [], consoleErrors: [], foreignRequests: [] };
  page.on('pageerror', (error) => seen.pageErrors.push(error.stack ?? error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') seen.consoleErrors.push(message.text());
  });
  page.on('request', (request) => {
    const url = new URL(request.url());
    // data: and blob: URLs never leave the browser.
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    if (url.origin !== origin) seen.foreignRequests.push(request.url());
  });
  return seen;
}

/** What a suite's `beforeAll` opens first: a browser, a context in it and a watched page of that context. */
export interface BrowserPage {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  seen: PageWatch;
}

/**
 * Launches Chromium (see {@link launchBrowser}) and opens one context, at the desktop size unless `contextOptions`
 * say otherwise, with one page watched against `origin` (the shared test server unless told). The suite closes
 * `browser` in its `afterAll`.
 */
export async function openBrowserPage(
  missing: string | null,
  contextOptions: BrowserContextOptions = {},
  origin: string = new URL(baseUrl ?? 'http://localhost').origin,
): Promise<BrowserPage> {
  const browser = await launchBrowser(missing);
  const context = await browser.newContext({ viewport: DESKTOP, ...contextOptions });
  const page = await context.newPage();
  return { browser, context, page, seen: watchPage(page, origin) };
}
