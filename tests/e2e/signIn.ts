import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { e2eAccounts } from '../support/e2eServer.js';
import { type BrowserPage, baseUrl, openBrowserPage } from './browserSession.js';

/**
 * The two ways a browser suite signs in: through the sign-in page when signing in is what the test is about, and
 * through the API when the test only needs a signed-in session to start from. One place, so that a change to the
 * sign-in form or the login route is made once.
 */

/** One of the accounts the test server creates. */
export type E2eAccount = (typeof e2eAccounts)[keyof typeof e2eAccounts];

/** Fills the sign-in page already open in `page` and sends it; what comes next is for the test to wait for. */
export async function signInThroughPage(page: Page, credentials: { email: string; password: string }): Promise<void> {
  await page.getByLabel('E-mail').fill(credentials.email);
  await page.getByLabel('Password', { exact: true }).fill(credentials.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * Signs in through the API in the context's own cookie jar, as the sign-in page would, so that every page of the
 * context is signed in; answers the CSRF token that changes must send.
 */
export async function signInThroughApi(context: BrowserContext, account: E2eAccount): Promise<string> {
  const response = await context.request.post(`${baseUrl}/api/auth/login`, {
    data: { email: account.email, password: account.password },
  });
  expect(response.status(), `signing in as ${account.email}`).toBe(200);
  const me = (await response.json()) as { csrfToken: string };
  return me.csrfToken;
}

/**
 * The opening of most suites that edit: Chromium, a context signed in as `account` through the API and a watched
 * page of it (see {@link openBrowserPage}); answers them with the CSRF token that changes must send.
 */
export async function openSignedInPage(
  missing: string | null,
  account: E2eAccount,
  contextOptions: BrowserContextOptions = {},
): Promise<BrowserPage & { csrfToken: string }> {
  const opened = await openBrowserPage(missing, contextOptions);
  return { ...opened, csrfToken: await signInThroughApi(opened.context, account) };
}
