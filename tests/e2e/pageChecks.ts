import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { WAIT_MS } from './browserSession.js';

/**
 * The checks every browser suite makes of a page it has drawn: accessibility, width and a settled map. They live
 * here so that each suite asks the same question in the same words, and a stricter rule reaches all of them.
 */

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core in the page and returns the serious and critical violations, described for a person. */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  // Evaluated by the browser's devtools protocol, which the page's Content-Security-Policy does not apply to: a
  // <script> tag added to the page (page.addScriptTag) is an inline script, which the policy rightly refuses.
  // Loaded once per document: a suite that moves through pages by their `#` address keeps it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(`${axeSource};undefined`);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<unknown> } }).axe;
    const result = (await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    })) as { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      targets: violation.nodes.slice(0, 3).map((node) => node.target.join(' ')),
    }));
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.targets.join(', ')}`);
}

/** How many pixels the document is wider than the window: above 0, a reader has to scroll sideways. */
export async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/**
 * Waits until the MapLibre map with the `data-testid` `testId` says it is idle (`data-idle="true"`): everything
 * it asked for is drawn, so a screenshot or an axe run sees the finished map.
 */
export async function mapIdle(page: Page, testId: string): Promise<void> {
  await page.locator(`[data-testid="${testId}"][data-idle="true"]`).waitFor({ timeout: WAIT_MS });
}

/** The part of the page's address after `#`: where the single-page app says it is. */
export function hashOf(page: Page): string {
  return new URL(page.url()).hash;
}

/** The query after the `?` in the page's `#` address, where the app keeps the state a link can share. */
export function hashQuery(page: Page): URLSearchParams {
  return new URLSearchParams(hashOf(page).split('?')[1] ?? '');
}
