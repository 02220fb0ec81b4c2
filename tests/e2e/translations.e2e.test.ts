import path from 'node:path';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
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
} from './browserSession.js';
import { finishedGapAnalysis } from './gapAnalysisRun.js';
import { seriousAccessibilityViolations, sidewaysOverflow } from './pageChecks.js';
import { signInThroughApi } from './signIn.js';

/**
 * Every page outside the finder, opened in the pseudo-locale (`?lang=en-XA`: every message accented inside ⟦ ⟧):
 * any English word left on a page is a text that does not come from a message file. The same pages in Arabic on a
 * phone must not scroll sideways, and axe-core finds nothing serious on them.
 */

const TEST_MS = 240_000;
const DESKTOP = { width: 1280, height: 900 };

const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'TRANSLATION BROWSER TESTS');

/** The pages a coordinator of Bordeaux reaches, by their address after `#` (the gap analysis gets its run). */
const signedInPages = [
  '/',
  '/alliance/bordeaux/register',
  '/alliance/bordeaux/places',
  '/alliance/bordeaux/to-check',
  '/alliance/bordeaux/actions',
  '/alliance/bordeaux/swot',
  '/alliance/bordeaux/charter',
  '/alliance/bordeaux/import',
  '/alliance/bordeaux/history',
  '/alliance/bordeaux/reports',
  '/alliance/bordeaux/members',
  '/alliance/bordeaux/settings',
  '/account',
  '/new-alliance',
  '/profile/bordeaux',
];
/** The pages of someone not signed in: signing in, a password reset and an invitation whose link is not valid. */
const signedOutPages = [
  '/sign-in',
  '/password-reset',
  '/password-reset/not-a-valid-token',
  '/invitation/not-a-valid-token',
];

/** Words that are the same in every language: the product's name. */
const sameInEveryLanguage = [
  'Passerelle',
  'Natural Earth',
  'MapLibre',
  'OpenStreetMap',
  'GeoNames',
  'H3',
  '2SFCA',
  'E2SFCA',
];

/** Every text of the API's answers: names, descriptions, what people typed — data, which is not translated. */
function collectStrings(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') {
    if (value.trim().length >= 3) into.add(value.trim());
  } else if (Array.isArray(value)) {
    for (const item of value) collectStrings(item, into);
  } else if (value && typeof value === 'object') {
    for (const item of Object.values(value)) collectStrings(item, into);
  }
}

function watchApiData(page: Page, into: Set<string>): void {
  page.on('response', (response) => {
    if (!response.url().includes('/api/')) return;
    // Read before the page is checked: `show` waits for every answer, and this for its strings.
    const read = response
      .json()
      .then((body: unknown) => collectStrings(body, into))
      .catch(() => undefined);
    pendingReads.add(read);
    void read.finally(() => pendingReads.delete(read));
  });
}

/** The API answers whose strings are still being read into a data set. */
const pendingReads = new Set<Promise<void>>();

/** The texts a reader sees: visible text nodes and the labels read out or shown (aria-label, title, placeholder, alt). */
async function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const texts: string[] = [];
    const shown = (element: Element) => {
      if (element.closest('[translate="no"], script, style, noscript, template')) return false;
      // A passage marked as written in another language (the references, in English) is meant to stay so.
      const marked = element.closest('[lang]');
      if (
        marked &&
        marked !== document.documentElement &&
        marked.getAttribute('lang') !== document.documentElement.lang
      ) {
        return false;
      }
      const box = element.getBoundingClientRect();
      const style = getComputedStyle(element);
      // Visually hidden text (for screen readers) counts: it is read out.
      return style.display !== 'none' && style.visibility !== 'hidden' && (box.width > 0 || box.height > 0);
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim();
      if (text && node.parentElement && shown(node.parentElement)) texts.push(text);
    }
    for (const element of document.body.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
      if (!shown(element)) continue;
      for (const attribute of ['aria-label', 'title', 'placeholder', 'alt']) {
        const value = element.getAttribute(attribute)?.trim();
        if (value) texts.push(value);
      }
    }
    texts.push(document.title);
    return texts;
  });
}

/** What is left of a text once the translated parts, the data and the product's names are taken out. */
function untranslatedPart(text: string, data: readonly string[]): string | null {
  // Web addresses and paths (a website shown without its https://, an example link) are not words to translate.
  let rest = text.replace(/⟦[^⟧]*⟧/g, ' ');
  for (const value of data) if (rest.includes(value)) rest = rest.split(value).join(' ');
  rest = rest.replace(/(?:\S*\/\S*|[\w-]+(?:\.[\w-]+)+)/g, ' ');
  for (const word of sameInEveryLanguage) rest = rest.split(word).join(' ');
  return /[A-Za-z]{3,}/.test(rest) ? text : null;
}

describe.skipIf(skip)('every workspace page in the reader’s language', () => {
  let browser: Browser;
  let signedIn: BrowserContext;
  let signedOut: BrowserContext;
  let runId = '';

  beforeAll(async () => {
    browser = await launchBrowser(missing);
    // A locale is given, so that the pages choose their language from the address as a reader's would.
    signedIn = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB' });
    signedOut = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB' });
    const csrfToken = await signInThroughApi(signedIn, e2eAccounts.coordinator);
    runId = await finishedGapAnalysis(signedIn, csrfToken, {
      method: 'e2sfca',
      decay: 'stepped',
      belowMeanFraction: 0.5,
      topics: [],
    });
  }, TEST_MS);

  afterAll(async () => {
    await browser?.close();
  });

  const allPages = () => [
    ...signedInPages.map((hash) => ({ context: signedIn, hash })),
    { context: signedIn, hash: `/gap-analysis/bordeaux?run=${runId}` },
    ...signedOutPages.map((hash) => ({ context: signedOut, hash })),
  ];

  /**
   * One tab per signed-in state and language, moved from page to page by its `#` address as a reader following a
   * link would: the app and its scripts load once per language instead of once per page.
   */
  interface LanguageTab {
    page: Page;
    /** The API requests the tab has sent and not yet had answered (the base map and scripts do not change the text). */
    pending: Set<Request>;
  }

  async function openTab(context: BrowserContext, language: string, data?: Set<string>): Promise<LanguageTab> {
    const page = await context.newPage();
    if (data) watchApiData(page, data);
    const pending = new Set<Request>();
    page.on('request', (request) => {
      // The base map's files (countries, towns, tiles) are drawn, not read as text; a map left behind may drop them.
      const url = request.url();
      if (url.includes('/api/') && !url.includes('/api/basemap/')) pending.add(request);
    });
    page.on('requestfinished', (request) => pending.delete(request));
    page.on('requestfailed', (request) => pending.delete(request));
    await page.goto(`${baseUrl}/map?lang=${language}#/`, { waitUntil: 'networkidle' });
    return { page, pending };
  }

  /**
   * Shows `hash` in the tab and waits until it is settled: every API request it sent is answered and the text
   * stays the same over a moment (a panel that was loading has drawn its content).
   */
  async function show(tab: LanguageTab, hash: string): Promise<void> {
    await tab.page.evaluate((next) => (window.location.hash = next), hash);
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      await tab.page.waitForFunction(
        () =>
          new Promise<boolean>((resolve) => {
            const before = document.body.innerText;
            setTimeout(() => resolve(document.body.innerText === before), 400);
          }),
        undefined,
        { timeout: WAIT_MS, polling: 100 },
      );
      if (tab.pending.size === 0) return;
      const waiting = [...tab.pending].map((request) => `${request.method()} ${new URL(request.url()).pathname}`);
      expect(Date.now(), `#${hash} is still waiting for ${waiting.join(', ')}`).toBeLessThan(deadline);
      // Wait for the answers themselves rather than polling the text again while the server is busy.
      await Promise.all(
        [...tab.pending].map((request) =>
          Promise.race([request.response().catch(() => null), tab.page.waitForTimeout(1_000)]),
        ),
      );
    }
  }

  /** Visits every page in `language`, one tab per signed-in state, calling `check` on each once it is settled. */
  async function visitEveryPage(
    language: string,
    check: (page: Page, hash: string) => Promise<void>,
    options: { data?: Set<string>; viewport?: typeof PHONE } = {},
  ): Promise<void> {
    for (const context of [signedIn, signedOut]) {
      const tab = await openTab(context, language, options.data);
      try {
        if (options.viewport) await tab.page.setViewportSize(options.viewport);
        for (const visit of allPages().filter((item) => item.context === context)) {
          await show(tab, visit.hash);
          await check(tab.page, visit.hash);
        }
      } finally {
        await tab.page.close();
      }
    }
  }

  it(
    'shows no text outside the message files in the pseudo-locale',
    async () => {
      const found: string[] = [];
      // The data the pages have fetched so far in the tab: a page may show what an earlier one fetched.
      const data = new Set<string>();
      await visitEveryPage(
        'en-XA',
        async (page, hash) => {
          await Promise.all(pendingReads);
          const dataTexts = [...data].sort((a, b) => b.length - a.length);
          for (const text of await visibleTexts(page)) {
            const left = untranslatedPart(text, dataTexts);
            if (left) found.push(`#${hash}: ${left}`);
          }
        },
        { data },
      );
      expect(found).toEqual([]);
    },
    TEST_MS,
  );

  it(
    'lays every page out right to left in Arabic on a phone, without sideways scrolling or serious accessibility problems',
    async () => {
      const problems: string[] = [];
      await visitEveryPage(
        'ar',
        async (page, hash) => {
          const direction = await page.evaluate(() => document.documentElement.dir);
          if (direction !== 'rtl') problems.push(`#${hash}: laid out ${direction}`);
          const overflow = await sidewaysOverflow(page);
          if (overflow > 0) problems.push(`#${hash}: ${overflow} px wider than the phone`);
          for (const violation of await seriousAccessibilityViolations(page)) problems.push(`#${hash}: ${violation}`);
          if (hash === '/alliance/bordeaux/register' || hash.startsWith('/gap-analysis')) {
            const name = hash.startsWith('/gap') ? 'gap-analysis' : 'register';
            await page.screenshot({ path: path.join(screenshotDir, `arabic-${name}-phone.png`) });
          }
        },
        { viewport: PHONE },
      );
      expect(problems).toEqual([]);
    },
    TEST_MS,
  );
});
