import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eAccounts } from '../support/e2eServer.js';
import {
  PHONE,
  WAIT_MS,
  baseUrl,
  missingPrerequisite,
  openBrowserPage,
  screenshotDir,
  skipLoudly,
  type PageWatch,
} from './browserSession.js';
import { hashOf, seriousAccessibilityViolations, sidewaysOverflow } from './pageChecks.js';
import { signInThroughApi, signInThroughPage } from './signIn.js';

const TEST_MS = 60_000;

const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'OWN ACCOUNT BROWSER TESTS');

/**
 * A person of this suite's own, invited to Bordeaux by the coordinator and joined through the API: the shared
 * accounts of `e2eAccounts` sign in from other suites at the same time, so their names and passwords stay as
 * they are.
 */
const person = {
  email: `own-account-${Date.now()}@e2e.example`,
  name: 'Nora Newcomer',
  password: 'nora first password',
  newName: 'Nora N. Renamed',
  newPassword: 'nora second password',
};

/** Invites `person` as a member of Bordeaux and accepts in `context`, which is then signed in as them. */
async function joinBordeaux(browser: Browser, context: BrowserContext): Promise<void> {
  const coordinator = await browser.newContext();
  try {
    const csrfToken = await signInThroughApi(coordinator, e2eAccounts.coordinator);
    const invited = await coordinator.request.post(`${baseUrl}/api/alliances/bordeaux/invitations`, {
      headers: { 'x-csrf-token': csrfToken },
      data: { email: person.email, role: 'member' },
    });
    expect(invited.status(), 'inviting the suite’s own person').toBe(201);
    const { link } = (await invited.json()) as { link: string };
    const token = /#\/invitation\/(\S+)$/.exec(link)?.[1] ?? '';
    const accepted = await context.request.post(`${baseUrl}/api/invitations/${token}/accept`, {
      data: { displayName: person.name, password: person.password },
    });
    expect(accepted.status(), 'accepting the invitation').toBe(200);
  } finally {
    await coordinator.close();
  }
}

/** The account page scrolls inside the app's main area, never the document: a screenshot shows one end of it. */
async function scrollPageTo(page: Page, end: 'top' | 'bottom'): Promise<void> {
  await page.locator('main.page-main').evaluate((main, to) => {
    main.scrollTop = to === 'top' ? 0 : main.scrollHeight;
  }, end);
}

describe.skipIf(skip)('a person’s own account page', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let seen: PageWatch;

  const menuButton = () => page.locator('[data-testid="account-menu-button"]');

  beforeAll(async () => {
    ({ browser, context, page, seen } = await openBrowserPage(missing));
    await joinBordeaux(browser, context);
  }, TEST_MS);

  afterAll(async () => {
    await browser?.close();
  });

  it(
    'opens "Your account" from the account menu, with the person’s alliances and role',
    async () => {
      await page.goto(`${baseUrl}/map#/`, { waitUntil: 'domcontentloaded' });
      await expect.poll(() => menuButton().textContent(), { timeout: WAIT_MS }).toContain(person.name);
      await menuButton().click();
      await page.locator('[data-testid="account-menu"]').waitFor({ timeout: WAIT_MS });
      await page.screenshot({ path: path.join(screenshotDir, 'own-account-menu-desktop.png') });
      await page.getByRole('link', { name: 'Your account' }).click();
      await expect.poll(() => hashOf(page), { timeout: WAIT_MS }).toBe('#/account');
      const account = page.locator('[data-testid="your-account"]');
      await account.getByRole('heading', { name: 'Your account' }).waitFor({ timeout: WAIT_MS });
      expect(await account.textContent()).toContain(person.email);
      expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe(person.name);
      const alliances = page.locator('[data-testid="account-alliances"] li');
      expect(await alliances.count()).toBe(1);
      expect(await alliances.first().textContent()).toMatch(/Bordeaux[\s\S]*Member/);
      expect(await page.title()).toBe('Your account — Passerelle');
    },
    TEST_MS,
  );

  it(
    'changes the name, which the account menu then shows',
    async () => {
      await page.getByLabel('Name', { exact: true }).fill(`  ${person.newName} `);
      await page.getByRole('button', { name: 'Save the name' }).click();
      await expect
        .poll(() => page.locator('[data-testid="account-name-saved"]').textContent(), { timeout: WAIT_MS })
        .toContain(`Your name is now “${person.newName}”.`);
      expect(await menuButton().textContent()).toContain(person.newName);
    },
    TEST_MS,
  );

  it(
    'refuses a wrong current password with the server’s words, then changes the password',
    async () => {
      await page.getByLabel('Current password').fill('not my password at all');
      await page.getByLabel('New password', { exact: true }).fill(person.newPassword);
      await page.getByLabel('The same new password again').fill(person.newPassword);
      await page.getByRole('button', { name: 'Change the password' }).click();
      const refused = page.locator('[data-testid="account-password-error"]');
      await expect.poll(() => refused.textContent(), { timeout: WAIT_MS }).toBe('Your current password is not right.');
      expect(await refused.getAttribute('role')).toBe('alert');

      await page.getByLabel('Current password').fill(person.password);
      await page.getByRole('button', { name: 'Change the password' }).click();
      const saved = page.locator('[data-testid="account-password-saved"]');
      await expect.poll(() => saved.textContent(), { timeout: WAIT_MS }).toMatch(/Your password is changed/);
      expect(await saved.getAttribute('role')).toBe('status');
      expect(await page.getByLabel('Current password').inputValue()).toBe('');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await page.screenshot({ path: path.join(screenshotDir, 'own-account-desktop-password.png') });
      await scrollPageTo(page, 'top');
      await page.screenshot({ path: path.join(screenshotDir, 'own-account-desktop.png') });
    },
    TEST_MS,
  );

  it(
    'signs out of another device and says so, keeping this one signed in',
    async () => {
      const other = await browser.newContext();
      try {
        const signedIn = await other.request.post(`${baseUrl}/api/auth/login`, {
          data: { email: person.email, password: person.newPassword },
        });
        expect(signedIn.status()).toBe(200);
        await page.locator('[data-testid="end-other-sessions"]').click();
        await expect
          .poll(() => page.locator('[data-testid="account-devices-saved"]').textContent(), { timeout: WAIT_MS })
          .toBe('1 other device or browser was signed out. You are still signed in here.');
        const otherMe = (await (await other.request.get(`${baseUrl}/api/auth/me`)).json()) as { account: unknown };
        expect(otherMe.account).toBeNull();
        expect(await menuButton().textContent()).toContain(person.newName);
      } finally {
        await other.close();
      }
    },
    TEST_MS,
  );

  it(
    'signs out, is refused the old password, and signs in again with the new one back on the account page',
    async () => {
      await menuButton().click();
      await page.locator('[data-testid="sign-out"]').click();
      await page.locator('[data-testid="sign-in-page"]').waitFor({ timeout: WAIT_MS });
      expect(hashOf(page)).toBe(`#/sign-in?next=${encodeURIComponent('#/account')}`);

      await signInThroughPage(page, { email: person.email, password: person.password });
      await expect
        .poll(() => page.locator('[data-testid="sign-in-error"]').textContent(), { timeout: WAIT_MS })
        .toMatch(/not right/i);

      await signInThroughPage(page, { email: person.email, password: person.newPassword });
      await expect.poll(() => hashOf(page), { timeout: WAIT_MS }).toBe('#/account');
      await expect.poll(() => menuButton().textContent(), { timeout: WAIT_MS }).toContain(person.newName);
    },
    TEST_MS,
  );

  it(
    'fits a 360 px phone without sideways scrolling, with no serious accessibility problem',
    async () => {
      await page.setViewportSize(PHONE);
      await page.locator('[data-testid="your-account"]').getByRole('heading', { name: 'Your account' }).waitFor();
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await scrollPageTo(page, 'top');
      await page.screenshot({ path: path.join(screenshotDir, 'own-account-phone.png') });
      await scrollPageTo(page, 'bottom');
      await page.screenshot({ path: path.join(screenshotDir, 'own-account-phone-end.png') });
    },
    TEST_MS,
  );

  it('raised no page error, no console error but the refused passwords’, and requested nothing elsewhere', () => {
    expect(seen.pageErrors).toEqual([]);
    // The wrong current password is answered 403 and the old one at sign-in 401, which Chromium reports.
    expect(seen.consoleErrors.filter((text) => !/status of (401|403)/.test(text))).toEqual([]);
    expect(seen.foreignRequests).toEqual([]);
  });
});
