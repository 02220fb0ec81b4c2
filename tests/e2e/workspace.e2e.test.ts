import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
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
  watchPage,
  type PageWatch,
} from './browserSession.js';
import { hashOf, seriousAccessibilityViolations, sidewaysOverflow } from './pageChecks.js';
import { signInThroughPage } from './signIn.js';

const TEST_MS = 60_000;
const coordinator = e2eAccounts.coordinator;

const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'WORKSPACE BROWSER TESTS');

/** The register's row of the organisation named `name`. */
function rowOf(page: Page, name: string): Locator {
  return page.locator('[data-testid="stakeholder-row"]', { has: page.locator('.name', { hasText: name }) });
}

describe.skipIf(skip)('the alliance workspace', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let seen: PageWatch;
  let origin: string;
  /** The organisation the tests edit, and its contact person before the edit. */
  let organisation = '';
  let contactBefore = '';
  const contactAfter = `Contact ${Date.now()}`;

  beforeAll(async () => {
    origin = new URL(baseUrl ?? '').origin;
    ({ browser, context, page, seen } = await openBrowserPage(missing));
  }, TEST_MS);

  afterAll(async () => {
    await browser?.close();
  });

  it(
    'asks a signed-out visitor to sign in, refuses a wrong password with the server’s words, then comes back',
    async () => {
      await page.goto(`${baseUrl}/map#/alliance/bordeaux/register`, { waitUntil: 'domcontentloaded' });
      const denied = page.locator('[data-testid="workspace-denied"]');
      await denied.waitFor({ timeout: WAIT_MS });
      await denied.getByRole('link', { name: 'Sign in' }).click();
      await page.locator('[data-testid="sign-in-page"]').waitFor({ timeout: WAIT_MS });

      await signInThroughPage(page, { email: coordinator.email, password: 'not the password' });
      await expect
        .poll(() => page.locator('[data-testid="sign-in-error"]').textContent(), { timeout: WAIT_MS })
        .toMatch(/not right/i);

      await signInThroughPage(page, coordinator);
      await expect.poll(() => hashOf(page), { timeout: WAIT_MS }).toBe('#/alliance/bordeaux/register');
      await expect
        .poll(() => page.locator('[data-testid="account-menu-button"]').textContent(), { timeout: WAIT_MS })
        .toContain(coordinator.name);
      expect(await page.locator('[data-testid="your-role"]').textContent()).toMatch(/Coordinator/);
      expect(await page.locator('[data-testid="tab-register"]').getAttribute('aria-current')).toBe('page');
    },
    TEST_MS,
  );

  it(
    'lists the demo organisations in the stakeholder register, with the sector balance',
    async () => {
      const rows = page.locator('[data-testid="stakeholder-row"]');
      await rows.first().waitFor({ timeout: WAIT_MS });
      expect(await rows.count()).toBeGreaterThan(5);
      expect(await page.locator('[data-testid="stakeholder-register"]').textContent()).toContain(
        'Fondation COS Alexandre Glasberg',
      );
      const balance = page.locator('[data-testid="sector-balance"]');
      await expect
        .poll(() => balance.locator('[data-testid="sector-balance-total"]').textContent(), { timeout: WAIT_MS })
        .toMatch(/member organisations?: .*8–12/);
      expect(await balance.locator('li[data-sector]').count()).toBe(8);
      await page.screenshot({ path: path.join(screenshotDir, 'workspace-register-desktop.png') });
    },
    TEST_MS,
  );

  it(
    'edits an organisation’s contact person, contribution and sector',
    async () => {
      const first = page.locator('[data-testid="stakeholder-row"]').first();
      organisation = (await first.locator('.name').textContent())?.trim() ?? '';
      await first.getByRole('button', { name: `Edit ${organisation}` }).click();

      const form = page.locator('[data-testid="stakeholder-form"]');
      await form.waitFor({ timeout: WAIT_MS });
      const contact = form.locator('fieldset', { hasText: 'Contact person' }).getByLabel('Name', { exact: true });
      contactBefore = await contact.inputValue();
      await contact.fill(contactAfter);
      await form.getByLabel('What they contribute').fill('Legal advice on Tuesdays');
      await form.getByLabel('Sector').selectOption('education');
      await page.screenshot({ path: path.join(screenshotDir, 'workspace-edit-desktop.png') });
      await form.getByRole('button', { name: 'Save the changes' }).click();

      await expect
        .poll(() => page.locator('[data-testid="register-notice"]').textContent(), { timeout: WAIT_MS })
        .toContain(`Saved “${organisation}”`);
      const row = rowOf(page, organisation);
      await expect.poll(() => row.textContent(), { timeout: WAIT_MS }).toContain(contactAfter);
      expect(await row.locator('[data-testid="stakeholder-sector"]').textContent()).toBe('Education');
      expect(await row.textContent()).toContain('Legal advice on Tuesdays');
    },
    TEST_MS,
  );

  it(
    'keeps what was typed when someone else saved the organisation first, and takes their change in on reload',
    async () => {
      const other = await context.newPage();
      try {
        await page.locator('[data-testid="add-stakeholder"]').waitFor({ timeout: WAIT_MS });
        await rowOf(page, organisation)
          .getByRole('button', { name: `Edit ${organisation}` })
          .click();
        const form = page.locator('[data-testid="stakeholder-form"]');
        await form.getByLabel('Engagement strategy').fill('Invite them to the next plenary');

        await other.goto(`${baseUrl}/map#/alliance/bordeaux/register`, { waitUntil: 'domcontentloaded' });
        await rowOf(other, organisation)
          .getByRole('button', { name: `Edit ${organisation}` })
          .click();
        await other.locator('[data-testid="stakeholder-form"]').getByLabel('Influence').selectOption('high');
        await other.getByRole('button', { name: 'Save the changes' }).click();
        await other.locator('[data-testid="register-notice"]').waitFor({ timeout: WAIT_MS });

        await form.getByRole('button', { name: 'Save the changes' }).click();
        const conflict = page.locator('[data-testid="stakeholder-conflict"]');
        await expect.poll(() => conflict.textContent(), { timeout: WAIT_MS }).toMatch(/Reload/);
        expect(await form.getByLabel('Engagement strategy').inputValue()).toBe('Invite them to the next plenary');

        await conflict.getByRole('button', { name: 'Reload their version' }).click();
        await page.locator('[data-testid="stakeholder-reloaded"]').waitFor({ timeout: WAIT_MS });
        expect(await form.getByLabel('Influence').inputValue()).toBe('high');
        expect(await form.getByLabel('Engagement strategy').inputValue()).toBe('Invite them to the next plenary');

        await form.getByRole('button', { name: 'Save the changes' }).click();
        await expect
          .poll(() => page.locator('[data-testid="register-notice"]').textContent(), { timeout: WAIT_MS })
          .toContain(`Saved “${organisation}”`);
        await expect
          .poll(() => rowOf(page, organisation).textContent(), { timeout: WAIT_MS })
          .toContain('Invite them to the next plenary');
        expect(await rowOf(page, organisation).textContent()).toMatch(/high/i);
      } finally {
        await other.close();
      }
    },
    TEST_MS,
  );

  it(
    'shows the change in the history with its author and old and new values, and restores the earlier version',
    async () => {
      await page.locator('[data-testid="tab-history"]').click();
      const change = page
        .locator('[data-testid="recent-changes"] [data-testid="change"]')
        .filter({ has: page.locator('[data-field="contact_person"], [data-field="contactPerson"]') })
        .first();
      await change.waitFor({ timeout: WAIT_MS });
      expect(await change.locator('[data-testid="change-summary"]').textContent()).toBe(
        `${coordinator.name} changed the organisation “${organisation}”`,
      );
      const contactField = change.locator('[data-field="contact_person"], [data-field="contactPerson"]');
      expect(await contactField.locator('.after').textContent()).toContain(contactAfter);
      await page.screenshot({ path: path.join(screenshotDir, 'workspace-history-desktop.png') });

      await change.getByRole('button', { name: 'Restore this version' }).click();
      await expect
        .poll(() => page.locator('[data-testid="history-notice"]').textContent(), { timeout: WAIT_MS })
        .toContain(`Restored the organisation “${organisation}”`);

      await page.locator('[data-testid="tab-register"]').click();
      const row = rowOf(page, organisation);
      await row.waitFor({ timeout: WAIT_MS });
      expect(await row.textContent()).not.toContain(contactAfter);
      if (contactBefore) expect(await row.textContent()).toContain(contactBefore);
    },
    TEST_MS,
  );

  it(
    'invites a member, whose link opens in another browser to choose a password and land in the workspace read-only',
    async () => {
      const email = `newcomer-${Date.now()}@e2e.example`;
      await page.locator('[data-testid="tab-members"]').click();
      const invite = page.locator('[data-testid="invite-form"]');
      await invite.getByLabel('E-mail').fill(email);
      await invite.getByLabel('Role').selectOption('member');
      await invite.getByRole('button', { name: 'Invite' }).click();
      const linkField = page.locator('[data-testid="invitation-link"]');
      await linkField.waitFor({ timeout: WAIT_MS });
      const link = await linkField.inputValue();
      expect(link).toMatch(/\/map#\/invitation\/\S+$/);
      // Invited is not a member yet: the invitation waits in the coordinators' own list.
      await expect
        .poll(() => page.locator(`[data-testid="pending-invitation"][data-email="${email}"]`).textContent(), {
          timeout: WAIT_MS,
        })
        .toMatch(/Member.*the link works until/s);
      expect(await page.locator(`[data-testid="member"][data-email="${email}"]`).count()).toBe(0);
      await page.screenshot({ path: path.join(screenshotDir, 'workspace-members-desktop.png') });

      const invited = await browser.newContext({ viewport: PHONE });
      try {
        const phone = await invited.newPage();
        const phoneSeen = watchPage(phone, origin);
        // The link names the server it was made for; the test opens its path on the server under test.
        const url = new URL(link);
        await phone.goto(`${baseUrl}${url.pathname}${url.hash}`, { waitUntil: 'domcontentloaded' });
        const summary = phone.locator('[data-testid="invitation-summary"]');
        await summary.waitFor({ timeout: WAIT_MS });
        expect(await summary.textContent()).toMatch(
          new RegExp(`${coordinator.name} invites\\s+${email}\\s+to join\\s+.*Bordeaux.*\\s+as\\s+member`),
        );
        await phone.getByLabel('Your name').fill('Noor Newcomer');
        await phone.getByLabel('Choose a password').fill('a new member password');
        await phone.getByLabel('The same password again').fill('a new member password');
        await phone.screenshot({ path: path.join(screenshotDir, 'workspace-invitation-phone.png') });
        await phone.locator('[data-testid="accept-invitation"]').click();

        await expect.poll(() => hashOf(phone), { timeout: WAIT_MS }).toBe('#/alliance/bordeaux/register');
        await phone.locator('[data-testid="stakeholder-row"]').first().waitFor({ timeout: WAIT_MS });
        expect(await phone.locator('[data-testid="your-role"]').textContent()).toMatch(/Member.*read only/);
        expect(await phone.locator('[data-testid="add-stakeholder"]').count()).toBe(0);
        expect(await phone.getByRole('button', { name: /^(Edit|Delete) / }).count()).toBe(0);
        expect(await sidewaysOverflow(phone)).toBeLessThanOrEqual(0);
        await phone.screenshot({ path: path.join(screenshotDir, 'workspace-member-phone.png') });

        await phone.locator('[data-testid="tab-history"]').click();
        await phone.locator('[data-testid="recent-changes"]').waitFor({ timeout: WAIT_MS });
        expect(await phone.locator('[data-testid="restore-change"]').count()).toBe(0);
        await phone.locator('[data-testid="tab-members"]').click();
        await phone.locator('[data-testid="member-list"]').waitFor({ timeout: WAIT_MS });
        expect(await phone.locator('[data-testid="invite-form"]').count()).toBe(0);
        expect(await phone.locator('[data-testid="member-role"]').count()).toBe(0);
        expect(await phone.locator('[data-testid="pending-invitations"]').count()).toBe(0);
        expect(phoneSeen).toEqual({ pageErrors: [], consoleErrors: [], foreignRequests: [] });
      } finally {
        await invited.close();
      }
    },
    TEST_MS,
  );

  it(
    'withdraws an invitation from the list of invitations waiting',
    async () => {
      const email = `withdrawn-${Date.now()}@e2e.example`;
      await page.goto(`${baseUrl}/map#/alliance/bordeaux/members`, { waitUntil: 'domcontentloaded' });
      const invite = page.locator('[data-testid="invite-form"]');
      await invite.getByLabel('E-mail').fill(email);
      await invite.getByRole('button', { name: 'Invite' }).click();
      const row = page.locator(`[data-testid="pending-invitation"][data-email="${email}"]`);
      await row.waitFor({ timeout: WAIT_MS });
      await row.getByRole('button', { name: `Withdraw the invitation of ${email}` }).click();
      await expect
        .poll(() => page.locator('[data-testid="members-notice"]').textContent(), { timeout: WAIT_MS })
        .toBe(`The invitation of ${email} is withdrawn: its link no longer works.`);
      expect(await row.count()).toBe(0);
    },
    TEST_MS,
  );

  it(
    'has no serious accessibility violation on the register, history and members tabs',
    async () => {
      for (const tab of ['register', 'history', 'members']) {
        await page.goto(`${baseUrl}/map#/alliance/bordeaux/${tab}`, { waitUntil: 'domcontentloaded' });
        await page.locator(`[data-testid="panel-${tab}"]`).waitFor({ timeout: WAIT_MS });
        await page
          .locator('[data-testid="stakeholder-row"], [data-testid="change"], [data-testid="member"]')
          .first()
          .waitFor({ timeout: WAIT_MS });
        expect(await seriousAccessibilityViolations(page), tab).toEqual([]);
      }
    },
    TEST_MS,
  );

  it(
    'reads as cards on a 360 px phone, without sideways scrolling or accessibility violations',
    async () => {
      const phone = await context.newPage();
      await phone.setViewportSize(PHONE);
      const phoneSeen = watchPage(phone, origin);
      try {
        await phone.goto(`${baseUrl}/map#/alliance/bordeaux/register`, { waitUntil: 'domcontentloaded' });
        await phone.locator('[data-testid="stakeholder-row"]').first().waitFor({ timeout: WAIT_MS });
        const thead = phone.locator('[data-testid="stakeholder-register"] thead');
        expect(await thead.isVisible()).toBe(false);
        expect(await sidewaysOverflow(phone)).toBeLessThanOrEqual(0);
        expect(await seriousAccessibilityViolations(phone)).toEqual([]);
        await phone.screenshot({ path: path.join(screenshotDir, 'workspace-register-phone.png') });

        await phone.goto(`${baseUrl}/map#/alliance/bordeaux/history`, { waitUntil: 'domcontentloaded' });
        await phone.locator('[data-testid="change"]').first().waitFor({ timeout: WAIT_MS });
        expect(await sidewaysOverflow(phone)).toBeLessThanOrEqual(0);
        expect(await seriousAccessibilityViolations(phone)).toEqual([]);
        await phone.screenshot({ path: path.join(screenshotDir, 'workspace-history-phone.png') });
        expect(phoneSeen).toEqual({ pageErrors: [], consoleErrors: [], foreignRequests: [] });
      } finally {
        await phone.close();
      }
    },
    TEST_MS,
  );

  it(
    'signs out from the account menu',
    async () => {
      await page.locator('[data-testid="account-menu-button"]').click();
      await page.locator('[data-testid="sign-out"]').click();
      await page.locator('[data-testid="sign-in-link"]').waitFor({ timeout: WAIT_MS });
      expect(await page.locator('[data-testid="nav-workspace"]').count()).toBe(0);
    },
    TEST_MS,
  );

  it('raised no page error, no console error but the refused password’s, and requested nothing elsewhere', () => {
    expect(seen.pageErrors).toEqual([]);
    // The wrong password is answered 401 and the conflicting save 409, which Chromium reports on the console.
    expect(seen.consoleErrors.filter((text) => !/status of (401|409)/.test(text))).toEqual([]);
    expect(seen.foreignRequests).toEqual([]);
  });
});
