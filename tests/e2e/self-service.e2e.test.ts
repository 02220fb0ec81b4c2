import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/src/domain/accounts/passwords.js';
import { loadDemoData } from '../../server/src/domain/demo-data/loadDemoData.js';
import { readDemoData } from '../../server/src/domain/demo-data/demoDataFiles.js';
import { type OwnApp, startOwnApp } from '../support/e2eServer.js';
import {
  PHONE,
  WAIT_MS,
  launchBrowser,
  missingPrerequisite,
  screenshotDir,
  skipLoudly,
  watchPage,
  type PageWatch,
} from './browserSession.js';
import { seriousAccessibilityViolations, sidewaysOverflow } from './pageChecks.js';

const TEST_MS = 90_000;
/** Opening an embedded database of its own takes a while on a busy shared machine. */
const SETUP_MS = 120_000;

const missing = missingPrerequisite();
const skip = skipLoudly(missing, 'SELF-SERVICE LINK BROWSER TESTS');

const editor = { email: 'editor@self-service.example', password: 'self-service editor 1', name: 'Edith Editor' };
const ADDRESS = 'desk@organisation.example';

/** A text as read, without the isolates that keep a name's direction apart from the sentence around it. */
const plain = (text: string | null) => (text ?? '').replace(/[\u2066-\u2069]/g, '');

/** A calendar day `days` after today on this machine, as a date field takes it. */
function dayFromToday(days: number): string {
  const day = new Date();
  day.setDate(day.getDate() + days);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

/**
 * The whole journey of a self-service link, on an application of its own (its database is read for the mail): an
 * editor sends the link from the register, the organisation opens it on a phone without an account, confirms one
 * service and closes another for a while, and the editor's history names the organisation as the author.
 */
describe.skipIf(skip)('an organisation checks its services from a mailed link', () => {
  let own: OwnApp;
  let browser: Browser;
  let editorContext: BrowserContext;
  let editorPage: Page;
  let editorSeen: PageWatch;
  let organization: { id: string; name: string };
  let services: string[];

  beforeAll(async () => {
    own = await startOwnApp(
      {},
      {
        prepare: async (db, config) => {
          await loadDemoData(db, await readDemoData(config.dataDir));
          const bordeaux = await db
            .selectFrom('alliance')
            .select('id')
            .where('slug', '=', 'bordeaux')
            .executeTakeFirstOrThrow();
          const account = await db
            .insertInto('account')
            .values({
              email: editor.email,
              display_name: editor.name,
              password_hash: await hashPassword(editor.password),
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await db
            .insertInto('alliance_member')
            .values({ alliance_id: bordeaux.id, account_id: account.id, role: 'editor' })
            .execute();
        },
      },
    );
    const db = own.database.db;
    // The first organisation of Bordeaux, by name, that offers two services or more.
    const found = await db
      .selectFrom('organization as o')
      .innerJoin('alliance as a', 'a.id', 'o.alliance_id')
      .innerJoin('service as s', 's.organization_id', 'o.id')
      .select(['o.id', 'o.name'])
      .where('a.slug', '=', 'bordeaux')
      .groupBy(['o.id', 'o.name'])
      .having((eb) => eb.fn.countAll(), '>=', 2)
      .orderBy('o.name')
      .executeTakeFirstOrThrow();
    organization = found;
    services = (
      await db.selectFrom('service').select('name').where('organization_id', '=', found.id).orderBy('name').execute()
    ).map((service) => service.name);

    browser = await launchBrowser(missing);
    editorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const login = await editorContext.request.post(`${own.origin}/api/auth/login`, {
      data: { email: editor.email, password: editor.password },
    });
    expect(login.status()).toBe(200);
    editorPage = await editorContext.newPage();
    editorSeen = watchPage(editorPage, own.origin);
  }, SETUP_MS);

  afterAll(async () => {
    await browser?.close();
    await own?.stop();
  }, SETUP_MS);

  it(
    'sends the link, opens it once on a phone, and the history names the organisation',
    async () => {
      await editorPage.goto(`${own.origin}/map#/alliance/bordeaux/register`, { waitUntil: 'domcontentloaded' });
      await editorPage.getByRole('button', { name: `Edit ${organization.name}`, exact: true }).click();
      const links = editorPage.locator('[data-testid="self-service-links"]');
      await links.getByLabel('Send to').fill(ADDRESS);
      await links.getByRole('button', { name: 'Send the link' }).click();
      await expect
        .poll(async () => plain(await links.locator('[data-testid="self-service-link-notice"]').textContent()), {
          timeout: WAIT_MS,
        })
        .toBe(`A link was sent to ${ADDRESS}.`);
      await expect.poll(() => links.locator('[data-testid="sent-links"] li').count(), { timeout: WAIT_MS }).toBe(1);
      expect(await links.locator('[data-testid="sent-links"]').textContent()).toContain('Not opened yet');

      const mail = await own.database.db
        .selectFrom('outbox')
        .select('body')
        .where('to_email', '=', ADDRESS)
        .executeTakeFirstOrThrow();
      const url = /https?:\/\/\S+\/map#\/self-service\/[A-Za-z0-9_-]+/.exec(mail.body)?.[0];
      expect(url).toBeDefined();

      // The organisation has no account: a browser that has never seen the workspace.
      const organizationContext = await browser.newContext({ viewport: PHONE });
      try {
        const page = await organizationContext.newPage();
        const seen = watchPage(page, own.origin);
        await page.goto(url!, { waitUntil: 'domcontentloaded' });
        const cards = page.locator('[data-testid="self-service-service"]');
        await expect.poll(() => cards.count(), { timeout: WAIT_MS }).toBe(services.length);
        expect(plain(await page.getByRole('heading', { level: 2 }).textContent())).toBe(
          `${organization.name}: check your services`,
        );
        // The token has left the address: a reload asks the session, not the spent link.
        expect(await page.evaluate(() => window.location.hash)).toBe('#/self-service');

        const first = cards.filter({ has: page.getByRole('heading', { name: services[0]!, exact: true }) });
        await first.getByRole('button', { name: 'Still true' }).click();
        await expect
          .poll(() => first.locator('[data-testid="self-service-notice"]').textContent(), { timeout: WAIT_MS })
          .toBe('Thank you: the service is marked as checked today.');
        await expect
          .poll(() => first.locator('[data-testid="last-checked"]').textContent(), { timeout: WAIT_MS })
          .toMatch(/^\s*Last checked on /);

        const second = cards.filter({ has: page.getByRole('heading', { name: services[1]!, exact: true }) });
        await second.getByRole('button', { name: 'Closed until…' }).click();
        await second.getByLabel('Until (last closed day)').fill(dayFromToday(14));
        expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
        await second.getByRole('button', { name: 'Save the closure' }).click();
        await expect
          .poll(() => second.locator('[data-testid="self-service-notice"]').textContent(), { timeout: WAIT_MS })
          .toMatch(/^Saved: the map shows the service closed until /);
        await expect
          .poll(() => second.locator('[data-testid="service-closure"]').count(), { timeout: WAIT_MS })
          .toBe(1);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
        await page.screenshot({ path: path.join(screenshotDir, 'self-service-phone.png'), fullPage: true });

        // A reload asks the session the link opened; in Arabic, the page reads right to left.
        await page.goto(`${own.origin}/map?lang=ar#/self-service`, { waitUntil: 'domcontentloaded' });
        await expect.poll(() => cards.count(), { timeout: WAIT_MS }).toBe(services.length);
        expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
        expect(await second.locator('[data-testid="service-closure"]').count()).toBe(1);
        expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
        await page.screenshot({ path: path.join(screenshotDir, 'self-service-phone-ar.png'), fullPage: true });

        // The link opens once: sent again, in another browser, it is refused.
        const again = await browser.newContext({ viewport: PHONE });
        try {
          const refused = await again.newPage();
          await refused.goto(url!, { waitUntil: 'domcontentloaded' });
          await expect
            .poll(() => refused.locator('[data-testid="self-service-error"]').textContent(), { timeout: WAIT_MS })
            .toMatch(/^This link was already used/);
        } finally {
          await again.close();
        }
        expect(seen.pageErrors).toEqual([]);
        expect(seen.foreignRequests).toEqual([]);
      } finally {
        await organizationContext.close();
      }

      await editorPage.goto(`${own.origin}/map#/alliance/bordeaux/history`, { waitUntil: 'domcontentloaded' });
      const summaries = editorPage.locator('[data-testid="change-summary"]');
      const author = `${organization.name} (through its self-service link)`;
      await expect
        .poll(async () => (await summaries.allTextContents()).filter((text) => text.startsWith(author)).length, {
          timeout: WAIT_MS,
        })
        .toBe(2);
      const byOrganization = (await summaries.allTextContents()).filter((text) => text.startsWith(author));
      expect(byOrganization).toContain(`${author} changed the service “${services[0]}”`);
      expect(byOrganization.filter((text) => text.includes(' added ') && text.includes(services[1]!))).toHaveLength(1);
      expect(editorSeen.pageErrors).toEqual([]);
    },
    TEST_MS,
  );
});
